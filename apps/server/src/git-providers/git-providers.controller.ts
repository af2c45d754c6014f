import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import { GitProvidersService } from './git-providers.service';

@Controller('api/git-providers')
export class GitProvidersController {
  constructor(private readonly gitProviders: GitProvidersService) {}

  @RequiresRole('viewer')
  @Get()
  list() {
    return this.gitProviders.list();
  }

  @RequiresRole('admin')
  @Post()
  create(@Body() body: unknown) {
    return this.gitProviders.create(body);
  }

  @RequiresRole('viewer')
  @Get(':id')
  get(@Param('id') id: string) {
    return this.gitProviders.get(id);
  }

  @RequiresRole('admin')
  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.gitProviders.update(id, body);
  }

  @RequiresRole('admin')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.gitProviders.remove(id);
  }

  @RequiresRole('admin')
  @Post(':id/check')
  @HttpCode(200)
  check(@Param('id') id: string) {
    return this.gitProviders.check(id);
  }
}
