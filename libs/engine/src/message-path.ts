import { decideAnswerMode, type AnswerMode, type DecidedMode, type FixedAnswer } from './answer-mode';
import { httpAnswer, type Answer, type Outcome, type SentAnswer } from './http-answer';
import { ingressStatus, type Identification, type NamedEvent } from './identify';
import type { AnswerRecord, MessageStatus, MessageTrace, TriggeredBy } from './message';
import type { FunctionDefinition, ProviderDefinition } from './ports';
import { settleOrGiveUp, type RespondWaiters, type TakenResponse } from './respond-waiters';
import type { RetryPolicy } from './retry-policy';
import type { ScriptRequest, ScriptResponse } from './script-types';

/** The status a message is first written with. */
export type IngressStatus = ReturnType<typeof ingressStatus>;

/** A message's first and only write at ingress: everything decided about it in memory. */
export interface FirstWrite {
  id: string;
  status: IngressStatus;
  statusReason: string | null;
  /** The status its caller is answered with, when known before the write. */
  httpStatus: number | null;
  trace: MessageTrace;
  provider: ProviderDefinition | null;
  named: NamedEvent;
  sync: boolean;
  /** Written `processing` under this process's lease: a sync run, or a message handed to this process's workers. */
  isLeased: boolean;
  /** The sender's delivery id, claimed with the write; one claimed already makes this message a duplicate of that one. */
  claim?: { providerId: string; deliveryId: string };
}

/** The outcome of one attempt at a message's functions. */
export interface FunctionsResult {
  status: Extract<MessageStatus, 'processed' | 'no_function' | 'failed'>;
  /** Every attempt's function records, this attempt's last. */
  trace: MessageTrace;
  /** The retry policies of the functions that ran in this attempt. */
  policies: Map<string, RetryPolicy>;
}

/** How an attempt ended: done, or queued again for a retry at `nextAttemptAt`; `unstored` says why the result could not be stored. */
export interface Settled {
  status: MessageStatus;
  nextAttemptAt?: Date;
  unstored?: string;
}

/** What the functions of a message need from the world: the sandbox run and the write that ends the attempt. */
export interface FunctionSteps<M> {
  runFunctions(message: M, provider: ProviderDefinition, trace: MessageTrace, onRespond?: RespondHook, parsed?: ScriptRequest): Promise<FunctionsResult>;
  settle(message: M, result: FunctionsResult, changes?: { httpStatus: number }): Promise<Settled>;
}

/** Called with each respond() of a function; says whether a caller took it. */
export type RespondHook = (response: ScriptResponse, fn: Pick<FunctionDefinition, 'id'>) => boolean | void;

/** A provider's answer settings, with the answer-mode overrides of its functions registered for the message's uri. */
export interface AnswerSettings {
  providerMode: AnswerMode;
  functions: ReadonlyArray<{ id: string; answerMode: AnswerMode | null }>;
  respondTimeoutMs: number;
  fixedAnswer: FixedAnswer | null;
}

/** A place among the messages this process's workers hold, reserved before the write. */
export interface Place {
  isHeld: boolean;
  /** How long the reservation waited; 0 when a place was free at once. */
  waitedMs: number;
}

/** The messages accepted for this process's own workers (see the server's LocalQueue). */
export interface LocalWork<M> {
  /**
   * Waits for a place up to the backlog wait, or `maxWaitMs` if shorter. `mustRunHere` is set for
   * a respond-mode message: its functions' respond() reaches the waiting caller only in this
   * process, so a process that leaves async messages to other servers still takes this one.
   */
  reserve(maxWaitMs: number | undefined, mustRunHere: boolean): Promise<Place>;
  /** Gives back a place for a message that was not handed over after all. */
  cancel(): void;
  handOver(message: M, parsed: ScriptRequest): void;
}

export interface LeaseHolder {
  hold(id: string): void;
  release(id: string): void;
}

/** What accepting one webhook needs from the world. `identify` and `write` are bound to the request at hand. */
export interface WebhookPorts<M> {
  identify(): Promise<Identification>;
  /** Null once the provider is gone. */
  answerSettings(provider: ProviderDefinition, uri: string): Promise<AnswerSettings | null>;
  write(first: FirstWrite): Promise<{ message: M; duplicateOf: string | null }>;
  local: LocalWork<M>;
  waiters: RespondWaiters;
  leases: LeaseHolder;
  functions: FunctionSteps<M>;
  logFailure(id: string, err: unknown): void;
  /** How long a sync caller waits for the functions. */
  syncTimeoutMs: number;
  /** Told of each sync run, which may go on after its caller was answered, so that a stopping server can wait for it. */
  track(run: Promise<void>): void;
}

export interface WebhookInput {
  id: string;
  uri: string;
  receivedAt: Date;
  triggeredBy: TriggeredBy;
  /** Asked for sync: the sender forced it (`forcedBy`), or an admin's resubmit waits for its result. */
  sync: boolean;
  forcedBy?: 'header' | 'query';
}

/** What the caller is answered, and the message's trace as last written when it was. */
export interface Answered {
  answer: Answer;
  trace: MessageTrace;
}

/** A webhook's answer, with how its caller was answered: the decided mode, else sync when asked for, else async. */
export interface Accepted extends Answered {
  mode: AnswerMode;
}

/**
 * A message's path from arrival to its caller's answer. It is identified in memory, then
 * written once with its final ingress status. An async message goes to this process's own
 * workers, or to the shared queue when they are full. A sync message has its functions run while
 * the caller waits. A process that dies before the write has answered nothing, so the sender
 * sends again.
 */
export async function acceptWebhook<M>(ports: WebhookPorts<M>, input: WebhookInput): Promise<Accepted> {
  const { id } = input;
  const found = await ports.identify();
  const answering = await answeringOf(ports, found, input);
  const sync = answering?.mode === 'sync' || input.sync;
  const mode: AnswerMode = sync ? 'sync' : (answering?.mode ?? 'async');
  const ingress = ingressStatus(found, sync);
  // A caller in respond mode waits no longer for a place than it would for respond().
  const isRespond = answering?.mode === 'respond';
  const place = ingress === 'queued' ? await ports.local.reserve(isRespond ? answering.timeoutMs : undefined, isRespond) : null;
  const isHandedOver = place?.isHeld === true;
  const queueWaitMs = place?.waitedMs ?? 0;
  const trace = queueWaitMs > 0 ? { ...found.trace, queueWaitMs } : found.trace;
  const outcome = ingressOutcome(found, sync, answering);
  const early = outcome && httpAnswer(id, outcome);
  const status = isHandedOver ? 'processing' : ingress;
  // Senders retry; a delivery id already accepted runs nothing again. A resubmit is never a duplicate.
  const claims = found.status === 'accepted' && found.provider !== null && found.deliveryId !== null && input.triggeredBy === 'webhook';
  const first: FirstWrite = {
    id,
    status,
    statusReason: statusReasonOf(found),
    httpStatus: early?.status ?? null,
    trace: early ? withAnswer(trace, early.status, { by: 'engine', ...modeRecord(answering) }) : trace,
    provider: found.provider,
    named: { eventType: found.eventType, event: found.event, deliveryId: found.deliveryId },
    sync,
    isLeased: status === 'processing',
    ...(claims && { claim: { providerId: (found.provider as ProviderDefinition).id, deliveryId: found.deliveryId as string } }),
  };
  // Waiting before the write: a worker may run the message the moment it commits.
  // The respond timeout counts from the request's arrival, as the sender's own deadline does.
  const respondWithinMs = answering ? Math.max(0, answering.timeoutMs - (Date.now() - input.receivedAt.getTime())) : 0;
  const responded = answering?.mode === 'respond' && ingress === 'queued' ? ports.waiters.wait(id, respondWithinMs, () => early as Answer) : null;
  let written;
  try {
    written = await ports.write(first);
  } catch (error) {
    ports.waiters.cancel(id);
    if (isHandedOver) ports.local.cancel();
    throw error;
  }
  if (written.duplicateOf !== null) {
    ports.waiters.cancel(id);
    if (isHandedOver) ports.local.cancel();
    return { answer: httpAnswer(id, { kind: 'duplicate', duplicateOf: written.duplicateOf }), trace: first.trace, mode };
  }
  // A message left `queued` wakes the workers of every server through the database.
  if (isHandedOver) ports.local.handOver(written.message, found.request);
  if (early) return { answer: await (responded ?? early), trace: first.trace, mode };
  return { ...(await runWhileCallerWaits(ports, id, written.message, found, first.trace, answering)), mode };
}

/**
 * How an accepted webhook is answered: the sender's forced sync, else the provider's mode and
 * its functions' overrides (see decideAnswerMode). Null for what has no choice to make (no
 * provider, failed verification, a handshake) and for messages an admin resubmits, which
 * answer as they ask (sync or not).
 */
async function answeringOf<M>(ports: WebhookPorts<M>, found: Identification, input: WebhookInput): Promise<Answering | null> {
  if (found.status !== 'accepted' || found.handshake || input.triggeredBy !== 'webhook' || !found.provider) return null;
  const settings = await ports.answerSettings(found.provider, input.uri);
  if (!settings) return null;
  const decided = decideAnswerMode({ providerMode: settings.providerMode, functions: settings.functions, forced: input.forcedBy ?? (input.sync ? 'header' : null) });
  return {
    ...decided,
    timeoutMs: Math.min(settings.respondTimeoutMs, ports.syncTimeoutMs),
    // Also what respond mode answers when no respond() comes in time.
    fixedAnswer: decided.mode !== 'sync' ? settings.fixedAnswer : null,
  };
}

function runWhileCallerWaits<M>(ports: WebhookPorts<M>, id: string, message: M, found: Identification, trace: MessageTrace, answering: Answering | null): Promise<Answered> {
  ports.leases.hold(id);
  return new Promise<Answered>((resolve) => {
    let answered: Answer | undefined;
    let answeredBy: AnswerSource = { by: 'engine', ...modeRecord(answering) };
    let sent: Promise<SentAnswer> | undefined;
    const answer = (value: Answer, withTrace: MessageTrace = trace) => {
      if (answered) return;
      answered = value;
      resolve({ answer: value, trace: withTrace });
    };
    const timer = setTimeout(() => answer(httpAnswer(id, { kind: 'still_running', afterMs: ports.syncTimeoutMs })), ports.syncTimeoutMs);
    const onRespond = (response: ScriptResponse, fn: Pick<FunctionDefinition, 'id'>) => {
      if (answered) return;
      answeredBy = { ...answeredBy, by: 'function', functionId: fn.id };
      const made = httpAnswer(id, { kind: 'responded', response });
      sent = new Promise<SentAnswer>((resolveSent) => (made.onSent = resolveSent));
      answer(made);
    };
    const run = ports.functions
      .runFunctions(message, found.provider as ProviderDefinition, trace, onRespond, found.request)
      .then(async (result) => {
        const final = answered ?? httpAnswer(id, { kind: 'ran', status: result.status, functions: result.trace.functions });
        // A script's answer is recorded as it went out, not as the script made it.
        const delivered = sent === undefined ? undefined : await settleOrGiveUp(sent, ports.syncTimeoutMs);
        const record = delivered === undefined ? answeredBy : { ...answeredBy, ...delivered };
        const ended = withAnswer(result.trace, final.status, record);
        // The caller gets this attempt's answer; retries, if any, happen in the background.
        const { unstored } = await ports.functions.settle(message, { ...result, trace: ended }, { httpStatus: delivered?.status ?? final.status });
        answer(unstored ? httpAnswer(id, { kind: 'broken', reason: unstored }) : final, ended);
      })
      .catch((err: unknown) => {
        ports.logFailure(id, err);
        answer(httpAnswer(id, { kind: 'broken' }));
      })
      .finally(() => {
        clearTimeout(timer);
        ports.leases.release(id);
      });
    ports.track(run);
  });
}

/** A message to run from the queue, as stored. */
export interface QueuedMessage {
  id: string;
  /** Attempts so far, this one included; more than one means earlier ones died with their process. */
  attempts: number;
  trace: MessageTrace;
  endpointId: string | null;
}

/** What running a queued message needs from the world. */
export interface QueuePorts<M extends QueuedMessage> {
  functions: FunctionSteps<M>;
  /** The message's provider as it is now; null once deleted. */
  providerOf(message: M): Promise<ProviderDefinition | null>;
  /** Ends the message without running anything; says why not, if the write failed. */
  finish(id: string, status: Extract<MessageStatus, 'failed' | 'dead'>, trace: MessageTrace, statusReason: string): Promise<string | undefined>;
  waiters: RespondWaiters;
  /** How long a respond() answer may take to go out before it is recorded as made. */
  syncTimeoutMs: number;
}

/** A message whose processing kept dying with its process is given up on (dead), not retried forever. */
export const MAX_INTERRUPTED_ATTEMPTS = 5;

/** How a queued message's attempt ended, with its trace as written. */
export interface Ran extends Settled {
  trace: MessageTrace;
}

/**
 * One attempt at a queued message's functions, and its end written. A respond-mode caller
 * waiting in this process gets the first respond(); the answer is recorded as it went out.
 */
export async function runQueuedMessage<M extends QueuedMessage>(ports: QueuePorts<M>, message: M, parsed?: ScriptRequest): Promise<Ran> {
  const id = message.id;
  const interrupted = message.attempts - 1;
  const trace = interrupted > 0 ? { ...message.trace, interruptedAttempts: interrupted } : message.trace;
  const end = async (status: 'failed' | 'dead', statusReason: string): Promise<Ran> => {
    const unstored = await ports.finish(id, status, trace, statusReason);
    return { status: unstored === undefined ? status : 'failed', trace, ...(unstored !== undefined && { unstored }) };
  };
  if (message.attempts > MAX_INTERRUPTED_ATTEMPTS) return end('dead', `processing was interrupted ${interrupted} times; giving up`);
  // Its server died between writing it and answering: the sender got no answer and sends it again.
  if (message.endpointId) return end('failed', 'the server stopped while starting its automations, before answering; the sender was not answered and may send it again');
  const provider = await ports.providerOf(message);
  if (!provider) return end('failed', 'its provider was deleted before the functions ran');
  let taken: TakenResponse | undefined;
  const onRespond: RespondHook | undefined = ports.waiters.isWaiting(id)
    ? (response, fn) => (taken = ports.waiters.offer(id, response, fn.id)) !== undefined
    : undefined;
  const result = await ports.functions.runFunctions(message, provider, trace, onRespond, parsed);
  if (!taken) return { ...(await ports.functions.settle(message, result)), trace: result.trace };
  // Recorded as it went out, not as the script made it.
  const delivered = await settleOrGiveUp(taken.sent, ports.syncTimeoutMs);
  const answer: AnswerRecord = { ...result.trace.answer, status: delivered?.status ?? taken.status, at: new Date().toISOString(), by: 'function', functionId: taken.functionId };
  if (delivered) Object.assign(answer, { headers: delivered.headers }, delivered.error !== undefined && { error: delivered.error });
  delete answer.respondTimeoutMs;
  const answered = { ...result.trace, answer };
  return { ...(await ports.functions.settle(message, { ...result, trace: answered }, { httpStatus: answer.status })), trace: answered };
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

/** The trace with the record of the answer its caller got. */
export function withAnswer(trace: MessageTrace, status: number, source: AnswerSource & Partial<SentAnswer> = { by: 'engine' }): MessageTrace {
  return { ...trace, answer: { status, at: new Date().toISOString(), ...source } };
}
