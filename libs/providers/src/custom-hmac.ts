import { bytesEqual } from './compare';
import { type CustomHmacSettings, type SignatureFormat, readCustomHmacSettings } from './custom-hmac-options';
import { DIGEST_BYTES, type HmacAlgorithm, decodeBase64, decodeDigestHex, hmac } from './hmac';
import type { SchemeInput, SchemeResult, SignatureScheme } from './scheme';
import { checkTimestamp, parseUnixSeconds } from './tolerance';
import { NO_SECRET, SIGNATURE_MISMATCH, failure, findMatchingSecret, readHeader, signatureOnly, success } from './verification';

/**
 * An HMAC laid out by options rather than by a sender's name: the hash, the header, how the
 * digest is written, and what is signed (the raw body, or a template that adds a timestamp
 * header). Providers made from a descriptor use it; so can any provider. The key is the
 * secret's UTF-8 bytes, as Shopify, GitHub and most home-grown senders use it.
 */
export const customHmacScheme: SignatureScheme = {
  name: 'custom-hmac',
  description:
    'The sender sends an HMAC (SHA-256, SHA-1 or SHA-512) of the raw body, or of a template such as {timestamp}.{body}, in the header the options name, as hex or base64 with an optional prefix; the secret is the shared secret, as typed.',
  options: {
    algorithm: 'The hash: sha256 (default), sha1 or sha512.',
    header: 'The request header that carries the signature, such as X-Shopify-Hmac-Sha256 (required).',
    format: 'How the signature is written: hex (default), base64, or a prefix followed by {hex} or {base64}, such as sha256={hex}.',
    signedContent: 'What is signed: {body} (default) for the raw body, or a template such as {timestamp}.{body} around it.',
    timestampHeader: 'The header whose Unix-seconds value fills {timestamp}; required exactly when signedContent uses {timestamp}.',
    toleranceSeconds: 'With timestampHeader: the largest allowed difference, in seconds, between that timestamp and now, in either direction (default 300).',
  },
  checkOptions(options) {
    const settings = readCustomHmacSettings(options);
    return settings.ok ? undefined : settings.reason;
  },
  needsSecret: true,
  credentialHeaders: signatureOnly,
  verify(input) {
    if (input.secrets.length === 0) return NO_SECRET;
    const settings = readCustomHmacSettings(input.options);
    if (!settings.ok) return failure(settings.reason);
    return verifyCustomHmac(input, settings.value);
  },
};

function verifyCustomHmac({ rawBody, headers, secrets, now }: SchemeInput, settings: CustomHmacSettings): SchemeResult {
  const { algorithm, header, format, timestamp } = settings;
  const value = readHeader(headers, header.name);
  if (value === undefined) return failure(`missing ${header.label} header`);
  const signature = decodeSignature(value, format, algorithm);
  if (!signature) return failure(`malformed ${header.label} header (expected ${describeFormat(format, algorithm)})`);

  let timestampText = '';
  let signedAt: number | undefined;
  if (timestamp) {
    const text = readHeader(headers, timestamp.name);
    if (text === undefined) return failure(`missing ${timestamp.label} header`);
    signedAt = parseUnixSeconds(text);
    if (signedAt === undefined) return failure(`malformed ${timestamp.label} header (expected Unix seconds)`);
    timestampText = text;
  }
  const content = settings.signedContent.map((part) => (part === 'body' ? rawBody : part === 'timestamp' ? timestampText : part.text));
  const matched = findMatchingSecret(secrets, (secret) => bytesEqual(hmac(algorithm, secret, ...content), signature));
  if (!matched) return failure(SIGNATURE_MISMATCH);
  // Only after the signature matched: an old timestamp is then the only fault, which a replay may override.
  const stale = timestamp && signedAt !== undefined ? checkTimestamp(signedAt, now, timestamp.toleranceSeconds) : undefined;
  return stale ?? success(matched);
}

/** The digest bytes, when the value is the prefix (in any case) then one whole digest; else undefined. */
function decodeSignature(value: string, format: SignatureFormat, algorithm: HmacAlgorithm): Buffer | undefined {
  if (value.slice(0, format.prefix.length).toLowerCase() !== format.prefix.toLowerCase()) return undefined;
  const encoded = value.slice(format.prefix.length);
  if (format.encoding === 'hex') return decodeDigestHex(encoded, algorithm);
  const bytes = decodeBase64(encoded);
  return bytes?.length === DIGEST_BYTES[algorithm] ? bytes : undefined;
}

/** `sha256=<hex of a 32-byte HMAC-SHA256>`, for the reason a malformed header gets. */
function describeFormat(format: SignatureFormat, algorithm: HmacAlgorithm): string {
  return `${format.prefix}<${format.encoding} of a ${DIGEST_BYTES[algorithm]}-byte HMAC-${algorithm.toUpperCase()}>`;
}
