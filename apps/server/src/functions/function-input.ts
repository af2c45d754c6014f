import { z } from 'zod';
import { RetryInput } from '../common/retry-policies';
import { VersionComment } from '../versions/version-input';
import { AnswerModeInput } from '../providers/provider-input';

const uri = z
  .string({ error: 'must be a string such as git/push' })
  .transform((value) => value.trim().replace(/^\/+|\/+$/g, ''))
  .pipe(
    z
      .string()
      .min(1, 'is required, e.g. git/push')
      .max(1000, 'must be at most 1000 characters')
      .regex(/^[^?#\s]+$/, 'is a path only: no spaces, query string or fragment (query parameters never take part in matching)'),
  );

const fields = {
  name: z.string({ error: 'must be a string' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  providerId: z.uuid({ error: 'must be the id of a provider' }),
  uri,
  enabled: z.boolean({ error: 'must be true or false' }),
  script: z.string({ error: 'must be a string' }).max(200_000, 'must be at most 200000 characters'),
  condition: z.string({ error: 'must be a JavaScript expression or null' }).max(10_000, 'must be at most 10000 characters').nullable(),
  timeoutMs: z
    .number({ error: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1, 'must be at least 1')
    .max(300_000, 'must be at most 300000 (5 minutes)'),
  retry: RetryInput,
  /** Null takes the provider's mode. */
  answerMode: AnswerModeInput.nullable().describe("Overrides the provider's answer mode; null takes the provider's"),
  automationIds: z
    .array(z.string({ error: 'must be automation ids' }), { error: 'must be a list of automation ids' })
    .max(100, 'may list at most 100 automations')
    .describe('Automations the function may start: all of them when its script is empty, else those its script starts with automations.trigger()'),
};

export const CreateFunctionInput = z.strictObject({
  name: fields.name,
  providerId: fields.providerId,
  uri: fields.uri,
  enabled: fields.enabled.optional(),
  script: fields.script.optional(),
  condition: fields.condition.optional(),
  timeoutMs: fields.timeoutMs.optional(),
  automationIds: fields.automationIds.optional(),
  retry: fields.retry.optional(),
  answerMode: fields.answerMode.optional(),
  comment: VersionComment,
}).meta({ id: 'FunctionInput' });

/** PUT changes only the fields it names. */
export const UpdateFunctionInput = z.strictObject({
  name: fields.name.optional(),
  providerId: fields.providerId.optional(),
  uri: fields.uri.optional(),
  enabled: fields.enabled.optional(),
  script: fields.script.optional(),
  condition: fields.condition.optional(),
  timeoutMs: fields.timeoutMs.optional(),
  automationIds: fields.automationIds.optional(),
  retry: fields.retry.optional(),
  answerMode: fields.answerMode.optional(),
  /** Kept with the version this save makes, if it makes one. */
  comment: VersionComment,
}).meta({ id: 'FunctionChanges', description: 'The fields to change; the others stay' });
