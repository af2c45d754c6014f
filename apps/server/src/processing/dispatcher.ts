import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { decideAnswerMode, ingressStatus, type AnswerRecord, type DecidedMode, type FixedAnswer, type Identification, type InboundRequest, type MessageTrace, type ProviderDefinition, type ScriptResponse } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { MessageLedger, type NewMessage } from '../messages/message-ledger';
import { LocalQueue } from '../queue/local-queue';
import { SHUTDOWN_GRACE_MS } from '../queue/work-loop';
import { CredentialHeaders } from './credential-headers';
import { httpAnswer, type Answer, type Outcome, type SentAnswer } from './http-answer';
import { Leases } from './leases';
import { MessageProcessor } from './message-processor';
import { messageRow, originTrace, type MessageOrigin } from './message-row';
import { Catalog } from './catalog';
import { RespondWaiters, settleOrGiveUp } from './respond-waiters';

export type { Answer, SentAnswer } from './http-answer';

export interface DispatchOptions extends MessageOrigin {
  sync: boolean;
  /** For a webhook: how its sender forced sync, if it did. */
  forcedBy?: 'header' | 'query';
}

/**
 * Identifies a request in memory, writes it once with its final ingress status, then either
 * leaves it to the queue (async: 202) or runs its functions while the caller waits (sync).
 * A server that dies before that write has answered nothing, so the sender sends it again.
 */
@Injectable()
export class Dispatcher implements OnApplicationShutdown {
  /** Sync runs still going: the caller may have its answer (a respond(), a timeout) while the functions and the last write go on. */
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly processor: MessageProcessor,
    private readonly ledger: MessageLedger,
    private readonly credentials: CredentialHeaders,
    private readonly leases: Leases,
    private readonly catalog: Catalog,
    private readonly waiters: RespondWaiters,
    private readonly local: LocalQueue,
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
    const answering = await this.answeringOf(found, request.uri, options);
    const sync = answering?.mode === 'sync' || options.sync;
    const ingress = ingressStatus(found, sync);
    // An async message goes to this process's own workers, waiting for room if need be (LocalQueue).
    // A caller in respond mode waits no longer for a place than it would for respond().
    const place = ingress === 'queued' ? await this.local.reserve(answering?.mode === 'respond' ? answering.timeoutMs : undefined) : null;
    const handOver = place?.isHeld === true;
    const queueWaitMs = place?.waitedMs ?? 0;
    const trace = queueWaitMs > 0 ? { ...found.trace, queueWaitMs } : found.trace;
    const status = handOver ? 'processing' : ingress;
    const outcome = ingressOutcome(found, sync, answering);
    const early = outcome && httpAnswer(id, outcome);
    const row = messageRow(id, request, stored, options, {
      status,
      statusReason: statusReasonOf(found),
      httpStatus: early?.status ?? null,
      trace: early ? withAnswer(trace, early.status, { by: 'engine', ...modeRecord(answering) }) : trace,
      provider: found.provider,
      named: found,
      sync,
      ...(status === 'processing' && { lease: { workerId: this.leases.workerId, until: new Date(Date.now() + this.leases.durationMs) } }),
    });
    // Waiting before the write: the local worker may claim the message the moment it commits.
    // The respond timeout counts from the request's arrival, as the sender's own deadline does.
    const respondWithinMs = answering ? Math.max(0, answering.timeoutMs - (Date.now() - request.receivedAt.getTime())) : 0;
    const responded = answering?.mode === 'respond' && ingress === 'queued' ? this.waiters.wait(id, respondWithinMs, () => early as Answer) : null;
    // Senders retry; a delivery id already accepted runs nothing again. A resubmit is never a duplicate.
    const claims = found.status === 'accepted' && found.deliveryId !== null && options.triggeredBy === 'webhook';
    let accepted;
    try {
      accepted = await this.ledger.accept(
        row,
        claims ? { providerId: row.providerId as string, deliveryId: found.deliveryId as string, windowMs: this.config.dedupWindowMs } : undefined,
      );
    } catch (error) {
      this.waiters.cancel(id);
      if (handOver) this.local.cancel();
      throw error;
    }
    if (accepted.duplicateOf !== null) {
      this.waiters.cancel(id);
      if (handOver) this.local.cancel();
      return httpAnswer(id, { kind: 'duplicate', duplicateOf: accepted.duplicateOf });
    }
    if (handOver) {
      this.local.push({ message: accepted.row, parsed: found.request });
      return responded ?? (early as Answer);
    }
    // A queued message wakes the workers through the database's notification (hookline_queue).
    if (early) return responded ?? early;
    return this.runWhileCallerWaits(accepted.row, found.provider as ProviderDefinition, found, answering);
  }

  /**
   * How an accepted webhook is answered: the sender's forced sync, else the provider's mode and
   * its functions' overrides (see decideAnswerMode). Null for what has no choice to make (no
   * provider, failed verification, a handshake) and for messages an admin resubmits, which
   * answer as they ask (sync or not).
   */
  private async answeringOf(found: Identification, uri: string, options: DispatchOptions): Promise<Answering | null> {
    if (found.status !== 'accepted' || found.handshake || options.triggeredBy !== 'webhook' || !found.provider) return null;
    const provider = await this.catalog.provider(found.provider.id);
    if (!provider) return null;
    const functions = await this.catalog.runnableFunctions(provider.row.id, uri);
    const decided = decideAnswerMode({
      providerMode: provider.row.answerMode,
      functions: functions.map(({ row }) => ({ id: row.id, answerMode: row.answerMode })),
      forced: options.forcedBy ?? (options.sync ? 'header' : null),
    });
    return {
      ...decided,
      timeoutMs: Math.min(provider.row.respondTimeoutMs, this.config.syncTimeoutMs),
      // Also what respond mode answers when no respond() comes in time.
      fixedAnswer: decided.mode !== 'sync' ? provider.row.fixedAnswer : null,
    };
  }

  private runWhileCallerWaits(message: NewMessage, provider: ProviderDefinition, found: Identification, answering: Answering | null): Promise<Answer> {
    const id = message.id;
    this.leases.hold(id);
    return new Promise<Answer>((resolve) => {
      let answered: Answer | undefined;
      let answeredBy: AnswerSource = { by: 'engine', ...modeRecord(answering) };
      let sent: Promise<SentAnswer> | undefined;
      const answer = (value: Answer) => {
        if (answered) return;
        answered = value;
        resolve(value);
      };
      const timer = setTimeout(() => answer(httpAnswer(id, { kind: 'still_running', afterMs: this.config.syncTimeoutMs })), this.config.syncTimeoutMs);
      const onRespond = (response: ScriptResponse, fn: { id: string }) => {
        if (answered) return;
        answeredBy = { ...answeredBy, by: 'function', functionId: fn.id };
        const made = httpAnswer(id, { kind: 'responded', response });
        sent = new Promise<SentAnswer>((resolveSent) => (made.onSent = resolveSent));
        answer(made);
      };
      const run = this.processor
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
          this.running.delete(run);
        });
      this.running.add(run);
    });
  }

  /** Lets the sync runs in progress record their end before the database closes (up to SHUTDOWN_GRACE_MS). */
  async onApplicationShutdown(): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.allSettled([...this.running]), graceOver]);
    clearTimeout(timer);
  }
}

/** How a webhook is answered, as decided before its first write. */
interface Answering extends DecidedMode {
  /** In respond mode: how long the caller waits for the first respond(). */
  timeoutMs: number;
  /** In async mode, and in respond mode when no respond() comes in time: the provider's own answer, if it has one. */
  fixedAnswer: FixedAnswer | null;
}

/** The outcome known before the first write (in respond mode, the one given if no respond() comes), or null for a sync message whose functions run first. */
function ingressOutcome(found: Identification, sync: boolean, answering: Answering | null): Outcome | null {
  switch (found.status) {
    case 'no_provider':
      return { kind: 'no_provider', sync };
    case 'unauthorized':
      return { kind: 'unauthorized', reason: found.reason ?? 'verification failed' };
    case 'accepted':
      if (found.handshake) return { kind: 'handshake', status: found.handshake.status, body: found.handshake.body };
      if (sync) return null;
      return answering?.fixedAnswer ? { kind: 'fixed', answer: answering.fixedAnswer } : { kind: 'queued' };
  }
}

function statusReasonOf(found: Identification): string | null {
  if (found.status !== 'accepted') return found.reason ?? null;
  return found.handshake ? "the engine answered the sender's endpoint verification" : null;
}

type AnswerSource = Omit<AnswerRecord, 'status' | 'at'>;

/** What the trace keeps of how the answer mode was decided. */
function modeRecord(answering: Answering | null): Partial<AnswerRecord> {
  if (!answering) return {};
  return {
    mode: answering.mode,
    modeSource: answering.source,
    ...(answering.functionId !== undefined && { modeFunctionId: answering.functionId }),
    ...(answering.fixedAnswer && { fixed: true }),
    ...(answering.mode === 'respond' && { respondTimeoutMs: answering.timeoutMs }),
  };
}

function withAnswer(trace: MessageTrace, status: number, source: AnswerSource & Partial<SentAnswer> = { by: 'engine' }): MessageTrace {
  return { ...trace, answer: { status, at: new Date().toISOString(), ...source } };
}
