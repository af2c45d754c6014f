import { Inject, Injectable } from '@nestjs/common';
import { canRetry, retryDelay } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { automationRetryPolicy } from '../common/retry-policies';
import type { AutomationEntity } from '../database/entities/automation.entity';
import type { RunEntity } from '../database/entities/run.entity';
import { Metrics } from '../metrics/metrics';
import { FailureEvents } from './failure-events';
import { RunsRepository } from './runs.repository';

/** How one attempt of a run ended. */
export interface AttemptOutcome {
  status: 'succeeded' | 'failed';
  statusReason: string | null;
  output: Record<string, unknown> | null;
  rendered?: Record<string, unknown>;
  warnings?: string[];
  /** False when the attempt failed before anything started, for a reason a retry cannot change. */
  retryable?: boolean;
}

/**
 * The one place a run's attempt ends: succeeded; pending again with `next_attempt_at` while its
 * automation's retry policy allows; else failed (no retries were allowed) or dead (they ran out).
 * Failures raise `run.failed`, and `run.dead` when the run is given up on, except for runs that a
 * failure event started: an alert that fails must not alert about itself.
 */
@Injectable()
export class RunOutcomes {
  constructor(
    private readonly runs: RunsRepository,
    private readonly failureEvents: FailureEvents,
    private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async settle(run: RunEntity, automation: AutomationEntity | null, outcome: AttemptOutcome): Promise<void> {
    const recorded = {
      output: outcome.output,
      ...(outcome.rendered && { rendered: outcome.rendered }),
      ...(outcome.warnings && { warnings: outcome.warnings }),
      lockedBy: null,
      lockedUntil: null,
    };
    if (outcome.status === 'succeeded') {
      await this.runs.update(run.id, { ...recorded, status: 'succeeded', statusReason: outcome.statusReason, nextAttemptAt: null, finishedAt: new Date() });
      this.metrics.automationRunEnded(kindOf(automation), 'succeeded');
      return;
    }
    const policy = automation ? automationRetryPolicy(automation, this.config) : { attempts: 0, delayMs: 0, maxDelayMs: 0 };
    const failures = run.retries + 1;
    if (outcome.retryable !== false && canRetry(policy, failures)) {
      const nextAttemptAt = new Date(Date.now() + retryDelay(policy, run.retries));
      // A retry is not a crash: the crash count (attempts) starts again for the next attempt.
      await this.runs.update(run.id, {
        ...recorded,
        status: 'pending',
        statusReason: `${outcome.statusReason ?? 'failed'}; retry ${failures} at ${nextAttemptAt.toISOString()}`,
        retries: failures,
        attempts: 0,
        nextAttemptAt,
        earlierAttempts: [...run.earlierAttempts, earlierAttempt(run, outcome)],
      });
      await this.raise('run.failed', run, 'pending', outcome.statusReason, nextAttemptAt);
      return;
    }
    const status = run.retries > 0 ? 'dead' : 'failed';
    await this.runs.update(run.id, { ...recorded, status, statusReason: outcome.statusReason, nextAttemptAt: null, finishedAt: new Date() });
    this.metrics.automationRunEnded(kindOf(automation), status);
    await this.raise('run.failed', run, status, outcome.statusReason, null);
    if (status === 'dead') await this.raise('run.dead', run, status, outcome.statusReason, null);
  }

  /** A run whose server kept dying under it: no retry policy can help. */
  async giveUp(run: RunEntity, statusReason: string): Promise<void> {
    await this.runs.update(run.id, { status: 'dead', statusReason, lockedBy: null, lockedUntil: null, nextAttemptAt: null, finishedAt: new Date() });
    this.metrics.automationRunEnded('unknown', 'dead');
    await this.raise('run.failed', run, 'dead', statusReason, null);
    await this.raise('run.dead', run, 'dead', statusReason, null);
  }

  private async raise(event: 'run.failed' | 'run.dead', run: RunEntity, status: string, error: string | null, nextAttemptAt: Date | null): Promise<void> {
    if (run.trigger === 'event') return;
    await this.failureEvents.raise(event, {
      run: {
        id: run.id,
        automationId: run.automationId,
        automationName: run.automationName,
        status,
        error: error ?? 'failed',
        retries: run.retries,
        messageId: run.messageId,
        nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
      },
    });
  }
}

/** The automation's target kind, for the metrics; `unknown` once the automation is gone. */
function kindOf(automation: AutomationEntity | null): string {
  return automation?.target.kind ?? 'unknown';
}

/** The attempt that just failed, for the run's `earlierAttempts`. */
export function earlierAttempt(run: RunEntity, outcome: Pick<AttemptOutcome, 'statusReason' | 'output'>) {
  return { statusReason: outcome.statusReason, output: outcome.output, startedAt: run.startedAt?.toISOString() ?? null, finishedAt: new Date().toISOString() };
}
