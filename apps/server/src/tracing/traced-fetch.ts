import { hasTraceparent, type ScriptFetch } from '../../../../libs/engine/src';
import type { Span } from './tracer';

/**
 * `http.fetch` with the message's trace passed on: each call is a client span of its own, sent as
 * `traceparent`, unless the script set that header itself.
 */
export function tracedFetch(fetch: ScriptFetch, parent: Span): ScriptFetch {
  return async (request, signal) => {
    const method = (request.method ?? 'GET').toUpperCase();
    const span = parent.child(`http.fetch ${method}`, 'client', { 'http.request.method': method, 'url.full': redactedUrl(request.url) });
    const headers = hasTraceparent(request.headers) ? request.headers : { ...request.headers, traceparent: span.traceparent };
    try {
      const response = await fetch({ ...request, headers }, signal);
      span.end({ attributes: { 'http.response.status_code': response.status } });
      return response;
    } catch (err) {
      span.end({ error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  };
}

/** The URL without its query string or user info, which may carry credentials. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '';
  }
}
