import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { describeWait } from '../../../../libs/engine/src';
import { AutomationsRepository } from '../automations/automations.repository';
import { RunOutcomes } from '../automations/run-outcomes';
import { RunsRepository } from '../automations/runs.repository';
import { EventLogRepository } from '../events/event-log';
import { CONFIG } from '../common/tokens';
import { takesRole, type AppConfig } from '../config';
import { taskResumedRow } from './task-view';
import { TasksRepository, type ChangedTask } from './tasks.repository';

/** How often each worker process looks for parked tasks past their deadline. */
const CHECK_MS = 1_000;
const BATCH = 100;

/**
 * Ends the wait of parked tasks whose deadline passed, as each one's `onTimeout` says: `fail`
 * fails the task and settles its run failed, naming what it waited for; `resume` queues it again
 * with `resumedBy.timeout`. Every process with the worker role checks; SKIP LOCKED and the
 * status check hand each task to one of them.
 */
@Injectable()
export class TaskDeadlines implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TaskDeadlines');
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    private readonly tasks: TasksRepository,
    private readonly eventLog: EventLogRepository,
    private readonly runs: RunsRepository,
    private readonly automations: AutomationsRepository,
    private readonly outcomes: RunOutcomes,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!takesRole(this.config, 'worker')) return;
    this.timer = setInterval(() => void this.check(), CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking;
  }

  check(): Promise<void> {
    this.checking ??= this.expire().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async expire(): Promise<void> {
    try {
      for (;;) {
        const expired = await this.tasks.transaction(async (tx) => {
          const changed = await this.tasks.expireDeadlines(BATCH, new Date(), tx);
          await this.eventLog.append(changed.filter((t) => t.status === 'queued').map(taskResumedRow), tx);
          return changed;
        });
        for (const task of expired.filter((t) => t.status === 'failed')) await this.failRun(task);
        if (expired.length < BATCH) return;
      }
    } catch (err) {
      this.logger.error(`Could not end the waits of parked tasks past their deadline (trying again): ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async failRun(task: ChangedTask): Promise<void> {
    const run = await this.runs.findById(task.runId);
    if (!run) return;
    const waitedFor = (task.waitFor ?? []).map(describeWait).join(', or ');
    await this.outcomes.settle(run, await this.automations.findById(run.automationId), {
      status: 'failed',
      statusReason: `task "${task.name}" timed out while parked waiting for ${waitedFor}`,
      output: { ...(run.output ?? {}), taskId: task.id, timedOut: true },
    });
  }
}
