import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import { CurrentUsername } from '../auth/current-user.decorator';
import type { VersionedTarget, VersionsService } from './versions.service';

/** The version routes a provider and a function share, under the subclass's `@Controller` path. */
export abstract class VersionedController {
  protected constructor(
    private readonly versions: VersionsService,
    private readonly target: VersionedTarget,
  ) {}

  @RequiresRole('viewer')
  @Get(':id/versions')
  versionsOf(@Param('id') id: string, @Query() query: Record<string, string | undefined>) {
    return this.versions.listOf(this.target, id, query);
  }

  @RequiresRole('viewer')
  @Get(':id/versions/:version')
  version(@Param('id') id: string, @Param('version') version: string) {
    return this.versions.getOf(this.target, id, version);
  }

  @RequiresRole('editor')
  @Post(':id/versions/:version/restore')
  @HttpCode(200)
  restore(@Param('id') id: string, @Param('version') version: string, @Body() body: unknown, @CurrentUsername() author: string | null) {
    return this.versions.restore(this.target, id, version, body, author);
  }
}
