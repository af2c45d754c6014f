import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { FunctionsService } from './functions.service';

@Controller('api/functions')
export class FunctionsController {
  constructor(private readonly functions: FunctionsService) {}

  @Get()
  list(@Query('providerId') providerId?: string, @Query('uri') uri?: string) {
    return this.functions.list({ ...(providerId && { providerId }), ...(uri && { uri }) });
  }

  @Post()
  create(@Body() body: unknown) {
    return this.functions.create(body);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.functions.get(id);
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.functions.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.functions.remove(id);
  }
}
