import { createHash, timingSafeEqual } from 'node:crypto';
import type { SignatureScheme } from './scheme';

/** `Authorization: Bearer <token>` must equal the secret (or the previous one until it expires). */
export const bearerScheme: SignatureScheme = {
  name: 'bearer',
  needsSecret: true,
  verify({ headers, secrets }) {
    const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
    if (!match) return { ok: false, reason: 'missing Authorization: Bearer header' };
    const presented = match[1].trim();
    for (const secret of secrets) {
      if (constantTimeEquals(presented, secret.value)) return { ok: true, matchedSecret: secret.which };
    }
    return { ok: false, reason: 'bearer token does not match' };
  },
};

/** Compares digests so that neither content nor length leaks through timing. */
export function constantTimeEquals(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
