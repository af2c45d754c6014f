import { Injectable, Logger } from '@nestjs/common';
import type { FailureEvent } from '../database/entities/automation.entity';
import { AutomationsRepository } from './automations.repository';
import { RunsService } from './runs.service';

/**
 * Starts the automations linked to a failure event (`message.dead`, `run.failed`, ...), with the
 * event's details as their `vars`. A run that a failure event started raises no failure events of
 * its own (see RunWorker), so an alert that fails cannot alert about itself forever.
 */
@Injectable()
export class FailureEvents {
  private readonly logger = new Logger('FailureEvents');

  constructor(
    private readonly automations: AutomationsRepository,
    private readonly runs: RunsService,
  ) {}

  /** Never throws: a failing alert must not change what happens to the message or run it is about. */
  async raise(event: FailureEvent, vars: Record<string, unknown>): Promise<void> {
    try {
      for (const automation of await this.automations.findByEvent(event)) {
        await this.runs.start(automation, { trigger: 'event', messageId: null, vars: { event, ...vars } });
      }
    } catch (err) {
      this.logger.error(`Could not start the automations linked to ${event}: ${(err as Error).message}`);
    }
  }
}
