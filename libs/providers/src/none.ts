import type { SignatureScheme } from './scheme';

/** No verification: every message is accepted. */
export const noneScheme: SignatureScheme = {
  name: 'none',
  description: 'Nothing is verified: every request is accepted and no secret is used.',
  needsSecret: false,
  credentialHeaders: () => [],
  verify: () => ({ ok: true }),
};
