import { z } from 'zod';
import { SchemeName } from '../common/ids';
import { VersionComment } from '../versions/version-input';
import { DescriptorInput } from './descriptor-input';
import { AnswerModeSchema, EventFormatSchema } from './provider-view';

const MATCH_SCRIPT_REQUIRED = 'is required: a function body that returns true for requests this provider owns';

const text = (max: number) => z.string({ error: 'must be a string' }).max(max, `must be at most ${max} characters`);

const Verification = z.strictObject({
  scheme: SchemeName,
  secret: z
    .string({ error: 'must be a string, or null to remove it' })
    .min(1, 'must not be empty; use null to remove it')
    .nullable()
    .optional()
    .describe('Never answered (the view says secretConfigured); null removes it'),
  previousSecret: z.string({ error: 'must be a string, or null to remove it' }).min(1, 'must not be empty; use null to remove it').nullable().optional(),
  previousSecretExpiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2026-12-01T00:00:00Z' }).nullable().optional(),
  options: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
});

/** What a sender that wants a particular body gets in async mode; a 2xx, since the message was accepted. */
const FixedAnswerInput = z.strictObject(
  {
    status: z.number({ error: 'must be a whole number from 200 to 299' }).int('must be a whole number from 200 to 299').min(200, 'must be from 200 to 299').max(299, 'must be from 200 to 299'),
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/),
        z.string({ error: 'values must be strings' }).regex(/^[^\r\n]*$/, 'values must not contain line breaks'),
        { error: 'must be an object of HTTP header names to strings' },
      )
      .optional(),
    body: text(100_000).optional().meta({ default: '' }),
  },
  { error: 'must be an object like { status, headers, body }, or null for the usual 202' },
).meta({ id: 'FixedAnswerInput', description: 'Sent in place of the 202 in async mode; header names are stored lower-case' });

export const AnswerModeInput = AnswerModeSchema;

const fields = {
  name: text(200).trim().min(1, 'is required'),
  description: text(2000),
  priority: z.number({ error: 'must be a whole number' }).int('must be a whole number'),
  enabled: z.boolean({ error: 'must be true or false' }),
  matchScript: text(100_000),
  verification: Verification,
  properties: z.record(z.string(), z.string({ error: 'values must be strings' }), { error: 'must be an object of strings' }),
  secretProperties: z
    .record(z.string(), z.string({ error: 'must be a string, or null to remove it' }).min(1, 'must not be empty; use null to remove it').nullable(), {
      error: 'must be an object of names to strings',
    })
    .describe('Name → value, encrypted at rest, readable by scripts only as provider.secrets.<name>. On PUT, names listed are set (null removes one) and others stay'),
  eventFormat: EventFormatSchema,
  answerMode: AnswerModeInput,
  /** Its upper bound is the server's sync timeout, checked by the service. */
  respondTimeoutMs: z
    .number({ error: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1, 'must be at least 1')
    .describe("In respond mode: how long the sender waits for the first respond() before it gets a 202 (default 3000); at most the server's sync timeout (HOOKLINE_SYNC_TIMEOUT)"),
  fixedAnswer: FixedAnswerInput.nullable(),
  /** Generates the match script, verification and event format; fields sent beside it win. */
  descriptor: DescriptorInput,
};

/** Fields every save may leave out: a create takes defaults, a PUT keeps what is stored. */
const optionalHead = {
  description: fields.description.optional(),
  priority: fields.priority.optional(),
  enabled: fields.enabled.optional(),
};

const optionalSettings = {
  properties: fields.properties.optional(),
  /** Names it lists are set (or removed with null); on PUT, names it leaves out stay as they are. */
  secretProperties: fields.secretProperties.optional(),
  eventFormat: fields.eventFormat.optional(),
  answerMode: fields.answerMode.optional(),
  respondTimeoutMs: fields.respondTimeoutMs.optional(),
  fixedAnswer: fields.fixedAnswer.optional(),
};

export const CreateProviderInput = z
  .strictObject({
    ...fields,
    ...optionalHead,
    matchScript: fields.matchScript.min(1, MATCH_SCRIPT_REQUIRED).optional(),
    // The scheme may come from a descriptor instead.
    verification: fields.verification.extend({ scheme: SchemeName.optional() }).optional(),
    ...optionalSettings,
    descriptor: fields.descriptor.optional(),
    comment: VersionComment,
  })
  .superRefine((input, ctx) => {
    if (input.descriptor !== undefined) return;
    if (input.matchScript === undefined) ctx.addIssue({ code: 'custom', path: ['matchScript'], message: `${MATCH_SCRIPT_REQUIRED} (or send a descriptor to generate one)` });
    if (input.verification !== undefined && input.verification.scheme === undefined) ctx.addIssue({ code: 'custom', path: ['verification', 'scheme'], message: 'must be a scheme name' });
  })
  .meta({
    id: 'ProviderInput',
    description:
      'A create needs matchScript or descriptor. With a descriptor, matchScript, verification.scheme, verification.options and eventFormat default to what it generates; each one sent wins',
  });

/** PUT changes only the fields it names. */
export const UpdateProviderInput = z.strictObject({
  name: fields.name.optional(),
  ...optionalHead,
  matchScript: fields.matchScript.min(1, 'must not be empty').optional(),
  verification: fields.verification.partial().optional(),
  ...optionalSettings,
  /** Regenerates what it generates (fields sent beside it win); null forgets it, keeping the settings. */
  descriptor: fields.descriptor.nullable().optional(),
  /** Kept with the version this save makes, if it makes one. */
  comment: VersionComment,
}).meta({
  id: 'ProviderChanges',
  description: 'The fields to change; the others stay. A descriptor sent again regenerates what it generates (fields sent beside it win); null forgets it and keeps the settings',
});

export const OrderProvidersInput = z.strictObject({
  ids: z.array(z.uuid({ error: 'must be provider ids' }), { error: 'must list every provider id in the new order' }),
  comment: VersionComment,
});

export type CreateProviderInput = z.infer<typeof CreateProviderInput>;
export type UpdateProviderInput = z.infer<typeof UpdateProviderInput>;
