import { authErrors, idParam, invalid, json, notFound, ref } from './openapi-parts';

const job = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['running', 'done', 'interrupted'], description: 'interrupted: the server process running it stopped before the end' },
    selection: { type: 'object', description: 'The filters, ids and limit the job was started with' },
    total: { type: 'integer', description: 'Messages selected when the job started' },
    done: { type: 'integer', description: 'Messages handled so far (resubmitted or failed)' },
    failed: { type: 'integer' },
    errors: { type: 'array', description: 'The first 50 messages that could not go again', items: { type: 'object', properties: { from: { type: 'string' }, error: { type: 'string' } } } },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

/** Bulk resubmit jobs, for the OpenAPI document. */
export const RESUBMIT_JOB_PATHS = {
  '/api/messages/resubmit-jobs': {
    post: {
      tags: ['Messages'],
      summary: 'Resubmit every message matching a filter (or the ids), at most 10000, oldest first, as a background job',
      description: 'Count first with POST /api/messages/resubmit {…, "dryRun": true}. The copies are queued; read the progress at GET /api/messages/resubmit-jobs/{id}.',
      requestBody: { required: true, ...json(ref('BulkSelection')) },
      responses: { 202: { description: 'Started (or done at once when nothing matched)', ...json(job) }, ...invalid, ...authErrors },
    },
  },
  '/api/messages/resubmit-jobs/{id}': {
    parameters: [idParam],
    get: { tags: ['Messages'], summary: "A bulk resubmit job's progress", responses: { 200: { description: 'OK', ...json(job) }, ...authErrors, ...notFound } },
  },
};
