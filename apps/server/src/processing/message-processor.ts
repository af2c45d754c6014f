import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  identify,
  newSpanId,
  numberAttempts,
  payloadOf,
  pickLinkedAutomation,
  planFunctionRetry,
  runFunctions,
  toScriptRequest,
  type AutomationStartRecord,
  type FunctionSteps,
  type FunctionsResult,
  type Settled,
  type FunctionDefinition,
  type FunctionRunRecord,
  type Identification,
  type InboundRequest,
  type MessageStatus,
  type MessageTrace,
  type NamedEvent,
  type ProviderDefinition,
  type RetryPolicy,
  type RespondHook,
  type ScriptEvent,
  type ScriptFetch,
  type ScriptRequest,
  type ScriptRunner,
} from '../../../../libs/engine/src';
import { describeEvent, handshakeAnswer, type EventFormat } from '../../../../libs/providers/src';
import type { AppConfig } from '../config';
import { CONFIG, SCRIPT_RUNNER } from '../common/tokens';
import type { MessageEntity } from '../database/entities/message.entity';
import { storableJson } from '../database/storable';
import { MessageLedger, type FinalChanges } from '../messages/message-ledger';
import { Metrics } from '../metrics/metrics';
import { AutomationsRepository } from '../automations/automations.repository';
import { FailureEvents } from '../automations/failure-events';
import { functionRetryPolicy } from '../common/retry-policies';
import type { AutomationEntity } from '../database/entities/automation.entity';
import { DeliveryRuns } from '../scm-polling/delivery-runs';
import { Catalog } from './catalog';
import { VerificationService } from './verification.service';
import { addLogFields } from '../logging/log-context';
import { createScriptFetch } from '../scripting/script-fetch';
import { traceOfMessage, Tracer, type Span } from '../tracing/tracer';
import { tracedFetch } from '../tracing/traced-fetch';

export type { Identification } from '../../../../libs/engine/src';

/** What running a message's functions needs to know about the message. */
export type MessageSubject = Pick<
  MessageEntity,
  'id' | 'receivedAt' | 'triggeredBy' | 'uri' | 'eventType' | 'event' | 'providerName' | 'method' | 'path' | 'query' | 'headers' | 'body' | 'contentType' | 'sourceAddress'
>;

/** The steps of a message's path with the server's catalog, sandbox and verifier; the ledger records each end. */
@Injectable()
export class MessageProcessor implements FunctionSteps<MessageSubject> {
  private readonly logger = new Logger('Processor');
  private readonly fetch: ScriptFetch;

  constructor(
    private readonly catalog: Catalog,
    private readonly automations: AutomationsRepository,
    private readonly runs: DeliveryRuns,
    private readonly ledger: MessageLedger,
    private readonly verifier: VerificationService,
    private readonly failureEvents: FailureEvents,
    private readonly metrics: Metrics,
    private readonly tracer: Tracer,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {
    this.fetch = createScriptFetch(config.scriptHttpAllow);
  }

  /**
   * Identifies a request in memory (`request` as stored, credential headers redacted; the
   * headers as sent only reach the verifier): providers in priority order, first match wins, then its
   * verification and event. A preview passes its draft providers instead of the enabled ones;
   * a replay (resubmit, preview) accepts a signature that is only too old.
   */
  async identify(
    request: InboundRequest,
    options: { signedHeaders: Record<string, string>; isReplay: boolean; trace: MessageTrace; providers?: ProviderDefinition[] },
  ): Promise<Identification> {
    const providers = options.providers ?? (await this.catalog.enabledDefinitions());
    const ports = {
      runner: this.scripts,
      verifier: this.verifier,
      nameEvent,
      handshake: (provider: ProviderDefinition, payload: unknown) => handshakeAnswer(provider.eventFormat, payload),
    };
    const { signedHeaders, isReplay, trace } = options;
    const identified = await identify(ports, { request, signedHeaders, providers, isReplay, matchTimeoutMs: this.config.matchTimeoutMs, trace });
    if (identified.provider) addLogFields({ providerId: identified.provider.id });
    this.logger.debug(`Identified: ${identified.status}${identified.provider ? ` by provider ${identified.provider.name}` : ''}${identified.reason ? ` (${identified.reason})` : ''}`);
    return identified;
  }

  /**
   * Every enabled function of the provider on this uri whose condition holds, concurrently. A
   * retry (a trace with earlier records) runs only the functions whose latest run failed and may
   * be retried; the new records are added after the earlier ones.
   */
  async runFunctions(
    message: MessageSubject,
    provider: ProviderDefinition,
    trace: MessageTrace,
    onRespond?: RespondHook,
    parsed?: ScriptRequest,
  ): Promise<FunctionsResult> {
    const request: ScriptRequest = parsed ?? toScriptRequest(inboundOf(message));
    const rows = await this.catalog.runnableFunctions(provider.id, message.uri);
    const policies = new Map(rows.map(({ row }) => [row.id, functionRetryPolicy(row.retry, this.config)]));
    const earlier = trace.functions;
    let selected = rows;
    if (earlier.length > 0) {
      const plan = planFunctionRetry(earlier, policies);
      const again = new Set(plan.outcome === 'retry' ? plan.functionIds : []);
      selected = rows.filter(({ row }) => again.has(row.id));
    }
    const functions = selected.map(({ definition }) => definition);
    const started: AutomationStartRecord[] = [];
    addLogFields({ providerId: provider.id });
    const position = traceOfMessage(message);
    const span = this.tracer.start('process message', 'internal', { traceId: position.traceId, parentSpanId: position.spanId, flags: position.flags }, {
      'hookline.message.id': message.id,
      'hookline.provider.name': provider.name,
      'hookline.functions': functions.length,
    });
    let outcome: Awaited<ReturnType<typeof runFunctions>>;
    try {
      outcome = await runFunctions(this.scripts, functions, {
        request,
        message: { id: message.id, receivedAt: message.receivedAt.toISOString(), triggeredBy: message.triggeredBy },
        provider: { name: provider.name, properties: provider.properties, secrets: provider.secrets },
        eventType: message.eventType,
        event: message.event,
        conditionTimeoutMs: this.config.matchTimeoutMs,
        onRespond,
        automations: this.automationHooks(message.id, started, request),
        fetch: tracedFetch(this.fetch, span),
        onFunctionDone: (record) => this.functionDone(record, span),
      });
    } catch (err) {
      // Ended here too, so that a collector never holds a span that stays open.
      span.end({ error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    span.end({ attributes: { 'hookline.status': outcome.status }, ...(outcome.status === 'failed' && { error: 'a function failed' }) });
    this.metrics.functionsRan(outcome.records);
    const automations = [...(trace.automations ?? []), ...started];
    return {
      status: outcome.status,
      trace: { ...trace, functions: [...earlier, ...numberAttempts(earlier, outcome.records)], ...(automations.length && { automations }) },
      policies: new Map(selected.map(({ row }) => [row.id, policies.get(row.id) as RetryPolicy])),
    };
  }

  /** A debug line and a span for each function run, with the function's id on both. */
  private functionDone(record: FunctionRunRecord, parent: Span): void {
    const failure = record.error ? `: ${record.error.message}` : '';
    this.logger.debug(`Function "${record.functionName}" ${record.status} in ${record.durationMs} ms${failure}`, { functionId: record.functionId, status: record.status, durationMs: record.durationMs });
    if (record.status === 'skipped') return;
    const startMs = Date.parse(record.startedAt);
    this.tracer.record(
      {
        traceId: parent.traceId,
        spanId: newSpanId(),
        parentSpanId: parent.spanId,
        name: `function ${record.functionName}`,
        kind: 'internal',
        startMs,
        endMs: startMs + record.durationMs,
        attributes: { 'hookline.function.id': record.functionId, 'hookline.status': record.status },
        ...(record.error && { error: record.error.message }),
      },
      parent.flags,
    );
  }

  /**
   * Records the end of an attempt at the functions: processed, failed or dead, or queued again
   * with `next_attempt_at` for the functions that may retry. Raises the failure events.
   */
  async settle(message: MessageSubject, result: FunctionsResult, extra: FinalChanges = {}): Promise<Settled> {
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
        await this.ledger.retryLater(message.id, { ...trace, retries }, nextAttemptAt, statusReason, extra);
      } catch {
        // finish() makes the minimal write that marks it failed with the reason.
        return this.settleAs(about, 'failed', await this.ledger.finish(message.id, 'failed', trace, extra));
      }
      await this.failureEvents.raise('message.failed', { message: { ...about, status: 'queued', reason: statusReason, nextAttemptAt: nextAttemptAt.toISOString() } });
      return { status: 'queued', nextAttemptAt };
    }
    const unstored = await this.ledger.finish(message.id, plan.outcome, trace, { ...extra, ...(plan.reason !== undefined && { statusReason: plan.reason }) });
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
  private automationHooks(messageId: string, started: AutomationStartRecord[], request: ScriptRequest) {
    const start = async (fn: FunctionDefinition, automation: AutomationEntity, vars: Record<string, unknown>) => {
      const run = await this.runs.start(automation, { trigger: 'function', messageId, functionId: fn.id, vars }, () => request);
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

  /** The provider of a stored message as the catalog holds it now; null once deleted. */
  async providerFor(message: Pick<MessageEntity, 'providerId'>): Promise<ProviderDefinition | null> {
    return message.providerId ? ((await this.catalog.provider(message.providerId))?.definition ?? null) : null;
  }

  logFailure(id: string, err: unknown): void {
    this.logger.error(`Message ${id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

export function inboundOf(message: Omit<MessageSubject, 'id' | 'triggeredBy' | 'eventType' | 'event' | 'providerName'>): InboundRequest {
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

/** The event the provider's format names in the request, in the form it is stored and scripts see it. */
export function nameEvent(provider: ProviderDefinition, request: ScriptRequest): NamedEvent {
  // Stored as text and jsonb: scripts see the stored form whether they run now or from the queue.
  const named = storableJson(describeEvent(provider.eventFormat as EventFormat, { headers: request.headers, payload: payloadOf(request) }, provider.eventSource));
  return { eventType: named.eventType, event: named.event as ScriptEvent | null, deliveryId: named.deliveryId };
}
