import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from './auth/public.decorator';
import { ReadinessChecks } from './readiness';
import type { HealthView, ReadinessView } from './health-view';

/** Probes for load balancers and orchestrators: no login, fixed answers, cheap. */
@Public()
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessChecks) {}

  /** The process is up and answering HTTP. */
  @Get('health')
  health(): HealthView {
    return { status: 'ok' };
  }

  /** The process can do its work, for its roles: 200 when it can, 503 with the failing checks when not. */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const { ready, roles, checks } = await this.readiness.check();
    const answer: ReadinessView = { status: ready ? 'ready' : 'not ready', roles: [...roles], checks };
    await reply
      .status(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(answer);
  }
}
