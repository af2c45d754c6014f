import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { validate } from '../common/validate';
import { requestToken, type AuthenticatedRequest } from './auth.guard';
import { AuthService } from './auth.service';
import { Public } from './public.decorator';
import { RequiresRole } from './requires-role.decorator';
import { sessionCookie } from './session-cookie';
import type { LoginView, MeView, SessionView } from './auth-view';

export const LoginInput = z.strictObject({
  username: z.string({ error: 'is required' }).min(1, 'is required'),
  password: z.string({ error: 'is required' }).min(1, 'is required'),
});

export const PasswordInput = z.strictObject({
  currentPassword: z.string({ error: 'is required' }).min(1, 'is required'),
  newPassword: z.string({ error: 'is required' }).min(8, 'must be at least 8 characters').max(1024, 'must be at most 1024 characters'),
});

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginView> {
    const input = validate(LoginInput, body);
    const session = await this.auth.login(input.username, input.password, request.ip);
    const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    reply.header('set-cookie', sessionCookie(session.token, maxAge, this.config.cookieSecure));
    return { token: session.token, user: session.user, expiresAt: session.expiresAt.toISOString() };
  }

  @RequiresRole('viewer')
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    if (request.sessionToken) await this.auth.logout(request.sessionToken);
    reply.header('set-cookie', sessionCookie('', 0, this.config.cookieSecure));
  }

  @RequiresRole('viewer')
  @Post('password')
  @HttpCode(204)
  async changePassword(@Body() body: unknown, @Req() request: AuthenticatedRequest): Promise<void> {
    const input = validate(PasswordInput, body);
    await this.auth.changePassword(request.user!, request.sessionToken!, input.currentPassword, input.newPassword);
  }

  /**
   * Whether the request carries a live session, answered 200 either way: the console asks it
   * on load, and a 401 there would be an error in the browser's console for a normal visit.
   */
  @Public()
  @Get('session')
  async session(@Req() request: AuthenticatedRequest): Promise<SessionView> {
    const token = requestToken(request);
    return { user: token ? await this.auth.authenticate(token) : null };
  }

  @RequiresRole('viewer')
  @Get('me')
  me(@Req() request: AuthenticatedRequest): MeView {
    return { user: request.user! };
  }
}
