import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  failingScmHost,
  pollAutomation,
  resolveScmPollSettings,
  ScmHostError,
  type ScmHost,
  type ScmPollReport,
  type ScmPollRuns,
  type ScmPollSettings,
  type ScmPollStateStore,
  type ScmPollTrigger,
  type StoredScmPoll,
} from '../../../../libs/engine/src';
import { RunsService, type RunOrigin } from '../automations/runs.service';
import { EventLogRepository, type NewLoggedEvent } from '../events/event-log';
import type { AutomationEntity } from '../database/entities/automation.entity';
import { GitProvidersService } from '../git-providers/git-providers.service';
import { SHUTDOWN_GRACE_MS } from '../queue/work-loop';
import { ScmPollStateRepository } from './scm-poll-state.repository';
import { ShaClaimsRepository } from './sha-claims.repository';

/** A dry run starts nothing; were it to try, that would be a bug, not a skipped run. */
const NO_RUNS: ScmPollRuns = {
  startRun: () => Promise.reject(new Error('a test poll starts no runs')),
  skipRun: () => Promise.reject(new Error('a test poll records no runs')),
};

/**
 * Polls automations' watched branches with their Git provider's host: for the scheduler, in the
 * background, and for Test Poll as a dry run. Each poll is the engine's pollAutomation over the
 * state and claims repositories; runs are started through RunsService with the id the engine chose.
 */
@Injectable()
export class ScmPoller implements OnApplicationShutdown {
  private readonly logger = new Logger('ScmPolling');
  /** The polls under way in this process, by automation. */
  private readonly polling = new Map<string, Promise<void>>();

  constructor(
    private readonly providers: GitProvidersService,
    private readonly state: ScmPollStateRepository,
    private readonly claims: ShaClaimsRepository,
    private readonly runs: RunsService,
    private readonly eventLog: EventLogRepository,
  ) {}

  /**
   * Starts a poll of the automation and returns at once, so that a slow host holds up no other
   * automation's tick. While a poll of the automation is under way in this process, no second one
   * starts (false): the tick that asked is simply not polled.
   */
  startPoll(automation: AutomationEntity, scmPoll: StoredScmPoll): boolean {
    if (this.polling.has(automation.id)) return false;
    const poll = this.poll(automation, scmPoll)
      .then((report) => this.logReport(automation, report))
      .catch((err: unknown) => this.logger.error(`Polling for automation "${automation.name}" failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.polling.delete(automation.id));
    this.polling.set(automation.id, poll);
    return true;
  }

  /** One poll of the automation's branches: baselines, runs and state written. */
  async poll(automation: AutomationEntity, scmPoll: StoredScmPoll): Promise<ScmPollReport> {
    const settings = resolveScmPollSettings(scmPoll);
    return pollAutomation(automation.id, settings, {
      host: await this.hostFor(settings.providerName),
      state: this.state,
      claims: this.claims,
      runs: this.runStarter(automation),
      now: () => new Date(),
    });
  }

  /**
   * What a poll with `settings` would do now, changing nothing. `state` is the poll state to
   * compare with: the automation's own, or (for a draft of another repository) one that knows no SHA.
   */
  async testPoll(automationId: string, settings: ScmPollSettings, state: ScmPollStateStore): Promise<ScmPollReport> {
    const host = await this.hostFor(settings.providerName);
    return pollAutomation(automationId, settings, { host, state, claims: this.claims, runs: NO_RUNS, now: () => new Date() }, { dryRun: true });
  }

  /** Lets the polls under way record their state and runs before the database closes (up to SHUTDOWN_GRACE_MS). */
  async onApplicationShutdown(): Promise<void> {
    if (this.polling.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.allSettled([...this.polling.values()]), graceOver]);
    clearTimeout(timer);
  }

  /**
   * The provider's host. A provider that is gone, or whose token cannot be opened, gives a host
   * that fails every call: the poll records the error in each branch's state, with backoff,
   * rather than failing as a whole.
   */
  private async hostFor(providerName: string): Promise<ScmHost> {
    try {
      const host = await this.providers.hostByName(providerName);
      if (host) return host;
      return failingScmHost(new ScmHostError('invalid', `No Git provider is named "${providerName}"; add one with that name under /api/git-providers, or change scmPoll.providerName`));
    } catch (err) {
      if (err instanceof ScmHostError) return failingScmHost(err);
      throw err;
    }
  }

  private runStarter(automation: AutomationEntity): ScmPollRuns {
    const origin = (runId: string, trigger: ScmPollTrigger): RunOrigin => ({ trigger: 'scm-poll', runId, scmPoll: trigger, commitSha: trigger.newSha });
    return {
      startRun: async (runId, trigger) => {
        await this.runs.start(automation, origin(runId, trigger));
        await this.eventLog.append([polledPush(automation, runId, trigger)]);
      },
      skipRun: async (runId, trigger, reason) => {
        await this.runs.skip(automation, origin(runId, trigger), reason);
      },
    };
  }

  /** Moved branches and failures are worth a line; baselines, unchanged and waiting branches are not. */
  private logReport(automation: AutomationEntity, report: ScmPollReport): void {
    if (report.listing?.error) this.logger.warn(`Automation "${automation.name}": listing branches failed: ${report.listing.error.message}`);
    for (const branch of report.branches) {
      if (branch.outcome === 'failed' && branch.error) {
        this.logger.warn(`Automation "${automation.name}", branch ${branch.branch}: ${branch.error.message}`);
      } else if (branch.runId !== null) {
        this.logger.log(`Automation "${automation.name}", branch ${branch.branch} moved to ${branch.head?.sha ?? '?'}: run ${branch.runId} ${branch.outcome}`);
      }
    }
  }
}

/**
 * A commit a poll found, as the event log's `push`: parked tasks waiting for a push (and runners'
 * event streams) see it as they see a delivered one. It has no message and no provider id; the
 * provider name is the Git provider's.
 */
function polledPush(automation: AutomationEntity, runId: string, trigger: ScmPollTrigger): NewLoggedEvent {
  const event = {
    provider: 'scm-poll',
    type: 'push',
    action: null,
    key: 'push',
    repository: trigger.repo,
    branch: trigger.branch,
    sha: trigger.newSha,
    beforeSha: trigger.oldSha,
    actor: trigger.author,
    url: trigger.commitUrl,
    scmPoll: { automationId: automation.id, runId },
  };
  return { kind: 'pluginWebhook', providerName: trigger.providerName, key: 'push', repository: trigger.repo, event };
}
