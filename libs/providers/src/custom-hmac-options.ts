import type { HmacAlgorithm } from './hmac';
import { readToleranceSeconds } from './tolerance';
import { type OptionValue, readTextOption } from './verification';

/** The hashes `custom-hmac` can key; the first is the default. */
export const CUSTOM_HMAC_ALGORITHMS = ['sha256', 'sha1', 'sha512'] as const satisfies readonly HmacAlgorithm[];

/** One piece of the signed content, in order: literal text, the raw body, or the timestamp header's value as sent. */
export type SignedPart = { text: string } | 'body' | 'timestamp';

/** How the signature is written in its header: an optional literal prefix, then the digest. */
export interface SignatureFormat {
  encoding: 'hex' | 'base64';
  prefix: string;
}

/** `custom-hmac`'s options, read and checked once. */
export interface CustomHmacSettings {
  algorithm: HmacAlgorithm;
  /** Lower-case, as headers reach schemes; `label` is the name as configured, for reasons. */
  header: { name: string; label: string };
  format: SignatureFormat;
  signedContent: SignedPart[];
  timestamp?: { name: string; label: string; toleranceSeconds: number };
}

const MAX_PREFIX = 64;
const MAX_TEMPLATE = 500;
const MAX_HEADER_NAME = 100;

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A header name as configured, or why it is not one. */
export function parseHeaderName(value: string): OptionValue<{ name: string; label: string }> {
  if (value.length > MAX_HEADER_NAME || !HEADER_NAME.test(value)) {
    return { ok: false, reason: `must be an HTTP header name such as X-Signature (letters, digits and !#$%&'*+.^_\`|~-, at most ${MAX_HEADER_NAME} characters)` };
  }
  return { ok: true, value: { name: value.toLowerCase(), label: value } };
}

const FORMAT_EXPECTED = 'must be hex, base64, or a prefix followed by {hex} or {base64}, such as sha256={hex}';

/** `hex`, `base64`, or `<prefix>{hex}` / `<prefix>{base64}`: the signature ends the header value. */
export function parseSignatureFormat(value: string): OptionValue<SignatureFormat> {
  if (value === 'hex' || value === 'base64') return { ok: true, value: { encoding: value, prefix: '' } };
  const match = /^(.*)\{(hex|base64)\}$/s.exec(value);
  if (!match) return { ok: false, reason: FORMAT_EXPECTED };
  const [, prefix, encoding] = match;
  // Printable ASCII, as header values are: braces would read as a second placeholder.
  if (prefix.length > MAX_PREFIX || !/^[\x20-\x7e]*$/.test(prefix) || /[{}]/.test(prefix)) {
    return { ok: false, reason: `${FORMAT_EXPECTED}; the prefix is at most ${MAX_PREFIX} printable ASCII characters without { or }` };
  }
  return { ok: true, value: { encoding: encoding as SignatureFormat['encoding'], prefix } };
}

/**
 * What is signed, as a template over `{body}` (the raw body bytes, exactly once) and
 * `{timestamp}` (the timestamp header's value as sent); everything else is literal text.
 */
export function parseSignedContent(template: string): OptionValue<SignedPart[]> {
  if (template.length > MAX_TEMPLATE) return { ok: false, reason: `must be at most ${MAX_TEMPLATE} characters` };
  const parts: SignedPart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const literal = open < 0 ? rest : rest.slice(0, open);
    if (literal.includes('}')) return { ok: false, reason: 'has a } that closes no placeholder; the placeholders are {body} and {timestamp}' };
    if (literal) parts.push({ text: literal });
    if (open < 0) break;
    const close = rest.indexOf('}', open);
    const name = close < 0 ? undefined : rest.slice(open + 1, close);
    if (name !== 'body' && name !== 'timestamp') {
      const shown = name === undefined || name.includes('{') ? rest.slice(open) : `{${name}}`;
      return { ok: false, reason: `has ${JSON.stringify(shown)} where a placeholder should be; the placeholders are {body} and {timestamp}` };
    }
    parts.push(name);
    rest = rest.slice(close + 1);
  }
  if (parts.filter((part) => part === 'body').length !== 1) return { ok: false, reason: 'must contain {body} exactly once, such as {body} or {timestamp}.{body}' };
  return { ok: true, value: parts };
}

/** Every option of `custom-hmac`, read; the first problem as the reason. */
export function readCustomHmacSettings(options: Record<string, unknown>): OptionValue<CustomHmacSettings> {
  const algorithm = readTextOption(options, 'algorithm');
  if (!algorithm.ok) return algorithm;
  const chosen = algorithm.value ?? CUSTOM_HMAC_ALGORITHMS[0];
  if (!(CUSTOM_HMAC_ALGORITHMS as readonly string[]).includes(chosen)) return invalid('algorithm', `must be one of ${CUSTOM_HMAC_ALGORITHMS.join(', ')}`);

  const headerText = readTextOption(options, 'header');
  if (!headerText.ok) return headerText;
  if (headerText.value === undefined) return { ok: false, reason: 'missing header option: name the request header that carries the signature' };
  const header = parseHeaderName(headerText.value);
  if (!header.ok) return invalid('header', header.reason);

  const formatText = readTextOption(options, 'format');
  if (!formatText.ok) return formatText;
  const format = parseSignatureFormat(formatText.value ?? 'hex');
  if (!format.ok) return invalid('format', format.reason);

  const templateText = readTextOption(options, 'signedContent');
  if (!templateText.ok) return templateText;
  const signedContent = parseSignedContent(templateText.value ?? '{body}');
  if (!signedContent.ok) return invalid('signedContent', signedContent.reason);

  const timestamp = readTimestampSettings(options, signedContent.value);
  if (!timestamp.ok) return timestamp;
  return {
    ok: true,
    value: { algorithm: chosen as HmacAlgorithm, header: header.value, format: format.value, signedContent: signedContent.value, ...(timestamp.value && { timestamp: timestamp.value }) },
  };
}

/**
 * The timestamp header and its tolerance. A timestamp that is not part of the signed content
 * could be changed by anyone, so checking its age would prove nothing: the two go together.
 */
function readTimestampSettings(options: Record<string, unknown>, signedContent: SignedPart[]): OptionValue<CustomHmacSettings['timestamp']> {
  const headerText = readTextOption(options, 'timestampHeader');
  if (!headerText.ok) return headerText;
  const signsTimestamp = signedContent.includes('timestamp');
  if (headerText.value === undefined) {
    if (signsTimestamp) return { ok: false, reason: 'signedContent uses {timestamp}, so timestampHeader must name the header that carries it' };
    if (options.toleranceSeconds !== undefined && options.toleranceSeconds !== null) {
      return { ok: false, reason: 'toleranceSeconds needs timestampHeader: without a signed timestamp there is nothing to check it against' };
    }
    return { ok: true, value: undefined };
  }
  if (!signsTimestamp) {
    return { ok: false, reason: 'timestampHeader is set but signedContent has no {timestamp}: an unsigned timestamp proves nothing; add {timestamp} to signedContent or leave timestampHeader out' };
  }
  const header = parseHeaderName(headerText.value);
  if (!header.ok) return invalid('timestampHeader', header.reason);
  const tolerance = readToleranceSeconds(options);
  if (!tolerance.ok) return tolerance;
  return { ok: true, value: { ...header.value, toleranceSeconds: tolerance.value } };
}

function invalid(option: string, reason: string): { ok: false; reason: string } {
  return { ok: false, reason: `invalid ${option} option: ${reason}` };
}
