import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import { CurrentUsername } from '../auth/current-user.decorator';
import { VersionedController } from '../versions/versioned.controller';
import { VersionsService } from '../versions/versions.service';
import { FunctionsService } from './functions.service';

@Controller('api/functions')
export class FunctionsController extends VersionedController {
  constructor(
    private readonly functions: FunctionsService,
    versions: VersionsService,
  ) {
    super(versions, { kind: 'function', get: (id) => functions.get(id), update: (id, body, by) => functions.update(id, body, by) });
  }

  @RequiresRole('viewer')
  @Get()
  list(@Query('providerId') providerId?: string, @Query('uri') uri?: string) {
    return this.functions.list({ ...(providerId && { providerId }), ...(uri && { uri }) });
  }

  @RequiresRole('editor')
  @Post()
  create(@Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.functions.create(body, { author });
  }

  @RequiresRole('viewer')
  @Get(':id')
  get(@Param('id') id: string) {
    return this.functions.get(id);
  }

  @RequiresRole('editor')
  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.functions.update(id, body, { author });
  }

  @RequiresRole('editor')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.functions.remove(id);
  }
}
