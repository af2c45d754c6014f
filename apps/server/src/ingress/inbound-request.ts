import type { FastifyRequest } from 'fastify';
import { parseForm, type InboundRequest } from '../../../../libs/engine/src';
import { storableText } from '../database/storable';

/**
 * The request as received: raw body bytes, lower-case headers, uri without the query. The uri,
 * query and headers are stored as text, so a `%00` in them reads as U+FFFD here already: scripts
 * see what the message records whether it runs now or from the queue.
 */
export function toInboundRequest(request: FastifyRequest, uri: string): InboundRequest {
  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const questionMark = request.url.indexOf('?');
  const headers = headersOf(request);
  return {
    method: request.method,
    uri: storableText(uri),
    path: storableText(questionMark === -1 ? request.url : request.url.slice(0, questionMark)),
    query: questionMark === -1 ? Object.create(null) : parseForm(request.url.slice(questionMark + 1), storableText),
    headers,
    rawBody,
    contentType: headers['content-type'] ?? null,
    sourceAddress: request.ip ?? null,
    receivedAt: new Date(),
  };
}

/**
 * Lower-case names, repeated headers joined as Node joins them. Node's own header object drops a
 * header named `__proto__` (a legal name); the raw list still has it, so it is taken from there.
 */
function headersOf(request: FastifyRequest): Record<string, string> {
  const headers = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[storableText(name.toLowerCase())] = storableText(Array.isArray(value) ? value.join(', ') : String(value));
  }
  const raw = request.raw.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = storableText(raw[i].toLowerCase());
    if (name !== '__proto__') continue;
    const value = storableText(raw[i + 1]);
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}
