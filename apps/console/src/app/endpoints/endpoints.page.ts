import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { Endpoint } from './endpoint-types';
import { EndpointsApi } from './endpoints.api';
import { IfRole } from '../shared/if-role';

/** Every secret-token webhook endpoint, its token shown only by its prefix. */
@Component({
  selector: 'hl-endpoints-page',
  imports: [IfRole, DatePipe, RouterLink, ErrorBanner],
  template: `
    <div class="heading">
      <h1>Endpoints</h1>
      <a *hlIfRole="'editor'" class="button" routerLink="new">New endpoint</a>
    </div>
    <p class="muted intro">URLs for senders that need nothing but a URL: a delivery starts the automations the endpoint links.</p>
    <hl-error-banner [error]="error()" />
    @if (endpoints(); as list) {
      @if (list.length === 0) {
        <p>No endpoints yet. <a routerLink="new">Create one</a>.</p>
      } @else {
        <ul class="item-list endpoint-list" aria-label="Endpoints">
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
  styleUrl: '../shared/list-page.css',
  styles: `
    .row { grid-template-columns: minmax(12rem, 1fr) auto auto; }
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
