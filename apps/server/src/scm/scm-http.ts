import { ScmHostError } from '../../../../libs/engine/src/scm-hosts';
import { redactSecrets } from './secret-text';

/** Larger answers are refused: a comparison with patches for 300 files stays well below. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const MAX_REDIRECTS = 3;
/** When a host says "slow down" without saying for how long. */
const DEFAULT_RETRY_SECONDS = 60;

export interface HostAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export interface JsonClientOptions {
  /** The host as messages name it: "GitHub", "Azure DevOps". */
  hostName: string;
  /** Requests, redirects and next-page links stay on this origin: the credentials go nowhere else. */
  origin: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Taken out of every message. */
  secrets: string[];
  /** The host's own reading of an answer: an error, or undefined to read the body as JSON. */
  classify(answer: HostAnswer): ScmHostError | undefined;
  /** A redirect to another origin (Azure DevOps sends one to its sign-in page). */
  offOrigin(location: string): ScmHostError;
}

export interface JsonAnswer<T> {
  body: T;
  headers: Headers;
}

/**
 * GET a JSON document from a Git host: a time limit, a size limit, redirects followed only on the
 * same origin, and every failure turned into an ScmHostError whose message never holds a credential.
 */
export async function getJson<T>(url: URL, options: JsonClientOptions): Promise<JsonAnswer<T>> {
  let target = url;
  for (let hop = 0; ; hop++) {
    if (target.origin !== options.origin) throw options.offOrigin(target.toString());
    const answer = await send(target, options);
    if (answer.status >= 300 && answer.status < 400 && answer.headers.has('location')) {
      if (hop >= MAX_REDIRECTS) throw new ScmHostError('unavailable', `${options.hostName} redirected more than ${MAX_REDIRECTS} times from ${describe(url)}`, { status: answer.status });
      target = new URL(answer.headers.get('location') ?? '', target);
      continue;
    }
    const problem = options.classify(answer);
    if (problem) throw redacted(problem, options.secrets);
    try {
      return { body: JSON.parse(answer.text) as T, headers: answer.headers };
    } catch {
      throw new ScmHostError('unavailable', `${options.hostName} answered ${answer.status} to ${describe(url)} with something that is not JSON`, { status: answer.status });
    }
  }
}

async function send(url: URL, options: JsonClientOptions): Promise<HostAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { headers: options.headers, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (err) {
    const error = err as Error & { cause?: { code?: string; message?: string } };
    const reason =
      error.name === 'TimeoutError' ? `no answer within ${options.timeoutMs / 1000} s` : (error.cause?.code ?? error.cause?.message ?? error.message);
    throw new ScmHostError('unavailable', redactSecrets(`${options.hostName} could not be reached at ${url.origin}: ${reason}`, options.secrets));
  }
  try {
    return { status: response.status, headers: response.headers, text: await readCapped(response) };
  } catch (err) {
    const error = err as Error;
    const reason = error.name === 'TimeoutError' ? `the answer did not arrive within ${options.timeoutMs / 1000} s` : error.message;
    throw new ScmHostError('unavailable', redactSecrets(`${options.hostName} broke off its answer to ${describe(url)}: ${reason}`, options.secrets), { status: response.status });
  }
}

async function readCapped(response: Response): Promise<string> {
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * When a rate-limited caller may try again: `retry-after` (seconds or an HTTP date), else
 * `x-ratelimit-reset` (epoch seconds) when `x-ratelimit-remaining` is 0; undefined when neither says.
 */
export function retryAtOf(headers: Headers, now = Date.now()): Date | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return new Date(now + Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return new Date(date);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (headers.get('x-ratelimit-remaining')?.trim() === '0' && reset && /^\d+$/.test(reset)) return new Date(Number(reset) * 1000);
  return undefined;
}

/**
 * The mapping both HTTP hosts share: 401 is bad credentials, 403 and 429 with a rate-limit header
 * (or any 429) a rate limit, another 403 refused access, 404 not found, 5xx the host down; any
 * other 4xx a request the host could not take.
 */
export function statusFailure(hostName: string, answer: HostAnswer, what: string, detail: string | undefined): ScmHostError | undefined {
  const { status, headers } = answer;
  const said = detail ? ` (${detail.slice(0, 300)})` : '';
  if (status < 300) return undefined;
  const retryAt = retryAtOf(headers);
  if ((status === 403 && retryAt) || status === 429) {
    const at = retryAt ?? new Date(Date.now() + DEFAULT_RETRY_SECONDS * 1000);
    return new ScmHostError('rate_limited', `${hostName} rate limit reached${said}; try again after ${at.toISOString()}`, { status, retryAt: at });
  }
  if (status === 401) return new ScmHostError('auth', `${hostName} refused the credentials${said}: set a valid token on the Git provider`, { status });
  if (status === 403) return new ScmHostError('auth', `${hostName} refused access to ${what}${said}: the token lacks a permission it needs`, { status });
  if (status === 404) return new ScmHostError('not_found', `${hostName} has no ${what}${said}, or the token cannot see it`, { status });
  if (status >= 500) return new ScmHostError('unavailable', `${hostName} failed with ${status}${said}`, { status });
  return new ScmHostError('invalid', `${hostName} refused the request for ${what} with ${status}${said}`, { status });
}

/** The `message` a host's JSON error body carries, if any. */
export function hostMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : undefined;
  } catch {
    return undefined;
  }
}

function redacted(error: ScmHostError, secrets: string[]): ScmHostError {
  const message = redactSecrets(error.message, secrets);
  return message === error.message ? error : new ScmHostError(error.kind, message, error.details);
}

/** A URL for a message: path only, no query (continuation tokens say nothing useful). */
function describe(url: URL): string {
  return url.pathname;
}
