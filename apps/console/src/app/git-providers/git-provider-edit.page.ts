import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import type { ApiError } from '../api/api-error';
import { ConfirmDialog } from '../shared/confirm-dialog';
import { EditForm } from '../shared/edit-form';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { runBusy } from '../shared/run-busy';
import { draftOf, GIT_PROVIDER_KIND_NAMES, GIT_PROVIDER_KINDS, inputOf } from './git-provider-draft';
import type { GitProviderCheck } from './git-provider-types';
import { GitProvidersApi } from './git-providers.api';
import { IfRole } from '../shared/if-role';

/** Fields shown beside their inputs; the banner lists any other field the server names. */
const FORM_FIELDS = ['name', 'kind', 'baseUrl', 'remoteUrl', 'username', 'token'];

/** One Git provider's settings, its write-only token and a check of its credentials (route `git-providers/:id`, or `git-providers/new`). */
@Component({
  selector: 'hl-git-provider-edit-page',
  imports: [IfRole, FormsModule, RouterLink, ConfirmDialog, ErrorBanner, FieldError],
  templateUrl: './git-provider-edit.page.html',
  styleUrls: ['../shared/form-page.css', './git-provider-edit.page.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GitProviderEditPage {
  private readonly api = inject(GitProvidersApi);
  /** Route parameter: a Git provider id, or "new". */
  readonly id = input.required<string>();
  protected readonly form = new EditForm({ api: this.api, listPath: '/git-providers', draftOf, inputOf });
  protected readonly formFields = FORM_FIELDS;
  protected readonly kinds = GIT_PROVIDER_KINDS;
  protected readonly kindNames = GIT_PROVIDER_KIND_NAMES;
  protected readonly isNew = computed(() => this.id() === 'new');
  protected readonly checking = signal(false);
  protected readonly checkError = signal<ApiError | undefined>(undefined);
  protected readonly check = signal<GitProviderCheck | undefined>(undefined);
  private readonly deleteDialog = viewChild.required<ConfirmDialog>('deleteDialog');
  private readonly providerId = computed(() => this.form.item()?.id);

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.form.load(id));
    });
    // A check's answer is about the provider it checked.
    effect(() => {
      this.providerId();
      untracked(() => {
        this.check.set(undefined);
        this.checkError.set(undefined);
      });
    });
  }

  protected save(): Promise<void> {
    return this.form.save();
  }

  /** Checks the saved settings, as the automations that poll with them will use them. */
  protected async runCheck(): Promise<void> {
    const current = this.form.item();
    if (!current) return;
    this.check.set(undefined);
    await runBusy(this.checking, this.checkError, async () => this.check.set(await this.api.check(current.id)));
  }

  protected remove(): Promise<void> {
    return this.form.remove(() => this.deleteDialog().ask());
  }
}
