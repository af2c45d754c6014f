import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { DatePipe, NgTemplateOutlet } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { EditForm } from '../shared/edit-form';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FieldTemplate } from '../shared/field-template';
import { AutomationRuns } from './automation-runs';
import { draftOf, inputOf } from './automation-draft';
import { FAILURE_EVENTS, HTTP_METHODS } from './automation-types';
import { AutomationsApi } from './automations.api';
import { SCM_POLL_FIELDS, ScmPollSection } from './scm-poll-section';
import { IfRole } from '../shared/if-role';

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
  ...SCM_POLL_FIELDS,
];

/** One automation's settings, its manual runs and its run history (route `automations/:id`, or `automations/new`). */
@Component({
  selector: 'hl-automation-edit-page',
  imports: [IfRole, DatePipe, NgTemplateOutlet, FormsModule, RouterLink, ErrorBanner, FieldError, FieldTemplate, AutomationRuns, ScmPollSection],
  templateUrl: './automation-edit.page.html',
  styleUrls: ['../shared/form-page.css', './automation-edit.page.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AutomationEditPage {
  /** Route parameter: an automation id, or "new". */
  readonly id = input.required<string>();
  protected readonly form = new EditForm({ api: inject(AutomationsApi), listPath: '/automations', draftOf, inputOf });
  protected readonly automation = this.form.item;
  protected readonly draft = this.form.draft;
  protected readonly loadError = this.form.loadError;
  protected readonly actions = this.form.actions;
  protected readonly formFields = FORM_FIELDS;
  protected readonly methods = HTTP_METHODS;
  protected readonly events = FAILURE_EVENTS;
  protected readonly isNew = computed(() => this.id() === 'new');
  protected readonly commandExample = '/srv/deploy/deploy.sh {{webhook.ref}}';
  protected readonly placeholderHelp = '{{webhook.<field>}}, {{event.<field>}}, {{message.id}}, {{vars.<name>}}, {{scmPoll.<field>}} (branch, newSha, commitMessage, … for a polled run)';

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.form.load(id));
    });
  }

  protected save(): Promise<void> {
    return this.form.save();
  }

  protected remove(): Promise<void> {
    return this.form.remove((current) => confirm(`Delete the automation "${current.name}"? Its run history goes with it.`));
  }

  protected addHeader(): void {
    this.draft()?.headers.push({ name: '', value: '' });
  }

  protected removeHeader(index: number): void {
    this.draft()?.headers.splice(index, 1);
  }
}
