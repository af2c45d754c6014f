import { z } from 'zod';
import { isKeyPattern } from '../../../../libs/engine/src';

/** The longest a task may stay parked: 30 days. */
export const MAX_PARK_SECONDS = 30 * 24 * 3600;
/** How long a task stays parked when the runner does not say: 7 days. */
export const DEFAULT_PARK_SECONDS = 7 * 24 * 3600;

const pin = (max: number) => z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const WaitInput = z.strictObject({
  key: z
    .string({ error: 'is required: an event key such as pull_request:merged' })
    .refine(isKeyPattern, 'must be an event key such as pull_request:merged, or a prefix ending in * (pull_request:*, *), without spaces'),
  repository: pin(300).optional(),
  branch: pin(300).optional(),
  pullRequest: z.number({ error: 'must be a pull request number' }).int('must be a whole number').positive('must be positive').optional(),
  issue: z.union([pin(200), z.number().int('must be a whole number')], { error: 'must be an issue key such as PROJ-12 or a number' }).optional(),
  where: pin(10_000).optional(),
}).meta({ id: 'TaskWaitInput' });

/** `POST /api/tasks/:id/park`. */
export const ParkInput = z.strictObject({
  waitFor: z.array(WaitInput, { error: 'must be a list of conditions, such as [{"key":"pull_request:merged"}]' }).min(1, 'must list at least one condition').max(20, 'must list at most 20 conditions'),
  timeoutSeconds: z
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .positive('must be positive')
    .max(MAX_PARK_SECONDS, `must be at most ${MAX_PARK_SECONDS} (30 days)`)
    .default(DEFAULT_PARK_SECONDS),
  onTimeout: z.enum(['fail', 'resume'], { error: 'must be fail or resume' }).default('fail'),
});

export type ParkInput = z.infer<typeof ParkInput>;
