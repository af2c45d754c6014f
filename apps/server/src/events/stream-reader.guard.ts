import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service';
import { requestToken } from '../auth/auth.guard';
import { UnauthenticatedError } from '../common/errors';
import { RunnersService } from '../tasks/runners.service';
import type { StreamReader } from './event-frames';

export type StreamRequest = FastifyRequest & { streamReader?: StreamReader };

/**
 * The event stream takes a runner token or an admin login (Bearer session token or the
 * console's cookie). A bearer token is looked up as a runner's first; both lookups go by hash.
 */
@Injectable()
export class StreamReaderGuard implements CanActivate {
  constructor(
    private readonly runners: RunnersService,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<StreamRequest>();
    const token = requestToken(request);
    if (!token) throw new UnauthenticatedError('Send a runner token (Authorization: Bearer <token> from POST /api/runners) or an admin login (Bearer token from POST /api/auth/login)');
    const isBearer = /^Bearer\s+\S+$/i.test(request.headers.authorization ?? '');
    const runner = isBearer ? await this.runners.authenticate(token) : null;
    if (runner) {
      request.streamReader = { kind: 'runner', runnerId: runner.id, name: runner.name, providerIds: runner.providerIds };
      return true;
    }
    if (!(await this.auth.authenticate(token))) throw new UnauthenticatedError('The token is neither a runner token nor a valid admin login; it may have been revoked or expired');
    request.streamReader = { kind: 'admin' };
    return true;
  }
}
