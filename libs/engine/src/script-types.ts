/**
 * What scripts see. These shapes cross the sandbox boundary as plain data;
 * `script-api.d.ts` declares the same names for the editor.
 */

/** The inbound request as a script sees it. Header names are lower-case. */
export interface ScriptRequest {
  method: string;
  /** The path after `/webhooks/`, without the query string, e.g. `git/push`. */
  uri: string;
  /** The full request path as received, e.g. `/webhooks/git/push`. */
  path: string;
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  /** The body decoded as UTF-8 text. */
  body: string;
  /** The parsed body when the content type is JSON and it parses; otherwise null. */
  json: unknown;
  /** The parsed fields of an `application/x-www-form-urlencoded` body; otherwise null. */
  form: Record<string, string | string[]> | null;
}

export interface ScriptProvider {
  name: string;
  properties: Record<string, string>;
  /** The provider's secret properties, opened: scripts read them, nothing else shows them. The server always passes them. */
  secrets?: Record<string, string>;
}

export interface ScriptMessage {
  id: string;
  receivedAt: string;
  triggeredBy: 'webhook' | 'resubmit';
}

/** The provider's normalized event, copied into the sandbox as plain data. */
export type ScriptEvent = Record<string, unknown>;

export interface ScriptResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  message: string;
  at: string;
}

export type ScriptFailureKind = 'error' | 'timeout' | 'memory' | 'compile';

export interface ScriptError {
  kind: ScriptFailureKind;
  message: string;
  stack?: string;
}

/** A script error with the line and column in the admin's own script, when the error names one. */
export type LocatedScriptError = ScriptError & { line?: number; column?: number };

export type ScriptOutcome<T> =
  | { ok: true; value: T; durationMs: number }
  | { ok: false; error: ScriptError; durationMs: number };

/** The variables a function condition is evaluated over. */
export interface ConditionScope {
  provider: ScriptProvider;
  eventType: string | null;
  event: ScriptEvent | null;
  method: string;
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  body: string;
  payload: unknown;
}

export interface FunctionRunInput {
  script: string;
  request: ScriptRequest;
  message: ScriptMessage;
  provider: ScriptProvider;
  eventType: string | null;
  event: ScriptEvent | null;
  timeoutMs: number;
  /** Called at most once, with the first `respond()` the script makes. */
  onRespond: (response: ScriptResponse) => void;
  /**
   * Performs `automations.trigger` for the script: starts the automation linked to this function
   * that is named or identified by `nameOrId`, with `vars` (plain JSON data, already checked and
   * copied out of the sandbox), and resolves with the new run's id. To refuse, reject with an
   * Error; the script sees a rejected promise with its message. Without it, every
   * `automations.trigger` rejects with "automations are not available here".
   */
  triggerAutomation?: ScriptTriggerAutomation;
  /** Performs `http.fetch` for this run in place of the runner's own: a test run records the request instead. */
  fetch?: ScriptFetch;
}

export type ScriptTriggerAutomation = (nameOrId: string, vars: Record<string, unknown>) => Promise<string>;

export interface FunctionRunOutcome {
  status: 'succeeded' | 'failed' | 'timed_out';
  /** The script's return value, copied out as JSON-compatible data. */
  result?: unknown;
  error?: ScriptError;
  logs: LogEntry[];
  durationMs: number;
}

export type ScriptKind = 'match' | 'condition' | 'function';

export interface MatchCandidate {
  script: string;
  provider: ScriptProvider;
}

export interface MatchInOrderInput {
  request: ScriptRequest;
  candidates: readonly MatchCandidate[];
  timeoutMs: number;
}

/** Runs admin-written scripts in isolation from the host. */
export interface ScriptRunner {
  runMatch(input: {
    script: string;
    request: ScriptRequest;
    provider: ScriptProvider;
    timeoutMs: number;
  }): Promise<ScriptOutcome<boolean>>;
  /**
   * Offers the request to match scripts in the order given, each with its own provider, and
   * stops after the first that answers yes or times out. Returns an outcome for every script
   * evaluated, in order. Each script keeps its own limit and is isolated from the others.
   */
  matchInOrder(input: MatchInOrderInput): Promise<ScriptOutcome<boolean>[]>;
  evaluateCondition(input: {
    expression: string;
    scope: ConditionScope;
    timeoutMs: number;
  }): Promise<ScriptOutcome<boolean>>;
  runFunction(input: FunctionRunInput): Promise<FunctionRunOutcome>;
  /** A compile error message for the script, or null when it compiles. */
  checkSyntax(kind: ScriptKind, source: string): Promise<string | null>;
  dispose(): Promise<void>;
}

/** How `http.fetch` reaches the outside world; the server decides which hosts are allowed. */
export interface ScriptFetchRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ScriptFetchResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Performs one `http.fetch`; `signal` aborts when the run that asked ends, on time or not. */
export type ScriptFetch = (request: ScriptFetchRequest, signal: AbortSignal) => Promise<ScriptFetchResponse>;
