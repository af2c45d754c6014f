import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { Automation, AutomationInput, RetryCount, RetryOutcome, Run, RunPage, RunSelection } from './automation-types';

/** The automation and run routes of the admin API. */
@Injectable({ providedIn: 'root' })
export class AutomationsApi {
  private readonly api = inject(ApiClient);

  list(): Promise<Automation[]> {
    return this.api.get<Automation[]>('/automations');
  }

  get(id: string): Promise<Automation> {
    return this.api.get<Automation>(`/automations/${encodeURIComponent(id)}`);
  }

  create(input: AutomationInput): Promise<Automation> {
    return this.api.post<Automation>('/automations', input);
  }

  update(id: string, input: AutomationInput): Promise<Automation> {
    return this.api.put<Automation>(`/automations/${encodeURIComponent(id)}`, input);
  }

  remove(id: string): Promise<void> {
    return this.api.delete(`/automations/${encodeURIComponent(id)}`);
  }

  /** Starts a run by hand; `vars` fill the `{{vars.<name>}}` placeholders. */
  run(id: string, vars: Record<string, unknown>): Promise<Run> {
    return this.api.post<Run>(`/automations/${encodeURIComponent(id)}/run`, { vars });
  }

  /** The automation's runs, newest first. */
  runs(id: string): Promise<Run[]> {
    return this.api.get<Run[]>(`/automations/${encodeURIComponent(id)}/runs`);
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
