import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { type ApiError, toApiError } from '../api/api-error';
import { ConfirmDialog } from '../shared/confirm-dialog';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FormActions } from '../shared/form-actions';
import { runBusy } from '../shared/run-busy';
import { ShownOnce } from '../shared/shown-once';
import type { CreatedToken, PersonalToken } from '../users/user-types';
import { UsersApi } from '../users/users.api';

/** The logged-in user's personal API tokens: create one (shown once), list, revoke. */
@Component({
  selector: 'hl-personal-tokens',
  imports: [DatePipe, FormsModule, ConfirmDialog, ErrorBanner, FieldError, ShownOnce],
  template: `
    <form class="card grid" (ngSubmit)="create()" novalidate aria-labelledby="token-new-title">
      <h2 id="token-new-title">Personal API tokens</h2>
      <p class="help wide">
        For scripts and CI: send the token as <code>Authorization: Bearer &lt;token&gt;</code>. It acts as you, with your role, until it expires or you revoke it.
      </p>
      <div class="field">
        <label for="token-name">Name</label>
        <input id="token-name" name="name" [(ngModel)]="name" autocomplete="off"
          [attr.aria-invalid]="actions.hasError('name')" aria-describedby="token-name-help token-name-error" />
        <span id="token-name-help" class="help">Where it is used, such as "deploy pipeline".</span>
        <hl-field-error id="token-name-error" [error]="actions.error()" field="name" />
      </div>
      <div class="field">
        <label for="token-days">Expires after (days)</label>
        <input id="token-days" name="expiresInDays" type="number" min="1" max="3650" [(ngModel)]="days"
          [attr.aria-invalid]="actions.hasError('expiresInDays')" aria-describedby="token-days-help token-days-error" />
        <span id="token-days-help" class="help">Empty: it never expires.</span>
        <hl-field-error id="token-days-error" [error]="actions.error()" field="expiresInDays" />
      </div>
      <div class="wide">
        <hl-error-banner [error]="actions.error()" [shownFields]="['name', 'expiresInDays']" />
        <button type="submit" class="primary" [disabled]="actions.busy()">Create token</button>
      </div>
    </form>

    @if (created(); as c) {
      <hl-shown-once [value]="c.token" [heading]="'The token ' + c.name" fieldId="personal-token" label="Personal token" copyLabel="Copy token">
        Copy it now: you will not see it again. Hookline keeps only its hash; a lost token cannot be shown, only revoked and replaced.
      </hl-shown-once>
    }

    <section class="card" aria-labelledby="token-list-title">
      <h2 id="token-list-title">Your tokens</h2>
      <hl-error-banner [error]="listError()" />
      <span class="saved" role="status">{{ revoked() }}</span>
      @if (tokens(); as list) {
        @if (list.length === 0) {
          <p class="muted">No tokens yet.</p>
        } @else {
          <table class="token-table">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              @for (t of list; track t.id) {
                <tr [attr.data-token]="t.name">
                  <th scope="row">{{ t.name }}</th>
                  <td><span class="badge">{{ t.status }}</span></td>
                  <td><time [attr.datetime]="t.createdAt">{{ t.createdAt | date: 'medium' }}</time></td>
                  <td>{{ t.expiresAt ? (t.expiresAt | date: 'medium') : 'never' }}</td>
                  <td>{{ t.lastUsedAt ? (t.lastUsedAt | date: 'medium') : 'never' }}</td>
                  <td class="actions-cell">
                    @if (t.status === 'active') {
                      <button type="button" class="danger" (click)="revoke(t)" [disabled]="busy()" [attr.aria-label]="'Revoke ' + t.name + '…'">Revoke…</button>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        }
      } @else if (!listError()) {
        <p class="muted" role="status">Loading tokens…</p>
      }
    </section>

    <hl-confirm-dialog #revokeDialog id="revoke-token-dialog" [heading]="'Revoke ' + (revoking()?.name ?? '') + '?'" confirmLabel="Revoke" [danger]="true">
      The token stops working at once: whatever uses it is refused from its next request.
    </hl-confirm-dialog>
  `,
  styleUrls: ['../shared/form-page.css'],
  styles: `
    :host { display: grid; gap: 1rem; max-width: 60rem; }
    .token-table { width: 100%; border-collapse: collapse; }
    .token-table th, .token-table td { text-align: left; padding: 0.45rem 0.5rem; border-bottom: 1px solid var(--border); }
    .actions-cell { text-align: right; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonalTokens {
  private readonly api = inject(UsersApi);
  protected readonly actions = new FormActions();
  protected readonly tokens = signal<PersonalToken[] | undefined>(undefined);
  protected readonly listError = signal<ApiError | undefined>(undefined);
  protected readonly created = signal<CreatedToken | undefined>(undefined);
  protected readonly revoking = signal<PersonalToken | undefined>(undefined);
  protected readonly busy = signal(false);
  protected readonly revoked = signal('');
  protected name = '';
  protected days: number | null = 90;
  private readonly revokeDialog = viewChild.required<ConfirmDialog>('revokeDialog');

  constructor() {
    void this.load();
  }

  protected create(): Promise<void> {
    return this.actions.run(async () => {
      this.created.set(await this.api.createToken(this.name, this.days ?? undefined));
      this.name = '';
      this.revoked.set('');
      await this.load();
    });
  }

  protected async revoke(token: PersonalToken): Promise<void> {
    this.revoking.set(token);
    this.revoked.set('');
    if (!(await this.revokeDialog().ask())) return;
    await runBusy(this.busy, this.listError, async () => {
      await this.api.revokeToken(token.id);
      if (this.created()?.id === token.id) this.created.set(undefined);
      await this.load();
      this.revoked.set(`Revoked ${token.name}.`);
    });
  }

  private async load(): Promise<void> {
    try {
      this.tokens.set(await this.api.myTokens());
    } catch (err) {
      this.listError.set(toApiError(err));
    }
  }
}
