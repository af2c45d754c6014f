import type { FastifyRequest } from 'fastify';
import type { InboundRequest } from '../../../../libs/engine/src';
import { storableText } from '../database/storable';

/**
 * The request as received: raw body bytes, lower-case headers, uri without the query. The uri,
 * query and headers are stored as text, so a `%00` in them reads as U+FFFD here already: scripts
 * see what the message records whether it runs now or from the queue.
 */
export function toInboundRequest(request: FastifyRequest, uri: string): InboundRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[storableText(name.toLowerCase())] = storableText(Array.isArray(value) ? value.join(', ') : String(value));
  }
  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const questionMark = request.url.indexOf('?');
  return {
    method: request.method,
    uri: storableText(uri),
    path: storableText(questionMark === -1 ? request.url : request.url.slice(0, questionMark)),
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
  for (const [name, text] of new URLSearchParams(url.slice(questionMark + 1))) {
    const [key, value] = [storableText(name), storableText(text)];
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}
