import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import { GIT_PROVIDER_KINDS } from './git-provider-draft';
import type { GitProvider } from './git-provider-types';
import { GitProvidersApi } from './git-providers.api';
import { IfRole } from '../shared/if-role';

/** Every Git provider: the hosts scheduled automations poll, with whether a token is set. */
@Component({
  selector: 'hl-git-providers-page',
  imports: [IfRole, RouterLink, ErrorBanner],
  template: `
    <div class="heading">
      <h1>Git providers</h1>
      <a *hlIfRole="'admin'" class="button" routerLink="new">New Git provider</a>
    </div>
    <p class="muted intro">
      The GitHub accounts, Azure DevOps organisations and git remotes that scheduled automations poll, so that they run only when a
      watched branch moved. Automations name a provider by its name.
    </p>
    <hl-error-banner [error]="error()" />
    @if (providers(); as list) {
      @if (list.length === 0) {
        <p>No Git providers yet. <a routerLink="new">Add one</a>.</p>
      } @else {
        <ul class="item-list" aria-label="Git providers">
          @for (p of list; track p.id) {
            <li class="row" [attr.data-git-provider-id]="p.id">
              <span class="name">
                <a [routerLink]="p.id">{{ p.name }}</a>
                <span class="badge">{{ kinds[p.kind].label }}</span>
              </span>
              <code class="line-cut">{{ p.kind === 'git' ? p.remoteUrl : p.baseUrl }}</code>
              <span class="muted token">{{ p.tokenConfigured ? 'token set' : 'no token' }}</span>
            </li>
          }
        </ul>
      }
    } @else if (!error()) {
      <p class="muted" role="status">Loading Git providers…</p>
    }
  `,
  styleUrl: '../shared/list-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GitProvidersPage {
  private readonly api = inject(GitProvidersApi);
  protected readonly providers = signal<GitProvider[] | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly kinds = GIT_PROVIDER_KINDS;

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.providers.set(await this.api.list());
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
