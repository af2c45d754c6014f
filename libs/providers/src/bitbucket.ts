import { verifyHubSignature } from './hub-signature';
import type { SignatureScheme } from './scheme';
import { signatureOnly } from './verification';

/**
 * Bitbucket Cloud and Data Center, and Jira admin webhooks: GitHub's algorithm under GitHub's
 * SHA-1 header name, carrying `sha256=`.
 */
export const bitbucketScheme: SignatureScheme = {
  name: 'bitbucket',
  description: 'The sender (Bitbucket Cloud or Data Center, Jira) sends `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`; the secret is the webhook secret, as typed.',
  needsSecret: true,
  credentialHeaders: signatureOnly,
  verify: (input) => verifyHubSignature(input, { header: 'x-hub-signature', label: 'X-Hub-Signature', algorithm: 'sha256' }),
};
