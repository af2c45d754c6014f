import { z } from 'zod';
import { RetryInput } from '../common/retry-policies';
import { AutomationTargetView, FAILURE_EVENTS, HTTP_METHODS } from './automation-view';
import { ScmPollInput } from './scm-poll-input';

const text = (max: number) => z.string({ error: 'must be a string' }).max(max, `must be at most ${max} characters`);
const headers = z.record(z.string(), z.string({ error: 'header values must be strings' }), { error: 'must be an object of strings' });

// Whether command or argv is given, and what they hold, is checked by prepareCommand in the service.
const CommandTarget = z.strictObject({
  kind: z.literal('command'),
  command: text(20_000).nullable().optional(),
  argv: z.array(text(20_000), { error: 'must be a list of strings: the program, then its arguments' }).max(1000, 'must have at most 1000 arguments').nullable().optional(),
  shell: z.boolean({ error: 'must be true or false' }).default(false),
  timeoutMs: z.number({ error: 'must be a whole number of milliseconds' }).int().min(100, 'must be at least 100').max(3_600_000, 'must be at most 3600000 (1 hour)').default(60_000),
});

const HttpTarget = z.strictObject({
  kind: z.literal('http'),
  method: z.enum(HTTP_METHODS, { error: 'must be GET, POST, PUT, PATCH or DELETE' }).default('POST'),
  url: text(4000).min(1, 'is required: the URL to call, e.g. https://ci.example.com/hooks/{{webhook.repository.name}}'),
  headers: headers.default({}),
  body: text(1_000_000).nullable().default(null),
  /** The older way to say `retry.attempts`; kept so that stored and scripted automations keep working. */
  retries: z.number({ error: 'must be a whole number' }).int().min(0, 'must be at least 0').max(20, 'must be at most 20').optional(),
  timeoutMs: z.number({ error: 'must be a whole number of milliseconds' }).int().min(100, 'must be at least 100').max(120_000, 'must be at most 120000').default(10_000),
});

const TaskTarget = z.strictObject({
  kind: z.literal('task'),
  name: text(500).min(1, 'is required: the task name runners see'),
  instructions: text(100_000).default(''),
  params: z.record(z.string(), z.unknown(), { error: 'must be an object' }).default({}),
});

export const Target = z
  .discriminatedUnion('kind', [CommandTarget, HttpTarget, TaskTarget], {
    error: 'must be an object whose kind is command, http or task',
  })
  .meta({ id: 'AutomationTargetInput', description: AutomationTargetView.description });

const fields = {
  name: text(200).trim().min(1, 'is required'),
  description: text(2000),
  enabled: z.boolean({ error: 'must be true or false' }),
  schedule: text(200).nullable(),
  timeZone: text(100).min(1, 'must be an IANA time zone such as Europe/Berlin'),
  target: Target,
  retry: RetryInput,
  events: z
    .array(z.enum(FAILURE_EVENTS, { error: `must be one of ${FAILURE_EVENTS.join(', ')}` }), { error: `must be a list of events: ${FAILURE_EVENTS.join(', ')}` })
    .max(FAILURE_EVENTS.length, `may list at most ${FAILURE_EVENTS.length} events`),
  scmPoll: ScmPollInput.nullable(),
};

export const CreateAutomationInput = z.strictObject({
  name: fields.name,
  description: fields.description.optional(),
  enabled: fields.enabled.optional(),
  schedule: fields.schedule.optional(),
  timeZone: fields.timeZone.optional(),
  target: fields.target,
  retry: fields.retry.optional(),
  events: fields.events.optional(),
  scmPoll: fields.scmPoll.optional(),
}).meta({ id: 'AutomationInput' });

/** PUT changes only the fields it names; a target is replaced whole. */
export const UpdateAutomationInput = z.strictObject({
  name: fields.name.optional(),
  description: fields.description.optional(),
  enabled: fields.enabled.optional(),
  schedule: fields.schedule.optional(),
  timeZone: fields.timeZone.optional(),
  target: fields.target.optional(),
  retry: fields.retry.optional(),
  events: fields.events.optional(),
  /** Replaced whole; null removes it. */
  scmPoll: fields.scmPoll.optional().describe('Replaced whole on PUT; null stops polling'),
}).meta({ id: 'AutomationUpdate', description: 'Only the fields given change; a target is replaced whole' });

export const ManualRunInput = z.strictObject({
  vars: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
});
