import { Inject, Injectable } from '@nestjs/common';
import type { InboundRequest, MessageTrace, ProviderDefinition, ResubmitEdit, ScriptRequest, ScriptResponse, TriggeredBy } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import type { MessageEntity } from '../database/entities/message.entity';
import { MessagesRepository } from '../messages/messages.repository';
import { QueueSignal } from '../queue/queue-signal';
import { Leases } from './leases';
import { functionSummary, MessageProcessor, type FunctionsResult } from './message-processor';

/** What the caller gets back. */
export interface Answer {
  messageId: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Told, once the answer has gone out, what the caller actually got. */
  onSent?: (sent: SentAnswer) => void;
}

/** The status line and headers the server wrote, which may differ from the answer made. */
export interface SentAnswer {
  status: number;
  headers: Record<string, string>;
  error?: string;
}

export interface DispatchOptions {
  sync: boolean;
  triggeredBy: TriggeredBy;
  resubmittedFrom?: string;
  edited?: ResubmitEdit;
}

/**
 * Stores a message, identifies its provider, and either queues it (async: 202 at
 * once) or runs its functions while the caller waits (sync: 200, 404 or 500).
 */
@Injectable()
export class Dispatcher {
  constructor(
    private readonly processor: MessageProcessor,
    private readonly messages: MessagesRepository,
    private readonly leases: Leases,
    private readonly queue: QueueSignal,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async dispatch(request: InboundRequest, options: DispatchOptions): Promise<Answer> {
    const message = await this.processor.store(request, options);
    const id = message.id;
    const found = await this.processor.identify(message);
    switch (found.status) {
      case 'no_provider': {
        const status = options.sync ? 404 : 202;
        await this.processor.finish(id, 'no_provider', withAnswer(found.trace, status), { httpStatus: status, statusReason: found.reason });
        return json(id, status, { messageId: id, status: 'no_provider', message: 'No provider matched this request' });
      }
      case 'unauthorized': {
        await this.processor.finish(id, 'unauthorized', withAnswer(found.trace, 401), {
          httpStatus: 401,
          statusReason: found.reason,
          providerId: found.provider?.id ?? null,
          providerName: found.provider?.name ?? null,
        });
        return json(id, 401, { messageId: id, status: 'unauthorized', message: `Verification failed: ${found.reason}` });
      }
      case 'accepted':
        break;
    }
    const provider = found.provider as ProviderDefinition;
    const identified = {
      providerId: provider.id,
      providerName: provider.name,
      eventType: found.eventType,
      event: found.event,
      deliveryId: found.deliveryId,
    };
    // Senders retry; a delivery id already accepted runs nothing again. A resubmit is never a duplicate.
    if (found.deliveryId && options.triggeredBy === 'webhook') {
      const since = new Date(request.receivedAt.getTime() - this.config.dedupWindowMs);
      const earlier = await this.messages.findAcceptedDelivery(provider.id, found.deliveryId, since, id);
      if (earlier) {
        await this.processor.finish(id, 'duplicate', withAnswer({ ...found.trace, duplicateOf: earlier }, 200), {
          ...identified,
          httpStatus: 200,
          statusReason: `delivery ${found.deliveryId} was already accepted as message ${earlier}`,
        });
        return json(id, 200, { messageId: id, status: 'duplicate', duplicateOf: earlier });
      }
    }
    if (found.handshake) {
      await this.processor.finish(id, 'processed', withAnswer(found.trace, found.handshake.status), {
        ...identified,
        httpStatus: found.handshake.status,
        statusReason: 'the engine answered the sender\'s endpoint verification',
      });
      return json(id, found.handshake.status, found.handshake.body);
    }
    if (!options.sync) {
      await this.messages.update(id, { ...identified, status: 'queued', trace: withAnswer(found.trace, 202), httpStatus: 202 });
      this.queue.notify();
      return json(id, 202, { messageId: id, status: 'queued' });
    }
    await this.messages.update(id, {
      ...identified,
      status: 'processing',
      trace: found.trace,
      lockedBy: this.leases.workerId,
      lockedUntil: new Date(Date.now() + this.leases.durationMs),
      attempts: 1,
    });
    return this.runWhileCallerWaits({ ...message, ...identified }, provider, found.trace, found.request);
  }

  private runWhileCallerWaits(message: MessageEntity, provider: ProviderDefinition, trace: MessageTrace, request: ScriptRequest): Promise<Answer> {
    const id = message.id;
    this.leases.hold(id);
    return new Promise<Answer>((resolve) => {
      let answered: Answer | undefined;
      let answeredBy: AnswerSource = { by: 'engine' };
      let sent: Promise<SentAnswer> | undefined;
      const answer = (value: Answer) => {
        if (answered) return;
        answered = value;
        resolve(value);
      };
      const timer = setTimeout(
        () =>
          answer(
            json(id, 202, {
              messageId: id,
              status: 'processing',
              message: `Functions are still running after ${this.config.syncTimeoutMs} ms; they go on, see GET /api/messages/${id}`,
            }),
          ),
        this.config.syncTimeoutMs,
      );
      const onRespond = (response: ScriptResponse, fn: { id: string }) => {
        if (answered) return;
        answeredBy = { by: 'function', functionId: fn.id };
        const made = fromScript(id, response);
        sent = new Promise<SentAnswer>((resolveSent) => (made.onSent = resolveSent));
        answer(made);
      };
      this.processor
        .runFunctions(message, provider, trace, onRespond, request)
        .then(async (result) => {
          const final = answered ?? syncAnswer(id, result);
          // A script's answer is recorded as it went out, not as the script made it.
          const delivered = sent === undefined ? undefined : await settleOrGiveUp(sent, this.config.syncTimeoutMs);
          const record = delivered === undefined ? answeredBy : { ...answeredBy, ...delivered };
          // The caller gets this attempt's answer; retries, if any, happen in the background.
          const { unstored } = await this.processor.settle(message, { ...result, trace: withAnswer(result.trace, final.status, record) }, {
            httpStatus: delivered?.status ?? final.status,
          });
          answer(unstored ? json(id, 500, { messageId: id, status: 'failed', message: `Processing failed: ${unstored}` }) : final);
        })
        .catch((err: unknown) => {
          this.processor.logFailure(id, err);
          answer(json(id, 500, { messageId: id, status: 'failed', message: 'Processing failed; the error is in the server log' }));
        })
        .finally(() => {
          clearTimeout(timer);
          this.leases.release(id);
        });
    });
  }
}

function syncAnswer(id: string, result: FunctionsResult): Answer {
  const functions = result.trace.functions.map(functionSummary);
  switch (result.status) {
    case 'processed':
      return json(id, 200, { messageId: id, status: 'processed', functions });
    case 'no_function':
      return json(id, 404, { messageId: id, status: 'no_function', message: 'No function ran for this message', functions });
    case 'failed':
      return json(id, 500, { messageId: id, status: 'failed', message: 'A function failed', functions });
  }
}

function json(messageId: string, status: number, body: unknown): Answer {
  return { messageId, status, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

function fromScript(messageId: string, response: ScriptResponse): Answer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const body = response.body;
  if (typeof body !== 'string' && body !== undefined && body !== null && !headers['content-type']) {
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  return { messageId, status: response.status, headers, body: body ?? '' };
}

type AnswerSource = { by: 'engine' | 'function'; functionId?: string };

function withAnswer(trace: MessageTrace, status: number, source: AnswerSource & Partial<SentAnswer> = { by: 'engine' }): MessageTrace {
  return { ...trace, answer: { status, at: new Date().toISOString(), ...source } };
}

/** Resolves with the promise's value, or with undefined if it has not settled after `ms`. */
function settleOrGiveUp<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
