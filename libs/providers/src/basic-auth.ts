import { decodeBase64 } from './hmac';
import type { SchemeInput } from './scheme';
import { readHeader } from './verification';

export type BasicCredentials = { status: 'present'; username: string; password: string } | { status: 'missing' } | { status: 'malformed' };

export const MISSING_BASIC = 'missing Authorization: Basic header';
export const MALFORMED_BASIC = 'malformed Authorization: Basic header';
export const BASIC_MISMATCH = 'basic auth credentials do not match';

/** `Authorization: Basic base64(user:password)`; the user name ends at the first colon (RFC 7617). */
export function readBasicCredentials(headers: SchemeInput['headers']): BasicCredentials {
  const match = /^Basic(?:\s+(.*))?$/i.exec(readHeader(headers, 'authorization') ?? '');
  if (!match) return { status: 'missing' };
  const decoded = decodeBase64((match[1] ?? '').trim());
  if (!decoded) return { status: 'malformed' };
  const text = decoded.toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return { status: 'malformed' };
  return { status: 'present', username: text.slice(0, colon), password: text.slice(colon + 1) };
}
