import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { DatePipe, NgTemplateOutlet } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FieldTemplate } from '../shared/field-template';
import { FormActions } from '../shared/form-actions';
import { AutomationRuns } from './automation-runs';
import { draftOf, inputOf, type AutomationDraft } from './automation-draft';
import { FAILURE_EVENTS, HTTP_METHODS, type Automation } from './automation-types';
import { AutomationsApi } from './automations.api';

/** Fields shown beside their inputs; the banner lists any other field the server names. */
const FORM_FIELDS = [
  'name',
  'description',
  'enabled',
  'schedule',
  'timeZone',
  'target',
  'target.kind',
  'target.command',
  'target.argv',
  'target.shell',
  'target.timeoutMs',
  'target.method',
  'target.url',
  'target.headers',
  'target.body',
  'target.name',
  'target.instructions',
  'target.params',
  'retry',
  'retry.attempts',
  'retry.delayMs',
  'retry.maxDelayMs',
  'events',
];

/** One automation's settings, its manual runs and its run history (route `automations/:id`, or `automations/new`). */
@Component({
  selector: 'hl-automation-edit-page',
  imports: [DatePipe, NgTemplateOutlet, FormsModule, RouterLink, ErrorBanner, FieldError, FieldTemplate, AutomationRuns],
  templateUrl: './automation-edit.page.html',
  styleUrls: ['../shared/form-page.css', './automation-edit.page.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AutomationEditPage {
  private readonly api = inject(AutomationsApi);
  private readonly router = inject(Router);
  /** Route parameter: an automation id, or "new". */
  readonly id = input.required<string>();
  protected readonly automation = signal<Automation | undefined>(undefined);
  protected readonly draft = signal<AutomationDraft | undefined>(undefined);
  protected readonly loadError = signal<ApiError | undefined>(undefined);
  protected readonly actions = new FormActions();
  protected readonly formFields = FORM_FIELDS;
  protected readonly methods = HTTP_METHODS;
  protected readonly events = FAILURE_EVENTS;
  protected readonly isNew = computed(() => this.id() === 'new');
  protected readonly commandExample = '/srv/deploy/deploy.sh {{webhook.ref}}';
  protected readonly placeholderHelp = '{{webhook.<field>}}, {{event.<field>}}, {{message.id}}, {{vars.<name>}}';

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(undefined);
    if (id === 'new') {
      this.show(undefined);
      return;
    }
    if (this.automation()?.id === id) return;
    try {
      this.show(await this.api.get(id));
    } catch (err) {
      this.loadError.set(toApiError(err));
    }
  }

  protected async save(): Promise<void> {
    const draft = this.draft();
    if (!draft) return;
    await this.actions.run(async () => {
      const input = inputOf(draft);
      const current = this.automation();
      const saved = current ? await this.api.update(current.id, input) : await this.api.create(input);
      this.show(saved);
      this.actions.done.set(current ? `Saved at ${new Date().toLocaleTimeString()}.` : 'Created.');
      if (!current) await this.router.navigate(['/automations', saved.id], { replaceUrl: true });
    });
  }

  protected async remove(): Promise<void> {
    const current = this.automation();
    if (!current || !confirm(`Delete the automation "${current.name}"? Its run history goes with it.`)) return;
    await this.actions.run(async () => {
      await this.api.remove(current.id);
      await this.router.navigateByUrl('/automations');
    });
  }

  protected addHeader(): void {
    this.draft()?.headers.push({ name: '', value: '' });
  }

  protected removeHeader(index: number): void {
    this.draft()?.headers.splice(index, 1);
  }

  private show(automation: Automation | undefined): void {
    this.automation.set(automation);
    this.draft.set(draftOf(automation));
  }
}
