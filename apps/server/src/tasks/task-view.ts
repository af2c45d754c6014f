import type { TaskEntity } from '../database/entities/task.entity';
import type { NewLoggedEvent } from '../events/event-log';
import type { ChangedTask } from './tasks.repository';

/** A task as runners see it when they claim it: with what resumed it and its inbox. */
export function toTaskView(task: TaskEntity) {
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
export function toTaskDetail(task: TaskEntity) {
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
