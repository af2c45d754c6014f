import { TASK_STATUSES } from '../database/entities/task.entity';
import { ParkInput } from '../tasks/park-input';
import { authErrors, error, idParam, invalid, json, notFound, ref, requestSchema } from './openapi-parts';

const tags = ['Runners'];
const runnerAuth = { security: [{ runnerToken: [] }] };
const runnerErrors = { 401: error('No or revoked runner token') };
const time = { type: ['string', 'null'], format: 'date-time' };

/** Tasks, parked tasks and their inbox, for runners and operators (docs/runners.md). */
export const TASK_SCHEMAS = {
  Task: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      runId: { type: 'string' },
      name: { type: 'string' },
      instructions: { type: 'string' },
      params: { type: 'object' },
      env: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Environment variables to set for the task: <REPO>_BRANCH, <REPO>_TRIGGER_SHA and <REPO>_SHA for a run started by a poll; else empty',
      },
      status: { type: 'string', enum: [...TASK_STATUSES] },
      parkedAt: time,
      waitFor: { type: ['array', 'null'], items: ref('TaskWait'), description: 'What the latest park waited for' },
      waitUntil: { ...time, description: 'A parked task\'s deadline' },
      onTimeout: { type: ['string', 'null'], enum: ['fail', 'resume', null] },
      resumedBy: {
        type: ['object', 'null'],
        description: 'What resumed it: {messageId, provider, providerName, event, at} for an event; {operator, message, at} for an operator; {timeout: true, waitedFor, at} for a deadline',
      },
      inbox: { type: 'array', items: ref('InboxMessage') },
    },
  },
  TaskDetail: {
    allOf: [
      ref('Task'),
      {
        type: 'object',
        properties: {
          runnerId: { type: ['string', 'null'], description: 'The runner holding it' },
          parkedBy: { type: ['string', 'null'], description: 'The runner that parked it last' },
          history: {
            type: 'array',
            description: 'Every state change: {status, at, cause} with cause automation (runId), runner (runnerId, runner), event (messageId, providerName, key), operator (user) or timeout (onTimeout)',
            items: { type: 'object' },
          },
        },
      },
    ],
  },
  TaskWait: (requestSchema(ParkInput) as { properties: { waitFor: { items: object } } }).properties.waitFor.items,
  InboxMessage: { type: 'object', properties: { id: { type: 'string' }, text: { type: 'string' }, at: { type: 'string', format: 'date-time' }, by: { type: 'string' } } },
};

export const TASK_PATHS = {
  '/api/tasks': {
    get: {
      tags,
      summary: 'Tasks in one state (default parked), oldest first, with what each waits for and since when',
      parameters: [
        { name: 'state', in: 'query', schema: { type: 'string', enum: [...TASK_STATUSES], default: 'parked' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
      ],
      responses: { 200: { description: 'The tasks', ...json({ type: 'array', items: ref('TaskDetail') }) }, ...invalid, ...authErrors },
    },
  },
  '/api/tasks/{id}': {
    parameters: [idParam],
    get: {
      tags,
      security: [{ bearer: [] }, { cookie: [] }, { runnerToken: [] }],
      summary: 'A task with its inbox and history: for a login of any role, or for the runner token that holds or parked it',
      responses: { 200: { description: 'The task', ...json(ref('TaskDetail')) }, ...authErrors, ...notFound },
    },
  },
  '/api/tasks/claim': {
    post: {
      tags,
      ...runnerAuth,
      summary: 'Claim the oldest queued task (each task is claimed once); a resumed task comes with resumedBy and its inbox',
      responses: { 200: { description: 'A task', ...json(ref('Task')) }, 204: { description: 'No task waiting' }, ...runnerErrors },
    },
  },
  '/api/tasks/{id}/payload': {
    parameters: [idParam],
    get: {
      tags,
      ...runnerAuth,
      summary: "The full payload of a task this runner claimed: the message body as received; for a run started by a poll {scmPoll, env}; else the run's vars",
      responses: { 200: { description: 'The payload' }, ...runnerErrors, ...notFound },
    },
  },
  '/api/tasks/{id}/park': {
    parameters: [idParam],
    post: {
      tags,
      ...runnerAuth,
      summary: 'Park a task this runner holds until an event matching one of waitFor, an operator or the deadline resumes it; the claim ends',
      requestBody: { required: true, ...json(requestSchema(ParkInput)) },
      responses: { 200: { description: 'The task, parked', ...json(ref('Task')) }, ...invalid, ...runnerErrors, ...notFound, 409: error('The task is not claimed (it completed)') },
    },
  },
  '/api/tasks/{id}/complete': {
    parameters: [idParam],
    post: {
      tags,
      ...runnerAuth,
      summary: 'Report the result; the run takes the same status',
      requestBody: { required: true, ...json({ type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['succeeded', 'failed'] }, output: {} } }) },
      responses: { 200: { description: 'The task' }, ...runnerErrors, 409: error('Already completed'), ...notFound },
    },
  },
  '/api/tasks/{id}/resume': {
    parameters: [idParam],
    post: {
      tags,
      summary: 'Queue a parked task again; the message, if given, also goes to its inbox',
      requestBody: { required: false, ...json({ type: 'object', properties: { message: { type: 'string' } } }) },
      responses: { 200: { description: 'The task', ...json(ref('TaskDetail')) }, ...invalid, ...authErrors, ...notFound, 409: error('The task is not parked') },
    },
  },
  '/api/tasks/{id}/messages': {
    parameters: [idParam],
    post: {
      tags,
      summary: "Add a message to a task's inbox (queued, claimed or parked tasks); its runner sees it on claim, GET /api/tasks/:id and its event stream",
      requestBody: { required: true, ...json({ type: 'object', required: ['text'], properties: { text: { type: 'string' } } }) },
      responses: { 201: { description: 'The message', ...json(ref('InboxMessage')) }, ...invalid, ...authErrors, ...notFound, 409: error('The task is finished') },
    },
  },
};
