import { CreateRunnerInput, UpdateRunnerInput } from '../tasks/runners.service';
import { authErrors, error, idParam, invalid, json, notFound, ref, requestSchema } from './openapi-parts';

const nullableString = { type: ['string', 'null'] };

/** GET /api/events/stream and the runner routes that scope it, for the OpenAPI document. */
export const EVENT_STREAM_PATHS = {
  '/api/events/stream': {
    get: {
      tags: ['Runners'],
      summary: 'Server-sent events for runners: each accepted message with a normalized event, and the frames of parked tasks',
      description: [
        'Takes a runner token or a login of any role (session or personal token). Frames: `event: pluginWebhook` (data: PluginWebhookFrame) for every accepted message with a normalized event;',
        '`event: taskResumed` and `event: taskMessage` for the runner\'s own tasks (an admin sees all). Each frame\'s `id:` is its number in the event log.',
        'Reconnecting with `Last-Event-ID` (or `lastEventId`) sends every frame since that is still kept (HOOKLINE_EVENT_RETENTION, 3 days), then the live ones;',
        'when older frames were removed, the first frame is `event: gap` (GapFrame). Without one the stream starts live; `from=0` replays every frame kept.',
        'A runner scoped to providers sees only their pluginWebhook frames. A `: heartbeat` comment comes every HOOKLINE_STREAM_HEARTBEAT (15 s).',
        'A client whose connection takes no data for HOOKLINE_STREAM_DRAIN_TIMEOUT, or that falls HOOKLINE_STREAM_MAX_LAG frames further behind, gets `event: reconnect` (ReconnectFrame) and the stream ends.',
      ].join(' '),
      security: [{ runnerToken: [] }, { bearer: [] }, { cookie: [] }],
      parameters: [
        { name: 'key', in: 'query', description: 'Only pluginWebhook frames with one of these event keys: a comma-separated list, `*` matching anything (`pull_request:*,push`)', schema: { type: 'string' } },
        { name: 'repository', in: 'query', description: 'Only pluginWebhook frames of one of these repositories, case-insensitive: a comma-separated list, `*` matching anything (`octo-org/*`)', schema: { type: 'string' } },
        { name: 'Last-Event-ID', in: 'header', description: 'Resume after this frame', schema: { type: 'string', example: '1042' } },
        { name: 'lastEventId', in: 'query', description: 'The same, for clients that cannot set headers; the header wins', schema: { type: 'string' } },
        { name: 'from', in: 'query', description: '0: replay every frame still kept, then go on live (a Last-Event-ID wins over it)', schema: { type: 'string', enum: ['0'] } },
      ],
      responses: {
        200: {
          description: 'An endless text/event-stream of frames',
          content: { 'text/event-stream': { schema: { oneOf: [ref('PluginWebhookFrame'), ref('GapFrame'), ref('ReconnectFrame')] } } },
        },
        ...invalid,
        401: error('No token, or neither a runner token nor a valid login'),
      },
    },
  },
  '/api/runners': {
    get: { tags: ['Runners'], summary: 'Registered runners (never their tokens)', responses: { 200: { description: 'OK', ...json({ type: 'array', items: ref('Runner') }) }, ...authErrors } },
    post: {
      tags: ['Runners'],
      summary: 'Register a runner, optionally scoped to providers; the answer holds its token, shown this once',
      requestBody: { required: true, ...json(requestSchema(CreateRunnerInput)) },
      responses: {
        201: { description: 'The runner and its token', ...json({ allOf: [ref('Runner'), { type: 'object', properties: { token: { type: 'string', description: 'hlr_…; shown only in this answer' } } }] }) },
        400: error('A field is invalid, or providers names no provider; `fields` names each one'),
        ...authErrors,
      },
    },
  },
  '/api/runners/{id}': {
    parameters: [idParam],
    put: {
      tags: ['Runners'],
      summary: "Rename a runner or change its providers; its open event streams are asked to reconnect with the new scope",
      requestBody: { required: true, ...json(requestSchema(UpdateRunnerInput)) },
      responses: { 200: { description: 'The runner', ...json(ref('Runner')) }, 400: error('A field is invalid, or providers names no provider'), ...authErrors, ...notFound },
    },
    delete: { tags: ['Runners'], summary: 'Revoke a runner token; its open event streams end', responses: { 204: { description: 'Revoked' }, ...authErrors, ...notFound } },
  },
};

export const EVENT_STREAM_SCHEMAS = {
  Runner: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      providers: { type: ['array', 'null'], items: { type: 'string', format: 'uuid' }, description: 'The providers whose events it sees; null for every provider' },
      createdAt: { type: 'string', format: 'date-time' },
      lastSeenAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  PluginWebhookFrame: {
    type: 'object',
    description: "The data of an `event: pluginWebhook` frame: an accepted message's normalized event; fields the event does not have are null",
    properties: {
      id: { type: 'integer', description: "The frame's number, as in its `id:`" },
      messageId: { type: 'string', format: 'uuid' },
      provider: { type: 'string', format: 'uuid', description: 'The provider id' },
      providerName: { type: 'string' },
      key: { type: 'string', example: 'pull_request:merged' },
      type: { type: 'string', example: 'pull_request' },
      action: nullableString,
      repository: nullableString,
      branch: nullableString,
      sha: nullableString,
      pullRequest: { type: ['object', 'null'], properties: { number: { type: 'integer' }, state: { type: 'string' }, merged: { type: 'boolean' } } },
      issue: { type: ['string', 'integer', 'null'] },
      actor: nullableString,
      url: nullableString,
      receivedAt: { type: 'string', format: 'date-time' },
    },
  },
  GapFrame: {
    type: 'object',
    description: 'The data of an `event: gap` frame (no id): frames after requestedAfter and before oldestAvailable were removed by retention',
    properties: { requestedAfter: { type: 'integer' }, oldestAvailable: { type: 'integer' } },
  },
  ReconnectFrame: {
    type: 'object',
    description: 'The data of an `event: reconnect` frame, the last before the server ends the stream: reconnect with Last-Event-ID',
    properties: { reason: { type: 'string' } },
  },
};
