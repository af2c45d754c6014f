import { setTimeout as delay } from 'node:timers/promises';
import { errorMessage } from '../sandbox/error-message';
import { hasTraceparent } from '../trace-context';

export interface HttpCallInput {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Per attempt, covering the response headers and the preview read. */
  timeoutMs: number;
  /** Further attempts after the first one fails. */
  retries: number;
  /** Wait before the first retry; doubled for each one after, plus up to 10% jitter. */
  backoffMs: number;
  /** Sent as the `traceparent` header unless `headers` names one already. */
  traceparent?: string;
}

export interface HttpAttempt {
  status: number | null;
  /** Network failure, timeout, or a failure reading the body. */
  error?: string;
  durationMs: number;
}

export interface HttpCallResult {
  /** The last attempt answered 2xx. */
  ok: boolean;
  status: number | null;
  /** The first 2 KB of the last response body, as text. */
  preview: string;
  attempts: HttpAttempt[];
  /** Why the call failed: the last attempt's error or status, or a request that could not be built. */
  error?: string;
}

const PREVIEW_BYTES = 2048;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls an HTTP endpoint for an automation, retrying a non-2xx answer, a network error or a
 * timeout with exponential backoff. Never rejects. A request that cannot be built (bad URL,
 * header value with a newline, body on GET) fails at once without attempts: retrying cannot help.
 */
export async function callHttp(input: HttpCallInput, sleep: (ms: number) => Promise<void> = (ms) => delay(ms)): Promise<HttpCallResult> {
  const method = input.method.trim().toUpperCase();
  const invalid = requestError(input, method);
  if (invalid !== null) return { ok: false, status: null, preview: '', attempts: [], error: invalid };
  const headers = new Headers(input.headers);
  if (input.traceparent !== undefined && !hasTraceparent(input.headers)) headers.set('traceparent', input.traceparent);

  const retries = Number.isFinite(input.retries) ? Math.max(0, Math.floor(input.retries)) : 0;
  const attempts: HttpAttempt[] = [];
  let preview = '';
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptOnce(input, method, headers);
    attempts.push(outcome.attempt);
    preview = outcome.preview;
    const status = outcome.attempt.status;
    const ok = status !== null && status >= 200 && status < 300;
    if (ok || attempt >= retries) {
      const error = ok ? undefined : (outcome.attempt.error ?? `HTTP ${status}`);
      return { ok, status, preview, attempts, ...(error !== undefined ? { error } : {}) };
    }
    await sleep(backoffDelay(input.backoffMs, attempt));
  }
}

/** `backoffMs × 2^retryIndex`, plus up to 10% so that many automations failing together do not retry in step. */
export function backoffDelay(backoffMs: number, retryIndex: number): number {
  const base = Math.max(0, Number.isFinite(backoffMs) ? backoffMs : 0) * 2 ** retryIndex;
  return Math.round(base + Math.random() * base * 0.1);
}

function requestError(input: HttpCallInput, method: string): string | null {
  if (!/^[A-Z]+$/.test(method)) return `Invalid HTTP method "${input.method}"`;
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return `Invalid URL "${input.url}"`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Unsupported URL scheme "${url.protocol}"; use http or https`;
  if (input.body !== undefined && (method === 'GET' || method === 'HEAD')) return `A ${method} request cannot have a body`;
  try {
    new Headers(input.headers);
  } catch (error) {
    return `Invalid headers: ${errorMessage(error)}`;
  }
  return null;
}

async function attemptOnce(input: HttpCallInput, method: string, headers: Headers): Promise<{ attempt: HttpAttempt; preview: string }> {
  const started = performance.now();
  const controller = new AbortController();
  const timeoutMs = Math.min(MAX_TIMER_MS, Math.max(1, Math.floor(input.timeoutMs) || 1));
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const elapsed = (): number => Math.round(performance.now() - started);
  const describe = (error: unknown): string => (controller.signal.aborted ? `Timed out after ${timeoutMs} ms` : fetchErrorMessage(error));
  try {
    let response: Response;
    try {
      response = await fetch(input.url, { method, headers, body: input.body, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      return { attempt: { status: null, error: describe(error), durationMs: elapsed() }, preview: '' };
    }
    // The status already arrived; a body that fails midway does not change whether the call succeeded.
    const { preview, error } = await readPreview(response);
    const attempt: HttpAttempt = { status: response.status, durationMs: elapsed() };
    if (error !== undefined) attempt.error = `Reading the body failed: ${describe(error)}`;
    return { attempt, preview };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads at most PREVIEW_BYTES and cancels the rest, so a huge response costs nothing. Keeps what arrived before a failure. */
async function readPreview(response: Response): Promise<{ preview: string; error?: unknown }> {
  if (response.body === null) return { preview: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let failure: { error: unknown } | undefined;
  try {
    while (size < PREVIEW_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch (error) {
    failure = { error };
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, PREVIEW_BYTES);
  // `stream: true` drops a multi-byte character cut in half by the limit instead of printing U+FFFD.
  const preview = new TextDecoder().decode(bytes, { stream: true });
  return failure === undefined ? { preview } : { preview, error: failure.error };
}

/** undici reports every network failure as "fetch failed"; the useful part is in `cause`. */
function fetchErrorMessage(error: unknown): string {
  const message = errorMessage(error);
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  return cause === undefined ? message : `${message}: ${errorMessage(cause)}`;
}
