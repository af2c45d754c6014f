import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../common/errors';
import { validate } from '../common/validate';
import type { RunnerEntity } from '../database/entities/runner.entity';
import type { TaskEntity } from '../database/entities/task.entity';
import { AutomationsRepository } from '../automations/automations.repository';
import { RunOutcomes } from '../automations/run-outcomes';
import { RunsRepository } from '../automations/runs.repository';
import { MessagesRepository } from '../messages/messages.repository';
import { isUuid } from '../common/ids';
import { TasksRepository } from './tasks.repository';

const CompleteInput = z.strictObject({
  status: z.enum(['succeeded', 'failed'], { error: 'must be succeeded or failed' }),
  output: z.unknown().optional(),
});

@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly runs: RunsRepository,
    private readonly messages: MessagesRepository,
    private readonly automations: AutomationsRepository,
    private readonly outcomes: RunOutcomes,
  ) {}

  /** The oldest pending task, or null (the controller answers 204). */
  async claim(runner: RunnerEntity) {
    const task = await this.tasks.claimOldest(runner.id);
    return task ? toView(task) : null;
  }

  /** The full payload: the message body as received, else what a poll saw ({scmPoll, env}), else the run's variables. */
  async payload(runner: RunnerEntity, id: string): Promise<{ contentType: string; body: Buffer | string }> {
    const task = await this.ownedBy(runner, id);
    const message = task.messageId ? await this.messages.findById(task.messageId) : null;
    if (message) return { contentType: message.contentType ?? 'application/octet-stream', body: message.body };
    return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(task.payload ?? null) };
  }

  async complete(runner: RunnerEntity, id: string, body: unknown) {
    const input = validate(CompleteInput, body);
    const task = await this.ownedBy(runner, id);
    if (task.status !== 'claimed') throw new ConflictError(`Task ${id} is already ${task.status}`);
    const now = new Date();
    await this.tasks.update(task.id, { status: input.status, output: input.output ?? null, completedAt: now });
    const run = await this.runs.findById(task.runId);
    if (run) {
      await this.outcomes.settle(run, await this.automations.findById(run.automationId), {
        status: input.status,
        statusReason: input.status === 'failed' ? `runner ${runner.name} reported failure` : null,
        output: { ...(run.output ?? {}), taskId: task.id, runner: runner.name, result: input.output ?? null },
      });
    }
    return toView({ ...task, status: input.status, output: input.output ?? null, completedAt: now });
  }

  private async ownedBy(runner: RunnerEntity, id: string): Promise<TaskEntity> {
    const task = isUuid(id) ? await this.tasks.findById(id) : null;
    if (!task || task.runnerId !== runner.id) throw new NotFoundError('task claimed by this runner', id);
    return task;
  }
}

function toView(task: TaskEntity) {
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
  };
}
