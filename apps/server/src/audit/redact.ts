/** What the audit log keeps in place of a secret. */
export const REDACTED = '[redacted]';

/** Field names whose text is a secret wherever it appears: `secret`, `previousSecret`, `password`, `token`, `apiKey`, headers named `authorization`… */
const SECRET_KEY = /secret|passw|passphrase|token|api[-_]?key|private[-_]?key|credential|authorization|cookie|signature/i;
/** Names the secret pattern catches that say something about a secret without being one. */
const NOT_SECRET_KEY = /Configured$|ExpiresAt$|Prefix$|^secretProperties$|^tokenId$/;
/** Shorter strings are not scrubbed by value: "on" or "1" would blot out ordinary text. */
const MIN_SCRUBBED_LENGTH = 6;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key);
}

/**
 * A copy of `value` with every string under a secret-like field replaced by `[redacted]`, and
 * every occurrence of a `known` secret (one the request sent or the answer returned, wherever it
 * reappears: a URL, a message) cut out of every other string.
 */
export function redact(value: unknown, known: readonly string[] = []): unknown {
  const scrub = scrubberOf(known);
  const walk = (node: unknown, underSecret: boolean): unknown => {
    if (typeof node === 'string') return underSecret ? REDACTED : scrub(node);
    if (Array.isArray(node)) return node.map((item) => walk(item, underSecret));
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, underSecret || isSecretKey(key))]));
  };
  return walk(value, false);
}

/** Every string under a secret-like field of `values`: what `redact` must also find by value. */
export function secretsIn(...values: unknown[]): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, underSecret: boolean): void => {
    if (typeof node === 'string') {
      if (underSecret && node.length >= MIN_SCRUBBED_LENGTH) found.add(node);
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item, underSecret);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) walk(item, underSecret || isSecretKey(key));
    }
  };
  for (const value of values) walk(value, false);
  return [...found];
}

function scrubberOf(known: readonly string[]): (text: string) => string {
  // Longest first, so that a secret containing another is cut whole.
  const secrets = [...known].filter((secret) => secret.length >= MIN_SCRUBBED_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((result, secret) => result.split(secret).join(REDACTED), text);
}
