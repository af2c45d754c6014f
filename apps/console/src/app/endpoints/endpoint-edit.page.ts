import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import type { Scheme } from '../api/api-types';
import type { Automation } from '../automations/automation-types';
import { AutomationsApi } from '../automations/automations.api';
import { ProvidersApi } from '../providers/providers.api';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FormActions } from '../shared/form-actions';
import { ConfirmDialog } from '../shared/confirm-dialog';
import { optionTexts, optionsOf } from '../shared/option-texts';
import { SchemeOptions } from '../shared/scheme-options';
import { EndpointDeliveries } from './endpoint-deliveries';
import type { Endpoint, EndpointInput } from './endpoint-types';
import { EndpointsApi } from './endpoints.api';
import { UrlOnce } from './url-once';
import { IfRole } from '../shared/if-role';

const FORM_FIELDS = ['name', 'description', 'enabled', 'automationIds', 'cooldownSeconds', 'verification', 'verification.scheme', 'verification.options', 'verification.secret'];

interface EndpointDraft {
  name: string;
  description: string;
  enabled: boolean;
  cooldownSeconds: string;
  linked: Record<string, boolean>;
  scheme: string;
  /** Option name → the text in its input. */
  options: Record<string, string>;
  /** Typed secret; empty keeps the stored one. */
  secret: string;
  removeSecret: boolean;
}

/** One endpoint: its settings, its URL once, regenerate, delete, and its deliveries (route `endpoints/:id` or `endpoints/new`). */
@Component({
  selector: 'hl-endpoint-edit-page',
  imports: [IfRole, FormsModule, RouterLink, ErrorBanner, FieldError, ConfirmDialog, EndpointDeliveries, SchemeOptions, UrlOnce],
  templateUrl: './endpoint-edit.page.html',
  styleUrls: ['../shared/form-page.css', './endpoint-edit.page.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EndpointEditPage {
  private readonly api = inject(EndpointsApi);
  private readonly automationsApi = inject(AutomationsApi);
  private readonly providersApi = inject(ProvidersApi);
  private readonly router = inject(Router);
  /** Route parameter: an endpoint id, or "new". */
  readonly id = input.required<string>();
  protected readonly endpoint = signal<Endpoint | undefined>(undefined);
  /** The full URL from the create or regenerate answer: kept only while this page is open. */
  protected readonly url = signal<string | undefined>(undefined);
  protected readonly urlHeading = signal('');
  protected readonly automations = signal<Automation[]>([]);
  protected readonly schemes = signal<Scheme[]>([]);
  protected readonly draft = signal<EndpointDraft | undefined>(undefined);
  protected readonly loadError = signal<ApiError | undefined>(undefined);
  protected readonly actions = new FormActions();
  protected readonly formFields = FORM_FIELDS;
  protected readonly isNew = computed(() => this.id() === 'new');
  private readonly regenerateDialog = viewChild.required<ConfirmDialog>('regenerateDialog');
  private readonly deleteDialog = viewChild.required<ConfirmDialog>('deleteDialog');

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
  }

  private scheme(): Scheme | undefined {
    return this.schemes().find((s) => s.name === this.draft()?.scheme);
  }

  protected needsSecret(): boolean {
    return this.scheme()?.needsSecret ?? false;
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(undefined);
    try {
      const [automations, schemes, endpoint] = await Promise.all([
        this.automationsApi.list(),
        this.schemes().length ? this.schemes() : this.providersApi.schemes().then((answer) => answer.schemes),
        id === 'new' || this.endpoint()?.id === id ? this.endpoint() : this.api.get(id),
      ]);
      this.automations.set(automations);
      this.schemes.set(schemes);
      if (id === 'new') {
        this.url.set(undefined);
        this.show(undefined);
      } else if (endpoint?.id !== this.endpoint()?.id || !this.draft()) this.show(endpoint);
    } catch (err) {
      this.loadError.set(toApiError(err));
    }
  }

  protected async save(): Promise<void> {
    const draft = this.draft();
    if (!draft) return;
    await this.actions.run(async () => {
      const input = inputOf(draft, Object.keys(this.scheme()?.options ?? {}));
      const current = this.endpoint();
      if (current) {
        this.show(await this.api.update(current.id, input));
        this.actions.done.set(`Saved at ${new Date().toLocaleTimeString()}.`);
        return;
      }
      const created = await this.api.create(input);
      this.show(created);
      this.url.set(created.url);
      this.urlHeading.set('Endpoint created: its URL');
      await this.router.navigate(['/endpoints', created.id], { replaceUrl: true });
    });
  }

  protected async regenerate(): Promise<void> {
    const current = this.endpoint();
    if (!current || !(await this.regenerateDialog().ask())) return;
    await this.actions.run(async () => {
      const answer = await this.api.regenerate(current.id);
      this.show(answer);
      this.url.set(answer.url);
      this.urlHeading.set('New URL: the old one no longer works');
    });
  }

  protected async remove(): Promise<void> {
    const current = this.endpoint();
    if (!current || !(await this.deleteDialog().ask())) return;
    await this.actions.run(async () => {
      await this.api.remove(current.id);
      await this.router.navigateByUrl('/endpoints');
    });
  }


  private show(endpoint: Endpoint | undefined): void {
    this.endpoint.set(endpoint);
    this.draft.set({
      name: endpoint?.name ?? '',
      description: endpoint?.description ?? '',
      enabled: endpoint?.enabled ?? true,
      cooldownSeconds: String(endpoint?.cooldownSeconds ?? 0),
      linked: Object.fromEntries((endpoint?.automationIds ?? []).map((id) => [id, true])),
      scheme: endpoint?.verification.scheme ?? 'none',
      options: optionTexts(endpoint?.verification.options),
      secret: '',
      removeSecret: false,
    });
  }

}

function inputOf(draft: EndpointDraft, optionNames: readonly string[]): EndpointInput {
  const seconds = draft.cooldownSeconds.trim();
  return {
    name: draft.name,
    description: draft.description,
    enabled: draft.enabled,
    automationIds: Object.keys(draft.linked).filter((id) => draft.linked[id]),
    // Unreadable text goes as typed, for the server to say what it expects.
    cooldownSeconds: seconds !== '' && Number.isFinite(Number(seconds)) ? Number(seconds) : seconds,
    verification: {
      scheme: draft.scheme,
      options: optionsOf(draft.options, optionNames),
      ...(draft.removeSecret ? { secret: null } : draft.secret !== '' ? { secret: draft.secret } : {}),
    },
  };
}
