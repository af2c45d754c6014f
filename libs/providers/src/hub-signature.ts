import { bytesEqual } from './compare';
import { decodeDigestHex, hmac, type HmacAlgorithm } from './hmac';
import type { SchemeInput, SchemeResult } from './scheme';
import { NO_SECRET, SIGNATURE_MISMATCH, failure, findMatchingSecret, readHeader, success } from './verification';

/** Where a `<algorithm>=<hex HMAC of the raw body>` signature travels. */
export interface HubSignatureFormat {
  /** Lower-case header name. */
  header: string;
  /** The header name as senders document it, for reasons. */
  label: string;
  algorithm: HmacAlgorithm;
}

/**
 * GitHub's header format, also used by Bitbucket, Jira and Gitea: `sha256=<hex>` (or `sha1=`)
 * over the raw body, keyed with the secret's UTF-8 bytes.
 */
export function verifyHubSignature(input: SchemeInput, format: HubSignatureFormat): SchemeResult {
  if (input.secrets.length === 0) return NO_SECRET;
  const value = readHeader(input.headers, format.header);
  if (value === undefined) return failure(`missing ${format.label} header`);
  const signature = parsePrefixedHex(value, format.algorithm);
  if (!signature) return failure(`malformed ${format.label} header`);
  const matched = findMatchingSecret(input.secrets, (secret) => bytesEqual(hmac(format.algorithm, secret, input.rawBody), signature));
  return matched ? success(matched) : failure(SIGNATURE_MISMATCH);
}

/** `sha256=<hex>` → the digest bytes, if the prefix names the algorithm and the hex is a whole digest. */
export function parsePrefixedHex(value: string, algorithm: HmacAlgorithm): Buffer | undefined {
  const prefix = `${algorithm}=`;
  if (value.slice(0, prefix.length).toLowerCase() !== prefix) return undefined;
  return decodeDigestHex(value.slice(prefix.length), algorithm);
}
