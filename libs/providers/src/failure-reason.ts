/**
 * The kinds of signature failure, a small fixed set for monitoring: a metric label must never
 * carry a scheme's free-text reason (it can name header values) nor anything secret.
 */
export const SIGNATURE_FAILURE_REASONS = ['missing', 'malformed', 'mismatch', 'stale', 'no_secret', 'misconfigured', 'other'] as const;
export type SignatureFailureReason = (typeof SIGNATURE_FAILURE_REASONS)[number];

/**
 * Which kind a scheme's failure reason is. The schemes word their reasons from a few shared
 * forms (verification.ts, tolerance.ts, basic-auth.ts): `missing … header`, `malformed …`,
 * `… does not match`, `timestamp outside tolerance`, `no secret configured`, `invalid … option`.
 * Anything else counts as `other`, so a new wording shows up there rather than as a new label.
 */
export function signatureFailureReason(reason: string): SignatureFailureReason {
  if (reason.startsWith('timestamp outside tolerance')) return 'stale';
  if (reason === 'no secret configured') return 'no_secret';
  if (/^(invalid |missing \w+ option|unknown verification scheme|the \w+ secret is not)/.test(reason)) return 'misconfigured';
  if (reason.startsWith('missing ')) return 'missing';
  if (reason.startsWith('malformed ') || reason.startsWith('no v1 signature')) return 'malformed';
  if (/\bdo(es)? not match$/.test(reason)) return 'mismatch';
  return 'other';
}
