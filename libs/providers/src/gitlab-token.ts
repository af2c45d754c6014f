import { constantTimeEquals } from './compare';
import type { SignatureScheme } from './scheme';
import { NO_SECRET, failure, findMatchingSecret, readHeader, success } from './verification';

/** GitLab's secret token: sent in plain text, nothing is signed, so the body is not covered. */
export const gitlabTokenScheme: SignatureScheme = {
  name: 'gitlab-token',
  description: 'The sender sends `X-Gitlab-Token: <token>` (nothing is signed); the secret is that token.',
  needsSecret: true,
  credentialHeaders: () => ['x-gitlab-token'],
  verify({ headers, secrets }) {
    if (secrets.length === 0) return NO_SECRET;
    const token = readHeader(headers, 'x-gitlab-token');
    if (!token) return failure('missing X-Gitlab-Token header');
    const matched = findMatchingSecret(secrets, (secret) => constantTimeEquals(token, secret));
    return matched ? success(matched) : failure('X-Gitlab-Token does not match');
  },
};
