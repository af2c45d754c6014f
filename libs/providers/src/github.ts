import { verifyHubSignature } from './hub-signature';
import type { SignatureScheme } from './scheme';
import { signatureOnly } from './verification';

/** GitHub (and GHES): HMAC-SHA256 of the raw body in `X-Hub-Signature-256`. */
export const githubScheme: SignatureScheme = {
  name: 'github',
  description: 'The sender sends `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`; the secret is the webhook secret, as typed.',
  needsSecret: true,
  credentialHeaders: signatureOnly,
  verify: (input) => verifyHubSignature(input, { header: 'x-hub-signature-256', label: 'X-Hub-Signature-256', algorithm: 'sha256' }),
};
