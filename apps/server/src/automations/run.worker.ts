import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { hasRole, type AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import type { RunEntity } from '../database/entities/run.entity';
import { Leases } from '../processing/leases';
import { WorkLoop } from '../queue/work-loop';
import { AutomationsRepository } from './automations.repository';
import { RunExecutor } from './run-executor';
import { RunOutcomes } from './run-outcomes';
import { RunSignal } from './run-signal';
import { RunsRepository } from './runs.repository';
import { withLogContext } from '../logging/log-context';

/** A run whose server kept dying under it is given up on. */
const MAX_ATTEMPTS = 3;
/** The longest a target may take (a command's hour) and then some: no renewal needed. */
const LEASE_MS = 3_660_000;

/** Carries out pending runs from the runs table, in processes with the worker role. */
@Injectable()
export class RunWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Runs');
  private readonly loop: WorkLoop<RunEntity>;

  constructor(
    private readonly runs: RunsRepository,
    private readonly automations: AutomationsRepository,
    private readonly executor: RunExecutor,
    private readonly outcomes: RunOutcomes,
    private readonly leases: Leases,
    signal: RunSignal,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new WorkLoop({
      name: 'Runs',
      concurrency: () => config.queueConcurrency,
      pollMs: () => config.queuePollMs,
      signal,
      logger: this.logger,
      // Runs are few and long: claimed one query each.
      claim: async (limit) => {
        const claimed: RunEntity[] = [];
        while (claimed.length < limit) {
          const run = await this.runs.claimNext(this.leases.workerId, LEASE_MS);
          if (!run) break;
          claimed.push(run);
        }
        return claimed;
      },
      process: (run) => this.process(run),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!hasRole(this.config, 'worker')) return;
    if (this.config.database.kind === 'pglite') await this.runs.expireAllLeases();
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  private process(run: RunEntity): Promise<void> {
    const fields = { runId: run.id, automationId: run.automationId, ...(run.messageId && { messageId: run.messageId }) };
    return withLogContext(fields, () => this.run(run));
  }

  private async run(run: RunEntity): Promise<void> {
    const finish = (changes: Partial<RunEntity>) => this.runs.update(run.id, { lockedBy: null, lockedUntil: null, finishedAt: new Date(), ...changes });
    if (run.attempts > MAX_ATTEMPTS) {
      await this.outcomes.giveUp(run, `interrupted ${run.attempts - 1} times; giving up`);
      return;
    }
    const automation = await this.automations.findById(run.automationId);
    if (!automation) {
      await finish({ status: 'failed', statusReason: 'the automation was deleted' });
      return;
    }
    try {
      const result = await this.executor.execute(run, automation);
      const recorded = { rendered: result.rendered, warnings: result.warnings, output: result.output };
      if (result.status === 'waiting') {
        // A task's run ends when a runner completes the task; until then it holds no lease.
        await this.runs.update(run.id, { ...recorded, lockedBy: null, lockedUntil: null, statusReason: 'waiting for a runner' });
        return;
      }
      await this.outcomes.settle(run, automation, {
        ...recorded,
        status: result.status,
        statusReason: result.statusReason ?? null,
        ...(result.status === 'failed' && result.retryable === false && { retryable: false }),
      });
    } catch (err) {
      await this.outcomes.settle(run, automation, { status: 'failed', statusReason: `could not run: ${(err as Error).message}`, output: null });
    }
  }
}
