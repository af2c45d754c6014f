import { z } from 'zod';
import { SchemeName } from '../common/ids';

const Verification = z.strictObject({
  scheme: SchemeName,
  secret: z.string({ error: 'must be a string, or null to remove it' }).min(1, 'must not be empty; use null to remove it').nullable().optional(),
  options: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
});

const fields = {
  name: z.string({ error: 'must be a string' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  description: z.string({ error: 'must be a string' }).max(2000, 'must be at most 2000 characters'),
  enabled: z.boolean({ error: 'must be true or false' }),
  verification: Verification,
  automationIds: z.array(z.string({ error: 'must be automation ids' }), { error: 'must be a list of automation ids' }).min(1, 'must link at least one automation').max(100, 'may list at most 100 automations'),
  cooldownSeconds: z.number({ error: 'must be a whole number of seconds' }).int('must be a whole number of seconds').min(0, 'must be at least 0').max(86_400, 'must be at most 86400'),
};

export const CreateEndpointInput = z.strictObject({
  name: fields.name,
  description: fields.description.optional(),
  enabled: fields.enabled.optional(),
  verification: fields.verification.optional(),
  automationIds: fields.automationIds,
  cooldownSeconds: fields.cooldownSeconds.optional(),
}).meta({ id: 'EndpointInput' });

/** PUT changes only the fields it names. */
export const UpdateEndpointInput = z.strictObject({
  name: fields.name.optional(),
  description: fields.description.optional(),
  enabled: fields.enabled.optional(),
  verification: fields.verification.partial().optional(),
  automationIds: fields.automationIds.optional(),
  cooldownSeconds: fields.cooldownSeconds.optional(),
}).meta({ id: 'EndpointUpdate', description: 'Only the fields given change' });
