import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
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

  @Get()
  list() {
    return this.providers.list();
  }

  @Post()
  create(@Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.providers.create(body, { author });
  }

  @Post('descriptor-preview')
  @HttpCode(200)
  previewDescriptor(@Body() body: unknown) {
    return this.providers.previewDescriptor(body);
  }

  // The order routes are declared before ':id' so that "order" is not taken for an id.
  @Put('order')
  reorder(@Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.providers.reorder(body, { author });
  }

  @Get('order/versions')
  orderVersionList(@Query() query: Record<string, string | undefined>) {
    return this.orderVersions.list(query);
  }

  @Get('order/versions/:version')
  orderVersion(@Param('version') version: string) {
    return this.orderVersions.get(version);
  }

  @Post('order/versions/:version/restore')
  @HttpCode(200)
  restoreOrder(@Param('version') version: string, @Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.orderVersions.restore(version, body, author);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.providers.get(id);
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.providers.update(id, body, { author });
  }

  /** Restores a built-in provider's shipped script and verification preset, as a new version. */
  @Post(':id/reset')
  @HttpCode(200)
  reset(@Param('id') id: string, @Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.providers.reset(id, body, author);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.providers.remove(id);
  }
}
