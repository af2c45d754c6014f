import { createHash } from 'node:crypto';
import { BUILTIN_SCHEMES } from '../../../../libs/providers/src';
import { ValidationFailedError } from './errors';

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

/**
 * How bearer credentials (sessions, runner and endpoint tokens) are stored and found: by
 * their SHA-256, so the lookup compares no secret and leaks nothing through timing.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Refuses a verification scheme that no built-in implements, naming the ones that exist. */
export function checkScheme(scheme: string): void {
  const names = BUILTIN_SCHEMES.map((s) => s.name);
  if (!names.includes(scheme)) {
    throw new ValidationFailedError({ 'verification.scheme': `"${scheme}" is not a known scheme; use one of ${names.join(', ')}` });
  }
}
