import { bytesEqual } from './compare';
import { decodeDigestHex, hmac } from './hmac';
import type { SignatureScheme } from './scheme';
import { checkTimestamp, checkToleranceOption, parseUnixSeconds, readToleranceSeconds } from './tolerance';
import { NO_SECRET, SIGNATURE_MISMATCH, failure, findMatchingSecret, readHeader, signatureOnly, success } from './verification';

/**
 * Stripe signs `<t>.<raw body>` with the `whsec_...` string itself as key (not base64-decoded,
 * unlike Svix). Only `v1` counts: `v0` is a test-mode extra and accepting any other scheme would
 * allow a downgrade. stripe-node checks only age; a `t` further ahead than the tolerance is refused
 * too, since no genuine delivery is signed in the future beyond clock skew and it would otherwise
 * stay replayable for as long as it is ahead.
 */
export const stripeScheme: SignatureScheme = {
  name: 'stripe',
  description:
    'The sender sends `Stripe-Signature: t=<timestamp>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (several v1 while a rolled secret is active); the secret is the endpoint\'s whsec_... signing secret, as shown.',
  options: {
    toleranceSeconds: 'Largest allowed difference, in seconds, between the signed timestamp t and now, in either direction (default 300).',
  },
  checkOptions: checkToleranceOption,
  needsSecret: true,
  credentialHeaders: signatureOnly,
  verify({ rawBody, headers, secrets, options, now }) {
    if (secrets.length === 0) return NO_SECRET;
    const tolerance = readToleranceSeconds(options);
    if (!tolerance.ok) return failure(tolerance.reason);
    const header = readHeader(headers, 'stripe-signature');
    if (header === undefined) return failure('missing Stripe-Signature header');
    const parsed = parseStripeSignature(header);
    if (!parsed) return failure('malformed Stripe-Signature header');
    if (parsed.v1.length === 0) return failure('no v1 signature in Stripe-Signature header');

    const candidates = parsed.v1.map((hex) => decodeDigestHex(hex, 'sha256')).filter((bytes): bytes is Buffer => bytes !== undefined);
    const matched = findMatchingSecret(secrets, (secret) => {
      const expected = hmac('sha256', secret, `${parsed.timestampText}.`, rawBody);
      return candidates.some((candidate) => bytesEqual(candidate, expected));
    });
    if (!matched) return failure(SIGNATURE_MISMATCH);
    return checkTimestamp(parsed.timestamp, now, tolerance.value) ?? success(matched);
  },
};

/** `t=...,v1=...,v1=...,v0=...`: exactly one numeric `t`, every `v1` value; other items ignored. */
function parseStripeSignature(header: string): { timestamp: number; timestampText: string; v1: string[] } | undefined {
  const timestamps: string[] = [];
  const v1: string[] = [];
  for (const item of header.split(',')) {
    const separator = item.indexOf('=');
    if (separator < 0) continue;
    const key = item.slice(0, separator).trim();
    const value = item.slice(separator + 1).trim();
    if (key === 't') timestamps.push(value);
    if (key === 'v1') v1.push(value);
  }
  if (timestamps.length !== 1) return undefined;
  const timestamp = parseUnixSeconds(timestamps[0]);
  return timestamp === undefined ? undefined : { timestamp, timestampText: timestamps[0], v1 };
}
