import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { isServerPage, safeReturnUrl } from './return-url';
import { Session } from './session';

@Component({
  selector: 'hl-login-page',
  imports: [FormsModule, ErrorBanner, FieldError],
  template: `
    <main class="login">
      <form class="card" (ngSubmit)="submit()" aria-labelledby="login-title">
        <h1 id="login-title">Hookline</h1>
        <p class="muted">Log in to the console.</p>
        <hl-error-banner [error]="error()" />
        <label for="login-username">User</label>
        <input id="login-username" name="username" autocomplete="username" required [(ngModel)]="username"
          [attr.aria-invalid]="!!error()?.fields?.['username']" aria-describedby="login-username-error" />
        <hl-field-error id="login-username-error" [error]="error()" field="username" />
        <label for="login-password">Password</label>
        <input id="login-password" name="password" type="password" autocomplete="current-password" required [(ngModel)]="password"
          [attr.aria-invalid]="!!error()?.fields?.['password']" aria-describedby="login-password-error" />
        <hl-field-error id="login-password-error" [error]="error()" field="password" />
        <button type="submit" class="primary" [disabled]="busy()">{{ busy() ? 'Logging in…' : 'Log in' }}</button>
      </form>
    </main>
  `,
  styles: `
    .login { min-height: 100vh; display: grid; place-items: center; padding: 1rem; }
    .card { width: min(24rem, 100%); display: grid; gap: 0.4rem; }
    h1 { margin: 0; }
    button { margin-top: 0.8rem; justify-content: center; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  /** Where to go afterwards (query parameter, bound by the router). */
  readonly returnUrl = input<string>();
  protected username = 'admin';
  protected password = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<ApiError | undefined>(undefined);

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(undefined);
    try {
      await this.session.login(this.username, this.password);
      const next = safeReturnUrl(this.returnUrl());
      // A page the server renders (the API reference) is no screen of the console: load it.
      if (isServerPage(next)) window.location.assign(next);
      else await this.router.navigateByUrl(next);
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.busy.set(false);
    }
  }
}
