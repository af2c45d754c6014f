import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  emptyTrace,
  matchProvider,
  numberAttempts,
  payloadOf,
  pickLinkedAutomation,
  planFunctionRetry,
  runFunctions,
  parseRequest,
  toScriptRequest,
  type AutomationStartRecord,
  type FunctionDefinition,
  type FunctionRunRecord,
  type InboundRequest,
  type MessageStatus,
  type MessageTrace,
  type ProviderDefinition,
  type RetryPolicy,
  type ScriptEvent,
  type ScriptRequest,
  type ScriptResponse,
  type ScriptRunner,
  type ResubmitEdit,
  type TriggeredBy,
  type VerificationOutcome,
  type VerificationRecord,
} from '../../../../libs/engine/src';
import { describeEvent, handshakeAnswer, type EventFormat, type HandshakeAnswer } from '../../../../libs/providers/src';
import type { AppConfig } from '../config';
import { CONFIG, SCRIPT_RUNNER, SECRET_BOX } from '../common/tokens';
import type { SecretBox } from '../security/secret-box';
import type { FunctionEntity } from '../database/entities/function.entity';
import type { MessageEntity } from '../database/entities/message.entity';
import type { ProviderEntity } from '../database/entities/provider.entity';
import { storableJson } from '../database/storable';
import { MessagesRepository } from '../messages/messages.repository';
import { AutomationsRepository } from '../automations/automations.repository';
import { RunsService } from '../automations/runs.service';
import { FailureEvents } from '../automations/failure-events';
import { functionRetryPolicy } from '../common/retry-policies';
import type { AutomationEntity } from '../database/entities/automation.entity';
import { Catalog } from './catalog';
import { CredentialHeaders } from './credential-headers';
import { VerificationService } from './verification.service';

export interface Identification {
  status: Extract<MessageStatus, 'no_provider' | 'unauthorized'> | 'accepted';
  provider: ProviderDefinition | null;
  eventType: string | null;
  event: ScriptEvent | null;
  deliveryId: string | null;
  /** The request as scripts see it, parsed once here and reused by the functions. */
  request: ScriptRequest;
  /** Set when the request is a sender's endpoint check that the engine answers itself. */
  handshake?: HandshakeAnswer;
  reason?: string;
  trace: MessageTrace;
}

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

const NO_EVENT = { eventType: null, event: null, deliveryId: null };

/** Steps 1 to 4 of a message's path, over stored messages; the dispatcher decides when each runs. */
@Injectable()
export class MessageProcessor {
  private readonly logger = new Logger('Processor');

  constructor(
    private readonly catalog: Catalog,
    private readonly automations: AutomationsRepository,
    private readonly runs: RunsService,
    private readonly messages: MessagesRepository,
    private readonly verifier: VerificationService,
    private readonly credentials: CredentialHeaders,
    private readonly failureEvents: FailureEvents,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** Stores the request as a new message before anything else looks at it. */
  async store(
    request: InboundRequest,
    origin: { triggeredBy: TriggeredBy; resubmittedFrom?: string; edited?: ResubmitEdit; sync: boolean; endpoint?: { id: string; scheme: string; options: Record<string, unknown> } },
  ): Promise<MessageEntity> {
    const trace = emptyTrace();
    if (origin.resubmittedFrom) trace.resubmittedFrom = origin.resubmittedFrom;
    if (origin.edited) trace.edited = origin.edited;
    const message: Partial<MessageEntity> = {
      id: randomUUID(),
      receivedAt: request.receivedAt,
      method: request.method,
      uri: request.uri,
      path: request.path,
      query: request.query,
      ...(await this.credentials.redact(request.headers, origin.endpoint)),
      body: request.rawBody,
      contentType: request.contentType,
      sourceAddress: request.sourceAddress,
      status: 'received',
      sync: origin.sync,
      triggeredBy: origin.triggeredBy,
      resubmittedFrom: origin.resubmittedFrom ?? null,
      endpointId: origin.endpoint?.id ?? null,
      trace,
    };
    await this.messages.insert(message);
    return message as MessageEntity;
  }

  /**
   * Providers in priority order, first match wins, then its verification. A preview passes its
   * draft providers instead of the enabled ones, and reads stored messages as replays: a
   * signature that is only too old counts, as on resubmit.
   */
  async identify(message: MessageEntity, preview?: { providers: ProviderDefinition[] }): Promise<Identification> {
    const trace: MessageTrace = { ...message.trace, providers: [], functions: [] };
    const inbound = inboundOf(message);
    const { request, notes } = parseRequest(inbound);
    if (notes.length > 0) trace.notes = notes;
    const providers = preview?.providers ?? (await this.catalog.enabledProviders()).map((row) => this.toDefinition(row));
    const match = await matchProvider(this.scripts, providers, request, this.config.matchTimeoutMs);
    trace.providers = match.evaluations;
    if (!match.provider) return { status: 'no_provider', provider: null, ...NO_EVENT, request, reason: 'no provider matched', trace };
    const outcome = await this.verifier.verify({
      provider: match.provider,
      request: { ...inbound, headers: this.credentials.restore(message) },
      isResubmit: message.triggeredBy === 'resubmit' || preview !== undefined,
      now: new Date(),
    });
    const verification = verificationRecord(match.provider.verificationScheme, outcome, message.triggeredBy === 'resubmit' || preview !== undefined);
    trace.verification = verification;
    if (!verification.ok && !verification.overridden) {
      return { status: 'unauthorized', provider: match.provider, ...NO_EVENT, request, reason: verification.reason, trace };
    }
    const payload = payloadOf(request);
    const handshake = handshakeAnswer(match.provider.eventFormat, payload);
    return {
      ...(handshake && { handshake }),
      status: 'accepted',
      provider: match.provider,
      ...nameEvent(match.provider, request),
      request,
      trace,
    };
  }

  /**
   * Every enabled function of the provider on this uri whose condition holds, concurrently. A
   * retry (a trace with earlier records) runs only the functions whose latest run failed and may
   * be retried; the new records are added after the earlier ones.
   */
  async runFunctions(
    message: MessageEntity,
    provider: ProviderDefinition,
    trace: MessageTrace,
    onRespond?: (response: ScriptResponse, fn: FunctionDefinition) => void,
    parsed?: ScriptRequest,
  ): Promise<FunctionsResult> {
    const request: ScriptRequest = parsed ?? toScriptRequest(inboundOf(message));
    const rows = await this.catalog.runnableFunctions(provider.id, message.uri);
    const policies = new Map(rows.map((fn) => [fn.id, functionRetryPolicy(fn.retry, this.config)]));
    const earlier = trace.functions;
    let selected = rows;
    if (earlier.length > 0) {
      const plan = planFunctionRetry(earlier, policies);
      const again = new Set(plan.outcome === 'retry' ? plan.functionIds : []);
      selected = rows.filter((fn) => again.has(fn.id));
    }
    const functions = selected.map(functionDefinition);
    const started: AutomationStartRecord[] = [];
    const outcome = await runFunctions(this.scripts, functions, {
      request,
      message: { id: message.id, receivedAt: message.receivedAt.toISOString(), triggeredBy: message.triggeredBy },
      provider: { name: provider.name, properties: provider.properties, secrets: provider.secrets },
      eventType: message.eventType,
      event: message.event,
      conditionTimeoutMs: this.config.matchTimeoutMs,
      onRespond,
      automations: this.automationHooks(message.id, started),
    });
    const automations = [...(trace.automations ?? []), ...started];
    return {
      status: outcome.status,
      trace: { ...trace, functions: [...earlier, ...numberAttempts(earlier, outcome.records)], ...(automations.length && { automations }) },
      policies: new Map(selected.map((fn) => [fn.id, policies.get(fn.id) as RetryPolicy])),
    };
  }

  /**
   * Records the end of an attempt at the functions: processed, failed or dead, or queued again
   * with `next_attempt_at` for the functions that may retry. Raises the failure events.
   */
  async settle(message: MessageEntity, result: FunctionsResult, extra: Partial<MessageEntity> = {}): Promise<Settled> {
    const trace = result.trace;
    const plan = planFunctionRetry(trace.functions, result.policies);
    const failedNames = [...new Set(trace.functions.filter((r) => r.status === 'failed' || r.status === 'timed_out').map((r) => r.functionName))];
    const about = { id: message.id, provider: message.providerName, uri: message.uri, eventType: message.eventType, functions: failedNames.join(', ') };
    if (plan.outcome === 'retry') {
      const nextAttemptAt = new Date(Date.now() + plan.delayMs);
      const retries = (trace.retries ?? 0) + 1;
      const names = trace.functions.filter((r) => plan.functionIds.includes(r.functionId)).map((r) => r.functionName);
      const statusReason = `${[...new Set(names)].join(', ')} failed; retry ${retries} at ${nextAttemptAt.toISOString()}`;
      try {
        // A retry is not a crash: the crash count (attempts) starts again for the next attempt.
        await this.messages.update(message.id, {
          ...extra,
          status: 'queued',
          statusReason,
          trace: { ...trace, retries },
          nextAttemptAt,
          attempts: 0,
          lockedBy: null,
          lockedUntil: null,
        });
      } catch {
        // finish() makes the minimal write that marks it failed with the reason.
        return this.settleAs(about, 'failed', await this.finish(message.id, 'failed', trace, extra));
      }
      await this.failureEvents.raise('message.failed', { message: { ...about, status: 'queued', reason: statusReason, nextAttemptAt: nextAttemptAt.toISOString() } });
      return { status: 'queued', nextAttemptAt };
    }
    const unstored = await this.finish(message.id, plan.outcome, trace, { ...extra, ...(plan.reason !== undefined && { statusReason: plan.reason }) });
    return this.settleAs(about, plan.outcome, unstored, plan.reason);
  }

  private async settleAs(about: Record<string, unknown>, outcome: MessageStatus, unstored: string | undefined, reason?: string): Promise<Settled> {
    const status = unstored === undefined ? outcome : 'failed';
    if (status === 'failed' || status === 'dead') {
      const details = { message: { ...about, status, reason: unstored ?? reason ?? `${String(about.functions)} failed`, nextAttemptAt: null } };
      await this.failureEvents.raise('message.failed', details);
      if (status === 'dead') await this.failureEvents.raise('message.dead', details);
    }
    return { status, ...(unstored !== undefined && { unstored }) };
  }

  /** How functions start their linked automations; every start is recorded in `started`. */
  private automationHooks(messageId: string, started: AutomationStartRecord[]) {
    const start = async (fn: FunctionDefinition, automation: AutomationEntity, vars: Record<string, unknown>) => {
      const run = await this.runs.start(automation, { trigger: 'function', messageId, functionId: fn.id, vars });
      started.push({ automationId: automation.id, automationName: automation.name, runId: run.id, status: run.status, functionId: fn.id });
      return run;
    };
    return {
      triggerAll: async (fn: FunctionDefinition) => {
        const automations = await this.automations.findByIds(fn.automationIds);
        const runs = [];
        for (const automation of automations) runs.push(await start(fn, automation, {}));
        return { triggered: runs.map((run) => ({ automation: run.automationName, runId: run.id, status: run.status })) };
      },
      trigger: async (fn: FunctionDefinition, nameOrId: string, vars: Record<string, unknown>) => {
        const automation = pickLinkedAutomation(await this.automations.findByIds(fn.automationIds), nameOrId);
        return (await start(fn, automation, vars)).id;
      },
    };
  }

  /** A provider as the engine runs it, its secret properties opened. */
  toDefinition(row: ProviderEntity): ProviderDefinition {
    return {
      id: row.id,
      name: row.name,
      priority: row.priority,
      matchScript: row.matchScript,
      properties: row.properties,
      secrets: this.openSecrets(row),
      verificationScheme: row.verificationScheme,
      eventFormat: row.eventFormat,
    };
  }

  private openSecrets(row: ProviderEntity): Record<string, string> {
    const secrets: Record<string, string> = {};
    for (const [name, sealed] of Object.entries(row.secretProperties)) {
      try {
        secrets[name] = this.box.open(sealed);
      } catch (err) {
        // Sealed under another master key: the script sees the property as missing.
        this.logger.error(`Cannot unseal secret property "${name}" of provider ${row.name}: ${(err as Error).message}. Was HOOKLINE_MASTER_KEY changed?`);
      }
    }
    return secrets;
  }

  async providerFor(message: MessageEntity): Promise<ProviderDefinition | null> {
    const row = message.providerId ? await this.catalog.provider(message.providerId) : undefined;
    return row ? this.toDefinition(row) : null;
  }

  /**
   * Records the end of processing and lets go of the lease. When that write fails (a result the
   * database cannot hold), a second, minimal write marks the message failed with the reason: left
   * `processing`, its lease would run out and its functions run again. Returns that reason, or
   * undefined when the message was stored as given.
   */
  async finish(id: string, status: MessageStatus, trace: MessageTrace, extra: Partial<MessageEntity> = {}): Promise<string | undefined> {
    const end = { finishedAt: new Date(), lockedBy: null, lockedUntil: null, nextAttemptAt: null };
    try {
      await this.messages.update(id, { status, trace, ...end, ...extra });
      return undefined;
    } catch (err) {
      this.logFailure(id, err);
      const reason = `the ${status} result could not be stored: ${err instanceof Error ? err.message : String(err)}`;
      await this.messages.update(id, { status: 'failed', statusReason: reason, ...end });
      return reason;
    }
  }

  logFailure(id: string, err: unknown): void {
    this.logger.error(`Message ${id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

export function inboundOf(message: MessageEntity): InboundRequest {
  return {
    method: message.method,
    uri: message.uri,
    path: message.path,
    query: message.query,
    headers: message.headers,
    rawBody: message.body,
    contentType: message.contentType,
    sourceAddress: message.sourceAddress,
    receivedAt: message.receivedAt,
  };
}

export function functionDefinition(fn: FunctionEntity): FunctionDefinition {
  return {
    id: fn.id,
    name: fn.name,
    providerId: fn.providerId,
    uri: fn.uri,
    script: fn.script,
    condition: fn.condition,
    timeoutMs: fn.timeoutMs,
    automationIds: fn.automationIds,
  };
}

/** The event the provider's format names in the request, in the form it is stored and scripts see it. */
export function nameEvent(provider: ProviderDefinition, request: ScriptRequest): { eventType: string | null; event: ScriptEvent | null; deliveryId: string | null } {
  // Stored as text and jsonb: scripts see the stored form whether they run now or from the queue.
  const named = storableJson(describeEvent(provider.eventFormat as EventFormat, { headers: request.headers, payload: payloadOf(request) }));
  return { eventType: named.eventType, event: named.event as ScriptEvent | null, deliveryId: named.deliveryId };
}

/**
 * The trace's record of a verification. For a replay by an admin (a resubmit, a test, a preview)
 * a signature that is genuine but too old is recorded as overridden rather than failed.
 */
export function verificationRecord(scheme: string, outcome: VerificationOutcome, isReplay: boolean): VerificationRecord {
  if (outcome.ok) return { scheme, ok: true, ...(outcome.matchedSecret && { matchedSecret: outcome.matchedSecret }) };
  if (outcome.staleOnly && isReplay) return { scheme, ok: false, reason: outcome.reason, overridden: true };
  return { scheme, ok: false, reason: outcome.reason };
}

/** The short per-function summary a caller sees. */
export function functionSummary(record: FunctionRunRecord) {
  return {
    id: record.functionId,
    name: record.functionName,
    status: record.status,
    durationMs: record.durationMs,
    ...(record.result !== undefined && { result: record.result }),
    ...(record.error && { error: record.error.message }),
  };
}
