import { bytesEqual } from './compare';
import { decodeDigestHex, hmac } from './hmac';
import type { SignatureScheme } from './scheme';
import { checkTimestamp, checkToleranceOption, parseUnixSeconds, readToleranceSeconds } from './tolerance';
import { NO_SECRET, SIGNATURE_MISMATCH, failure, findMatchingSecret, readHeader, signatureOnly, success } from './verification';

/**
 * Slack signs `v0:<timestamp>:<raw body>`. Slack's own docs reject a timestamp more than five
 * minutes from local time in either direction, so future timestamps count too.
 */
export const slackScheme: SignatureScheme = {
  name: 'slack',
  description:
    'The sender sends `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">` and `X-Slack-Request-Timestamp`; the secret is the app\'s signing secret, as typed.',
  options: {
    toleranceSeconds: 'Largest allowed difference, in seconds, between X-Slack-Request-Timestamp and now, in either direction (default 300).',
  },
  checkOptions: checkToleranceOption,
  needsSecret: true,
  credentialHeaders: signatureOnly,
  verify({ rawBody, headers, secrets, options, now }) {
    if (secrets.length === 0) return NO_SECRET;
    const tolerance = readToleranceSeconds(options);
    if (!tolerance.ok) return failure(tolerance.reason);
    const signatureHeader = readHeader(headers, 'x-slack-signature');
    if (signatureHeader === undefined) return failure('missing X-Slack-Signature header');
    const timestampHeader = readHeader(headers, 'x-slack-request-timestamp');
    if (timestampHeader === undefined) return failure('missing X-Slack-Request-Timestamp header');
    const timestamp = parseUnixSeconds(timestampHeader);
    if (timestamp === undefined) return failure('malformed X-Slack-Request-Timestamp header');
    const signature = signatureHeader.startsWith('v0=') ? decodeDigestHex(signatureHeader.slice(3), 'sha256') : undefined;
    if (!signature) return failure('malformed X-Slack-Signature header');

    const matched = findMatchingSecret(secrets, (secret) => bytesEqual(hmac('sha256', secret, `v0:${timestampHeader}:`, rawBody), signature));
    if (!matched) return failure(SIGNATURE_MISMATCH);
    return checkTimestamp(timestamp, now, tolerance.value) ?? success(matched);
  },
};
