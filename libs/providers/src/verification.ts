import type { SchemeInput, SchemeResult } from './scheme';

/** Building blocks every scheme shares: reading the request and options, trying secrets, failing. */

export type SecretSlot = SchemeInput['secrets'][number]['which'];

/** Tries each secret in the order given (current first) and names the first that matches. */
export function findMatchingSecret(secrets: SchemeInput['secrets'], matches: (secret: string) => boolean): SecretSlot | undefined {
  return secrets.find((secret) => matches(secret.value))?.which;
}

/** The server fails closed before calling a scheme without secrets; schemes repeat it for direct callers. */
export const NO_SECRET: SchemeResult = { ok: false, reason: 'no secret configured' };

/** For schemes whose headers hold only a signature: nothing in them can be replayed as the secret. */
export function signatureOnly(): string[] {
  return [];
}

export const SIGNATURE_MISMATCH = 'signature does not match';

export function failure(reason: string): SchemeResult {
  return { ok: false, reason };
}

export function success(matchedSecret: SecretSlot): SchemeResult {
  return { ok: true, matchedSecret };
}

/** Reads a header by its lower-case name; anything but a string counts as absent. */
export function readHeader(headers: SchemeInput['headers'], name: string): string | undefined {
  const value: unknown = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** A query parameter's first value (`?a=1&a=2` gives `1`), or undefined. */
export function readQuery(query: SchemeInput['query'], name: string): string | undefined {
  const value: unknown = query[name];
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' ? first : undefined;
}

export type OptionValue<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The first option that could not be read, as the reason it gives; undefined when all were read. */
export function firstOptionProblem(...values: Array<OptionValue<unknown>>): string | undefined {
  for (const value of values) if (!value.ok) return value.reason;
  return undefined;
}

/** A text option: unset (or empty) gives undefined; anything but a string is a configuration error. */
export function readTextOption(options: SchemeInput['options'], name: string): OptionValue<string | undefined> {
  const raw = options[name];
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: undefined };
  if (typeof raw !== 'string') return { ok: false, reason: `invalid ${name} option (expected a string)` };
  return { ok: true, value: raw };
}
