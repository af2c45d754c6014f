import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BUILTIN_SCHEMES } from '../../../../libs/providers/src';

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

const SCHEME_NAMES = BUILTIN_SCHEMES.map((s) => s.name);

/** A verification scheme that a built-in implements; a 400 for any other names the ones that exist. */
export const SchemeName = z
  .string({ error: 'must be a scheme name' })
  .min(1, 'must be a scheme name')
  .refine((scheme) => SCHEME_NAMES.includes(scheme), { error: (issue) => `"${String(issue.input)}" is not a known scheme; use one of ${SCHEME_NAMES.join(', ')}` });
