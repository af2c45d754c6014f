import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ProvidersService } from './providers.service';

@Controller('api/providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Get()
  list() {
    return this.providers.list();
  }

  @Post()
  create(@Body() body: unknown) {
    return this.providers.create(body);
  }

  // Declared before ':id' so that "order" is not taken for an id.
  @Put('order')
  reorder(@Body() body: unknown) {
    return this.providers.reorder(body);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.providers.get(id);
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.providers.update(id, body);
  }

  /** Restores a built-in provider's shipped script and verification preset. */
  @Post(':id/reset')
  @HttpCode(200)
  reset(@Param('id') id: string) {
    return this.providers.reset(id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.providers.remove(id);
  }
}
