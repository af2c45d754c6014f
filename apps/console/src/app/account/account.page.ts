import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ApiError } from '../api/api-error';
import { Session } from '../auth/session';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FormActions } from '../shared/form-actions';
import { PersonalTokens } from './personal-tokens';

const FORM_FIELDS = ['currentPassword', 'newPassword', 'repeatPassword'];

/** The logged-in user: who they are, a password change (`POST /api/auth/password`) and their personal tokens. */
@Component({
  selector: 'hl-account-page',
  imports: [FormsModule, ErrorBanner, FieldError, PersonalTokens],
  template: `
    <h1>Account</h1>
    <p>Logged in as <strong data-testid="account-username">{{ session.user()?.username }}</strong>, <span data-testid="account-role">{{ session.user()?.role }}</span>.</p>
    <form class="card grid" (ngSubmit)="changePassword()" novalidate aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <p class="help wide" id="password-help">Your other sessions (other browsers, API tokens from logging in) end; this one stays.</p>
      <!-- For password managers: which account the new password belongs to. -->
      <input type="text" name="username" autocomplete="username" [value]="session.user()?.username ?? ''" hidden />
      <div class="field wide">
        <label for="current-password">Current password</label>
        <input id="current-password" name="currentPassword" type="password" autocomplete="current-password" [(ngModel)]="currentPassword"
          [attr.aria-invalid]="actions.hasError('currentPassword')" aria-describedby="current-password-error" />
        <hl-field-error id="current-password-error" [error]="actions.error()" field="currentPassword" />
      </div>
      <div class="field">
        <label for="new-password">New password</label>
        <input id="new-password" name="newPassword" type="password" autocomplete="new-password" [(ngModel)]="newPassword"
          [attr.aria-invalid]="actions.hasError('newPassword')" aria-describedby="new-password-help new-password-error" />
        <span id="new-password-help" class="help">8 characters or more.</span>
        <hl-field-error id="new-password-error" [error]="actions.error()" field="newPassword" />
      </div>
      <div class="field">
        <label for="repeat-password">New password again</label>
        <input id="repeat-password" name="repeatPassword" type="password" autocomplete="new-password" [(ngModel)]="repeatPassword"
          [attr.aria-invalid]="actions.hasError('repeatPassword')" aria-describedby="repeat-password-error" />
        <hl-field-error id="repeat-password-error" [error]="actions.error()" field="repeatPassword" />
      </div>
      <div class="wide">
        <hl-error-banner [error]="actions.error()" [shownFields]="formFields" />
        <div class="row-actions">
          <button type="submit" class="primary" [disabled]="actions.busy()" aria-describedby="password-help">Change password</button>
          <span class="saved" role="status">{{ actions.done() }}</span>
        </div>
      </div>
    </form>
    <hl-personal-tokens />
  `,
  styleUrls: ['../shared/form-page.css'],
  styles: `
    form { max-width: 48rem; }
    hl-personal-tokens { margin-top: 1rem; }
    .row-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountPage {
  protected readonly session = inject(Session);
  protected readonly actions = new FormActions();
  protected readonly formFields = FORM_FIELDS;
  protected currentPassword = '';
  protected newPassword = '';
  protected repeatPassword = '';

  protected changePassword(): Promise<void> {
    return this.actions.run(async () => {
      // Checked here because only the browser has both copies: a typo would lock the user out.
      if (this.newPassword !== this.repeatPassword) {
        throw new ApiError(400, 'The new password was typed differently the second time.', { repeatPassword: 'does not match the new password' });
      }
      await this.session.changePassword(this.currentPassword, this.newPassword);
      this.currentPassword = this.newPassword = this.repeatPassword = '';
      this.actions.done.set('Password changed. Use the new one from now on; your other sessions have ended.');
    });
  }
}
