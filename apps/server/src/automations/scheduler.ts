import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { nextFireTimeAfterDue, type StoredScmPoll } from '../../../../libs/engine/src';
import { takesRole, type AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import type { AutomationEntity } from '../database/entities/automation.entity';
import { ScmPoller } from '../scm-polling/scm-poller';
import { AutomationsRepository } from './automations.repository';
import { RunsService } from './runs.service';

/**
 * Fires scheduled automations. The next time lives in the database, so a schedule keeps
 * its time across restarts (a time missed while stopped fires once on start), and taking
 * a due automation moves its time on in the same transaction, so one tick fires once
 * however many servers share the database. An automation with `scmPoll` polls its branches on
 * the tick instead, in the background, and runs only for the branches that moved. Processes with
 * the scheduler role tick; the others leave schedules alone.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private timer?: NodeJS.Timeout;
  private ticking = false;
  /** Automations whose ticks were skipped with polling turned off, so that each is logged once. */
  private readonly heldBack = new Set<string>();

  constructor(
    private readonly automations: AutomationsRepository,
    private readonly runs: RunsService,
    private readonly poller: ScmPoller,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!takesRole(this.config, 'scheduler')) return;
    this.timer = setInterval(() => void this.tick(), this.config.schedulerTickMs);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (;;) {
        const now = new Date();
        const due = await this.automations.takeDue((a) => (a.schedule ? nextFireTimeAfterDue(a.schedule, a.timeZone, a.nextRunAt, now) : null));
        if (!due) break;
        if (due.scmPoll) this.poll(due, due.scmPoll);
        else await this.runs.start(due, { trigger: 'schedule' });
      }
    } catch (err) {
      this.logger.error(`Scheduling failed: ${(err as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  /** Without blocking the tick: other automations' ticks do not wait for this one's host. */
  private poll(automation: AutomationEntity, scmPoll: StoredScmPoll): void {
    if (this.config.scmPolling) {
      this.poller.startPoll(automation, scmPoll);
      return;
    }
    // Running on every tick instead would change what the automation does behind its owner's back.
    if (this.heldBack.has(automation.id)) return;
    this.heldBack.add(automation.id);
    this.logger.warn(
      `Automation "${automation.name}" polls ${scmPoll.repo}, but SCM polling is turned off (HOOKLINE_SCM_POLLING=false): its ticks run nothing until polling is turned on or its scmPoll is removed`,
    );
  }
}
