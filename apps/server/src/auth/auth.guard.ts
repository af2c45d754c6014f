import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { LoginRequiredError, RoleRequiredError, UnauthenticatedError } from '../common/errors';
import { AuthService, type AuthenticatedUser } from './auth.service';
import { checkCookieWrite } from './console-request';
import { IS_LOGIN_PAGE } from './login-page.decorator';
import { IS_PUBLIC } from './public.decorator';
import { ACCEPTS_RUNNER, RUNNER_TOKEN_PREFIX } from './runner-or-admin.decorator';
import { REQUIRED_ROLE } from './requires-role.decorator';
import { hasRole, type Role } from './roles';
import { readCookie, SESSION_COOKIE } from './session-cookie';

export type AuthenticatedRequest = FastifyRequest & { user?: AuthenticatedUser; sessionToken?: string };

/**
 * Every route needs a valid token (Bearer session or personal token, or the session cookie)
 * unless marked @Public, and the role its @RequiresRole names (admin when it names none); a write
 * by cookie also needs the console's header (see console-request.ts). A route marked
 * @AcceptsRunner leaves a runner token to its own RunnerGuard.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = bearerToken(request.headers.authorization);
    // A runner token on a route that takes one: the route's runner guard authenticates it.
    if (bearer?.startsWith(RUNNER_TOKEN_PREFIX) && this.reflector.getAllAndOverride<boolean>(ACCEPTS_RUNNER, [context.getHandler(), context.getClass()])) return true;
    const token = requestToken(request);
    const identity = token ? await this.auth.identify(token) : { refusal: 'Log in first: send Authorization: Bearer <token> from POST /api/auth/login' };
    if ('refusal' in identity) {
      // A browser opening a page (no Authorization header: no session, or a cookie whose session ended) goes to the login instead.
      const isLoginPage = this.reflector.getAllAndOverride<boolean>(IS_LOGIN_PAGE, [context.getHandler(), context.getClass()]);
      if (isLoginPage && request.headers.authorization === undefined && acceptsHtml(request.headers.accept)) throw new LoginRequiredError(identity.refusal, request.url);
      throw new UnauthenticatedError(identity.refusal);
    }
    if (bearer === undefined) checkCookieWrite(request.method, request.headers);
    const needed = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]) ?? 'admin';
    if (!hasRole(identity.user.role, needed)) throw new RoleRequiredError(needed, identity.user.role);
    request.user = identity.user;
    request.sessionToken = token;
    return true;
  }
}

/** The credential a request carries: its bearer token, else its session cookie. */
export function requestToken(request: FastifyRequest): string | undefined {
  return bearerToken(request.headers.authorization) ?? readCookie(request.headers.cookie, SESSION_COOKIE);
}

/** Whether the request is a browser's navigation (which asks for text/html), not an API client's call. */
function acceptsHtml(header: string | undefined): boolean {
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(header ?? '');
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
