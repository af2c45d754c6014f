import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { GitProvidersService } from './git-providers.service';

@Controller('api/git-providers')
export class GitProvidersController {
  constructor(private readonly gitProviders: GitProvidersService) {}

  @Get()
  list() {
    return this.gitProviders.list();
  }

  @Post()
  create(@Body() body: unknown) {
    return this.gitProviders.create(body);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.gitProviders.get(id);
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.gitProviders.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.gitProviders.remove(id);
  }

  @Post(':id/check')
  @HttpCode(200)
  check(@Param('id') id: string) {
    return this.gitProviders.check(id);
  }
}
