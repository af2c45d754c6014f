import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { MessageFilter } from './message-filter';
import { MessagesApi } from './messages-api';

/** The most the server resubmits in one call, and so the most one bulk resubmit here takes on. */
const MAX_MESSAGES = 1000;
/** Messages per call: small enough that the progress moves, large enough to be quick. */
const CHUNK = 25;

type Step =
  | { kind: 'idle' }
  | { kind: 'counting' }
  | { kind: 'confirm'; ids: string[] }
  | { kind: 'too-many' }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'finished'; done: number; total: number };

/**
 * Resubmits every message of the filtered list: counts them first, asks, then sends them in
 * small batches of ids, oldest first, showing how far it got. Stops at the first failure and
 * says how many went.
 */
@Component({
  selector: 'hl-bulk-resubmit',
  imports: [ErrorBanner],
  template: `
    <section class="bulk card" aria-labelledby="bulk-title">
      <h2 id="bulk-title">Resubmit the filtered messages</h2>
      @switch (step().kind) {
        @case ('idle') {
          <button type="button" (click)="count()">Count and resubmit…</button>
        }
        @case ('counting') {
          <p role="status">Counting the messages that match…</p>
        }
        @case ('too-many') {
          <p role="status">More than {{ max }} messages match. Narrow the filters (a time range, a status) and try again.</p>
          <button type="button" (click)="reset()">OK</button>
        }
      }
      @if (confirming(); as ids) {
        <p role="status"><strong>{{ ids.length }}</strong> {{ ids.length === 1 ? 'message matches' : 'messages match' }}. Each is sent through the pipeline again as a new message linked to it.</p>
        <div class="row">
          <button type="button" class="primary" (click)="run(ids)" [disabled]="ids.length === 0">Resubmit {{ ids.length }}</button>
          <button type="button" (click)="reset()">Cancel</button>
        </div>
      }
      @if (progress(); as p) {
        <label for="bulk-progress">{{ p.finished ? 'Resubmitted' : 'Resubmitting' }} {{ p.done }} of {{ p.total }}</label>
        <progress id="bulk-progress" [value]="p.done" [max]="p.total || 1"></progress>
        @if (p.finished) {
          <p role="status">{{ p.done === p.total ? 'Done: all ' + p.total + ' resubmitted; the copies appear in the list as they arrive.' : 'Stopped after ' + p.done + ' of ' + p.total + '.' }}</p>
          <button type="button" (click)="reset()">Close</button>
        }
      }
      <hl-error-banner [error]="error()" />
    </section>
  `,
  styles: `
    .bulk { margin-top: 0.8rem; }
    .bulk h2 { margin-top: 0; font-size: 1rem; }
    .row { display: flex; gap: 0.5rem; flex-wrap: wrap; }
    progress { width: 100%; height: 1rem; }
    label { display: block; font-weight: 600; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkResubmit {
  private readonly api = inject(MessagesApi);
  readonly filter = input.required<MessageFilter>();
  protected readonly max = MAX_MESSAGES;
  protected readonly step = signal<Step>({ kind: 'idle' });
  protected readonly error = signal<ApiError | undefined>(undefined);

  constructor() {
    // Another filter is another set of messages: start over.
    effect(() => {
      this.filter();
      this.reset();
    });
  }

  protected confirming(): string[] | undefined {
    const step = this.step();
    return step.kind === 'confirm' ? step.ids : undefined;
  }

  protected progress(): { done: number; total: number; finished: boolean } | undefined {
    const step = this.step();
    return step.kind === 'running' || step.kind === 'finished' ? { done: step.done, total: step.total, finished: step.kind === 'finished' } : undefined;
  }

  protected reset(): void {
    this.step.set({ kind: 'idle' });
    this.error.set(undefined);
  }

  /** Reads the ids of every matching message, page by page, up to the limit. */
  protected async count(): Promise<void> {
    const filter = this.filter();
    this.error.set(undefined);
    this.step.set({ kind: 'counting' });
    const ids: string[] = [];
    try {
      let cursor: string | null = null;
      do {
        const page = await this.api.list(filter, cursor, 500);
        ids.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor;
      } while (cursor && ids.length <= MAX_MESSAGES);
    } catch (err) {
      this.error.set(toApiError(err));
      this.step.set({ kind: 'idle' });
      return;
    }
    if (filter !== this.filter()) return;
    // The list is newest first; resubmit in the order they arrived.
    this.step.set(ids.length > MAX_MESSAGES ? { kind: 'too-many' } : { kind: 'confirm', ids: ids.reverse() });
  }

  protected async run(ids: string[]): Promise<void> {
    let done = 0;
    this.step.set({ kind: 'running', done, total: ids.length });
    try {
      for (let start = 0; start < ids.length; start += CHUNK) {
        const answer = await this.api.resubmitMany(ids.slice(start, start + CHUNK));
        done += answer.count;
        this.step.set({ kind: 'running', done, total: ids.length });
      }
    } catch (err) {
      this.error.set(toApiError(err));
    }
    this.step.set({ kind: 'finished', done, total: ids.length });
  }
}
