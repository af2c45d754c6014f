import { Inject, Injectable } from '@nestjs/common';
import { isWatchedBranch, resolveScmPollSettings, watchedEntries, type StoredScmPoll } from '../../../../libs/engine/src';
import type { ScmPollView } from '../automations/automation-view';
import { ValidationFailedError } from '../common/errors';
import { CONFIG } from '../common/tokens';
import type { AppConfig } from '../config';
import { GitProvidersRepository } from '../git-providers/git-providers.repository';
import { ScmPollStateRepository } from './scm-poll-state.repository';

/** An automation's schedule and `scmPoll` as a save would leave them, and where each came from. */
export interface ScmPollChange {
  schedule: string | null;
  scmPoll: StoredScmPoll | null;
  /** Whether the request named scmPoll (as a setting, not null). */
  scmPollGiven: boolean;
}

/** The rules of the `scmPoll` setting of automations, and the poll state it leaves behind when it changes. */
@Injectable()
export class ScmPollSetting {
  constructor(
    private readonly state: ScmPollStateRepository,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly providers: GitProvidersRepository,
  ) {}

  /**
   * Refuses, with a 400 saying why: a setting while polling is turned off, a setting without a
   * schedule (polls happen on the schedule's ticks), a schedule removed from a polling automation,
   * and a provider name no Git provider has.
   */
  async check(change: ScmPollChange): Promise<void> {
    if (change.scmPollGiven && !this.config.scmPolling) {
      throw new ValidationFailedError({ scmPoll: 'cannot be set: SCM polling is turned off on this server (HOOKLINE_SCM_POLLING=false)' });
    }
    if (change.scmPoll === null) return;
    if (change.schedule === null) {
      throw new ValidationFailedError(
        change.scmPollGiven
          ? { scmPoll: 'needs a schedule: the branches are polled on its ticks; set schedule, e.g. "*/5 * * * *"' }
          : { schedule: 'cannot be removed while scmPoll is set: the branches are polled on its ticks; remove scmPoll too (scmPoll: null)' },
      );
    }
    if (change.scmPollGiven) await this.checkProviderName(change.scmPoll);
  }

  /** Refuses, with a 400, a setting whose provider name no Git provider has. */
  async checkProviderName(scmPoll: StoredScmPoll): Promise<void> {
    if (!(await this.providers.findByName(scmPoll.providerName))) {
      throw new ValidationFailedError({ 'scmPoll.providerName': `names no Git provider: "${scmPoll.providerName}"; add it under /api/git-providers or use the name of one` });
    }
  }

  /**
   * Drops the poll state the new setting has no use for, so that what is polled again starts
   * with a new baseline: all of it when polling stops or moves to another provider or
   * repository, else the branches no entry watches any more.
   */
  async settle(automationId: string, before: StoredScmPoll | null, after: StoredScmPoll | null): Promise<void> {
    if (before === null) return;
    if (after === null || !pollsSameRepository(before, after)) {
      await this.state.forgetAll(automationId);
      return;
    }
    const entries = watchedEntries(after);
    const states = await this.state.readPollState(automationId);
    await this.state.forgetBranches(
      automationId,
      states.map((state) => state.branch).filter((branch) => !isWatchedBranch(branch, entries)),
    );
  }
}

/** Whether two settings poll the same repository through the same provider: then the poll state of one serves the other. */
export function pollsSameRepository(a: StoredScmPoll | null, b: StoredScmPoll | null): boolean {
  return a !== null && b !== null && a.providerName === b.providerName && a.repo === b.repo;
}

/** The setting in force, defaults filled in, as the API shows it. */
export function scmPollView(stored: StoredScmPoll | null): ScmPollView | null {
  return stored === null ? null : resolveScmPollSettings(stored);
}
