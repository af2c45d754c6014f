import { MATCH_RETRY_FACTOR } from './match-providers';
import type { ConditionRecord, FunctionRunRecord, MessageStatus } from './message';
import { payloadOf } from './parse-body';
import type { FunctionDefinition } from './ports';
import type { ScriptEvent, ScriptFetch, ScriptMessage, ScriptProvider, ScriptRequest, ScriptResponse, ScriptRunner } from './script-types';

export interface FunctionRunContext {
  request: ScriptRequest;
  message: ScriptMessage;
  provider: ScriptProvider;
  eventType: string | null;
  event: ScriptEvent | null;
  /** Time limit for evaluating one condition. */
  conditionTimeoutMs: number;
  /**
   * Receives the first respond() of any function, with the function that made it; returns false
   * when no caller took it as the answer (a respond-mode caller whose wait had ended).
   */
  onRespond?: (response: ScriptResponse, fn: FunctionDefinition) => boolean | void;
  /** Starts the automations linked to a function; absent where automations are not available. */
  automations?: {
    /** For a function with an empty script: start every linked automation. */
    triggerAll(fn: FunctionDefinition): Promise<unknown>;
    /** For `automations.trigger(nameOrId, vars)` in a script; resolves with the run id. */
    trigger(fn: FunctionDefinition, nameOrId: string, vars: Record<string, unknown>): Promise<string>;
  };
  /** Receives each record as soon as its function ends. */
  onFunctionDone?: (record: FunctionRunRecord) => void;
  /** Performs `http.fetch` for these runs in place of the runner's own (a test run records instead). */
  fetch?: ScriptFetch;
}

/** The part of the context a condition sees. */
export type ConditionContext = Pick<FunctionRunContext, 'request' | 'provider' | 'eventType' | 'event' | 'conditionTimeoutMs'>;

export interface FunctionsOutcome {
  status: Extract<MessageStatus, 'processed' | 'no_function' | 'failed'>;
  records: FunctionRunRecord[];
}

/** `/git/push/` and `git/push` name the same uri. */
export function normalizeUri(uri: string): string {
  return uri.replace(/^\/+|\/+$/g, '');
}

/**
 * Runs every function whose condition holds, concurrently: no order is promised.
 * A condition that does not evaluate counts as false and is recorded.
 */
export async function runFunctions(
  runner: ScriptRunner,
  functions: readonly FunctionDefinition[],
  context: FunctionRunContext,
): Promise<FunctionsOutcome> {
  let responded = false;
  const runs = functions.map(async (fn): Promise<FunctionRunRecord> => {
    const startedAt = new Date().toISOString();
    const record: FunctionRunRecord = { functionId: fn.id, functionName: fn.name, status: 'skipped', startedAt, durationMs: 0, logs: [] };
    const condition = await checkCondition(runner, fn, context);
    if (condition) record.condition = condition;
    if (condition && !condition.value) {
      context.onFunctionDone?.(record);
      return record;
    }
    const automations = context.automations;
    if (fn.script.trim() === '' && automations) {
      // An empty script means: start everything linked, no code needed.
      const started = Date.now();
      try {
        record.result = await automations.triggerAll(fn);
        record.status = 'succeeded';
      } catch (err) {
        record.status = 'failed';
        record.error = { kind: 'error', message: (err as Error).message };
      }
      record.durationMs = Date.now() - started;
      context.onFunctionDone?.(record);
      return record;
    }
    const outcome = await runner.runFunction({
      script: fn.script,
      request: context.request,
      message: context.message,
      provider: context.provider,
      eventType: context.eventType,
      event: context.event,
      timeoutMs: fn.timeoutMs,
      ...(context.fetch && { fetch: context.fetch }),
      ...(automations && { triggerAutomation: (nameOrId: string, vars: Record<string, unknown>) => automations.trigger(fn, nameOrId, vars) }),
      onRespond: (response) => {
        // In async mode nobody waits for an answer, so respond() is not recorded as one.
        if (responded || !context.onRespond) return;
        responded = true;
        if (context.onRespond(response, fn) !== false) record.responded = true;
      },
    });
    Object.assign(record, {
      status: outcome.status,
      durationMs: outcome.durationMs,
      logs: outcome.logs,
      ...(outcome.result !== undefined ? { result: outcome.result } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    context.onFunctionDone?.(record);
    return record;
  });
  const records = await Promise.all(runs);
  return { status: summarize(records), records };
}

/**
 * Evaluates a function's condition; undefined when it has none. A condition that does not
 * evaluate counts as false and the record says why.
 */
export async function checkCondition(runner: ScriptRunner, fn: FunctionDefinition, context: ConditionContext): Promise<ConditionRecord | undefined> {
  if (!fn.condition || fn.condition.trim() === '') return undefined;
  const expression = fn.condition;
  const scope = {
    provider: context.provider,
    eventType: context.eventType,
    event: context.event,
    method: context.request.method,
    headers: context.request.headers,
    query: context.request.query,
    body: context.request.body,
    payload: payloadOf(context.request),
  };
  const ask = (timeoutMs: number) => runner.evaluateCondition({ expression, scope, timeoutMs });
  // As with match scripts: a busy machine can cut a sound condition short, and a "no" here would
  // skip the function without a failure to retry.
  const first = await ask(context.conditionTimeoutMs);
  const isRetried = !first.ok && first.error.kind === 'timeout';
  const outcome = isRetried ? await ask(context.conditionTimeoutMs * MATCH_RETRY_FACTOR) : first;
  const retried = isRetried ? { retriedAfterTimeout: true } : {};
  return outcome.ok ? { expression, value: outcome.value, ...retried } : { expression, value: false, error: outcome.error, ...retried };
}

function summarize(records: FunctionRunRecord[]): FunctionsOutcome['status'] {
  const ran = records.filter((r) => r.status !== 'skipped');
  if (ran.length === 0) return 'no_function';
  return ran.some((r) => r.status === 'failed' || r.status === 'timed_out') ? 'failed' : 'processed';
}
