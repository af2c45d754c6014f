import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { auditTime, interval, merge } from 'rxjs';
import { type ApiError, toApiError } from '../api/api-error';
import { MESSAGE_STATUSES } from '../messages/message-types';
import { MessagesApi } from '../messages/messages-api';
import { StatusBadge } from '../messages/status-badge';
import { ErrorBanner } from '../shared/error-banner';
import { OverviewChart } from './overview-chart';
import { OverviewApi, type OverviewRange, type OverviewView } from './overview.api';

/** A bucket's worth of time passes even when no message arrives: read again at least this often. */
const REFRESH_MS = 30_000;
/** A burst of messages reads the overview once, this long after the first of them. */
const SETTLE_MS = 1_000;

const RANGES: ReadonlyArray<{ range: OverviewRange; label: string }> = [
  { range: '1h', label: 'Last hour' },
  { range: '24h', label: 'Last day' },
];

/**
 * How the engine is doing: messages per minute by status, failure rate, queue depth and the
 * slowest functions, all counted by the server (GET /api/overview). It reads again when messages
 * arrive or change status (the live stream) and every half minute.
 */
@Component({
  selector: 'hl-overview-page',
  imports: [DatePipe, DecimalPipe, PercentPipe, RouterLink, ErrorBanner, OverviewChart, StatusBadge],
  template: `
    <div class="title-row">
      <h1>Overview</h1>
      <div class="ranges" role="group" aria-label="Range">
        @for (entry of ranges; track entry.range) {
          <button type="button" [attr.aria-pressed]="range() === entry.range" [class.primary]="range() === entry.range" (click)="show(entry.range)">{{ entry.label }}</button>
        }
      </div>
    </div>
    <hl-error-banner [error]="error()" />

    @if (view(); as v) {
      <p class="muted updated" role="status">
        Since {{ v.since | date: 'MMM d, HH:mm' }}, updated {{ updatedAt() | date: 'HH:mm:ss' }}{{ live() ? ', live' : '' }}.
      </p>
      <dl class="figures">
        <div class="card" data-figure="messages"><dt>Messages</dt><dd>{{ v.totals.messages | number }}</dd></div>
        <div class="card" data-figure="failure-rate">
          <dt>Failure rate</dt>
          <dd [class.bad]="v.failureRate > 0">{{ v.failureRate | percent: '1.0-1' }}</dd>
          <dd class="muted note">of the messages that finished processing</dd>
        </div>
        <div class="card" data-figure="queued"><dt>Queued</dt><dd>{{ v.queue.queued | number }}</dd></div>
        <div class="card" data-figure="processing"><dt>Processing</dt><dd>{{ v.queue.processing | number }}</dd></div>
        <div class="card" data-figure="waiting-for-retry"><dt>Waiting for a retry</dt><dd>{{ v.queue.waitingForRetry | number }}</dd></div>
      </dl>

      <section class="card" aria-labelledby="ov-rate">
        <h2 id="ov-rate">Messages per {{ v.bucketSeconds === 60 ? 'minute' : '15 minutes' }}</h2>
        <hl-overview-chart [view]="v" />
        <ul class="by-status" aria-label="Messages by status">
          @for (entry of byStatus(); track entry.status) {
            <li [attr.data-status]="entry.status">
              <a [routerLink]="['/messages']" [queryParams]="{ status: entry.status, since: v.since }"><hl-status-badge [status]="entry.status" /></a>
              <span class="count">{{ entry.count | number }}</span>
            </li>
          }
        </ul>
      </section>

      <section class="card" aria-labelledby="ov-slowest">
        <h2 id="ov-slowest">Slowest functions</h2>
        @if (v.slowestFunctions.length === 0) {
          <p class="muted">No function ran in this range.</p>
        } @else {
          <table class="slowest" aria-labelledby="ov-slowest">
            <thead>
              <tr><th scope="col">Function</th><th scope="col">95th percentile</th><th scope="col">Slowest</th><th scope="col">Average</th><th scope="col">Runs</th><th scope="col">Failures</th></tr>
            </thead>
            <tbody>
              @for (fn of v.slowestFunctions; track fn.functionId) {
                <tr [attr.data-function-id]="fn.functionId">
                  <th scope="row"><a [routerLink]="['/functions', fn.functionId]">{{ fn.functionName }}</a></th>
                  <td>{{ fn.p95Ms | number: '1.0-1' }} ms</td>
                  <td>{{ fn.maxMs | number: '1.0-1' }} ms</td>
                  <td>{{ fn.avgMs | number: '1.0-1' }} ms</td>
                  <td>{{ fn.runs | number }}</td>
                  <td [class.bad]="fn.failures > 0">{{ fn.failures | number }}</td>
                </tr>
              }
            </tbody>
          </table>
        }
      </section>
    } @else if (!error()) {
      <p class="muted" role="status">Loading the overview…</p>
    }
  `,
  styles: `
    .title-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; }
    .ranges { display: flex; gap: 0.35rem; }
    .updated { margin: 0 0 0.75rem; }
    .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: 0.6rem; margin: 0 0 1rem; }
    .figures dt { color: var(--muted); font-size: 0.9rem; }
    .figures dd { margin: 0.2rem 0 0; font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
    .figures dd.note { font-size: 0.85rem; font-weight: normal; }
    .bad { color: var(--danger); }
    section.card { margin-bottom: 1rem; overflow-x: auto; }
    section h2 { margin-top: 0; }
    .by-status { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; list-style: none; margin: 0.8rem 0 0; padding: 0; }
    .by-status a { text-decoration: none; }
    .count { margin-left: 0.3rem; font-variant-numeric: tabular-nums; }
    .slowest { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    .slowest th, .slowest td { padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--border); text-align: right; }
    .slowest th[scope='row'], .slowest th:first-child { text-align: left; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewPage {
  private readonly api = inject(OverviewApi);
  protected readonly ranges = RANGES;
  protected readonly range = signal<OverviewRange>('1h');
  protected readonly view = signal<OverviewView | undefined>(undefined);
  protected readonly updatedAt = signal<Date | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly live = signal(false);
  /** Answers can arrive out of order (a range switch during a refresh): only the latest counts. */
  private asked = 0;

  protected readonly byStatus = computed(() => {
    const totals = this.view()?.totals.byStatus;
    return totals ? MESSAGE_STATUSES.filter((status) => totals[status] > 0).map((status) => ({ status, count: totals[status] })) : [];
  });

  constructor() {
    void this.load();
    const changes = inject(MessagesApi).changes({}, (connected) => this.live.set(connected));
    merge(changes.pipe(auditTime(SETTLE_MS)), interval(REFRESH_MS))
      .pipe(takeUntilDestroyed())
      .subscribe(() => void this.load());
  }

  protected show(range: OverviewRange): void {
    this.range.set(range);
    void this.load();
  }

  private async load(): Promise<void> {
    const ask = ++this.asked;
    try {
      const view = await this.api.get(this.range());
      if (ask !== this.asked) return;
      this.view.set(view);
      this.updatedAt.set(new Date());
      this.error.set(undefined);
    } catch (err) {
      if (ask === this.asked) this.error.set(toApiError(err));
    }
  }
}
