import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { PersonalTokensService } from '../auth/personal-tokens.service';
import { RequiresRole } from '../auth/requires-role.decorator';
import { ForbiddenError } from '../common/errors';
import { UsersService } from './users.service';

/** The caller's own personal tokens: any role may keep tokens, which act with that same role. */
@RequiresRole('viewer')
@Controller('api/users/me/tokens')
export class MyTokensController {
  constructor(private readonly tokens: PersonalTokensService) {}

  @Get()
  list(@Req() request: AuthenticatedRequest) {
    return this.tokens.list(request.user!.id);
  }

  /**
   * Answers the token once; only its hash is kept. Only a login may create one, so that a leaked
   * token cannot mint others that outlive its revocation.
   */
  @Post()
  create(@Req() request: AuthenticatedRequest, @Body() body: unknown) {
    if (request.user!.tokenId) throw new ForbiddenError('A personal token cannot create personal tokens; log in with your password (or use the Account page) to create one');
    return this.tokens.create(request.user!.id, body);
  }

  @Delete(':tokenId')
  @HttpCode(204)
  async revoke(@Req() request: AuthenticatedRequest, @Param('tokenId') tokenId: string): Promise<void> {
    await this.tokens.revoke(request.user!.id, tokenId);
  }
}

/** Users, their roles and anyone's tokens: admins only (no @RequiresRole). */
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: PersonalTokensService,
  ) {}

  @Get()
  list() {
    return this.users.list();
  }

  @Post()
  create(@Body() body: unknown) {
    return this.users.create(body);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.users.get(id);
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.users.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.users.remove(id);
  }

  @Get(':id/tokens')
  async listTokens(@Param('id') id: string) {
    await this.users.get(id);
    return this.tokens.list(id);
  }

  @Delete(':id/tokens/:tokenId')
  @HttpCode(204)
  async revokeToken(@Param('id') id: string, @Param('tokenId') tokenId: string): Promise<void> {
    await this.tokens.revoke(id, tokenId);
  }
}
