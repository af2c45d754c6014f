import { bytesEqual } from './compare';
import { decodeBase64, hmac } from './hmac';
import type { SchemeInput, SchemeResult, SignatureScheme } from './scheme';
import { checkTimestamp, checkToleranceOption, parseUnixSeconds, readToleranceSeconds } from './tolerance';
import { NO_SECRET, SIGNATURE_MISMATCH, failure, readHeader, signatureOnly, success } from './verification';

type HeaderFamily = 'webhook' | 'svix';

/** What differs between the names this one implementation serves. */
export interface StandardWebhooksVariant {
  name: string;
  description: string;
  /** Headers read first and named in reasons; the other family is the fallback, as the svix library does. */
  preferredHeaders: HeaderFamily;
}

const SECRET_PREFIX = 'whsec_';

/**
 * Standard Webhooks (also Svix and GitLab's signing token): `v1,<base64 HMAC-SHA256>` of
 * `<id>.<timestamp>.<raw body>`, keyed with the base64-decoded `whsec_` secret, within ±300 s.
 */
export function createStandardWebhooksScheme(variant: StandardWebhooksVariant): SignatureScheme {
  return {
    name: variant.name,
    description: variant.description,
    options: {
      toleranceSeconds: `Largest allowed difference, in seconds, between ${variant.preferredHeaders}-timestamp and now, in either direction (default 300).`,
    },
    checkOptions: checkToleranceOption,
    needsSecret: true,
    credentialHeaders: signatureOnly,
    verify: (input) => verifyStandardWebhook(input, variant.preferredHeaders),
  };
}

function verifyStandardWebhook({ rawBody, headers, secrets, options, now }: SchemeInput, preferred: HeaderFamily): SchemeResult {
  if (secrets.length === 0) return NO_SECRET;
  const tolerance = readToleranceSeconds(options);
  if (!tolerance.ok) return failure(tolerance.reason);
  const other: HeaderFamily = preferred === 'svix' ? 'webhook' : 'svix';
  const read = (field: 'id' | 'timestamp' | 'signature') => readHeader(headers, `${preferred}-${field}`) ?? readHeader(headers, `${other}-${field}`);

  const id = read('id');
  if (id === undefined) return failure(`missing ${preferred}-id header`);
  const timestampText = read('timestamp');
  if (timestampText === undefined) return failure(`missing ${preferred}-timestamp header`);
  const signatureList = read('signature');
  if (signatureList === undefined) return failure(`missing ${preferred}-signature header`);
  // A full stop in the id would make `<id>.<timestamp>.<body>` ambiguous; the spec forbids it.
  if (id === '' || id.includes('.')) return failure(`malformed ${preferred}-id header`);
  const timestamp = parseUnixSeconds(timestampText);
  if (timestamp === undefined) return failure(`malformed ${preferred}-timestamp header`);
  const candidates = parseSignatureList(signatureList);
  if (candidates === 'no-v1') return failure(`no v1 signature in ${preferred}-signature header`);
  if (candidates.length === 0) return failure(`malformed ${preferred}-signature header`);

  let undecodable: string | undefined;
  for (const secret of secrets) {
    const key = decodeSecret(secret.value);
    if (!key) {
      undecodable ??= secret.which;
      continue;
    }
    const expected = hmac('sha256', key, `${id}.${timestampText}.`, rawBody);
    if (candidates.some((candidate) => bytesEqual(candidate, expected))) {
      return checkTimestamp(timestamp, now, tolerance.value) ?? success(secret.which);
    }
  }
  // A secret that is not base64 can match nothing: say so rather than blame the sender.
  if (undecodable) return failure(`the ${undecodable} secret is not a base64 key (expected whsec_<base64>)`);
  return failure(SIGNATURE_MISMATCH);
}

/**
 * The space-separated `<version>,<base64>` list. Versions other than v1 (v1a is ed25519) are
 * skipped; a v1 entry that is not base64 cannot match and is dropped. 'no-v1' when none is v1.
 */
function parseSignatureList(list: string): Buffer[] | 'no-v1' {
  const v1 = list
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice(3));
  if (v1.length === 0) return 'no-v1';
  return v1.map(decodeBase64).filter((bytes): bytes is Buffer => bytes !== undefined);
}

/** `whsec_<base64>` → key bytes; like the official libraries, a secret without the prefix is base64 too. */
function decodeSecret(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return decodeBase64(encoded);
}

export const standardWebhooksScheme = createStandardWebhooksScheme({
  name: 'standard-webhooks',
  description:
    'The sender sends `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">` (or the same as `svix-*`); the secret is the whsec_<base64> signing secret.',
  preferredHeaders: 'webhook',
});
