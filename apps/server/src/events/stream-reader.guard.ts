import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthService, type AuthenticatedUser } from '../auth/auth.service';
import { requestToken } from '../auth/auth.guard';
import { UnauthenticatedError } from '../common/errors';
import { RunnersService } from '../tasks/runners.service';
import type { StreamReader } from './event-frames';

export type StreamRequest = FastifyRequest & { streamReader?: StreamReader; user?: AuthenticatedUser };

/**
 * The event stream takes a runner token or a login of any role (Bearer session or personal
 * token, or the console's cookie). A bearer token is looked up as a runner's first; both lookups go by hash.
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
    if (!token) throw new UnauthenticatedError('Send a runner token (Authorization: Bearer <token> from POST /api/runners) or a login (Bearer token from POST /api/auth/login, or a personal token)');
    const isBearer = /^Bearer\s+\S+$/i.test(request.headers.authorization ?? '');
    const runner = isBearer ? await this.runners.authenticate(token) : null;
    if (runner) {
      request.streamReader = { kind: 'runner', runnerId: runner.id, name: runner.name, providerIds: runner.providerIds };
      return true;
    }
    // Any role may read the stream: it carries nothing a viewer may not see.
    const identity = await this.auth.identify(token);
    if ('refusal' in identity) throw new UnauthenticatedError(`The token is neither a runner token nor a valid login. ${identity.refusal}`);
    request.user = identity.user;
    request.streamReader = { kind: 'admin' };
    return true;
  }
}
