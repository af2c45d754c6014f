import { createStandardWebhooksScheme } from './standard-webhooks';

/** GitLab 19.0's HMAC signing token is Standard Webhooks exactly (`webhook-id` = Idempotency-Key). */
export const gitlabSigningScheme = createStandardWebhooksScheme({
  name: 'gitlab-signing',
  description:
    'The sender (GitLab with a signing token) sends `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`; the secret is the whsec_<base64> signing token.',
  preferredHeaders: 'webhook',
});
