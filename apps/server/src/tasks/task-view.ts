import { z } from 'zod';
import { TASK_STATUSES, type TaskEntity } from '../database/entities/task.entity';
import { instant, uuid } from '../docs/contract';
import type { NewLoggedEvent } from '../events/event-log';
import type { ChangedTask } from './tasks.repository';

const nullableText = z.string().nullable();

/** One condition of a park, as the runner sent it. */
export const TaskWaitView = z
  .strictObject({
    key: z.string().describe('An event key (pull_request:merged), or a prefix ending in * (pull_request:*, *)'),
    repository: nullableText.optional().describe('owner/name, compared without regard to case'),
    branch: nullableText.optional(),
    pullRequest: z.number().int().nullable().optional().describe("A pull request's number"),
    issue: z.union([z.string(), z.number().int()]).nullable().optional().describe('A tracker key (PROJ-12) or an issue number, compared as text'),
    where: nullableText.optional().describe('An expression over event and payload, evaluated like a function condition'),
  })
  .meta({ id: 'TaskWait' });

/** A message for the task's runner, from an operator. */
export const InboxMessageView = z.strictObject({ id: uuid, text: z.string(), at: instant, by: z.string().describe('The operator') }).meta({ id: 'InboxMessage' });
export type InboxMessageView = z.output<typeof InboxMessageView>;

/** What resumed a parked task: an event, an operator, or its deadline. */
const ResumedByView = z
  .union([
    z.strictObject({ messageId: uuid.nullable(), provider: uuid.nullable().describe('The provider id'), providerName: nullableText, event: z.record(z.string(), z.unknown()).describe('The normalized event'), at: instant }),
    z.strictObject({ operator: z.string(), message: nullableText, at: instant }),
    z.strictObject({ timeout: z.literal(true), waitedFor: z.array(TaskWaitView), at: instant }),
  ])
  .nullable()
  .describe('What resumed it: {messageId, provider, providerName, event, at} for an event; {operator, message, at} for an operator; {timeout: true, waitedFor, at} for a deadline');

const change = <T extends z.core.$ZodLooseShape>(shape: T) => z.strictObject({ status: z.enum(TASK_STATUSES), at: instant, ...shape });

/** One state change of a task, with its cause. */
const TaskHistoryEntryView = z.discriminatedUnion('cause', [
  change({ cause: z.literal('automation'), runId: uuid }),
  change({ cause: z.literal('runner'), runnerId: uuid, runner: z.string() }),
  change({ cause: z.literal('event'), messageId: uuid.nullable(), providerName: nullableText, key: z.string() }),
  change({ cause: z.literal('operator'), user: z.string() }),
  change({ cause: z.literal('timeout'), onTimeout: z.enum(['fail', 'resume']) }),
]);

const time = instant.nullable();

/** A task as runners see it when they claim it: with what resumed it and its inbox. */
export const TaskView = z
  .strictObject({
    id: uuid,
    runId: uuid,
    automationId: uuid,
    messageId: uuid.nullable().describe('The message that started the run; null for a manual, scheduled or polled run'),
    name: z.string(),
    instructions: z.string(),
    params: z.record(z.string(), z.unknown()),
    env: z
      .record(z.string(), z.string())
      .describe('Environment variables to set for the task: <REPO>_BRANCH, <REPO>_TRIGGER_SHA and <REPO>_SHA for a run started by a poll; else empty'),
    status: z.enum(TASK_STATUSES),
    claimedAt: time,
    completedAt: time,
    output: z.unknown().describe('What the runner reported on completion; null before'),
    createdAt: instant,
    parkedAt: time,
    waitFor: z.array(TaskWaitView).nullable().describe('What the latest park waited for'),
    waitUntil: time.describe("A parked task's deadline"),
    onTimeout: z.enum(['fail', 'resume']).nullable(),
    resumedBy: ResumedByView,
    inbox: z.array(InboxMessageView),
  })
  .meta({ id: 'Task' });
export type TaskView = z.output<typeof TaskView>;

/** A task as `GET /api/tasks/:id` shows it: who holds or parked it, and every state change. */
export const TaskDetailView = TaskView.extend({
  runnerId: uuid.nullable().describe('The runner holding it'),
  parkedBy: uuid.nullable().describe('The runner that parked it last'),
  history: z
    .array(TaskHistoryEntryView)
    .describe('Every state change: {status, at, cause} with cause automation (runId), runner (runnerId, runner), event (messageId, providerName, key), operator (user) or timeout (onTimeout)'),
}).meta({ id: 'TaskDetail' });
export type TaskDetailView = z.output<typeof TaskDetailView>;

/** A task as runners see it when they claim it: with what resumed it and its inbox. */
export function toTaskView(task: TaskEntity): TaskView {
  return {
    id: task.id,
    runId: task.runId,
    automationId: task.automationId,
    messageId: task.messageId,
    name: task.name,
    instructions: task.instructions,
    params: task.params,
    env: task.env,
    status: task.status,
    claimedAt: task.claimedAt?.toISOString() ?? null,
    completedAt: task.completedAt?.toISOString() ?? null,
    output: task.output ?? null,
    createdAt: task.createdAt.toISOString(),
    parkedAt: task.parkedAt?.toISOString() ?? null,
    waitFor: task.waitFor,
    waitUntil: task.waitUntil?.toISOString() ?? null,
    onTimeout: task.onTimeout,
    resumedBy: task.resumedBy,
    inbox: task.inbox,
  };
}

/** A task as `GET /api/tasks/:id` shows it: who holds or parked it, and every state change. */
export function toTaskDetail(task: TaskEntity): TaskDetailView {
  return { ...toTaskView(task), runnerId: task.runnerId, parkedBy: task.parkedBy, history: task.history };
}

/** The event log row that tells the parking runner (on its stream) that its task is queued again. */
export function taskResumedRow(task: ChangedTask): NewLoggedEvent {
  return {
    kind: 'taskResumed',
    runnerId: task.parkedBy,
    taskId: task.id,
    event: { taskId: task.id, name: task.name, runId: task.runId, status: task.status, resumedBy: task.resumedBy },
  };
}
