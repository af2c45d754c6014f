import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { Automation, AutomationTarget } from './automation-types';
import { AutomationsApi } from './automations.api';

/** Every automation with what it runs and when. */
@Component({
  selector: 'hl-automations-page',
  imports: [RouterLink, ErrorBanner],
  template: `
    <div class="heading">
      <h1>Automations</h1>
      <a class="button" routerLink="new">New automation</a>
    </div>
    <p class="muted intro">
      Something to run, a command on this host, an HTTP call or a task for a runner, started by functions, endpoints, a schedule,
      failure events or by hand.
    </p>
    <hl-error-banner [error]="error()" />
    @if (automations(); as list) {
      @if (list.length === 0) {
        <p>No automations yet. <a routerLink="new">Create one</a>.</p>
      } @else {
        <ul class="automation-list" aria-label="Automations">
          @for (a of list; track a.id) {
            <li class="row" [class.disabled]="!a.enabled">
              <span class="name">
                <a [routerLink]="a.id">{{ a.name }}</a>
                <span class="badge">{{ a.target.kind }}</span>
                @if (!a.enabled) {
                  <span class="muted">disabled</span>
                }
                @if (a.description) {
                  <span class="description muted">{{ a.description }}</span>
                }
              </span>
              <code class="summary">{{ summary(a.target) }}</code>
              <span class="schedule muted">{{ a.schedule ? a.schedule + ' (' + a.timeZone + ')' : 'no schedule' }}</span>
            </li>
          }
        </ul>
      }
    } @else if (!error()) {
      <p class="muted" role="status">Loading automations…</p>
    }
  `,
  styles: `
    .heading { display: flex; align-items: center; justify-content: space-between; gap: 1rem; }
    .intro { max-width: 60rem; }
    .automation-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
    .row {
      display: grid; grid-template-columns: minmax(12rem, 1fr) 2fr auto; align-items: center; gap: 0.5rem 1rem;
      padding: 0.55rem 0.75rem; background: var(--surface); border: 1px solid var(--border); border-radius: 8px;
    }
    .row.disabled .name a { color: var(--muted); }
    .name { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.2rem 0.5rem; min-width: 0; }
    .name a { font-weight: 600; }
    .description { flex-basis: 100%; font-size: 0.9rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .summary { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
    @media (max-width: 40rem) {
      .row { grid-template-columns: 1fr; }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AutomationsPage {
  private readonly api = inject(AutomationsApi);
  protected readonly automations = signal<Automation[] | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);

  constructor() {
    void this.load();
  }

  protected summary(target: AutomationTarget): string {
    switch (target.kind) {
      case 'command':
        return target.command ?? (target.argv ?? []).join(' ');
      case 'http':
        return `${target.method} ${target.url}`;
      case 'task':
        return target.name;
    }
  }

  private async load(): Promise<void> {
    try {
      this.automations.set(await this.api.list());
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
