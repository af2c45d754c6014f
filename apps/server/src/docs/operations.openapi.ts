import { z } from 'zod';
import { HealthView, ReadinessView } from '../health-view';
import { AnswerView } from '../ingress/answer-view';
import { error, type Routes } from './contract';

/** SYNC_HEADER of the ingress controller, as a header or a query parameter. */
const forceSync = z.enum(['true']).optional();

/** The document itself, checked no deeper than its frame: its content is what this file and its kin generate. */
const OpenApiView = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/** The ingress, the probes, the metrics and this document. */
export const OPERATION_ROUTES: Routes = {
  '/webhooks/{uri}': {
    post: {
      tags: ['Ingress'],
      access: 'public',
      summary: "Receive a webhook (any HTTP method), answered as the provider's answer mode says; flex-sync-webhook: true (header or query) waits for the functions.",
      params: z.object({ uri: z.string().describe('Any depth, e.g. git/push; the query string is not part of it') }),
      query: z.object({ 'flex-sync-webhook': forceSync.describe('The same as the header, for senders that can set only a URL') }),
      headers: z.object({ 'flex-sync-webhook': forceSync }),
      rawBody: { '*/*': { schema: {} } },
      responses: {
        202: { description: 'Stored and queued (async, or respond with no respond() within respondTimeoutMs), or sync functions outlasted HOOKLINE_SYNC_TIMEOUT', body: AnswerView },
        200: {
          description:
            "sync: every function succeeded; sync or respond: what respond() set; async: the provider's fixed answer, if it has one; either mode: a duplicate of an accepted delivery (status duplicate, duplicateOf)",
          body: AnswerView,
        },
        401: { description: 'Verification failed', body: AnswerView },
        404: { description: 'sync: no provider matched, or no function ran', body: AnswerView },
        413: error('Body larger than HOOKLINE_MAX_BODY'),
        500: { description: 'sync: a function threw or timed out', body: AnswerView },
        503: error('The message could not be stored; nothing was accepted, send it again'),
      },
    },
  },
  '/health': {
    get: {
      tags: ['Operations'],
      access: 'public',
      summary: 'Liveness: the process is up and serves HTTP. No login; also on the webhook-only listener',
      responses: { 200: { description: '{"status":"ok"}', body: HealthView } },
    },
  },
  '/ready': {
    get: {
      tags: ['Operations'],
      access: 'public',
      summary:
        'Readiness: the database answers, migrations are applied and (ingress and worker roles) the sandbox runs a script, each checked within a second. No login; also on the webhook-only listener, and served by processes of every role',
      responses: {
        200: { description: 'Ready', body: ReadinessView },
        503: { description: 'Not ready: each failing check says why', body: ReadinessView },
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['Operations'],
      access: 'public',
      security: [{ metricsToken: [] }],
      summary:
        'Prometheus metrics in the text format (docs/operations.md#metrics). Served with the bearer token HOOKLINE_METRICS_TOKEN on the main port and the webhook-only listener; off (404) while that setting is unset.',
      responses: {
        200: { description: 'The metrics', content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: { type: 'string' } } } },
        401: error('The request does not carry HOOKLINE_METRICS_TOKEN as a bearer token'),
        404: error('HOOKLINE_METRICS_TOKEN is unset, so metrics are off: the message says how to turn them on'),
      },
    },
  },
  '/api/docs': {
    get: { tags: ['Docs'], access: 'viewer', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', body: OpenApiView } } },
  },
  '/api/reference': {
    get: {
      tags: ['Docs'],
      access: 'viewer',
      summary: 'This document as a page to read in a browser. A browser without a session is sent (303) to the console login, which comes back here',
      responses: {
        200: { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } },
        303: 'To /login?returnUrl=/api/reference (a browser asking for text/html, with no Authorization header and no valid session cookie)',
      },
    },
  },
  '/api/reference/standalone.js': {
    get: {
      tags: ['Docs'],
      access: 'viewer',
      summary: "The reference page's script (Scalar), gzipped when the browser takes it",
      responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } } },
    },
  },
};
