import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { takesRole, type AppConfig } from '../config';
import { CONFIG, NOTIFICATIONS } from '../common/tokens';
import type { Notifications } from '../database/notifications';
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

/**
 * Carries out pending runs from the runs table, in processes with the worker role. A claimed run
 * holds a lease of HOOKLINE_QUEUE_LEASE, renewed while it runs (a command may take an hour): a
 * worker that dies (SIGKILL, a lost machine) stops renewing, and another worker takes the run up
 * once the lease runs out instead of an hour later.
 */
@Injectable()
export class RunWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Runs');
  private readonly loop: WorkLoop<RunEntity>;
  /** Runs this process is carrying out, whose leases it renews. */
  private readonly held = new Set<string>();
  private renewal?: NodeJS.Timeout;

  constructor(
    private readonly runs: RunsRepository,
    private readonly automations: AutomationsRepository,
    private readonly executor: RunExecutor,
    private readonly outcomes: RunOutcomes,
    private readonly leases: Leases,
    signal: RunSignal,
    @Inject(NOTIFICATIONS) notifications: Notifications,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {
    // A run made pending by any server (this one included) wakes idle workers.
    if (takesRole(config, 'worker')) notifications.on('hookline_runs', () => signal.notify());
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
          const run = await this.runs.claimNext(this.leases.workerId, config.queueLeaseMs);
          if (!run) break;
          claimed.push(run);
        }
        return claimed;
      },
      process: (run) => this.process(run),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!takesRole(this.config, 'worker')) return;
    if (this.config.database.kind === 'pglite') await this.runs.expireAllLeases();
    this.renewal = setInterval(() => void this.renew(), Math.max(200, Math.floor(this.config.queueLeaseMs / 3)));
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    if (this.renewal) clearInterval(this.renewal);
  }

  private async renew(): Promise<void> {
    try {
      await this.runs.extendLeases(this.leases.workerId, [...this.held], this.config.queueLeaseMs);
    } catch (err) {
      this.logger.warn(`Could not renew the leases of runs: ${(err as Error).message}`);
    }
  }

  private process(run: RunEntity): Promise<void> {
    const fields = { runId: run.id, automationId: run.automationId, ...(run.messageId && { messageId: run.messageId }) };
    return withLogContext(fields, () => this.hold(run));
  }

  /** Runs `run` with its lease renewed while it goes on. */
  private async hold(run: RunEntity): Promise<void> {
    this.held.add(run.id);
    try {
      await this.carryOut(run);
    } finally {
      this.held.delete(run.id);
    }
  }

  private async carryOut(run: RunEntity): Promise<void> {
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
