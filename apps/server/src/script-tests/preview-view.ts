import { z } from 'zod';
import { MESSAGE_STATUSES } from '../../../../libs/engine/src/message';
import { instant, uuid } from '../docs/contract';

/** A script error with the line and column in the admin's own script, when the error names one. */
export const ScriptErrorView = z
  .strictObject({
    kind: z.enum(['error', 'timeout', 'memory', 'compile']),
    message: z.string(),
    stack: z.string().optional().describe('The frames in the script itself'),
    line: z.number().int().optional().describe('Line in the script, when the error names one'),
    column: z.number().int().optional(),
  })
  .meta({ id: 'ScriptError' });

export const NamedView = z.strictObject({ id: z.string(), name: z.string() });
export type Named = z.output<typeof NamedView>;

const routing = {
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  functions: z.array(NamedView),
};

/** What identification decides; `accepted` stands for every status after a provider took the message. */
export const DRAFT_STATUSES = ['accepted', 'no_provider', 'unauthorized'] as const;

const PreviewItemView = z.strictObject({
  messageId: uuid,
  receivedAt: instant,
  method: z.string(),
  uri: z.string(),
  eventType: z.string().nullable(),
  actual: z.strictObject({ status: z.enum(MESSAGE_STATUSES), ...routing }).describe('What happened: the stored status, provider and the functions that ran'),
  draft: z
    .strictObject({
      status: z.enum(DRAFT_STATUSES),
      ...routing,
      functions: routing.functions.describe('Functions whose condition holds; their bodies do not run'),
      errors: z.array(NamedView.extend({ error: ScriptErrorView })).optional(),
    })
    .describe('What the draft would do: the provider, and the functions whose condition holds'),
  changed: z.boolean(),
  changes: z.array(z.enum(['provider', 'functions'])),
});
export type PreviewItem = z.output<typeof PreviewItemView>;

/** The answer of POST /api/preview; the console imports its type. */
export const PreviewView = z
  .strictObject({
    limit: z.number().int(),
    counts: z.strictObject({ messages: z.number().int(), changed: z.number().int() }),
    durationMs: z.number().int(),
    order: z.array(NamedView).describe('The enabled providers in the draft order'),
    scriptErrors: z.record(z.string(), ScriptErrorView).describe('Draft match scripts that do not compile, by provider id'),
    items: z.array(PreviewItemView).describe('Newest first'),
  })
  .meta({ id: 'Preview' });
export type PreviewView = z.output<typeof PreviewView>;
