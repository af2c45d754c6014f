import { Injectable } from '@angular/core';
import { CollectionApi } from '../api/collection-api';
import type { Automation, AutomationInput, RetryCount, RetryOutcome, Run, RunPage, RunSelection, ScmPollInput } from './automation-types';
import type { ScmStateView, ScmTestPollView } from './scm-poll-types';

/** The automation and run routes of the admin API. */
@Injectable({ providedIn: 'root' })
export class AutomationsApi extends CollectionApi<Automation, AutomationInput> {
  constructor() {
    super('/automations');
  }

  /** Starts a run by hand; `vars` fill the `{{vars.<name>}}` placeholders. */
  run(id: string, vars: Record<string, unknown>): Promise<Run> {
    return this.api.post<Run>(this.pathOf(id, '/run'), { vars });
  }

  /**
   * Polls the watched branches now with `scmPoll` (the saved setting when left out) and says
   * what would happen; the baseline stays and nothing runs.
   */
  testPoll(id: string, scmPoll?: ScmPollInput): Promise<ScmTestPollView> {
    return this.api.post<ScmTestPollView>(this.pathOf(id, '/test-poll'), scmPoll ? { scmPoll } : {});
  }

  /** The poll state of each watched branch: last SHA, errors, backoff and next attempt. */
  scmState(id: string): Promise<ScmStateView> {
    return this.api.get<ScmStateView>(this.pathOf(id, '/scm-state'));
  }

  /** The automation's runs, newest first. */
  runs(id: string): Promise<Run[]> {
    return this.api.get<Run[]>(this.pathOf(id, '/runs'));
  }

  /** Runs of every automation matching `selection`, newest first, a page at a time. */
  listRuns(selection: RunSelection, cursor?: string | null): Promise<RunPage> {
    const params = new URLSearchParams(Object.entries(selection).filter((entry): entry is [string, string] => !!entry[1]));
    if (cursor) params.set('cursor', cursor);
    const query = params.toString();
    return this.api.get<RunPage>(`/runs${query ? `?${query}` : ''}`);
  }

  /** How many failed or dead runs matching `selection` a bulk retry would take (`dryRun`). */
  countRetryable(selection: RunSelection): Promise<RetryCount> {
    return this.api.post<RetryCount>('/runs/retry', { ...selection, dryRun: true });
  }

  /** Puts the failed and dead runs matching `selection` back to pending, oldest first (1000 at most). */
  retryFailed(selection: RunSelection): Promise<RetryOutcome> {
    return this.api.post<RetryOutcome>('/runs/retry', selection);
  }

  /** One run with its output and earlier attempts. */
  getRun(id: string): Promise<Run> {
    return this.api.get<Run>(`/runs/${encodeURIComponent(id)}`);
  }

  /** Puts a failed or dead run back to pending with a fresh set of retries. */
  retry(runId: string): Promise<Run> {
    return this.api.post<Run>(`/runs/${encodeURIComponent(runId)}/retry`);
  }
}
