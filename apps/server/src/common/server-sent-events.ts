import type { ServerResponse } from 'node:http';

/** What a client waits before reconnecting after a stream ends (the SSE `retry:` field). */
export const SSE_RETRY_MS = 2_000;

/** Starts a server-sent event stream on a reply taken over from Fastify. */
export function startEventStream(out: ServerResponse, headers: Record<string, string>): void {
  out.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // Proxies such as nginx would otherwise hold events back in their buffer.
    'x-accel-buffering': 'no',
  });
  out.write(`retry: ${SSE_RETRY_MS}\n: connected\n\n`);
}

/** Answers 503 on a reply taken over from Fastify, which would otherwise be left hanging. */
export function refuseEventStream(out: ServerResponse, headers: Record<string, string>, message: string): void {
  out.writeHead(503, { ...headers, 'content-type': 'application/json' });
  out.end(JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message }));
}
