import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import type { Provider, SchemesAnswer } from '../api/api-types';
import { CodeEditor } from '../editor/code-editor';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FormActions } from '../shared/form-actions';
import { SchemeOptions } from '../shared/scheme-options';
import { ScriptTestPanel, type TestRunError } from '../script-tests/script-test-panel';
import { VersionHistory } from '../versions/version-history';
import { newDescriptorDraft, withDescriptor } from './descriptor-draft';
import { changesOf, draftOf, type ProviderDraft } from './provider-draft';
import { DESCRIPTOR_FIELDS, ProviderDescriptor } from './provider-descriptor';
import { ProvidersApi } from './providers.api';
import { IfRole } from '../shared/if-role';

/** Fields shown beside their inputs; the banner lists any other field the server names. */
const FORM_FIELDS = [
  'name',
  'description',
  'enabled',
  'matchScript',
  'eventFormat',
  'properties',
  'secretProperties',
  'verification',
  'verification.scheme',
  'verification.options',
  'verification.secret',
  'verification.previousSecret',
  'verification.previousSecretExpiresAt',
  'answerMode',
  'respondTimeoutMs',
  'fixedAnswer',
  'fixedAnswer.status',
  'fixedAnswer.headers',
  'fixedAnswer.body',
  'comment',
  ...DESCRIPTOR_FIELDS,
];

/** One provider's settings (route `providers/:id`, or `providers/new` to create one). */
@Component({
  selector: 'hl-provider-edit-page',
  imports: [IfRole, FormsModule, RouterLink, CodeEditor, ErrorBanner, FieldError, ProviderDescriptor, SchemeOptions, ScriptTestPanel, VersionHistory],
  templateUrl: './provider-edit.page.html',
  styleUrl: './provider-edit.page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProviderEditPage {
  private readonly api = inject(ProvidersApi);
  private readonly router = inject(Router);
  /** Route parameter: a provider id, or "new". */
  readonly id = input.required<string>();
  protected readonly provider = signal<Provider | undefined>(undefined);
  protected readonly schemes = signal<SchemesAnswer | undefined>(undefined);
  protected readonly draft = signal<ProviderDraft | undefined>(undefined);
  protected readonly loadError = signal<ApiError | undefined>(undefined);
  protected readonly actions = new FormActions();
  protected readonly formFields = FORM_FIELDS;
  protected readonly isNew = computed(() => this.id() === 'new');
  /** How a new provider starts: a match script written here, or a descriptor the server generates one from. */
  protected readonly startFrom = signal<'script' | 'descriptor'>('script');
  protected readonly descriptorDraft = signal(newDescriptorDraft());
  /** The form shows the descriptor in place of the match script, event format and scheme. */
  protected readonly fromDescriptor = computed(() => this.isNew() && this.startFrom() === 'descriptor');
  /** The note kept with the version the next save makes. */
  protected comment = '';
  /** Counts saves and resets, so that the version list reloads. */
  protected readonly revision = signal(0);
  /** The last test run's error, marked at its line in the match script. */
  protected readonly runError = signal<TestRunError | null>(null);
  /** The fields a test takes, from the unsaved form. */
  protected readonly testDraft = (): Record<string, unknown> => {
    const draft = this.draft();
    if (!draft) return {};
    const { matchScript, eventFormat, properties, verification } = changesOf(draft, this.optionNames());
    return { matchScript, eventFormat, properties, verification: { scheme: verification?.scheme, options: verification?.options } };
  };
  protected readonly matchScriptOf = (content: Record<string, unknown>): string => (typeof content['matchScript'] === 'string' ? content['matchScript'] : '');

  // Plain methods, not computed(): the form edits the draft object in place.
  protected scheme() {
    return this.schemes()?.schemes.find((s) => s.name === this.draft()?.scheme);
  }

  protected optionNames(): string[] {
    return Object.keys(this.scheme()?.options ?? {});
  }

  constructor() {
    // The router keeps this page when only the id changes (after creating, or a link to another provider).
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(undefined);
    try {
      const [schemes, provider] = await Promise.all([this.schemes() ?? this.api.schemes(), id === 'new' ? undefined : this.api.get(id)]);
      this.schemes.set(schemes);
      if (provider?.id !== this.provider()?.id || id === 'new') this.show(provider);
    } catch (err) {
      this.loadError.set(toApiError(err));
    }
  }

  protected async save(): Promise<void> {
    const draft = this.draft();
    if (!draft) return;
    await this.actions.run(async () => {
      const typed = changesOf(draft, this.optionNames());
      const changes = this.fromDescriptor() ? withDescriptor(typed, this.descriptorDraft()) : typed;
      const current = this.provider();
      const comment = this.comment.trim();
      const saved = current ? await this.api.update(current.id, { ...changes, ...(comment && { comment }) }) : await this.api.create(changes);
      this.show(saved);
      this.comment = '';
      this.revision.update((n) => n + 1);
      this.actions.done.set(current ? `Saved at ${new Date().toLocaleTimeString()}.` : 'Created.');
      if (!current) await this.router.navigate(['/providers', saved.id], { replaceUrl: true });
    });
  }

  protected async reset(): Promise<void> {
    const current = this.provider();
    if (!current?.builtin || !confirm(`Reset "${current.name}" to the built-in ${current.builtin}: its shipped match script, verification scheme and event format? Secrets and properties stay.`)) return;
    await this.actions.run(async () => {
      this.show(await this.api.reset(current.id));
      this.revision.update((n) => n + 1);
      this.actions.done.set('Reset to the built-in.');
    });
  }

  protected async remove(): Promise<void> {
    const current = this.provider();
    if (!current || !confirm(`Delete the provider "${current.name}"?`)) return;
    await this.actions.run(async () => {
      await this.api.remove(current.id);
      await this.router.navigateByUrl('/providers');
    });
  }

  protected descriptorJson(descriptor: unknown): string {
    return JSON.stringify(descriptor, null, 2);
  }

  /** A restore answers the provider as it now is: the form shows it. */
  protected onRestored(provider: unknown): void {
    this.show(provider as Provider);
    this.actions.done.set(`Restored at ${new Date().toLocaleTimeString()}.`);
  }

  protected addRow(list: 'properties' | 'newSecretProperties' | 'fixedHeaders'): void {
    this.draft()?.[list].push({ name: '', value: '' });
  }

  protected removeRow(list: 'properties' | 'newSecretProperties' | 'fixedHeaders', index: number): void {
    this.draft()?.[list].splice(index, 1);
  }

  private show(provider: Provider | undefined): void {
    if (provider?.id !== this.provider()?.id) this.runError.set(null);
    this.provider.set(provider);
    this.draft.set(draftOf(provider));
    if (!provider) this.descriptorDraft.set(newDescriptorDraft());
  }
}
