import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { ScriptRunner } from '../../../../libs/engine/src';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { SCRIPT_RUNNER } from '../common/tokens';
import { validate } from '../common/validate';
import type { RunnerEntity } from '../database/entities/runner.entity';
import type { TaskEntity, TaskHistoryEntry, TaskStatus } from '../database/entities/task.entity';
import { AutomationsRepository } from '../automations/automations.repository';
import { RunOutcomes } from '../automations/run-outcomes';
import { RunsRepository } from '../automations/runs.repository';
import { MessagesRepository } from '../messages/messages.repository';
import { isUuid } from '../common/ids';
import { ParkInput } from './park-input';
import { toTaskDetail, toTaskView, type TaskDetailView, type TaskView } from './task-view';
import { TasksRepository } from './tasks.repository';

/** `POST /api/tasks/:id/complete`. */
export const CompleteInput = z.strictObject({
  status: z.enum(['succeeded', 'failed'], { error: 'must be succeeded or failed' }),
  output: z.unknown().optional(),
});

/** The runner side of tasks: claim, payload, park, complete. */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly runs: RunsRepository,
    private readonly messages: MessagesRepository,
    private readonly automations: AutomationsRepository,
    private readonly outcomes: RunOutcomes,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
  ) {}

  /** The oldest queued task, or null (the controller answers 204). A resumed task comes with `resumedBy` and its inbox. */
  async claim(runner: RunnerEntity): Promise<TaskView | null> {
    const task = await this.tasks.claimOldest(runner.id, byRunner(runner, 'claimed'));
    return task ? toTaskView(task) : null;
  }

  /** The full payload: the message body as received, else what a poll saw ({scmPoll, env}), else the run's variables. */
  async payload(runner: RunnerEntity, id: string): Promise<{ contentType: string; body: Buffer | string }> {
    const task = await this.ownedBy(runner, id);
    const message = task.messageId ? await this.messages.findById(task.messageId) : null;
    if (message) return { contentType: message.contentType ?? 'application/octet-stream', body: message.body };
    return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(task.payload ?? null) };
  }

  /** A task with its history, for the runner that holds or parked it. */
  async get(runner: RunnerEntity, id: string): Promise<TaskDetailView> {
    const task = isUuid(id) ? await this.tasks.findById(id) : null;
    if (!task || (task.runnerId !== runner.id && task.parkedBy !== runner.id)) throw new NotFoundError('task held or parked by this runner', id);
    return toTaskDetail(task);
  }

  /** Parks a task this runner holds until one of its conditions, an operator or the deadline resumes it. */
  async park(runner: RunnerEntity, id: string, body: unknown): Promise<TaskView> {
    const input = validate(ParkInput, body);
    const problems: Record<string, string> = {};
    for (const [i, wait] of input.waitFor.entries()) {
      const problem = wait.where === undefined ? null : await this.scripts.checkSyntax('condition', wait.where);
      if (problem) problems[`waitFor.${i}.where`] = `does not compile: ${problem}`;
    }
    if (Object.keys(problems).length > 0) throw new ValidationFailedError(problems);
    const task = await this.ownedBy(runner, id);
    requireClaimed(task);
    const waitUntil = new Date(Date.now() + input.timeoutSeconds * 1000);
    const parked = await this.tasks.park(task.id, runner.id, { waitFor: input.waitFor, waitUntil, onTimeout: input.onTimeout }, byRunner(runner, 'parked'));
    if (!parked) throw new ConflictError(`Task ${id} is no longer claimed by this runner`);
    return toTaskView((await this.tasks.findById(task.id))!);
  }

  async complete(runner: RunnerEntity, id: string, body: unknown): Promise<TaskView> {
    const input = validate(CompleteInput, body);
    const task = await this.ownedBy(runner, id);
    requireClaimed(task);
    const now = new Date();
    const history = [...task.history, byRunner(runner, input.status)];
    await this.tasks.update(task.id, { status: input.status, output: input.output ?? null, completedAt: now, history });
    const run = await this.runs.findById(task.runId);
    if (run) {
      await this.outcomes.settle(run, await this.automations.findById(run.automationId), {
        status: input.status,
        statusReason: input.status === 'failed' ? `runner ${runner.name} reported failure` : null,
        output: { ...(run.output ?? {}), taskId: task.id, runner: runner.name, result: input.output ?? null },
      });
    }
    return toTaskView({ ...task, status: input.status, output: input.output ?? null, completedAt: now, history });
  }

  private async ownedBy(runner: RunnerEntity, id: string): Promise<TaskEntity> {
    const task = isUuid(id) ? await this.tasks.findById(id) : null;
    if (!task || task.runnerId !== runner.id) throw new NotFoundError('task claimed by this runner', id);
    return task;
  }
}

function requireClaimed(task: TaskEntity): void {
  if (task.status !== 'claimed') throw new ConflictError(`Task ${task.id} is already ${task.status}`);
}

function byRunner(runner: RunnerEntity, status: TaskStatus): TaskHistoryEntry {
  return { status, cause: 'runner', runnerId: runner.id, runner: runner.name, at: new Date().toISOString() };
}
