/**
 * Header names whose values are credentials: the session and admin credentials, and the
 * signature or token header of every built-in scheme (libs/providers). Lower case, as Node
 * hands headers over.
 */
export const SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-hub-signature',
  'x-hub-signature-256',
  'stripe-signature',
  'svix-signature',
  'webhook-signature',
  'x-slack-signature',
  'x-gitlab-token',
  'x-shopify-hmac-sha256',
  'x-signature',
  'x-signature-256',
  'x-signature-512',
  'x-webhook-signature',
  'x-hook-secret',
  'x-hook-token',
  'x-api-key',
  'x-runner-token',
] as const;

/** Field names that hold a secret wherever they appear in a logged object. */
const SECRET_FIELDS = ['password', 'newPassword', 'currentPassword', 'secret', 'secrets', 'token', 'accessToken', 'apiKey', 'masterKey', 'credentials', 'credentialsSealed'];

export const CENSOR = '[redacted]';

/**
 * pino redaction paths: each secret field at the top and two levels down, and each secret header
 * inside any `headers` object up to two levels down (`headers`, `req.headers`, `request.headers`).
 */
export function redactionPaths(): string[] {
  const paths: string[] = [];
  for (const field of SECRET_FIELDS) paths.push(field, `*.${field}`, `*.*.${field}`);
  for (const header of SECRET_HEADERS) {
    const key = `["${header}"]`;
    paths.push(`headers${key}`, `*.headers${key}`, `*.*.headers${key}`);
  }
  return paths;
}
