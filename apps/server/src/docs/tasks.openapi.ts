import { z } from 'zod';
import { TASK_STATUSES } from '../database/entities/task.entity';
import { ParkInput } from '../tasks/park-input';
import { CreatedRunnerView, RunnerView } from '../tasks/runner-view';
import { CreateRunnerInput, UpdateRunnerInput } from '../tasks/runners.service';
import { MessageInput, ResumeInput } from '../tasks/task-operator.service';
import { InboxMessageView, TaskDetailView, TaskView } from '../tasks/task-view';
import { CompleteInput } from '../tasks/tasks.service';
import { error, idParams, invalid, notFound, type Routes } from './contract';

const tags = ['Runners'];
const notClaimed = (description: string) => ({ 409: error(description) });

/** `GET /api/tasks`: checked by TaskOperatorService.list (an unknown state or a limit out of range is a 400). */
const TaskListQuery = z.object({
  state: z.enum(TASK_STATUSES).default('parked'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Tasks, parked tasks and their inbox, for runners and operators, and the runners themselves (docs/runners.md). */
export const TASK_ROUTES: Routes = {
  '/api/tasks': {
    get: {
      tags,
      access: 'viewer',
      summary: 'Tasks in one state (default parked), oldest first, with what each waits for and since when',
      query: TaskListQuery,
      responses: { 200: { description: 'The tasks', body: z.array(TaskDetailView) }, ...invalid },
    },
  },
  '/api/tasks/{id}': {
    get: {
      tags,
      access: 'viewer+runner',
      summary: 'A task with its inbox and history: for a login of any role, or for the runner token that holds or parked it',
      params: idParams,
      responses: { 200: { description: 'The task', body: TaskDetailView }, ...notFound },
    },
  },
  '/api/tasks/claim': {
    post: {
      tags,
      access: 'runner',
      summary: 'Claim the oldest queued task (each task is claimed once); a resumed task comes with resumedBy and its inbox',
      responses: { 200: { description: 'A task', body: TaskView }, 204: 'No task waiting' },
    },
  },
  '/api/tasks/{id}/payload': {
    get: {
      tags,
      access: 'runner',
      summary: "The full payload of a task this runner claimed: the message body as received; for a run started by a poll {scmPoll, env}; else the run's vars",
      params: idParams,
      responses: {
        200: {
          description: "The payload, in the message's own content type; JSON for a task without a message",
          body: z.unknown(),
          content: { '*/*': { schema: {} } },
        },
        ...notFound,
      },
    },
  },
  '/api/tasks/{id}/park': {
    post: {
      tags,
      access: 'runner',
      summary: 'Park a task this runner holds until an event matching one of waitFor, an operator or the deadline resumes it; the claim ends',
      params: idParams,
      body: ParkInput,
      responses: { 200: { description: 'The task, parked', body: TaskView }, ...invalid, ...notFound, ...notClaimed('The task is not claimed (it completed)') },
    },
  },
  '/api/tasks/{id}/complete': {
    post: {
      tags,
      access: 'runner',
      summary: 'Report the result; the run takes the same status',
      params: idParams,
      body: CompleteInput,
      responses: { 200: { description: 'The task', body: TaskView }, ...invalid, ...notFound, ...notClaimed('Already completed') },
    },
  },
  '/api/tasks/{id}/resume': {
    post: {
      tags,
      access: 'editor',
      summary: 'Queue a parked task again; the message, if given, also goes to its inbox',
      params: idParams,
      body: ResumeInput,
      bodyRequired: false,
      responses: { 200: { description: 'The task', body: TaskDetailView }, ...invalid, ...notFound, 409: error('The task is not parked') },
    },
  },
  '/api/tasks/{id}/messages': {
    post: {
      tags,
      access: 'editor',
      summary: "Add a message to a task's inbox (queued, claimed or parked tasks); its runner sees it on claim, GET /api/tasks/:id and its event stream",
      params: idParams,
      body: MessageInput,
      responses: { 201: { description: 'The message', body: InboxMessageView }, ...invalid, ...notFound, 409: error('The task is finished') },
    },
  },
  '/api/runners': {
    get: { tags, access: 'viewer', summary: 'Registered runners (never their tokens)', responses: { 200: { description: 'Oldest first', body: z.array(RunnerView) } } },
    post: {
      tags,
      access: 'admin',
      summary: 'Register a runner, optionally scoped to providers; the answer holds its token, shown this once',
      body: CreateRunnerInput,
      responses: {
        201: { description: 'The runner and its token', body: CreatedRunnerView },
        400: error('A field is invalid, or providers names no provider; `fields` names each one'),
      },
    },
  },
  '/api/runners/{id}': {
    put: {
      tags,
      access: 'admin',
      summary: 'Rename a runner or change its providers; its open event streams are asked to reconnect with the new scope',
      params: idParams,
      body: UpdateRunnerInput,
      responses: { 200: { description: 'The runner', body: RunnerView }, 400: error('A field is invalid, or providers names no provider'), ...notFound },
    },
    delete: { tags, access: 'admin', summary: 'Revoke a runner token; its open event streams end', params: idParams, responses: { 204: 'Revoked', ...notFound } },
  },
};
