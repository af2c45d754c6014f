import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { Automation, AutomationTarget } from './automation-types';
import { AutomationsApi } from './automations.api';
import { IfRole } from '../shared/if-role';

/** Every automation with what it runs and when. */
@Component({
  selector: 'hl-automations-page',
  imports: [IfRole, RouterLink, ErrorBanner],
  template: `
    <div class="heading">
      <h1>Automations</h1>
      <a *hlIfRole="'editor'" class="button" routerLink="new">New automation</a>
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
        <ul class="item-list automation-list" aria-label="Automations">
          @for (a of list; track a.id) {
            <li class="row" [class.disabled]="!a.enabled">
              <span class="name">
                <a [routerLink]="a.id">{{ a.name }}</a>
                <span class="badge">{{ a.target.kind }}</span>
                @if (a.scmPoll; as poll) {
                  <span class="badge" title="Runs only when a watched branch changed">polls {{ poll.repo }}</span>
                }
                @if (!a.enabled) {
                  <span class="muted">disabled</span>
                }
                @if (a.description) {
                  <span class="description muted">{{ a.description }}</span>
                }
              </span>
              <code class="line-cut">{{ summary(a.target) }}</code>
              <span class="schedule muted">{{ a.schedule ? a.schedule + ' (' + a.timeZone + ')' : 'no schedule' }}</span>
            </li>
          }
        </ul>
      }
    } @else if (!error()) {
      <p class="muted" role="status">Loading automations…</p>
    }
  `,
  styleUrl: '../shared/list-page.css',
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
