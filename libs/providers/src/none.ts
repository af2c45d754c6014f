import type { SignatureScheme } from './scheme';

/** No verification: every message is accepted. */
export const noneScheme: SignatureScheme = {
  name: 'none',
  needsSecret: false,
  verify: () => ({ ok: true }),
};
