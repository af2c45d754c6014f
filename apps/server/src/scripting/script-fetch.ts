import type { ScriptFetch } from '../../../../libs/engine/src';

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * `http.fetch` for scripts: only to hosts on the allow list (HOOKLINE_SCRIPT_HTTP_ALLOW),
 * with a time limit and a response size cap. An empty list allows nothing. The request is
 * aborted when the run that made it ends, and the body is read only up to the cap.
 */
export function createScriptFetch(allow: readonly string[]): ScriptFetch {
  return async (request, runEnded) => {
    const refused = fetchRefusal(request.url, allow);
    if (refused !== undefined) throw new Error(refused);
    const url = new URL(request.url);
    const response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.any([runEnded, AbortSignal.timeout(TIMEOUT_MS)]),
    });
    const buffer = await readCapped(response, url);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return { status: response.status, headers, body: buffer.toString('utf8') };
  };
}

/** Why `http.fetch` refuses this URL, or undefined when it may be fetched. A test run asks this without fetching. */
export function fetchRefusal(target: string, allow: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return `http.fetch: "${target}" is not an absolute URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `http.fetch: only http and https URLs are allowed, not ${url.protocol}`;
  if (!isAllowed(url, allow)) return `http.fetch: host ${url.host} is not allowed; add it to HOOKLINE_SCRIPT_HTTP_ALLOW`;
  return undefined;
}

/** The body, refused as soon as its declared or received size passes the cap. */
async function readCapped(response: Response, url: URL): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new Error(`http.fetch: the response from ${url.host} is ${declared} bytes, more than the limit of ${MAX_RESPONSE_BYTES}`);
  }
  if (response.body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new Error(`http.fetch: the response from ${url.host} is larger than the limit of ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks, size);
}

/** Entries: `*`, `host`, `host:port`, `*.domain` (any subdomain). Redirects are not followed, so they cannot leave the list. */
export function isAllowed(url: URL, allow: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allow.some((entry) => {
    if (entry === '*') return true;
    const [pattern, entryPort] = entry.split(':');
    if (entryPort && entryPort !== port) return false;
    if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
    return host === pattern;
  });
}
