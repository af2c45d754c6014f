import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { Role } from '../api/api-types';
import { Session } from '../auth/session';

/** The frame around every page after login: navigation, who is logged in, log out. */
@Component({
  selector: 'hl-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  template: `
    <a class="skip-link" href="#main" (click)="skipToMain($event)">Skip to content</a>
    <header class="topbar">
      <a class="brand" routerLink="/">Hookline</a>
      <nav aria-label="Main">
        <ul>
          @for (page of pages; track page.path) {
            @if (session.can(page.role)) {
              <li><a [routerLink]="page.path" routerLinkActive="active" ariaCurrentWhenActive="page">{{ page.label }}</a></li>
            }
          }
        </ul>
      </nav>
      <div class="who">
        <span class="muted">{{ session.user()?.username }} <span class="badge" data-testid="shell-role">{{ session.user()?.role }}</span></span>
        <!-- A page the server renders from GET /api/docs, not a console screen: a plain link. -->
        <a class="account" href="/api/reference">API reference</a>
        <a class="account" routerLink="/account" routerLinkActive="active" ariaCurrentWhenActive="page">Account</a>
        <button type="button" (click)="logout()">Log out</button>
      </div>
    </header>
    <main id="main" tabindex="-1"><router-outlet /></main>
  `,
  styles: `
    :host { display: block; min-height: 100vh; }
    .topbar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.5rem 1rem; border-bottom: 1px solid var(--border); background: var(--surface); }
    .brand { font-weight: 700; font-size: 1.1rem; color: var(--text); text-decoration: none; }
    nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem; list-style: none; margin: 0; padding: 0; }
    nav a { display: block; padding: 0.35rem 0.6rem; border-radius: 6px; color: var(--text); text-decoration: none; }
    nav a:hover { background: var(--hover); }
    nav a.active, .account.active { background: var(--accent-soft); color: var(--accent-text); font-weight: 600; }
    .account { padding: 0.35rem 0.6rem; border-radius: 6px; }
    .who { margin-left: auto; display: flex; align-items: center; gap: 0.6rem; }
    main { padding: 1rem; max-width: 80rem; margin: 0 auto; }
    main:focus { outline: none; }
    .skip-link { position: absolute; left: -999px; top: 0.5rem; }
    .skip-link:focus { left: 0.5rem; z-index: 10; background: var(--surface); padding: 0.4rem 0.6rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly session = inject(Session);
  private readonly router = inject(Router);
  /** Each page with the least role that can use it; the nav shows a user only theirs. */
  protected readonly pages: ReadonlyArray<{ path: string; label: string; role: Role }> = [
    { path: '/overview', label: 'Overview', role: 'viewer' },
    { path: '/providers', label: 'Providers', role: 'viewer' },
    { path: '/functions', label: 'Functions', role: 'viewer' },
    { path: '/messages', label: 'Messages', role: 'viewer' },
    { path: '/preview', label: 'Preview', role: 'editor' },
    { path: '/automations', label: 'Automations', role: 'viewer' },
    { path: '/runs', label: 'Runs', role: 'viewer' },
    { path: '/endpoints', label: 'Endpoints', role: 'viewer' },
    { path: '/git-providers', label: 'Git providers', role: 'viewer' },
    { path: '/runners', label: 'Runners', role: 'viewer' },
    { path: '/users', label: 'Users', role: 'admin' },
    { path: '/audit', label: 'Audit', role: 'admin' },
  ];

  protected skipToMain(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }

  protected async logout(): Promise<void> {
    await this.session.logout();
    await this.router.navigateByUrl('/login');
  }
}
