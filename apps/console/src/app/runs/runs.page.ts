import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink, type Params } from '@angular/router';
import { toApiError } from '../api/api-error';
import { RUN_STATUSES, type Automation, type Run, type RunSelection, type RunStatus } from '../automations/automation-types';
import { AutomationsApi } from '../automations/automations.api';
import { RetryFailedRuns } from '../automations/retry-failed-runs';
import { RunStatusBadge } from '../automations/run-status-badge';
import { isoToLocal, localToIso } from '../messages/message-filter';
import { CursorList } from '../shared/cursor-list';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { IfRole } from '../shared/if-role';

const SELECTION_KEYS = ['status', 'automationId', 'since', 'until'] as const satisfies ReadonlyArray<keyof RunSelection>;

/** The filter form's fields; times as the `datetime-local` inputs hold them. */
type FilterForm = Record<(typeof SELECTION_KEYS)[number], string>;

/**
 * Runs of every automation (`GET /api/runs`), filtered by the page's query string so a view can
 * be linked, paged by cursor; failed and dead ones retried one at a time or all that match.
 */
@Component({
  selector: 'hl-runs-page',
  imports: [IfRole, DatePipe, FormsModule, RouterLink, ErrorBanner, FieldError, RetryFailedRuns, RunStatusBadge],
  templateUrl: './runs.page.html',
  styleUrls: ['../shared/filtered-table-page.css'],
  styles: `
    .reason { overflow-wrap: anywhere; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunsPage {
  private readonly api = inject(AutomationsApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly statuses = RUN_STATUSES;
  protected readonly shownFields: readonly string[] = SELECTION_KEYS;
  protected form: FilterForm = emptyForm();
  private readonly list = new CursorList<Run, RunSelection>((selection, cursor) => this.api.listRuns(selection, cursor), {});
  protected readonly selection = this.list.selection;
  protected readonly filtered = computed(() => SELECTION_KEYS.some((key) => !!this.selection()[key]));
  /** A bulk retry needs a filter, and takes only failed and dead runs. */
  protected readonly retryable = computed(() => this.filtered() && [undefined, 'failed', 'dead'].includes(this.selection().status));
  protected readonly automations = signal<Automation[]>([]);
  protected readonly items = this.list.items;
  protected readonly nextCursor = this.list.nextCursor;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly emptyText = computed(() => (this.loading() ? 'Loading…' : this.filtered() ? 'No run matches these filters.' : 'No runs yet.'));

  constructor() {
    this.api.list().then(
      (automations) => this.automations.set(automations),
      (err: unknown) => this.error.set(toApiError(err)),
    );
    this.route.queryParams.pipe(takeUntilDestroyed()).subscribe((params) => void this.show(selectionFromParams(params)));
  }

  protected async applyFilters(): Promise<void> {
    const f = this.form;
    const chosen: FilterForm = { status: f.status, automationId: f.automationId, since: localToIso(f.since), until: localToIso(f.until) };
    // Empty values become absent: the address holds only the filters in use.
    const queryParams = Object.fromEntries(Object.entries(chosen).map(([key, value]) => [key, value || null]));
    await this.router.navigate([], { relativeTo: this.route, queryParams });
  }

  protected async clearFilters(): Promise<void> {
    await this.router.navigate([], { relativeTo: this.route, queryParams: {} });
  }

  protected async loadMore(): Promise<void> {
    await this.list.loadMore();
  }

  protected reload(): void {
    void this.show(this.selection());
  }

  protected async retry(run: Run): Promise<void> {
    this.error.set(undefined);
    try {
      const retried = await this.api.retry(run.id);
      this.items.update((items) => items.map((item) => (item.id === retried.id ? retried : item)));
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  private async show(selection: RunSelection): Promise<void> {
    this.form = { ...emptyForm(), ...selection, since: isoToLocal(selection.since), until: isoToLocal(selection.until) };
    await this.list.show(selection);
  }
}

function emptyForm(): FilterForm {
  return { status: '', automationId: '', since: '', until: '' };
}

/** The selection in a page's query parameters; anything else there is ignored. */
function selectionFromParams(params: Params): RunSelection {
  const selection: RunSelection = {};
  for (const key of SELECTION_KEYS) {
    const value: unknown = params[key];
    if (typeof value !== 'string' || value === '') continue;
    if (key === 'status') selection.status = value as RunStatus;
    else selection[key] = value;
  }
  return selection;
}
