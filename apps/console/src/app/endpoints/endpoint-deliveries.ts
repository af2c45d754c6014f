import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { Delivery } from './endpoint-types';
import { EndpointsApi } from './endpoints.api';

/** An endpoint's deliveries, newest first, each with its answer, the automations it started and its payload preview. */
@Component({
  selector: 'hl-endpoint-deliveries',
  imports: [DatePipe, RouterLink, ErrorBanner],
  template: `
    <section class="card" aria-labelledby="deliveries-title">
      <div class="heading">
        <h2 id="deliveries-title">Deliveries</h2>
        <button type="button" (click)="reload()">Refresh</button>
      </div>
      <hl-error-banner [error]="error()" />
      @if (deliveries(); as list) {
        @if (list.length === 0) {
          <p class="muted">No deliveries yet. Send a POST to the endpoint's URL.</p>
        } @else {
          <ul class="deliveries" aria-label="Deliveries, newest first">
            @for (d of list; track d.messageId) {
              <li class="delivery">
                <details>
                  <summary>
                    <span class="answer" [class.bad]="(d.httpStatus ?? 0) >= 400">{{ d.httpStatus ?? '—' }}</span>
                    <span class="status">{{ d.status.replace('_', ' ') }}</span>
                    <time [attr.datetime]="d.receivedAt">{{ d.receivedAt | date: 'medium' }}</time>
                    <span class="muted">{{ d.triggeredBy }}, {{ d.payloadSize }} bytes</span>
                  </summary>
                  <div class="body">
                    @if (d.statusReason) {
                      <p class="reason">{{ d.statusReason }}</p>
                    }
                    @if (d.automations.length) {
                      <ul class="started" aria-label="Automations started">
                        @for (a of d.automations; track $index) {
                          <li>
                            <a [routerLink]="['/automations', a.automationId]">{{ a.automationName ?? a.automationId }}</a>: {{ a.status }}
                            @if (a.error) {
                              <span class="reason">{{ a.error }}</span>
                            }
                          </li>
                        }
                      </ul>
                    }
                    <h3>Payload{{ d.payloadTruncated ? ' (first 4 KB of ' + d.payloadSize + ' bytes)' : '' }}</h3>
                    <pre class="out" data-testid="payload-preview">{{ d.payloadPreview || '(empty)' }}</pre>
                    <a [routerLink]="['/messages', d.messageId]">Open the message and its trace</a>
                  </div>
                </details>
              </li>
            }
          </ul>
          @if (nextCursor()) {
            <button type="button" (click)="more()">Load older deliveries</button>
          }
        }
      } @else if (!error()) {
        <p class="muted" role="status">Loading deliveries…</p>
      }
    </section>
  `,
  styles: `
    .heading { display: flex; align-items: center; justify-content: space-between; gap: 1rem; }
    h2 { margin: 0; }
    .deliveries { list-style: none; margin: 0.75rem 0; padding: 0; display: grid; gap: 0.35rem; }
    .delivery { border: 1px solid var(--border); border-radius: 8px; }
    summary { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.75rem; padding: 0.5rem 0.75rem; cursor: pointer; }
    .answer { font-weight: 700; font-variant-numeric: tabular-nums; color: var(--ok); }
    .answer.bad, .reason { color: var(--danger); }
    .body { padding: 0 0.75rem 0.75rem; display: grid; gap: 0.4rem; }
    .body h3 { font-size: 0.95rem; margin: 0.4rem 0 0; }
    .reason { margin: 0; overflow-wrap: anywhere; }
    .started { margin: 0; }
    .out { margin: 0; padding: 0.5rem; background: var(--code-bg); border-radius: 6px; overflow: auto; max-height: 20rem; white-space: pre-wrap; overflow-wrap: anywhere; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EndpointDeliveries {
  private readonly api = inject(EndpointsApi);
  readonly endpointId = input.required<string>();
  protected readonly deliveries = signal<Delivery[] | undefined>(undefined);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly error = signal<ApiError | undefined>(undefined);

  constructor() {
    effect(() => {
      this.endpointId();
      untracked(() => this.reload());
    });
  }

  protected reload(): void {
    void this.load(null);
  }

  protected more(): void {
    void this.load(this.nextCursor());
  }

  private async load(cursor: string | null): Promise<void> {
    this.error.set(undefined);
    try {
      const page = await this.api.deliveries(this.endpointId(), cursor);
      this.deliveries.update((shown) => (cursor ? [...(shown ?? []), ...page.items] : page.items));
      this.nextCursor.set(page.nextCursor);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
