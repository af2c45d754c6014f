import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import { CurrentUsername } from '../auth/current-user.decorator';
import { VersionedController } from '../versions/versioned.controller';
import { VersionsService } from '../versions/versions.service';
import { ProviderOrderVersionsService } from './provider-order-versions.service';
import { ProvidersService } from './providers.service';

@Controller('api/providers')
export class ProvidersController extends VersionedController {
  constructor(
    private readonly providers: ProvidersService,
    private readonly orderVersions: ProviderOrderVersionsService,
    versions: VersionsService,
  ) {
    super(versions, { kind: 'provider', get: (id) => providers.get(id), update: (id, body, by) => providers.update(id, body, by) });
  }

  @RequiresRole('viewer')
  @Get()
  list() {
    return this.providers.list();
  }

  @RequiresRole('editor')
  @Post()
  create(@Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.providers.create(body, { author });
  }

  @RequiresRole('editor')
  @Post('descriptor-preview')
  @HttpCode(200)
  previewDescriptor(@Body() body: unknown) {
    return this.providers.previewDescriptor(body);
  }

  // The order routes are declared before ':id' so that "order" is not taken for an id.
  @RequiresRole('editor')
  @Put('order')
  reorder(@Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.providers.reorder(body, { author });
  }

  @RequiresRole('viewer')
  @Get('order/versions')
  orderVersionList(@Query() query: Record<string, string | undefined>) {
    return this.orderVersions.list(query);
  }

  @RequiresRole('viewer')
  @Get('order/versions/:version')
  orderVersion(@Param('version') version: string) {
    return this.orderVersions.get(version);
  }

  @RequiresRole('editor')
  @Post('order/versions/:version/restore')
  @HttpCode(200)
  restoreOrder(@Param('version') version: string, @Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.orderVersions.restore(version, body, author);
  }

  @RequiresRole('viewer')
  @Get(':id')
  get(@Param('id') id: string) {
    return this.providers.get(id);
  }

  @RequiresRole('editor')
  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.providers.update(id, body, { author });
  }

  /** Restores a built-in provider's shipped script and verification preset, as a new version. */
  @RequiresRole('editor')
  @Post(':id/reset')
  @HttpCode(200)
  reset(@Param('id') id: string, @Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.providers.reset(id, body, author);
  }

  @RequiresRole('editor')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.providers.remove(id);
  }
}
