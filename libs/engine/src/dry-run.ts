import type { ConditionRecord, FunctionRunStatus } from './message';
import { matchProvider } from './match-providers';
import type { FunctionDefinition, ProviderDefinition } from './ports';
import { runFunctions, type FunctionRunContext } from './run-functions';
import type {
  LocatedScriptError,
  LogEntry,
  ScriptError,
  ScriptFetch,
  ScriptFetchRequest,
  ScriptFetchResponse,
  ScriptRequest,
  ScriptResponse,
  ScriptRunner,
} from './script-types';

/** An `http.fetch` a test run asked for; it was not sent. */
export interface RecordedFetch {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Why a real run would have been refused this request (the script saw the same rejection). */
  refused?: string;
}

/** An automation a test run asked to start; no run was created. */
export interface RecordedTrigger {
  /** The linked automation the name or id resolved to, or null when none did. */
  automationId: string | null;
  /** Its name, or what the script asked for when nothing resolved. */
  automation: string;
  vars: Record<string, unknown>;
  /** Why a real run would have failed to start it (the script saw the same rejection). */
  refused?: string;
}

export interface LinkedAutomation {
  id: string;
  name: string;
}

export interface DryRunOptions {
  /** Why a real `http.fetch` would refuse this request, or undefined when it would send it. */
  checkFetch?: (request: ScriptFetchRequest) => string | undefined;
  /** What every recorded fetch answers the script; by default status 200 with an empty body. */
  fetchResponse?: ScriptFetchResponse;
  /** The automations linked to a function, as a real run would look them up. */
  linkedAutomations(fn: FunctionDefinition): Promise<LinkedAutomation[]>;
}

export interface FunctionTestResult {
  status: FunctionRunStatus;
  /** The condition and its value; absent when the function has none. */
  condition?: Omit<ConditionRecord, 'error'> & { error?: LocatedScriptError };
  result?: unknown;
  /** What `respond()` would have answered the sender. */
  respond?: ScriptResponse;
  logs: LogEntry[];
  error?: LocatedScriptError;
  durationMs: number;
  fetches: RecordedFetch[];
  automations: RecordedTrigger[];
}

export type TestRunContext = Omit<FunctionRunContext, 'automations' | 'fetch' | 'onRespond' | 'onFunctionDone'>;

/**
 * The automation among those linked to a function that `nameOrId` names: by id first, then by
 * name. Throws the error a script sees when none is linked under that name.
 */
export function pickLinkedAutomation<T extends LinkedAutomation>(linked: readonly T[], nameOrId: string): T {
  const automation = linked.find((a) => a.id === nameOrId) ?? linked.find((a) => a.name === nameOrId);
  if (!automation) throw new Error(`no automation named "${nameOrId}" is linked to this function`);
  return automation;
}

/**
 * Runs one function as the message path would (condition, then script), except that nothing
 * leaves the sandbox: `http.fetch` and `automations.trigger` are recorded and answered with
 * stand-ins, and `respond()` is kept rather than sent.
 */
export async function testFunction(
  runner: ScriptRunner,
  fn: FunctionDefinition,
  context: TestRunContext,
  options: DryRunOptions,
): Promise<FunctionTestResult> {
  const fetches: RecordedFetch[] = [];
  const triggers: RecordedTrigger[] = [];
  let respond: ScriptResponse | undefined;
  const outcome = await runFunctions(runner, [fn], {
    ...context,
    fetch: recordingFetch(fetches, options),
    automations: recordingAutomations(triggers, options),
    onRespond: (response) => {
      respond = response;
    },
  });
  const record = outcome.records[0];
  const condition = record.condition && {
    ...record.condition,
    ...(record.condition.error && { error: locateScriptError(record.condition.error) }),
  };
  return {
    status: record.status,
    ...(condition && { condition }),
    ...(record.result !== undefined && { result: record.result }),
    ...(respond && { respond }),
    logs: record.logs,
    ...(record.error && { error: locateScriptError(record.error) }),
    durationMs: record.durationMs,
    fetches,
    automations: triggers,
  };
}

export interface MatchTestResult {
  matched: boolean;
  durationMs: number;
  retriedAfterTimeout?: boolean;
  error?: LocatedScriptError;
}

/** Asks one provider's match script about a request, as matching would. */
export async function testMatch(runner: ScriptRunner, provider: ProviderDefinition, request: ScriptRequest, timeoutMs: number): Promise<MatchTestResult> {
  const [evaluation] = (await matchProvider(runner, [provider], request, timeoutMs)).evaluations;
  return {
    matched: evaluation.matched,
    durationMs: evaluation.durationMs,
    ...(evaluation.retriedAfterTimeout && { retriedAfterTimeout: true }),
    ...(evaluation.error && { error: locateScriptError(evaluation.error) }),
  };
}

/**
 * The line and column in the admin's script: from a syntax error's "(line N, column M)", or
 * from the first stack frame in the script itself (`function.js:N:M`).
 */
export function locateScriptError(error: ScriptError): LocatedScriptError {
  const located =
    /\(line (\d+), column (\d+)\)$/.exec(error.message) ?? /\b(?:match|condition|function)\.js:(\d+):(\d+)/.exec(error.stack ?? '');
  return located ? { ...error, line: Number(located[1]), column: Number(located[2]) } : error;
}

const EMPTY_RESPONSE: ScriptFetchResponse = { status: 200, headers: {}, body: '' };

function recordingFetch(fetches: RecordedFetch[], options: DryRunOptions): ScriptFetch {
  return (request) => {
    const refused = options.checkFetch?.(request);
    fetches.push({
      method: (request.method ?? 'GET').toUpperCase(),
      url: request.url,
      headers: request.headers ?? {},
      ...(request.body !== undefined && { body: request.body }),
      ...(refused !== undefined && { refused }),
    });
    return refused === undefined ? Promise.resolve(options.fetchResponse ?? EMPTY_RESPONSE) : Promise.reject(new Error(refused));
  };
}

function recordingAutomations(triggers: RecordedTrigger[], options: DryRunOptions): NonNullable<FunctionRunContext['automations']> {
  const record = (automation: LinkedAutomation, vars: Record<string, unknown>) => {
    triggers.push({ automationId: automation.id, automation: automation.name, vars });
    return `test-run-${triggers.length}`;
  };
  return {
    async triggerAll(fn) {
      const linked = await options.linkedAutomations(fn);
      return { triggered: linked.map((automation) => ({ automation: automation.name, runId: record(automation, {}), status: 'not started (test run)' })) };
    },
    async trigger(fn, nameOrId, vars) {
      try {
        return record(pickLinkedAutomation(await options.linkedAutomations(fn), nameOrId), vars);
      } catch (error) {
        triggers.push({ automationId: null, automation: nameOrId, vars, refused: (error as Error).message });
        throw error;
      }
    },
  };
}
