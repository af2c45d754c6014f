import { z } from 'zod';
import { AnswerView } from '../ingress/answer-view';
import { ResubmitInput } from '../messages/resubmit-edit';
import {
  BulkCountView,
  BulkResubmitView,
  BulkSelectionInput,
  MessageChangeView,
  MessageFilterQuery,
  MessagePageView,
  MessageView,
  ResubmitJobView,
} from '../messages/message-view';
import { ErrorBody, idParams, invalid, notFound, uuid, type Routes } from './contract';

const tags = ['Messages'];

/** The list's paging, as MessagesService.list checks it. */
const ListQuery = MessageFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().describe('nextCursor of the page before'),
});

/** Where a reconnecting stream resumes, as MessagesController.openStream reads it. */
const StreamQuery = MessageFilterQuery.extend({ lastEventId: z.string().optional().describe('The same as Last-Event-ID, for clients that cannot set headers') });
const StreamHeaders = z.object({ 'Last-Event-ID': z.string().optional().describe('The id of the last event received, e.g. 1042-7781') });

/** A bulk resubmit's body, as parseBulkSelection and MessagesService.resubmitMany check it. */
const BulkResubmitInput = BulkSelectionInput.extend({ dryRun: z.boolean().default(false).describe('Only count the messages') });

/** Messages: the list, the live stream, one message and its body, and resubmitting one or many. */
export const MESSAGE_ROUTES: Routes = {
  '/api/messages': {
    get: {
      tags,
      access: 'viewer',
      summary: 'Messages, newest first, with cursor paging',
      query: ListQuery,
      responses: { 200: { description: 'A page', body: MessagePageView }, ...invalid },
    },
  },
  '/api/messages/stream': {
    get: {
      tags,
      access: 'viewer',
      summary: 'Server-sent events: each new message and each status change, live',
      description:
        'Each event has an `id:`; reconnecting with the `Last-Event-ID` header (or `lastEventId`) sends every matching change since, read from the database. Without one, the stream starts now. A `: keep-alive` comment comes every 15 s. Changes are kept for 24 hours.',
      query: StreamQuery,
      headers: StreamHeaders,
      responses: {
        200: { description: 'An endless text/event-stream; each data line is one MessageChange as JSON', content: { 'text/event-stream': { schema: MessageChangeView } } },
        ...invalid,
      },
    },
  },
  '/api/messages/resubmit': {
    post: {
      tags,
      access: 'editor',
      summary: 'Resubmit every message matching a filter, or the listed ids (at most 1000, oldest first, queued); or with dryRun only count them',
      body: BulkResubmitInput,
      responses: {
        202: { description: 'Resubmitted', body: BulkResubmitView },
        200: { description: 'dryRun: how many match, and how many a resubmit with this limit would take', body: BulkCountView },
        ...invalid,
      },
    },
  },
  '/api/messages/resubmit-jobs': {
    post: {
      tags,
      access: 'editor',
      summary: 'Resubmit every message matching a filter (or the ids), at most 10000, oldest first, as a background job',
      description: 'Count first with POST /api/messages/resubmit {…, "dryRun": true}. The copies are queued; read the progress at GET /api/messages/resubmit-jobs/{jobId}.',
      body: BulkSelectionInput,
      responses: { 202: { description: 'Started (or done at once when nothing matched)', body: ResubmitJobView }, ...invalid },
    },
  },
  '/api/messages/resubmit-jobs/{jobId}': {
    get: {
      tags,
      access: 'viewer',
      summary: "A bulk resubmit job's progress",
      params: z.object({ jobId: uuid }),
      responses: { 200: { description: 'OK', body: ResubmitJobView }, ...notFound },
    },
  },
  '/api/messages/{id}': {
    get: {
      tags,
      access: 'viewer',
      summary: 'A message with its headers, body text and full trace',
      params: idParams,
      responses: { 200: { description: 'OK', body: MessageView }, ...notFound },
    },
  },
  '/api/messages/{id}/body': {
    get: {
      tags,
      access: 'viewer',
      summary: 'The raw body bytes, with the original content type',
      params: idParams,
      responses: {
        200: { description: 'The body, as an attachment', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
        ...notFound,
      },
    },
  },
  '/api/messages/{id}/resubmit': {
    post: {
      tags,
      access: 'editor',
      summary: 'Process the same request again, or an edited copy, as a new, linked message',
      description: "Without headers and body the request is sent as stored. Edits are recorded in the new message's trace.edited (header names and whether the body changed, never values).",
      params: idParams,
      body: ResubmitInput,
      bodyRequired: false,
      responses: {
        202: { description: 'Queued', body: AnswerView },
        200: { description: 'sync: processed', body: AnswerView },
        ...invalid,
        // The ingress's answer to the copy: its 401 says the copy failed verification, not the caller.
        401: { description: 'Not logged in, or the token expired (an Error); or, sync, the copy failed verification (an Answer)', body: z.union([ErrorBody, AnswerView]) },
        404: { description: 'No such message, or (sync) nothing ran', body: z.union([ErrorBody, AnswerView]) },
        500: { description: 'sync: a function failed', body: AnswerView },
      },
    },
  },
};
