import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { Endpoint } from './endpoint-types';
import { EndpointsApi } from './endpoints.api';

/** Every secret-token webhook endpoint, its token shown only by its prefix. */
@Component({
  selector: 'hl-endpoints-page',
  imports: [DatePipe, RouterLink, ErrorBanner],
  template: `
    <div class="heading">
      <h1>Endpoints</h1>
      <a class="button" routerLink="new">New endpoint</a>
    </div>
    <p class="muted intro">URLs for senders that need nothing but a URL: a delivery starts the automations the endpoint links.</p>
    <hl-error-banner [error]="error()" />
    @if (endpoints(); as list) {
      @if (list.length === 0) {
        <p>No endpoints yet. <a routerLink="new">Create one</a>.</p>
      } @else {
        <ul class="endpoint-list" aria-label="Endpoints">
          @for (e of list; track e.id) {
            <li class="row" [class.disabled]="!e.enabled">
              <span class="name">
                <a [routerLink]="e.id">{{ e.name }}</a>
                @if (!e.enabled) {
                  <span class="muted">disabled</span>
                }
                @if (e.description) {
                  <span class="description muted">{{ e.description }}</span>
                }
              </span>
              <code class="prefix" title="The token's prefix; the full URL is shown only when it is made">…/inbound/{{ e.tokenPrefix }}…</code>
              <span class="muted">
                {{ e.automationIds.length }} {{ e.automationIds.length === 1 ? 'automation' : 'automations' }},
                {{ e.lastAcceptedAt ? 'last delivery ' + (e.lastAcceptedAt | date: 'short') : 'no deliveries yet' }}
              </span>
            </li>
          }
        </ul>
      }
    } @else if (!error()) {
      <p class="muted" role="status">Loading endpoints…</p>
    }
  `,
  styles: `
    .heading { display: flex; align-items: center; justify-content: space-between; gap: 1rem; }
    .intro { max-width: 60rem; }
    .endpoint-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
    .row {
      display: grid; grid-template-columns: minmax(12rem, 1fr) auto auto; align-items: center; gap: 0.5rem 1rem;
      padding: 0.55rem 0.75rem; background: var(--surface); border: 1px solid var(--border); border-radius: 8px;
    }
    .row.disabled .name a { color: var(--muted); }
    .name { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.2rem 0.5rem; min-width: 0; }
    .name a { font-weight: 600; }
    .description { flex-basis: 100%; font-size: 0.9rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    @media (max-width: 40rem) {
      .row { grid-template-columns: 1fr; }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EndpointsPage {
  private readonly api = inject(EndpointsApi);
  protected readonly endpoints = signal<Endpoint[] | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.endpoints.set(await this.api.list());
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
