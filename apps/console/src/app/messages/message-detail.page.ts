import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import { EditResubmit } from './edit-resubmit';
import { MessageBody } from './message-body';
import { MessageTrace } from './message-trace';
import type { MessageDetail } from './message-types';
import { MessagesApi } from './messages-api';
import { curlCommand, queryString } from './request-text';
import { StatusBadge } from './status-badge';
import { IfRole } from '../shared/if-role';

/** Statuses after which a message does not change by itself any more. */
const SETTLED = new Set(['no_provider', 'unauthorized', 'processed', 'no_function', 'failed', 'duplicate', 'dead']);
const REFRESH_MS = 1000;

/** One message: its request, its body, its trace, and resubmitting it (as is or edited). */
@Component({
  selector: 'hl-message-detail-page',
  imports: [IfRole, DatePipe, RouterLink, ErrorBanner, StatusBadge, MessageBody, MessageTrace, EditResubmit],
  template: `
    <p><a routerLink="/messages">← All messages</a></p>
    <hl-error-banner [error]="error()" />
    @if (message(); as m) {
      <h1><span class="method">{{ m.method }}</span> <span class="path">{{ requestTarget() }}</span></h1>
      <dl class="facts">
        <div><dt>Status</dt><dd><hl-status-badge [status]="m.status" />@if (m.statusReason) { <span class="muted"> {{ m.statusReason }}</span> }</dd></div>
        <div><dt>Received</dt><dd><time [attr.datetime]="m.receivedAt">{{ m.receivedAt | date: 'medium' }}</time></dd></div>
        <div><dt>Provider</dt><dd>{{ m.providerName ?? 'none' }}</dd></div>
        <div><dt>Event</dt><dd>{{ m.eventType ?? '—' }}@if (m.deliveryId) { <span class="muted"> · delivery {{ m.deliveryId }}</span> }</dd></div>
        <div><dt>Answer</dt><dd>{{ m.httpStatus ?? '—' }}{{ m.sync ? ' (sync)' : '' }}</dd></div>
        <div><dt>Attempts</dt><dd>{{ m.attempts }}@if (m.nextAttemptAt) { <span class="muted"> · next {{ m.nextAttemptAt | date: 'medium' }}</span> }</dd></div>
      </dl>

      <nav class="links" aria-label="Related messages">
        @if (m.resubmittedFrom) {
          <p>Resubmitted from <a [routerLink]="['/messages', m.resubmittedFrom]" data-link="original">the original message</a>.</p>
        }
        @if (m.resubmissions.length) {
          <p>Resubmitted as:</p>
          <ul>
            @for (copy of m.resubmissions; track copy.id) {
              <li><a [routerLink]="['/messages', copy.id]" data-link="copy">{{ copy.id }}</a> <hl-status-badge [status]="copy.status" /> <span class="muted">{{ copy.receivedAt | date: 'medium' }}</span></li>
            }
          </ul>
        }
      </nav>

      <section *hlIfRole="'editor'" aria-labelledby="resubmit-title" class="card actions">
        <h2 id="resubmit-title">Resubmit</h2>
        <p class="muted">Sends this request through the pipeline again as a new message linked to this one.</p>
        <div class="row">
          <button type="button" class="primary" (click)="resubmit()" [disabled]="busy()">Resubmit as is</button>
          <button type="button" (click)="editing.set(!editing())" [attr.aria-expanded]="editing()" aria-controls="edit-resubmit">Edit and resubmit…</button>
          <button type="button" (click)="copyCurl()">Copy as curl</button>
        </div>
        @if (copied(); as note) { <p role="status">{{ note }}</p> }
        <hl-error-banner [error]="resubmitError()" />
        @if (editing()) {
          <hl-edit-resubmit id="edit-resubmit" [message]="m" (resubmitted)="opened($event)" (cancelled)="editing.set(false)" />
        }
        <details class="curl">
          <summary>curl command</summary>
          <pre tabindex="0">{{ curl() }}</pre>
        </details>
      </section>

      <section aria-labelledby="trace-title">
        <h2 id="trace-title">Trace</h2>
        <hl-message-trace [message]="m" />
      </section>

      <section aria-labelledby="headers-title">
        <h2 id="headers-title">Headers</h2>
        <table class="headers">
          <tbody>
            @for (header of headers(); track header[0]) {
              <tr><th scope="row">{{ header[0] }}</th><td>{{ header[1] }}</td></tr>
            }
          </tbody>
        </table>
      </section>

      <section aria-labelledby="body-title">
        <h2 id="body-title">Body</h2>
        <hl-message-body [message]="m" />
      </section>
    } @else if (!error()) {
      <p>Loading…</p>
    }
  `,
  styles: `
    h1 { word-break: break-all; }
    .method { color: var(--accent-text); margin-right: 0.4rem; }
    .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.4rem 1rem; margin: 0 0 1rem; }
    .facts dt { font-size: 0.8rem; color: var(--muted); }
    .facts dd { margin: 0; }
    .links ul { margin: 0.2rem 0; }
    .actions h2 { margin-top: 0; }
    .row { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    .curl pre { white-space: pre-wrap; word-break: break-all; background: var(--code-bg); padding: 0.5rem; border-radius: 6px; }
    .curl { margin-top: 0.6rem; }
    table.headers { border-collapse: collapse; width: 100%; }
    table.headers th { width: 1%; text-align: left; font-weight: 600; padding: 0.2rem 1rem 0.2rem 0; white-space: nowrap; vertical-align: top; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9rem; }
    table.headers td { word-break: break-all; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageDetailPage {
  private readonly api = inject(MessagesApi);
  private readonly router = inject(Router);
  /** The message id (route parameter, bound by the router). */
  readonly id = input.required<string>();
  protected readonly message = signal<MessageDetail | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly resubmitError = signal<ApiError | undefined>(undefined);
  protected readonly busy = signal(false);
  protected readonly editing = signal(false);
  protected readonly copied = signal<string | undefined>(undefined);
  protected readonly requestTarget = computed(() => {
    const m = this.message();
    return m ? m.path + queryString(m.query) : '';
  });
  protected readonly headers = computed(() => Object.entries(this.message()?.headers ?? {}));
  protected readonly curl = computed(() => {
    const m = this.message();
    return m ? curlCommand(location.origin, m, `${m.id}.body`) : '';
  });
  private timer?: ReturnType<typeof setTimeout>;
  private destroyed = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      clearTimeout(this.timer);
    });
    effect((onCleanup) => {
      const id = this.id();
      this.message.set(undefined);
      this.editing.set(false);
      this.copied.set(undefined);
      this.resubmitError.set(undefined);
      void this.load(id);
      onCleanup(() => clearTimeout(this.timer));
    });
  }

  protected async resubmit(): Promise<void> {
    const m = this.message();
    if (!m) return;
    this.busy.set(true);
    this.resubmitError.set(undefined);
    try {
      await this.opened(await this.api.resubmit(m.id));
    } catch (err) {
      this.resubmitError.set(toApiError(err));
    } finally {
      this.busy.set(false);
    }
  }

  /** Goes to the message a resubmit created. */
  protected async opened(id: string): Promise<void> {
    await this.router.navigate(['/messages', id]);
  }

  protected async copyCurl(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.curl());
      this.copied.set('Copied the curl command.');
    } catch {
      this.copied.set('The browser did not allow copying: the command is below, select it and copy.');
    }
  }

  /** Reads the message, and again while it is still on its way through the pipeline. */
  private async load(id: string): Promise<void> {
    try {
      const message = await this.api.get(id);
      if (this.destroyed || id !== this.id()) return;
      this.message.set(message);
      this.error.set(undefined);
      if (!SETTLED.has(message.status)) this.timer = setTimeout(() => void this.load(id), REFRESH_MS);
    } catch (err) {
      if (id === this.id()) this.error.set(toApiError(err));
    }
  }
}
