import type { ScriptFetchRequest, ScriptFetchResponse } from '../../../../libs/engine/src';

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * `http.fetch` for scripts: only to hosts on the allow list (HOOKLINE_SCRIPT_HTTP_ALLOW),
 * with a time limit and a response size cap. An empty list allows nothing.
 */
export function createScriptFetch(allow: readonly string[]): (request: ScriptFetchRequest) => Promise<ScriptFetchResponse> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      throw new Error(`http.fetch: "${request.url}" is not an absolute URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`http.fetch: only http and https URLs are allowed, not ${url.protocol}`);
    if (!isAllowed(url, allow)) {
      throw new Error(`http.fetch: host ${url.host} is not allowed; add it to HOOKLINE_SCRIPT_HTTP_ALLOW`);
    }
    const response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const buffer = Buffer.from(await response.arrayBuffer());
    if (buffer.length > MAX_RESPONSE_BYTES) throw new Error(`http.fetch: the response from ${url.host} is larger than ${MAX_RESPONSE_BYTES} bytes`);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return { status: response.status, headers, body: buffer.toString('utf8') };
  };
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
