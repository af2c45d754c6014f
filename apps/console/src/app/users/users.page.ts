import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { ROLES } from '../../../../server/src/auth/roles';
import { type ApiError, toApiError } from '../api/api-error';
import type { Role } from '../api/api-types';
import { Session } from '../auth/session';
import { ConfirmDialog } from '../shared/confirm-dialog';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FormActions } from '../shared/form-actions';
import { runBusy } from '../shared/run-busy';
import type { UserAccount } from './user-types';
import { UsersApi } from './users.api';

/** Users and their roles, for admins: create, change a role, reset a password, delete. */
@Component({
  selector: 'hl-users-page',
  imports: [DatePipe, FormsModule, ConfirmDialog, ErrorBanner, FieldError],
  templateUrl: './users.page.html',
  styleUrls: ['../shared/form-page.css'],
  styles: `
    .intro { max-width: 60rem; margin: 0; }
    .user-table { width: 100%; border-collapse: collapse; }
    .user-table th, .user-table td { text-align: left; padding: 0.45rem 0.5rem; border-bottom: 1px solid var(--border); }
    .user-table tbody th { font-weight: 600; }
    .actions-cell { text-align: right; white-space: nowrap; }
    .actions-cell button + button { margin-left: 0.4rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersPage {
  private readonly api = inject(UsersApi);
  protected readonly session = inject(Session);
  private readonly router = inject(Router);
  protected readonly roles = ROLES;
  protected readonly users = signal<UserAccount[] | undefined>(undefined);
  protected readonly listError = signal<ApiError | undefined>(undefined);
  protected readonly listBusy = signal(false);
  protected readonly status = signal('');
  protected readonly createActions = new FormActions();
  protected readonly resetActions = new FormActions();
  protected username = '';
  protected role: Role = 'viewer';
  protected password = '';
  /** The user whose password is being reset, with the form below the list. */
  protected readonly resetting = signal<UserAccount | undefined>(undefined);
  protected newPassword = '';
  protected readonly deleting = signal<UserAccount | undefined>(undefined);
  private readonly deleteDialog = viewChild.required<ConfirmDialog>('deleteDialog');

  constructor() {
    void this.load();
  }

  protected create(): Promise<void> {
    return this.createActions.run(async () => {
      const created = await this.api.create(this.username, this.role, this.password);
      this.username = this.password = '';
      this.role = 'viewer';
      await this.load();
      this.createActions.done.set(`Created ${created.username} (${created.role}).`);
    });
  }

  protected async changeRole(user: UserAccount, select: HTMLSelectElement): Promise<void> {
    const role = select.value as Role;
    this.status.set('');
    await runBusy(this.listBusy, this.listError, async () => {
      try {
        await this.api.update(user.id, { role });
      } catch (err) {
        // Refused (the last admin): the select goes back to the role the user still has.
        select.value = user.role;
        throw err;
      }
      if (user.id === this.session.user()?.id) {
        this.session.user.set({ ...this.session.user()!, role });
        // Below admin this page is closed to them now: their account page shows the role they have.
        if (role !== 'admin') {
          await this.router.navigateByUrl('/account');
          return;
        }
      }
      await this.load();
      this.status.set(`${user.username} is now ${role === 'admin' ? 'an' : 'a'} ${role}.`);
    });
  }

  protected startReset(user: UserAccount): void {
    this.resetting.set(user);
    this.newPassword = '';
    this.resetActions.error.set(undefined);
    this.resetActions.done.set('');
  }

  protected resetPassword(): Promise<void> {
    const user = this.resetting();
    if (!user) return Promise.resolve();
    return this.resetActions.run(async () => {
      await this.api.update(user.id, { password: this.newPassword });
      this.newPassword = '';
      this.resetting.set(undefined);
      await this.load();
      this.status.set(`Set a new password for ${user.username}; their sessions have ended.`);
    });
  }

  protected async remove(user: UserAccount): Promise<void> {
    this.deleting.set(user);
    this.status.set('');
    if (!(await this.deleteDialog().ask())) return;
    await runBusy(this.listBusy, this.listError, async () => {
      await this.api.remove(user.id);
      await this.load();
      this.status.set(`Deleted ${user.username}.`);
    });
  }

  private async load(): Promise<void> {
    try {
      this.users.set(await this.api.list());
    } catch (err) {
      this.listError.set(toApiError(err));
    }
  }
}
