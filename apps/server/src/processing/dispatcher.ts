import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ingressStatus, type Identification, type InboundRequest, type MessageTrace, type ProviderDefinition, type ScriptResponse } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { MessageLedger, type NewMessage } from '../messages/message-ledger';
import { QueueSignal } from '../queue/queue-signal';
import { CredentialHeaders } from './credential-headers';
import { httpAnswer, type Answer, type Outcome, type SentAnswer } from './http-answer';
import { Leases } from './leases';
import { MessageProcessor } from './message-processor';
import { messageRow, originTrace, type MessageOrigin } from './message-row';

export type { Answer, SentAnswer } from './http-answer';

export interface DispatchOptions extends MessageOrigin {
  sync: boolean;
}

/**
 * Identifies a request in memory, writes it once with its final ingress status, then either
 * leaves it to the queue (async: 202) or runs its functions while the caller waits (sync).
 * A server that dies before that write has answered nothing, so the sender sends it again.
 */
@Injectable()
export class Dispatcher {
  constructor(
    private readonly processor: MessageProcessor,
    private readonly ledger: MessageLedger,
    private readonly credentials: CredentialHeaders,
    private readonly leases: Leases,
    private readonly queue: QueueSignal,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async dispatch(request: InboundRequest, options: DispatchOptions): Promise<Answer> {
    const id = randomUUID();
    // Scripts see the request as it is stored, credentials redacted, whether they run now or from the queue.
    const stored = await this.credentials.redact(request.headers);
    const found = await this.processor.identify(
      { ...request, headers: stored.headers },
      { signedHeaders: request.headers, isReplay: options.triggeredBy === 'resubmit', trace: originTrace(options) },
    );
    const status = ingressStatus(found, options.sync);
    const outcome = ingressOutcome(found, options.sync);
    const early = outcome && httpAnswer(id, outcome);
    const row = messageRow(id, request, stored, options, {
      status,
      statusReason: statusReasonOf(found),
      httpStatus: early?.status ?? null,
      trace: early ? withAnswer(found.trace, early.status) : found.trace,
      provider: found.provider,
      named: found,
      sync: options.sync,
      ...(status === 'processing' && { lease: { workerId: this.leases.workerId, until: new Date(Date.now() + this.leases.durationMs) } }),
    });
    // Senders retry; a delivery id already accepted runs nothing again. A resubmit is never a duplicate.
    const claims = found.status === 'accepted' && found.deliveryId !== null && options.triggeredBy === 'webhook';
    const accepted = await this.ledger.accept(
      row,
      claims ? { providerId: row.providerId as string, deliveryId: found.deliveryId as string, windowStart: new Date(request.receivedAt.getTime() - this.config.dedupWindowMs) } : undefined,
    );
    if (accepted.duplicateOf !== null) return httpAnswer(id, { kind: 'duplicate', duplicateOf: accepted.duplicateOf });
    if (early) {
      if (status === 'queued') this.queue.notify();
      return early;
    }
    return this.runWhileCallerWaits(accepted.row, found.provider as ProviderDefinition, found);
  }

  private runWhileCallerWaits(message: NewMessage, provider: ProviderDefinition, found: Identification): Promise<Answer> {
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
      const timer = setTimeout(() => answer(httpAnswer(id, { kind: 'still_running', afterMs: this.config.syncTimeoutMs })), this.config.syncTimeoutMs);
      const onRespond = (response: ScriptResponse, fn: { id: string }) => {
        if (answered) return;
        answeredBy = { by: 'function', functionId: fn.id };
        const made = httpAnswer(id, { kind: 'responded', response });
        sent = new Promise<SentAnswer>((resolveSent) => (made.onSent = resolveSent));
        answer(made);
      };
      this.processor
        .runFunctions(message, provider, found.trace, onRespond, found.request)
        .then(async (result) => {
          const final = answered ?? httpAnswer(id, { kind: 'ran', status: result.status, functions: result.trace.functions });
          // A script's answer is recorded as it went out, not as the script made it.
          const delivered = sent === undefined ? undefined : await settleOrGiveUp(sent, this.config.syncTimeoutMs);
          const record = delivered === undefined ? answeredBy : { ...answeredBy, ...delivered };
          // The caller gets this attempt's answer; retries, if any, happen in the background.
          const { unstored } = await this.processor.settle(message, { ...result, trace: withAnswer(result.trace, final.status, record) }, {
            httpStatus: delivered?.status ?? final.status,
          });
          answer(unstored ? httpAnswer(id, { kind: 'broken', reason: unstored }) : final);
        })
        .catch((err: unknown) => {
          this.processor.logFailure(id, err);
          answer(httpAnswer(id, { kind: 'broken' }));
        })
        .finally(() => {
          clearTimeout(timer);
          this.leases.release(id);
        });
    });
  }
}

/** The outcome known before the first write, or null for a sync message whose functions run first. */
function ingressOutcome(found: Identification, sync: boolean): Outcome | null {
  switch (found.status) {
    case 'no_provider':
      return { kind: 'no_provider', sync };
    case 'unauthorized':
      return { kind: 'unauthorized', reason: found.reason ?? 'verification failed' };
    case 'accepted':
      if (found.handshake) return { kind: 'handshake', status: found.handshake.status, body: found.handshake.body };
      return sync ? null : { kind: 'queued' };
  }
}

function statusReasonOf(found: Identification): string | null {
  if (found.status !== 'accepted') return found.reason ?? null;
  return found.handshake ? "the engine answered the sender's endpoint verification" : null;
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
