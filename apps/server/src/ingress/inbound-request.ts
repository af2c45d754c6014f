import type { FastifyRequest } from 'fastify';
import type { InboundRequest } from '../../../../libs/engine/src';

/** The request exactly as received: raw body bytes, lower-case headers, uri without the query. */
export function toInboundRequest(request: FastifyRequest, uri: string): InboundRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const questionMark = request.url.indexOf('?');
  return {
    method: request.method,
    uri,
    path: questionMark === -1 ? request.url : request.url.slice(0, questionMark),
    query: toQuery(request.url, questionMark),
    headers,
    rawBody,
    contentType: headers['content-type'] ?? null,
    sourceAddress: request.ip ?? null,
    receivedAt: new Date(),
  };
}

function toQuery(url: string, questionMark: number): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (questionMark === -1) return query;
  for (const [key, value] of new URLSearchParams(url.slice(questionMark + 1))) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}
