import { verifyHubSignature } from './hub-signature';
import type { SignatureScheme } from './scheme';
import { signatureOnly } from './verification';

/**
 * The legacy SHA-1 header, for senders that send nothing better (older GitHub Enterprise,
 * Bitbucket Server, Gitea). Choose `github` whenever the sender also sends the SHA-256 header.
 */
export const githubSha1Scheme: SignatureScheme = {
  name: 'github-sha1',
  description: 'The sender sends `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body>` (older GitHub, Bitbucket Server, Gitea); the secret is the webhook secret, as typed.',
  needsSecret: true,
  credentialHeaders: signatureOnly,
  verify: (input) => verifyHubSignature(input, { header: 'x-hub-signature', label: 'X-Hub-Signature', algorithm: 'sha1' }),
};
