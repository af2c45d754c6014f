import { createHmac } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** Digest size in bytes, to tell a malformed signature from a wrong one. */
export const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** HMAC over the parts in order; strings are taken as UTF-8, buffers byte for byte. */
export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, ...parts: Array<string | Buffer>): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Hex of either case to bytes, or undefined when it is not whole bytes of hex. */
export function decodeHex(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}

/** Hex of exactly one digest of `algorithm`, or undefined. */
export function decodeDigestHex(hex: string, algorithm: HmacAlgorithm): Buffer | undefined {
  const bytes = decodeHex(hex);
  return bytes?.length === DIGEST_BYTES[algorithm] ? bytes : undefined;
}

/**
 * Standard-alphabet base64 to bytes, or undefined when it is not base64. Padding may be left
 * out (as the Standard Webhooks libraries allow for secrets); Buffer.from alone would silently
 * skip stray characters.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const match = /^([A-Za-z0-9+/]+)(={0,2})$/.exec(text);
  if (!match) return undefined;
  const [, data, padding] = match;
  if (data.length % 4 === 1) return undefined;
  if (padding.length > 0 && text.length % 4 !== 0) return undefined;
  return Buffer.from(data, 'base64');
}
