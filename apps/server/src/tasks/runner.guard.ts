import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../common/errors';
import type { AuthenticatedUser } from '../auth/auth.service';
import { ACCEPTS_RUNNER } from '../auth/runner-or-admin.decorator';
import type { RunnerEntity } from '../database/entities/runner.entity';
import { RunnersService } from './runners.service';

export type RunnerRequest = FastifyRequest & { runner?: RunnerEntity; user?: AuthenticatedUser };

/**
 * Task routes take a runner token (POST /api/runners), not an admin login. On a route marked
 * @AcceptsRunner an admin the admin guard already let in passes too.
 */
@Injectable()
export class RunnerGuard implements CanActivate {
  constructor(
    private readonly runners: RunnersService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RunnerRequest>();
    if (request.user && this.reflector.getAllAndOverride<boolean>(ACCEPTS_RUNNER, [context.getHandler(), context.getClass()])) return true;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthenticatedError('Send the runner token as Authorization: Bearer <token> (from POST /api/runners)');
    const runner = await this.runners.authenticate(match[1]);
    if (!runner) throw new UnauthenticatedError('The runner token is unknown or was revoked');
    request.runner = runner;
    return true;
  }
}
