import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../common/errors';
import type { RunnerEntity } from '../database/entities/runner.entity';
import { RunnersService } from './runners.service';

export type RunnerRequest = FastifyRequest & { runner?: RunnerEntity };

/** Task routes take a runner token (POST /api/runners), not an admin login. */
@Injectable()
export class RunnerGuard implements CanActivate {
  constructor(private readonly runners: RunnersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RunnerRequest>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthenticatedError('Send the runner token as Authorization: Bearer <token> (from POST /api/runners)');
    const runner = await this.runners.authenticate(match[1]);
    if (!runner) throw new UnauthenticatedError('The runner token is unknown or was revoked');
    request.runner = runner;
    return true;
  }
}
