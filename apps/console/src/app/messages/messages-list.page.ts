import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { Subscription } from 'rxjs';
import { type ApiError, toApiError } from '../api/api-error';
import type { Provider } from '../api/api-types';
import { ProvidersApi } from '../providers/providers.api';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { BulkResubmit } from './bulk-resubmit';
import { filterFromParams, hasFilter, isoToLocal, localToIso, type MessageFilter } from './message-filter';
import { MESSAGE_STATUSES, type MessageChange, type MessageSummary } from './message-types';
import { MessagesApi } from './messages-api';
import { StatusBadge } from './status-badge';
import { IfRole } from '../shared/if-role';

/** The filter form's fields; times as the `datetime-local` inputs hold them. */
interface FilterForm {
  status: string;
  providerId: string;
  uriPrefix: string;
  eventType: string;
  since: string;
  until: string;
  q: string;
}

/**
 * The message list: filtered by the page's query string (so a filtered view can be linked),
 * paged by cursor, and kept current by the live stream without reloading.
 */
@Component({
  selector: 'hl-messages-list-page',
  imports: [IfRole, DatePipe, FormsModule, RouterLink, ErrorBanner, FieldError, StatusBadge, BulkResubmit],
  template: `
    <div class="title-row">
      <h1>Messages</h1>
      <span class="live" [class.on]="live()" role="status">{{ live() ? 'Live' : 'Connecting to the live stream…' }}</span>
    </div>

    <form class="card filters" (ngSubmit)="applyFilters()" aria-label="Filter messages">
      <div>
        <label for="mf-status">Status</label>
        <select id="mf-status" name="status" [(ngModel)]="form.status" [attr.aria-invalid]="!!error()?.fields?.['status']">
          <option value="">any</option>
          @for (status of statuses; track status) { <option [value]="status">{{ status }}</option> }
        </select>
        <hl-field-error [error]="error()" field="status" />
      </div>
      <div>
        <label for="mf-provider">Provider</label>
        <select id="mf-provider" name="providerId" [(ngModel)]="form.providerId" [attr.aria-invalid]="!!error()?.fields?.['providerId']">
          <option value="">any</option>
          @for (provider of providers(); track provider.id) { <option [value]="provider.id">{{ provider.name }}</option> }
        </select>
        <hl-field-error [error]="error()" field="providerId" />
      </div>
      <div>
        <label for="mf-uri">URI starts with</label>
        <input id="mf-uri" name="uriPrefix" placeholder="git/" [(ngModel)]="form.uriPrefix" [attr.aria-invalid]="!!error()?.fields?.['uriPrefix']" />
        <hl-field-error [error]="error()" field="uriPrefix" />
      </div>
      <div>
        <label for="mf-event">Event type</label>
        <input id="mf-event" name="eventType" placeholder="push" [(ngModel)]="form.eventType" />
      </div>
      <div>
        <label for="mf-since">Received from</label>
        <input id="mf-since" name="since" type="datetime-local" [(ngModel)]="form.since" [attr.aria-invalid]="!!error()?.fields?.['since']" />
        <hl-field-error [error]="error()" field="since" />
      </div>
      <div>
        <label for="mf-until">Received before</label>
        <input id="mf-until" name="until" type="datetime-local" [(ngModel)]="form.until" [attr.aria-invalid]="!!error()?.fields?.['until']" />
        <hl-field-error [error]="error()" field="until" />
      </div>
      <div class="wide">
        <label for="mf-q">Search the body</label>
        <input id="mf-q" name="q" type="search" placeholder="text anywhere in the body" [(ngModel)]="form.q" [attr.aria-invalid]="!!error()?.fields?.['q']" />
        <hl-field-error [error]="error()" field="q" />
      </div>
      <div class="actions">
        <button type="submit" class="primary">Apply filters</button>
        <button type="button" (click)="clearFilters()" [disabled]="!filtered()">Clear</button>
      </div>
    </form>

    <hl-error-banner [error]="error()" [shownFields]="shownFields" />

    @if (filtered()) {
      <hl-bulk-resubmit *hlIfRole="'editor'" [filter]="filter()" />
    }

    <table class="messages" aria-label="Messages, newest first">
      <thead>
        <tr><th scope="col">Received</th><th scope="col">Status</th><th scope="col">Request</th><th scope="col">Provider</th><th scope="col">Event</th><th scope="col">Answer</th></tr>
      </thead>
      <tbody>
        @for (message of items(); track message.id) {
          <tr [class.fresh]="fresh().has(message.id)" [attr.data-message-id]="message.id">
            <td><time [attr.datetime]="message.receivedAt">{{ message.receivedAt | date: 'MMM d, HH:mm:ss' }}</time></td>
            <td><hl-status-badge [status]="message.status" /></td>
            <td class="request">
              <a [routerLink]="['/messages', message.id]"><span class="method">{{ message.method }}</span> /{{ message.uri }}</a>
              @if (message.resubmittedFrom) { <span class="muted"> (resubmitted)</span> }
            </td>
            <td>{{ message.providerName ?? '—' }}</td>
            <td>{{ message.eventType ?? '—' }}</td>
            <td>{{ message.httpStatus ?? '—' }}</td>
          </tr>
        } @empty {
          <tr><td colspan="6" class="muted">{{ emptyText() }}</td></tr>
        }
      </tbody>
    </table>

    <div class="more">
      @if (partial()) {
        <p class="muted">The search read its window of stored bodies without filling the page; older messages may match too.</p>
      }
      @if (nextCursor()) {
        <button type="button" (click)="loadMore()" [disabled]="loading()">{{ loading() ? 'Loading…' : partial() ? 'Search further back' : 'Load more' }}</button>
      }
    </div>
  `,
  styles: `
    .title-row { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
    .live { font-size: 0.85rem; color: var(--muted); }
    .live.on::before { content: '●'; color: var(--ok); margin-right: 0.3rem; }
    .filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.6rem 1rem; align-items: start; }
    .filters .wide { grid-column: span 2; }
    .filters .actions { display: flex; gap: 0.5rem; align-self: end; }
    @media (max-width: 40rem) { .filters .wide { grid-column: auto; } }
    table.messages { width: 100%; border-collapse: collapse; margin-top: 1rem; background: var(--surface); }
    th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
    th { font-size: 0.85rem; color: var(--muted); }
    td.request { word-break: break-all; }
    .method { font-weight: 600; }
    tr.fresh { animation: arrive 2s ease-out; }
    @keyframes arrive { from { background: var(--accent-soft); } to { background: transparent; } }
    @media (prefers-reduced-motion: reduce) { tr.fresh { animation: none; } }
    .more { margin: 1rem 0; }
    @media (max-width: 40rem) {
      thead { display: none; }
      table.messages, tbody, tr, td { display: block; }
      tr { border-bottom: 1px solid var(--border); padding: 0.3rem 0; }
      td { border: none; padding: 0.1rem 0.5rem; }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessagesListPage {
  private readonly api = inject(MessagesApi);
  private readonly providersApi = inject(ProvidersApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly statuses = MESSAGE_STATUSES;
  protected readonly shownFields = ['status', 'providerId', 'uriPrefix', 'since', 'until', 'q'];
  protected form: FilterForm = emptyForm();
  protected readonly filter = signal<MessageFilter>({});
  protected readonly filtered = computed(() => hasFilter(this.filter()));
  protected readonly providers = signal<Provider[]>([]);
  protected readonly items = signal<MessageSummary[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly partial = signal(false);
  protected readonly loading = signal(false);
  protected readonly live = signal(false);
  /** Messages the stream brought in since the page loaded, highlighted briefly. */
  protected readonly fresh = signal<ReadonlySet<string>>(new Set());
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly emptyText = computed(() =>
    this.loading() ? 'Loading…' : this.filtered() ? 'No message matches these filters.' : 'No messages yet: they appear here as webhooks arrive at /webhooks/…',
  );
  private stream?: Subscription;
  /** Answers to an older filter are dropped when they arrive after a newer one's. */
  private generation = 0;

  constructor() {
    this.providersApi.list().then(
      (providers) => this.providers.set(providers),
      (err: unknown) => this.error.set(toApiError(err)),
    );
    this.route.queryParams.pipe(takeUntilDestroyed()).subscribe((params) => void this.show(filterFromParams(params)));
    this.destroyRef.onDestroy(() => this.stream?.unsubscribe());
  }

  protected async applyFilters(): Promise<void> {
    const f = this.form;
    const queryParams: MessageFilter = {
      status: f.status,
      providerId: f.providerId,
      uriPrefix: f.uriPrefix.trim(),
      eventType: f.eventType.trim(),
      since: localToIso(f.since),
      until: localToIso(f.until),
      q: f.q,
    };
    // Empty values become absent: the address holds only the filters in use.
    const params = Object.fromEntries(Object.entries(queryParams).map(([key, value]) => [key, value || null]));
    await this.router.navigate([], { relativeTo: this.route, queryParams: params });
  }

  protected async clearFilters(): Promise<void> {
    await this.router.navigate([], { relativeTo: this.route, queryParams: {} });
  }

  protected async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor) return;
    await this.load(this.filter(), cursor, this.generation);
  }

  /** Shows the list for `filter`: the first page, and the stream of what changes from now on. */
  private async show(filter: MessageFilter): Promise<void> {
    const generation = ++this.generation;
    this.filter.set(filter);
    this.form = { ...emptyForm(), ...filter, since: isoToLocal(filter.since), until: isoToLocal(filter.until) };
    this.items.set([]);
    this.nextCursor.set(null);
    this.error.set(undefined);
    this.stream?.unsubscribe();
    this.live.set(false);
    // Open the stream first: a message arriving while the first page loads is then not missed.
    this.stream = this.api.changes(filter, (connected) => this.live.set(connected)).subscribe((change) => this.apply(change));
    await this.load(filter, null, generation);
  }

  private async load(filter: MessageFilter, cursor: string | null, generation: number): Promise<void> {
    this.loading.set(true);
    try {
      const page = await this.api.list(filter, cursor);
      if (generation !== this.generation) return;
      // What the stream already brought is newer than this page's copy of the same message.
      this.items.update((items) => merge(page.items, items));
      this.nextCursor.set(page.nextCursor);
      this.partial.set(page.partial);
    } catch (err) {
      if (generation !== this.generation) return;
      const error = toApiError(err);
      this.error.set(error);
      // Filters the server refuses would be refused by the stream too, again and again.
      if (error.status === 400) this.stream?.unsubscribe();
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  /** A new message goes to the top; a known one takes its new status where it is. */
  private apply(change: MessageChange): void {
    const message = change.message;
    this.items.update((items) => {
      const last = items[items.length - 1];
      // Older than everything shown while more pages exist: "load more" will bring it in order.
      if (!items.some((m) => m.id === message.id) && this.nextCursor() && last && isOlder(message, last)) return items;
      return merge(items, [message]);
    });
    if (change.change === 'created') this.fresh.update((ids) => new Set(ids).add(message.id));
  }
}

function emptyForm(): FilterForm {
  return { status: '', providerId: '', uriPrefix: '', eventType: '', since: '', until: '', q: '' };
}

/** `items` with `incoming` replacing messages of the same id, newest first. */
function merge(items: MessageSummary[], incoming: MessageSummary[]): MessageSummary[] {
  const byId = new Map(items.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => (isOlder(a, b) ? 1 : -1));
}

/** The list's order: received time, then id, as the API pages. */
function isOlder(a: MessageSummary, b: MessageSummary): boolean {
  return a.receivedAt === b.receivedAt ? a.id < b.id : a.receivedAt < b.receivedAt;
}
