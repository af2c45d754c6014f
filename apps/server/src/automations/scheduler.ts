import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { nextFireTimeAfterDue } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { AutomationsRepository } from './automations.repository';
import { RunsService } from './runs.service';

/**
 * Fires scheduled automations. The next time lives in the database, so a schedule keeps
 * its time across restarts (a time missed while stopped fires once on start), and taking
 * a due automation moves its time on in the same transaction, so one tick fires once
 * however many servers share the database.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private timer?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    private readonly automations: AutomationsRepository,
    private readonly runs: RunsService,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
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
        await this.runs.start(due, { trigger: 'schedule' });
      }
    } catch (err) {
      this.logger.error(`Scheduling failed: ${(err as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }
}
