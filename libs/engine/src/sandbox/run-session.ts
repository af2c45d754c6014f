import type {
  LogEntry,
  LogLevel,
  ScriptFetch,
  ScriptFetchRequest,
  ScriptFetchResponse,
  ScriptResponse,
  ScriptTriggerAutomation,
} from '../script-types';
import { errorMessage } from './error-message';
import { LOG_ENTRY_LIMIT, LOG_MESSAGE_LIMIT, VARS_BYTE_LIMIT, VARS_TOO_LARGE } from './guest-prelude';
import { checkResponseHeaders, RESPOND_BODY_LIMIT } from './response-checks';

/** What a host call hands back to the guest. Host calls never reject (see the stack notes). */
export type HostResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface RunSessionHooks {
  onRespond?: (response: ScriptResponse) => void;
  fetch?: ScriptFetch;
  triggerAutomation?: ScriptTriggerAutomation;
  /** The condition payload as JSON text, asked for only when the guest reads `payload`. */
  payloadJson?: () => string | undefined;
  /** Told when the run starts waiting on the host with no call pending before. */
  onPark?: () => void;
}

/** Room for the prelude's "... [truncated N characters]" note past the message limit. */
const TRUNCATION_NOTE_ALLOWANCE = 64;

const LOG_LEVELS: ReadonlySet<string> = new Set<LogLevel>(['info', 'warn', 'error']);

/**
 * The host half of one script run: it receives the guest's calls and keeps what they leave
 * behind. All input here comes from guest code, so each value is checked again rather than
 * trusted to have passed through the prelude.
 */
export class RunSession {
  readonly logs: LogEntry[] = [];
  private pendingCalls = 0;
  private hasResponded = false;
  private readonly ended = new AbortController();

  constructor(
    readonly id: number,
    private readonly hooks: RunSessionHooks,
  ) {}

  /** Called once the run is over: outbound requests it left running are aborted. */
  end(): void {
    this.ended.abort(new Error('the run that started this request has ended'));
  }

  /** True while a fetch or a trigger started by this run has not settled yet. */
  get hasPendingCalls(): boolean {
    return this.pendingCalls > 0;
  }

  log(level: unknown, message: unknown): void {
    // The prelude keeps to these limits and adds its notes; this guards the host if it did not.
    if (this.logs.length > LOG_ENTRY_LIMIT) return;
    let text = typeof message === 'string' ? message : String(message);
    if (text.length > LOG_MESSAGE_LIMIT + TRUNCATION_NOTE_ALLOWANCE) {
      text = `${text.slice(0, LOG_MESSAGE_LIMIT)}... [truncated ${text.length - LOG_MESSAGE_LIMIT} characters]`;
    }
    this.logs.push({
      level: typeof level === 'string' && LOG_LEVELS.has(level) ? (level as LogLevel) : 'info',
      message: text,
      at: new Date().toISOString(),
    });
  }

  /**
   * Headers are checked here whatever the prelude let through: guest code can patch the
   * built-ins the prelude's own checks use. A header that fails is dropped and logged; a body
   * past the limit makes the call count as not made, so the engine answers instead.
   */
  respond(status: unknown, headers: unknown, isText: unknown, text: unknown): void {
    if (this.hasResponded || this.hooks.onRespond === undefined) return;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return;
    const size = typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0;
    if (size > RESPOND_BODY_LIMIT) {
      this.log('error', `respond(): the body is ${size} bytes, more than the limit of ${RESPOND_BODY_LIMIT}; respond() was ignored`);
      return;
    }
    this.hasResponded = true;
    const checked = checkResponseHeaders(headers);
    for (const problem of checked.problems) this.log('error', problem);
    let body: unknown = null;
    if (isText === true && typeof text === 'string') body = text;
    else if (typeof text === 'string') body = parseOrKeep(text);
    try {
      this.hooks.onRespond({ status, headers: checked.headers, body });
    } catch (error) {
      this.log('error', `the host could not send the response: ${errorMessage(error)}`);
    }
  }

  async fetch(request: unknown): Promise<HostResult<ScriptFetchResponse>> {
    this.startCall();
    try {
      if (this.hooks.fetch === undefined) return { ok: false, error: 'http.fetch is not available' };
      const response = await this.hooks.fetch(toFetchRequest(request), this.ended.signal);
      return {
        ok: true,
        value: {
          status: Number(response.status),
          headers: toStringRecord(response.headers),
          body: typeof response.body === 'string' ? response.body : String(response.body ?? ''),
        },
      };
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    } finally {
      this.pendingCalls--;
    }
  }

  /** `varsJson` is the vars as JSON text: a string is the cheapest and safest thing to copy out. */
  async triggerAutomation(nameOrId: unknown, varsJson: unknown): Promise<HostResult<string>> {
    this.startCall();
    try {
      const trigger = this.hooks.triggerAutomation;
      if (trigger === undefined) return { ok: false, error: 'automations are not available here' };
      if (typeof nameOrId !== 'string' || nameOrId === '') {
        return { ok: false, error: 'automations.trigger(): nameOrId must be a non-empty string' };
      }
      const vars = toTriggerVars(varsJson);
      if (!vars.ok) return vars;
      return { ok: true, value: String(await trigger(nameOrId, vars.value)) };
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    } finally {
      this.pendingCalls--;
    }
  }

  private startCall(): void {
    if (this.pendingCalls++ === 0) this.hooks.onPark?.();
  }

  payloadJson(): string | undefined {
    try {
      return this.hooks.payloadJson?.();
    } catch {
      return 'null';
    }
  }
}

function toFetchRequest(value: unknown): ScriptFetchRequest {
  const source = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const request: ScriptFetchRequest = { url: String(source.url) };
  if (typeof source.method === 'string') request.method = source.method;
  if (typeof source.headers === 'object' && source.headers !== null) {
    request.headers = toStringRecord(source.headers);
  }
  if (typeof source.body === 'string') request.body = source.body;
  return request;
}

function toTriggerVars(json: unknown): HostResult<Record<string, unknown>> {
  if (typeof json !== 'string') return { ok: false, error: 'automations.trigger(): vars must be an object' };
  // The prelude refuses more than the limit in UTF-16 units; here it is counted in bytes.
  if (Buffer.byteLength(json, 'utf8') > VARS_BYTE_LIMIT) return { ok: false, error: VARS_TOO_LARGE };
  let vars: unknown;
  try {
    vars = JSON.parse(json);
  } catch {
    return { ok: false, error: 'automations.trigger(): vars are not valid JSON' };
  }
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) {
    return { ok: false, error: 'automations.trigger(): vars must be an object' };
  }
  return { ok: true, value: vars as Record<string, unknown> };
}

function toStringRecord(value: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return record;
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry === 'string') record[name] = entry;
  }
  return record;
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

