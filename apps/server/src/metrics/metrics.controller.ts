import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { MetricsEndpoint } from './metrics-endpoint';

/** GET /metrics on the main port: its own bearer token, not a login (see MetricsEndpoint). */
@Public()
@Controller()
export class MetricsController {
  constructor(private readonly endpoint: MetricsEndpoint) {}

  @Get('metrics')
  async metrics(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const answer = await this.endpoint.answer('main', request.headers.authorization);
    await reply.status(answer.status).headers(answer.headers).send(answer.body);
  }
}
