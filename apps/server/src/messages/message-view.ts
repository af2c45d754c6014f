import { z } from 'zod';
import { MESSAGE_STATUSES } from '../../../../libs/engine/src';
import { instant, pageOf, uuid } from '../docs/contract';
import { FILTER_NAMES, SEARCH_BODY_BYTES } from './message-filter';

/** A JSON object the API passes on as stored (a trace, a normalized event), typed as the code knows it. */
const storedObject = <T extends object>(description: string) =>
  z.custom<T>((value) => typeof value === 'object' && value !== null && !Array.isArray(value)).meta({ type: 'object', description } as never);

export const MessageStatusSchema = z
  .enum(MESSAGE_STATUSES)
  .meta({ id: 'MessageStatus', description: 'dead: its functions failed and their retries ran out; received: only on messages stored by older versions, before identifying' });

/** A message as lists and the live stream show it: everything but headers, body and trace. */
export const MessageSummaryView = z
  .strictObject({
    id: uuid,
    receivedAt: instant,
    method: z.string(),
    uri: z.string(),
    status: MessageStatusSchema,
    statusReason: z.string().nullable(),
    providerId: uuid.nullable(),
    providerName: z.string().nullable(),
    eventType: z.string().nullable(),
    eventKey: z.string().nullable().describe('event.key of the normalized event'),
    deliveryId: z.string().nullable(),
    httpStatus: z.number().int().nullable(),
    sync: z.boolean(),
    triggeredBy: z.enum(['webhook', 'resubmit']),
    resubmittedFrom: uuid.nullable(),
    nextAttemptAt: instant.nullable().describe('When a message queued for a retry is due'),
    finishedAt: instant.nullable(),
    bodySize: z.number().int(),
  })
  .meta({ id: 'MessageSummary' });
export type MessageSummaryView = z.output<typeof MessageSummaryView>;

export const MessagePageView = pageOf(MessageSummaryView).extend({
  partial: z.boolean().describe('A search stopped at its scan limit before filling the page; nextCursor continues it'),
});
export type MessagePageView = z.output<typeof MessagePageView>;

/** A message with its request, body text and full trace. */
export const MessageView = MessageSummaryView.extend({
  path: z.string(),
  query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  headers: z.record(z.string(), z.string()).describe('Lower-case names; credential headers (authorization, x-gitlab-token, ...) read "[redacted]"'),
  contentType: z.string().nullable(),
  sourceAddress: z.string().nullable(),
  attempts: z.number().int(),
  event: storedObject<import('../../../../libs/engine/src').ScriptEvent>(
    'The normalized event {provider, type, action, key, repository, branch, sha, beforeSha, actor, url, pullRequest}',
  ).nullable(),
  body: z.string().nullable().describe('The body as text when it is UTF-8 (first 256 KB); the raw bytes are at /body'),
  bodyEncoding: z.enum(['utf8', 'binary']),
  bodyTruncated: z.boolean(),
  trace: storedObject<import('../../../../libs/engine/src').MessageTrace & { resumedTasks?: unknown[] }>(
    'Providers evaluated, verification (with matchedSecret: current or previous), each function run, the answer given (status, by engine or function, and its mode: mode, modeSource provider/function/header/query, fixed, respondTimeoutMs when respond() did not come in time); for a resubmission resubmittedFrom, and edited {headersAdded, headersChanged, headersRemoved, bodyChanged} when it was edited',
  ),
  resubmissions: z.array(MessageSummaryView).describe('Messages resubmitted from this one, oldest first (each names this one in resubmittedFrom)'),
}).meta({ id: 'Message' });
export type MessageView = z.output<typeof MessageView>;

/** One event of the live stream (the data line of each server-sent event). */
export const MessageChangeView = z
  .strictObject({
    change: z.enum(['created', 'status']),
    status: MessageStatusSchema.describe('The status this change set'),
    previousStatus: MessageStatusSchema.nullable(),
    at: instant,
    message: MessageSummaryView.describe('The message as it is when the event is sent'),
  })
  .meta({ id: 'MessageChange' });
export type MessageChangeView = z.output<typeof MessageChangeView>;

const filterDescriptions: Record<(typeof FILTER_NAMES)[number], string> = {
  status: 'Only this status (on the stream: changes to this status)',
  providerId: 'Only messages of this provider',
  uri: 'Only this exact uri',
  uriPrefix: 'Only uris starting with this text',
  eventType: 'Only this event type',
  since: 'Received at or after this time',
  until: 'Received before this time',
  q: `Text in the first ${SEARCH_BODY_BYTES / 1024} KB of the body, case-insensitive for ASCII letters. A search reads at most HOOKLINE_SEARCH_SCAN_ROWS (5000) messages per request: a short page with partial=true continues at nextCursor`,
};

/**
 * The filters of the list, the stream and the bulk resubmits, as parseFilter (message-filter.ts)
 * checks them; written here for the document.
 */
export const MessageFilterQuery = z.object({
  status: MessageStatusSchema.optional().describe(filterDescriptions.status),
  providerId: uuid.optional().describe(filterDescriptions.providerId),
  uri: z.string().optional().describe(filterDescriptions.uri),
  uriPrefix: z.string().optional().describe(filterDescriptions.uriPrefix),
  eventType: z.string().optional().describe(filterDescriptions.eventType),
  since: instant.optional().describe(filterDescriptions.since),
  until: instant.optional().describe(filterDescriptions.until),
  q: z.string().max(200).optional().describe(filterDescriptions.q),
});

/** What a bulk resubmit takes, as parseBulkSelection (bulk-selection.ts) checks it. */
export const BulkSelectionInput = MessageFilterQuery.extend({
  ids: z.array(uuid).optional(),
  limit: z.number().int().min(1).optional(),
})
  .strict()
  .meta({ id: 'BulkSelection', description: 'ids, or at least one filter (see GET /api/messages); limit caps how many, oldest first' });

/** A bulk resubmit job's progress. */
export const ResubmitJobView = z
  .strictObject({
    id: uuid,
    status: z.enum(['running', 'done', 'interrupted']).describe('interrupted: the server process running it stopped before the end'),
    selection: z.record(z.string(), z.unknown()).describe('The filters, ids and limit the job was started with'),
    total: z.number().int().describe('Messages selected when the job started'),
    done: z.number().int().describe('Messages handled so far (resubmitted or failed)'),
    failed: z.number().int(),
    errors: z.array(z.strictObject({ from: uuid, error: z.string() })).describe('The first 50 messages that could not go again'),
    createdAt: instant,
    updatedAt: instant,
    finishedAt: instant.nullable(),
  })
  .meta({ id: 'ResubmitJob' });
export type ResubmitJobView = z.output<typeof ResubmitJobView>;

/** The answer of a bulk resubmit: each message resubmitted, oldest first, and its copy. */
export const BulkResubmitView = z.strictObject({
  count: z.number().int(),
  resubmitted: z.array(
    z.strictObject({ from: uuid.describe('The message resubmitted'), messageId: uuid.describe('Its copy'), status: z.number().int().describe('The HTTP status of the copy, as the ingress would answer it') }),
  ),
});
export type BulkResubmitView = z.output<typeof BulkResubmitView>;

/** The answer of a dry run: how many match, and how many a resubmit with this limit would take. */
export const BulkCountView = z.strictObject({ dryRun: z.literal(true), matching: z.number().int(), count: z.number().int(), limit: z.number().int() });
export type BulkCountView = z.output<typeof BulkCountView>;
