import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { GIT_PROVIDER_KINDS } from '../git-providers/git-provider-draft';
import type { GitProvider } from '../git-providers/git-provider-types';
import { GitProvidersApi } from '../git-providers/git-providers.api';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FieldTemplate } from '../shared/field-template';
import { fieldMessages } from '../shared/field-messages';
import { runBusy } from '../shared/run-busy';
import { AutomationsApi } from './automations.api';
import { scmPollInputOf, type ScmPollDraft } from './scm-poll-draft';
import type { ScmTestPollView } from './scm-poll-types';
import { ScmTestPollResult } from './scm-test-poll-result';

/** The fields of `scmPoll` this section shows beside their inputs. */
export const SCM_POLL_FIELDS = [
  'scmPoll',
  'scmPoll.providerName',
  'scmPoll.repo',
  'scmPoll.branch',
  'scmPoll.branches',
  'scmPoll.branches.*',
  'scmPoll.paths',
  'scmPoll.paths.*',
  'scmPoll.minIntervalSeconds',
  'scmPoll.webhookDedupWindowSeconds',
  'scmPoll.backoff',
  'scmPoll.backoff.baseSeconds',
  'scmPoll.backoff.maxSeconds',
  'scmPoll.backoff.threshold',
];

/**
 * "Only run if the branch changed": the `scmPoll` setting of a scheduled automation, edited in
 * the form's draft, and Test Poll, which polls the branches with the unsaved setting.
 */
@Component({
  selector: 'hl-scm-poll-section',
  imports: [NgTemplateOutlet, FormsModule, RouterLink, ErrorBanner, FieldError, FieldTemplate, ScmTestPollResult],
  templateUrl: './scm-poll-section.html',
  styleUrls: ['../shared/form-page.css', './automation-edit.page.css', './scm-poll-section.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScmPollSection {
  private readonly api = inject(AutomationsApi);
  private readonly gitProvidersApi = inject(GitProvidersApi);
  /** The form's draft of the setting, edited in place. */
  readonly draft = input.required<ScmPollDraft>();
  /** The last save's error; its `scmPoll` fields are shown here. */
  readonly error = input<ApiError | undefined>();
  /** The saved automation's id; a new one cannot be test-polled yet. */
  readonly automationId = input<string>();
  readonly hasSchedule = input.required<boolean>();
  protected readonly providers = signal<GitProvider[] | undefined>(undefined);
  protected readonly providersError = signal<ApiError | undefined>(undefined);
  protected readonly testing = signal(false);
  protected readonly testError = signal<ApiError | undefined>(undefined);
  protected readonly testAnswer = signal<ScmTestPollView | undefined>(undefined);
  /** A Test Poll's 400 names the same fields a save does: the latest of the two is shown beside them. */
  protected readonly fieldsError = computed(() => this.testError() ?? this.error());
  protected readonly shownFields = SCM_POLL_FIELDS;
  protected readonly kinds = GIT_PROVIDER_KINDS;

  constructor() {
    void this.loadProviders();
    // A new save, or the form showing another draft, replaces what a Test Poll refused.
    effect(() => {
      this.error();
      this.draft();
      untracked(() => this.testError.set(undefined));
    });
  }

  /** Whether the server named the field, or with `items` one of its entries. */
  protected hasError(field: string, items = false): boolean {
    return fieldMessages(this.fieldsError()?.fields ?? {}, field, items).length > 0;
  }

  /** The selected provider, when it exists. */
  protected selected(): GitProvider | undefined {
    return this.providers()?.find((p) => p.name === this.draft().providerName);
  }

  /** A stored name no provider has any more (or yet) stays selectable, so a save does not change it unseen. */
  protected isUnknownName(): boolean {
    const name = this.draft().providerName;
    return name !== '' && this.providers() !== undefined && !this.selected();
  }

  protected async testPoll(): Promise<void> {
    const id = this.automationId();
    const scmPoll = scmPollInputOf(this.draft());
    if (!id || !scmPoll) return;
    this.testAnswer.set(undefined);
    await runBusy(this.testing, this.testError, async () => this.testAnswer.set(await this.api.testPoll(id, scmPoll)));
  }

  private async loadProviders(): Promise<void> {
    try {
      this.providers.set(await this.gitProvidersApi.list());
    } catch (err) {
      this.providersError.set(toApiError(err));
    }
  }
}
