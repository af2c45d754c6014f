import { All, Controller, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeUri } from '../../../../libs/engine/src';
import { Public } from '../auth/public.decorator';
import { Dispatcher, type Answer } from '../processing/dispatcher';
import { toInboundRequest } from './inbound-request';

export const SYNC_HEADER = 'flex-sync-webhook';

/** Any method on /webhooks/<uri>: stored, matched, verified, then queued or run while the caller waits. */
@Public()
@Controller('webhooks')
export class IngressController {
  constructor(private readonly dispatcher: Dispatcher) {}

  @All('*')
  async receive(@Param('*') rest: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const uri = normalizeUri(safeDecode(rest ?? ''));
    if (uri === '') {
      await reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'Send webhooks to /webhooks/<uri>, e.g. /webhooks/git/push' });
      return;
    }
    const sync = String(request.headers[SYNC_HEADER] ?? '').toLowerCase() === 'true';
    const answer = await this.dispatcher.dispatch(toInboundRequest(request, uri), { sync, triggeredBy: 'webhook' });
    await sendAnswer(reply, answer);
  }
}

export async function sendAnswer(reply: FastifyReply, answer: Answer): Promise<void> {
  reply.status(answer.status).headers(answer.headers).header('x-hookline-message-id', answer.messageId);
  const body = answer.body;
  await reply.send(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
