import { All, Controller, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeUri } from '../../../../libs/engine/src';
import { Public } from '../auth/public.decorator';
import { Dispatcher, type Answer, type SentAnswer } from '../processing/dispatcher';
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
    const inbound = toInboundRequest(request, uri);
    const forcedBy = isTrue(request.headers[SYNC_HEADER]) ? 'header' : isTrue(inbound.query[SYNC_HEADER]) ? 'query' : undefined;
    const answer = await this.dispatcher.dispatch(inbound, { sync: forcedBy !== undefined, triggeredBy: 'webhook', ...(forcedBy && { forcedBy }) });
    await sendAnswer(reply, answer);
  }
}

/** Sends the answer, then tells `answer.onSent` what actually went out. */
export async function sendAnswer(reply: FastifyReply, answer: Answer): Promise<void> {
  let failure: string | undefined;
  try {
    reply.status(answer.status).headers(answer.headers).header('x-hookline-message-id', answer.messageId);
    const body = answer.body;
    await reply.send(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    answer.onSent?.(whatWasSent(reply, failure));
  }
}

function whatWasSent(reply: FastifyReply, failure: string | undefined): SentAnswer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const sent: SentAnswer = { status: reply.raw.statusCode, headers };
  if (!reply.raw.headersSent) sent.error = `the answer was not sent: ${failure ?? 'the connection closed first'}`;
  else if (failure !== undefined) sent.error = failure;
  return sent;
}

/** `true` in any case; a repeated header or query parameter counts when its first value does. */
function isTrue(value: string | string[] | undefined): boolean {
  const first = Array.isArray(value) ? value[0] : value;
  return String(first ?? '').trim().toLowerCase() === 'true';
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
