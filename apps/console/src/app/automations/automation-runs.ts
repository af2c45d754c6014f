import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { varsOf, type NameValueRow } from './automation-draft';
import type { Automation, Run } from './automation-types';
import { AutomationsApi } from './automations.api';
import { RetryFailedRuns } from './retry-failed-runs';
import { RunDetails } from './run-details';
import { isFinished, RunStatusBadge } from './run-status-badge';
import { ScmPollState } from './scm-poll-state';
import { scmPollOf, shortSha } from './scm-text';
import { IfRole } from '../shared/if-role';

/** How often the history is read again while a run is pending or running. */
const POLL_MS = 1000;

/** Run an automation by hand with variables, and its run history with each run's output. */
@Component({
  selector: 'hl-automation-runs',
  imports: [IfRole, FormsModule, DatePipe, ErrorBanner, FieldError, RetryFailedRuns, RunDetails, RunStatusBadge, ScmPollState],
  templateUrl: './automation-runs.html',
  styleUrls: ['../shared/form-page.css', './automation-runs.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AutomationRuns {
  private readonly api = inject(AutomationsApi);
  readonly automation = input.required<Automation>();
  protected readonly runs = signal<Run[] | undefined>(undefined);
  protected readonly vars = signal<NameValueRow[]>([{ name: '', value: '' }]);
  protected readonly runError = signal<ApiError | undefined>(undefined);
  protected readonly historyError = signal<ApiError | undefined>(undefined);
  protected readonly busy = signal(false);
  protected readonly started = signal('');
  /** The run opened in the history: the one just started, or the one the user opened. */
  protected readonly openRunId = signal<string | undefined>(undefined);
  protected readonly varsPlaceholder = '{{vars.<name>}}';
  protected readonly isFinished = isFinished;
  protected readonly scmPollOf = scmPollOf;
  protected readonly short = shortSha;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      const id = this.automation().id;
      untracked(() => void this.refresh(id));
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected addVar(): void {
    this.vars.update((rows) => [...rows, { name: '', value: '' }]);
  }

  protected removeVar(index: number): void {
    this.vars.update((rows) => rows.filter((_, i) => i !== index));
  }

  protected async runNow(): Promise<void> {
    this.busy.set(true);
    this.runError.set(undefined);
    this.started.set('');
    try {
      const run = await this.api.run(this.automation().id, varsOf(this.vars()));
      this.started.set(`Run started at ${new Date(run.createdAt).toLocaleTimeString()}.`);
      this.openRunId.set(run.id);
      await this.refresh(this.automation().id);
    } catch (err) {
      this.runError.set(toApiError(err));
    } finally {
      this.busy.set(false);
    }
  }

  protected async retry(run: Run): Promise<void> {
    this.historyError.set(undefined);
    try {
      await this.api.retry(run.id);
      this.openRunId.set(run.id);
      await this.refresh(this.automation().id);
    } catch (err) {
      this.historyError.set(toApiError(err));
    }
  }

  protected toggled(run: Run, event: Event): void {
    const open = (event.target as HTMLDetailsElement).open;
    if (open) this.openRunId.set(run.id);
    else if (this.openRunId() === run.id) this.openRunId.set(undefined);
  }

  protected refreshNow(): void {
    void this.refresh(this.automation().id);
  }

  private async refresh(id: string): Promise<void> {
    clearTimeout(this.timer);
    try {
      const runs = await this.api.runs(id);
      if (id !== this.automation().id) return;
      this.runs.set(runs);
      this.historyError.set(undefined);
      if (runs.some((run) => !isFinished(run.status))) this.timer = setTimeout(() => void this.refresh(id), POLL_MS);
    } catch (err) {
      this.historyError.set(toApiError(err));
    }
  }
}
