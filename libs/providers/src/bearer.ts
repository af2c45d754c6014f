import { constantTimeEquals } from './compare';
import type { SignatureScheme } from './scheme';

/** `Authorization: Bearer <token>` must equal the secret (or the previous one until it expires). */
export const bearerScheme: SignatureScheme = {
  name: 'bearer',
  description: 'The sender sends `Authorization: Bearer <token>`; the secret is that token.',
  needsSecret: true,
  credentialHeaders: () => ['authorization'],
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

// Kept importable from here, where it used to live.
export { constantTimeEquals } from './compare';
