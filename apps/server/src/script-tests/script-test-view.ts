import { z } from 'zod';
import { instant } from '../docs/contract';
import { NamedView, ScriptErrorView } from './preview-view';

const RequestSummaryView = z.strictObject({ messageId: z.string().nullable(), method: z.string(), uri: z.string() });
const notes = z.array(z.string()).optional().describe('What was assumed about a pasted request');
const event = {
  eventType: z.string().nullable(),
  event: z.record(z.string(), z.unknown()).nullable(),
};

/** The answer of POST /api/functions/{id}/test. */
export const FunctionTestResultView = z
  .strictObject({
    function: NamedView,
    request: RequestSummaryView,
    notes,
    ...event,
    status: z.enum(['succeeded', 'failed', 'timed_out', 'skipped']).describe('skipped: the condition did not hold'),
    condition: z
      .strictObject({ expression: z.string(), value: z.boolean(), error: ScriptErrorView.optional(), retriedAfterTimeout: z.boolean().optional() })
      .optional()
      .describe('Absent when the function has none'),
    result: z.unknown().optional().describe('The return value'),
    respond: z
      .strictObject({ status: z.number().int(), headers: z.record(z.string(), z.string()), body: z.unknown() })
      .optional()
      .describe('What respond() would have answered'),
    logs: z.array(z.strictObject({ level: z.enum(['info', 'warn', 'error']), message: z.string(), at: instant })),
    error: ScriptErrorView.optional(),
    durationMs: z.number(),
    fetches: z
      .array(
        z.strictObject({
          method: z.string(),
          url: z.string(),
          headers: z.record(z.string(), z.string()),
          body: z.string().optional(),
          refused: z.string().optional(),
        }),
      )
      .describe('http.fetch calls, recorded and not sent; `refused` says why a real run would have been refused'),
    automations: z
      .array(
        z.strictObject({
          automationId: z.string().nullable(),
          automation: z.string(),
          vars: z.record(z.string(), z.unknown()),
          refused: z.string().optional(),
        }),
      )
      .describe('Automations the run would have started; no run was created'),
  })
  .meta({ id: 'FunctionTestResult' });
export type FunctionTestResultView = z.output<typeof FunctionTestResultView>;

/** The answer of POST /api/providers/{id}/test. */
export const ProviderTestResultView = z
  .strictObject({
    provider: NamedView,
    request: RequestSummaryView,
    notes,
    matched: z.boolean(),
    durationMs: z.number(),
    retriedAfterTimeout: z.boolean().optional(),
    error: ScriptErrorView.optional(),
    verification: z
      .strictObject({
        scheme: z.string(),
        ok: z.boolean(),
        reason: z.string().optional(),
        matchedSecret: z.enum(['current', 'previous']).optional(),
        overridden: z.boolean().optional(),
      })
      .optional()
      .describe('Only when it matched'),
    accepted: z.boolean().describe('Matched, and the signature holds (one only too old counts, as on resubmit)'),
    eventType: event.eventType.optional(),
    event: event.event.optional(),
    deliveryId: z.string().nullable().optional(),
  })
  .meta({ id: 'ProviderTestResult' });
export type ProviderTestResultView = z.output<typeof ProviderTestResultView>;
