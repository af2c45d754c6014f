import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuthenticatedUser } from '../auth/auth.service';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { isUuid } from '../common/ids';
import { parseLimit } from '../common/list-filter';
import { validate } from '../common/validate';
import { TASK_STATUSES, type InboxMessage, type TaskStatus } from '../database/entities/task.entity';
import { EventLogRepository } from '../events/event-log';
import { taskResumedRow, toTaskDetail, type InboxMessageView, type TaskDetailView } from './task-view';
import { TasksRepository } from './tasks.repository';

const text = z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters');
/** `POST /api/tasks/:id/resume`. */
export const ResumeInput = z.strictObject({ message: text.optional().describe("Also goes to the task's inbox") });
/** `POST /api/tasks/:id/messages`. */
export const MessageInput = z.strictObject({ text });

/** What an admin does with tasks: list them, read one, resume a parked one, write to its inbox. */
@Injectable()
export class TaskOperatorService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly eventLog: EventLogRepository,
  ) {}

  async list(query: { state?: string; limit?: string }): Promise<TaskDetailView[]> {
    const state = query.state ?? 'parked';
    if (!(TASK_STATUSES as readonly string[]).includes(state)) throw new ValidationFailedError({ state: `must be one of ${TASK_STATUSES.join(', ')}` });
    const limit = parseLimit(query.limit, 100, 500);
    return (await this.tasks.list(state as TaskStatus, limit)).map(toTaskDetail);
  }

  async get(id: string): Promise<TaskDetailView> {
    return toTaskDetail(await this.require(id));
  }

  /** Queues a parked task again; the message, if any, goes to its inbox. 409 unless parked. */
  async resume(user: AuthenticatedUser, id: string, body: unknown): Promise<TaskDetailView> {
    const input = validate(ResumeInput, body);
    const task = await this.require(id);
    const at = new Date().toISOString();
    const inbox = input.message === undefined ? undefined : { id: randomUUID(), text: input.message, at, by: user.username };
    const resumed = await this.tasks.transaction(async (tx) => {
      const changed = await this.tasks.resumeIfParked(
        task.id,
        { resumedBy: { operator: user.username, message: input.message ?? null, at }, messageId: null, entry: { status: 'queued', cause: 'operator', user: user.username, at }, inbox },
        tx,
      );
      if (changed) await this.eventLog.append([taskResumedRow(changed)], tx);
      return changed;
    });
    if (!resumed) throw new ConflictError(`Task ${id} is ${(await this.require(id)).status}, not parked: only a parked task can be resumed`);
    return this.get(task.id);
  }

  /** Adds a message to the inbox of a task that is not finished (queued, claimed or parked); 409 once it is. */
  async message(user: AuthenticatedUser, id: string, body: unknown): Promise<InboxMessageView> {
    const input = validate(MessageInput, body);
    const task = await this.require(id);
    const message: InboxMessage = { id: randomUUID(), text: input.text, at: new Date().toISOString(), by: user.username };
    const added = await this.tasks.transaction(async (tx) => {
      const changed = await this.tasks.addToInbox(task.id, message, tx);
      if (changed) {
        await this.eventLog.append([{ kind: 'taskMessage', runnerId: changed.runnerId ?? changed.parkedBy, taskId: changed.id, event: { taskId: changed.id, message } }], tx);
      }
      return changed;
    });
    if (!added) throw new ConflictError(`Task ${id} is ${task.status}: a finished task takes no more messages`);
    return message;
  }

  private async require(id: string) {
    const task = isUuid(id) ? await this.tasks.findById(id) : null;
    if (!task) throw new NotFoundError('task', id);
    return task;
  }
}
