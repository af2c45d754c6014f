import { z } from 'zod';

/** A retry policy as the API answers it, with the defaults filled in. */
export const RetryPolicyView = z
  .strictObject({
    attempts: z.number().int().min(0).describe('Further attempts after the first one fails'),
    delayMs: z.number().int().min(0),
    maxDelayMs: z.number().int().min(0),
  })
  .meta({
    id: 'RetryPolicy',
    description:
      'Retries after a failure, kept in the database (next_attempt_at). The wait before retry n (0 first) is drawn between delayMs and min(maxDelayMs, delayMs × 3^(n+1)). ' +
      'Fields left out take the defaults: attempts 0 for functions, 5 for http automations (or their older retries field), 0 for command and task automations; ' +
      'delayMs HOOKLINE_RETRY_DELAY (1 s); maxDelayMs HOOKLINE_RETRY_MAX_DELAY (1 h).',
  });
