import { createStandardWebhooksScheme } from './standard-webhooks';

/** Svix: Standard Webhooks under `svix-*` header names (it also sends or accepts `webhook-*`). */
export const svixScheme = createStandardWebhooksScheme({
  name: 'svix',
  description:
    'The sender sends `svix-id`, `svix-timestamp` and `svix-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">` (or the same as `webhook-*`); the secret is the endpoint\'s whsec_<base64> signing secret.',
  preferredHeaders: 'svix',
});
