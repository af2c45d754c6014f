import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, type Params } from '@angular/router';
import { AUDIT_ENTITY_TYPES } from '../../../../server/src/audit/audit-kinds';
import type { AuditEntryView } from '../../../../server/src/audit/audit-view';
import { isoToLocal, localToIso } from '../messages/message-filter';
import { CursorList } from '../shared/cursor-list';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { AuditApi, type AuditSelection } from './audit.api';
import { AuditEntryDetails } from './audit-entry-details';

const SELECTION_KEYS = ['actor', 'entity', 'entityId', 'action', 'since', 'until'] as const satisfies ReadonlyArray<keyof AuditSelection>;

/** The filter form's fields; times as the `datetime-local` inputs hold them. */
type FilterForm = Record<(typeof SELECTION_KEYS)[number], string>;

/**
 * The audit log (`GET /api/audit`), newest first, filtered by the page's query string so that a
 * view can be linked, paged by cursor; an entry opens to its scripts' and entity's diff.
 */
@Component({
  selector: 'hl-audit-page',
  imports: [DatePipe, FormsModule, ErrorBanner, FieldError, AuditEntryDetails],
  templateUrl: './audit.page.html',
  styleUrls: ['../shared/filtered-table-page.css'],
  styles: `
    td { overflow-wrap: anywhere; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditPage {
  private readonly api = inject(AuditApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly entityTypes = AUDIT_ENTITY_TYPES;
  protected readonly shownFields: readonly string[] = SELECTION_KEYS;
  protected form: FilterForm = emptyForm();
  private readonly list = new CursorList<AuditEntryView, AuditSelection>((selection, cursor) => this.api.list(selection, cursor), {});
  protected readonly items = this.list.items;
  protected readonly nextCursor = this.list.nextCursor;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly filtered = computed(() => SELECTION_KEYS.some((key) => !!this.list.selection()[key]));
  protected readonly opened = signal<string | null>(null);
  protected readonly emptyText = computed(() => (this.loading() ? 'Loading…' : this.filtered() ? 'No entry matches these filters.' : 'Nothing recorded yet.'));

  constructor() {
    this.route.queryParams.pipe(takeUntilDestroyed()).subscribe((params) => void this.show(selectionFromParams(params)));
  }

  protected async applyFilters(): Promise<void> {
    const f = this.form;
    const chosen: FilterForm = { ...f, actor: f.actor.trim(), entityId: f.entityId.trim(), action: f.action.trim(), since: localToIso(f.since), until: localToIso(f.until) };
    // Empty values become absent: the address holds only the filters in use.
    const queryParams = Object.fromEntries(Object.entries(chosen).map(([key, value]) => [key, value || null]));
    await this.router.navigate([], { relativeTo: this.route, queryParams });
  }

  protected async clearFilters(): Promise<void> {
    await this.router.navigate([], { relativeTo: this.route, queryParams: {} });
  }

  protected toggle(entry: AuditEntryView): void {
    this.opened.update((id) => (id === entry.id ? null : entry.id));
  }

  protected async loadMore(): Promise<void> {
    await this.list.loadMore();
  }

  private async show(selection: AuditSelection): Promise<void> {
    this.form = { ...emptyForm(), ...selection, since: isoToLocal(selection.since), until: isoToLocal(selection.until) };
    this.opened.set(null);
    await this.list.show(selection);
  }
}

function emptyForm(): FilterForm {
  return { actor: '', entity: '', entityId: '', action: '', since: '', until: '' };
}

/** The selection in a page's query parameters; anything else there is ignored. */
function selectionFromParams(params: Params): AuditSelection {
  const selection: AuditSelection = {};
  for (const key of SELECTION_KEYS) {
    const value: unknown = params[key];
    if (typeof value === 'string' && value !== '') selection[key] = value;
  }
  return selection;
}
