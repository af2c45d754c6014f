import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal, viewChild } from '@angular/core';
import type { ApiError } from '../api/api-error';
import { ConfirmDialog } from '../shared/confirm-dialog';
import { ErrorBanner } from '../shared/error-banner';
import { runBusy } from '../shared/run-busy';
import type { RetryCount, RunSelection } from './automation-types';
import { AutomationsApi } from './automations.api';

/**
 * "Retry failed runs": counts the selected failed and dead runs first (`dryRun`), asks,
 * then retries them and says how many went back to pending.
 */
@Component({
  selector: 'hl-retry-failed-runs',
  imports: [ConfirmDialog, ErrorBanner],
  template: `
    <div class="retry-failed">
      <button type="button" (click)="start()" [disabled]="busy()">Retry failed runs…</button>
      <span class="outcome" role="status">{{ outcome() }}</span>
    </div>
    <hl-error-banner [error]="error()" />
    <hl-confirm-dialog #confirm id="retry-failed-dialog" [heading]="question()" [confirmLabel]="'Retry ' + runsText(counted()?.count ?? 0)">
      Each goes back to pending with a fresh set of retries, oldest first; its attempts so far stay with it.
      @if (counted(); as c) {
        @if (c.matching > c.count) {
          Only the oldest {{ c.count }} of {{ c.matching }} are retried this time; retry again for the rest.
        }
      }
    </hl-confirm-dialog>
  `,
  styles: `
    .retry-failed { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem; }
    .outcome { color: var(--ok); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RetryFailedRuns {
  private readonly api = inject(AutomationsApi);
  /** The runs to retry: the server takes the failed and dead ones among them. */
  readonly selection = input.required<RunSelection>();
  /** After runs went back to pending, so the history can be read again. */
  readonly retried = output<number>();
  protected readonly busy = signal(false);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly outcome = signal('');
  protected readonly counted = signal<RetryCount | undefined>(undefined);
  protected readonly question = computed(() => `Retry ${this.runsText(this.counted()?.count ?? 0)}?`);
  private readonly confirm = viewChild.required<ConfirmDialog>('confirm');

  protected runsText(count: number): string {
    return `${count} failed ${count === 1 ? 'run' : 'runs'}`;
  }

  protected async start(): Promise<void> {
    this.outcome.set('');
    let count: RetryCount | undefined;
    await runBusy(this.busy, this.error, async () => {
      count = await this.api.countRetryable(this.selection());
    });
    if (!count) return;
    if (count.count === 0) {
      this.outcome.set('No failed or dead runs to retry.');
      return;
    }
    this.counted.set(count);
    if (!(await this.confirm().ask())) return;
    await runBusy(this.busy, this.error, async () => {
      const done = await this.api.retryFailed(this.selection());
      const asked = count?.count ?? 0;
      const gone = asked > done.count ? ` (${asked - done.count} had already changed)` : '';
      this.outcome.set(`Retried ${this.runsText(done.count)}${gone}.`);
      this.retried.emit(done.count);
    });
  }
}
