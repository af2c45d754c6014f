import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import type { Run } from '../automations/automation-types';
import { AutomationsApi } from '../automations/automations.api';
import { RunDetails } from '../automations/run-details';
import { isFinished, RunStatusBadge } from '../automations/run-status-badge';
import { ErrorBanner } from '../shared/error-banner';

/** How often the run is read again while it is pending or running. */
const POLL_MS = 1000;

/** One run by its id (route `runs/:id`, `GET /api/runs/:id`): what started it, its status and its output. */
@Component({
  selector: 'hl-run-page',
  imports: [DatePipe, RouterLink, ErrorBanner, RunDetails, RunStatusBadge],
  template: `
    <nav class="crumbs" aria-label="Breadcrumb"><a routerLink="/runs">Runs</a> ›</nav>
    <hl-error-banner [error]="error()" />
    @if (run(); as r) {
      <h1>Run of <a [routerLink]="['/automations', r.automationId]">{{ r.automationName }}</a></h1>
      <p class="summary">
        <hl-run-status [status]="r.status" />
        <span>started by {{ r.trigger }}</span>
        <time [attr.datetime]="r.createdAt">{{ r.createdAt | date: 'medium' }}</time>
        <button type="button" (click)="refreshNow()">Refresh</button>
      </p>
      <section class="card" aria-label="Run details">
        <hl-run-details [run]="r" (retry)="retry()" />
      </section>
    } @else if (!error()) {
      <p class="muted" role="status">Loading the run…</p>
    }
  `,
  styles: `
    .crumbs { font-size: 0.9rem; }
    .summary { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.9rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunPage {
  private readonly api = inject(AutomationsApi);
  /** Route parameter. */
  readonly id = input.required<string>();
  protected readonly run = signal<Run | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.refresh(id));
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected refreshNow(): void {
    void this.refresh(this.id());
  }

  protected async retry(): Promise<void> {
    this.error.set(undefined);
    try {
      this.run.set(await this.api.retry(this.id()));
      await this.refresh(this.id());
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  private async refresh(id: string): Promise<void> {
    clearTimeout(this.timer);
    try {
      const run = await this.api.getRun(id);
      if (id !== this.id()) return;
      this.run.set(run);
      this.error.set(undefined);
      if (!isFinished(run.status)) this.timer = setTimeout(() => void this.refresh(id), POLL_MS);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
