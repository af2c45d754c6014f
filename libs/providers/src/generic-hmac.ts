import { bytesEqual } from './compare';
import { decodeDigestHex, hmac } from './hmac';
import type { SchemeInput, SignatureScheme } from './scheme';
import { NO_SECRET, SIGNATURE_MISMATCH, failure, findMatchingSecret, readHeader, readQuery, signatureOnly, success } from './verification';

/** Header names in the order they are looked at; the first present one is used. */
const SIGNATURE_HEADERS = [
  ['x-signature-256', 'X-Signature-256'],
  ['x-signature', 'X-Signature'],
  ['x-webhook-signature', 'X-Webhook-Signature'],
] as const;

/**
 * A shared-secret HMAC-SHA256 of the raw body, hex, as home-grown senders do it. The query
 * parameter is only for senders that cannot set headers: when a header is present it is the one
 * checked, so a `?signature=` added to the URL cannot stand in for a failing header.
 */
export const genericHmacScheme: SignatureScheme = {
  name: 'generic-hmac',
  description:
    'The sender sends the hex HMAC-SHA256 of the raw body (bare or as `sha256=<hex>`) in `X-Signature-256`, `X-Signature` or `X-Webhook-Signature`, or in the `?signature=` query parameter; the secret is the shared secret, as typed.',
  needsSecret: true,
  credentialHeaders: signatureOnly,
  verify({ rawBody, headers, query, secrets }) {
    if (secrets.length === 0) return NO_SECRET;
    const found = findSignature(headers, query);
    if (!found) return failure('missing X-Signature-256, X-Signature or X-Webhook-Signature header (or signature query parameter)');
    const hex = found.value.slice(0, 7).toLowerCase() === 'sha256=' ? found.value.slice(7) : found.value;
    const signature = decodeDigestHex(hex, 'sha256');
    if (!signature) return failure(`malformed ${found.label}`);
    const matched = findMatchingSecret(secrets, (secret) => bytesEqual(hmac('sha256', secret, rawBody), signature));
    return matched ? success(matched) : failure(SIGNATURE_MISMATCH);
  },
};

function findSignature(headers: SchemeInput['headers'], query: SchemeInput['query']): { value: string; label: string } | undefined {
  for (const [name, label] of SIGNATURE_HEADERS) {
    const value = readHeader(headers, name);
    if (value !== undefined) return { value, label: `${label} header` };
  }
  const value = readQuery(query, 'signature');
  return value === undefined ? undefined : { value, label: 'signature query parameter' };
}
