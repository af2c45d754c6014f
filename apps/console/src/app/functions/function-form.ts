import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, output, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { Provider } from '../api/api-types';
import { CodeEditor } from '../editor/code-editor';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FormActions } from '../shared/form-actions';
import { ScriptTestPanel, type TestRunError } from '../script-tests/script-test-panel';
import { VersionHistory } from '../versions/version-history';
import { type AutomationSummary, type FunctionDraft, FunctionsApi, type HooklineFunction } from './functions.api';
import { IfRole } from '../shared/if-role';

const FIELDS = ['name', 'providerId', 'uri', 'enabled', 'timeoutMs', 'answerMode', 'condition', 'script', 'automationIds', 'comment'] as const;
const NEW_SCRIPT = '// The request, its provider and event are in scope; see the hover help.\nlog.info("received", eventType);\n';

/** Creates or edits one function: its place (provider and URI), condition, script and links. */
@Component({
  selector: 'hl-function-form',
  imports: [IfRole, FormsModule, CodeEditor, ErrorBanner, FieldError, ScriptTestPanel, VersionHistory],
  template: `
    <form (ngSubmit)="save()" [attr.aria-label]="fn() ? 'Function ' + fn()!.name : 'New function'">
      <h2>{{ fn() ? fn()!.name : 'New function' }}</h2>
      <hl-error-banner [error]="actions.error()" [shownFields]="fields" />
      <div class="row">
        <div class="field">
          <label for="fn-name">Name</label>
          <input id="fn-name" name="name" required [ngModel]="draft().name" (ngModelChange)="patch({ name: $event })"
            [attr.aria-invalid]="actions.hasError('name')" aria-describedby="fn-name-error" />
          <hl-field-error id="fn-name-error" [error]="actions.error()" field="name" />
        </div>
        <div class="field">
          <label for="fn-provider">Provider</label>
          <select id="fn-provider" name="providerId" [ngModel]="draft().providerId" (ngModelChange)="patch({ providerId: $event })"
            [attr.aria-invalid]="actions.hasError('providerId')" aria-describedby="fn-provider-error">
            @for (provider of providers(); track provider.id) {
              <option [value]="provider.id">{{ provider.name }}</option>
            }
          </select>
          <hl-field-error id="fn-provider-error" [error]="actions.error()" field="providerId" />
        </div>
        <div class="field">
          <label for="fn-uri">URI (after /webhooks/)</label>
          <input id="fn-uri" name="uri" placeholder="git/push" [ngModel]="draft().uri" (ngModelChange)="patch({ uri: $event })"
            [attr.aria-invalid]="actions.hasError('uri')" aria-describedby="fn-uri-error" />
          <hl-field-error id="fn-uri-error" [error]="actions.error()" field="uri" />
        </div>
      </div>
      <div class="row">
        <div class="field">
          <label for="fn-timeout">Time limit (ms)</label>
          <input id="fn-timeout" name="timeoutMs" type="number" min="1" step="1" [ngModel]="draft().timeoutMs" (ngModelChange)="patch({ timeoutMs: $event })"
            [attr.aria-invalid]="actions.hasError('timeoutMs')" aria-describedby="fn-timeout-error" />
          <hl-field-error id="fn-timeout-error" [error]="actions.error()" field="timeoutMs" />
        </div>
        <div class="field">
          <label for="fn-answer-mode">Answer mode</label>
          <select id="fn-answer-mode" name="answerMode" [ngModel]="draft().answerMode ?? ''" (ngModelChange)="patch({ answerMode: $event === '' ? null : $event })"
            [attr.aria-invalid]="actions.hasError('answerMode')" aria-describedby="fn-answer-mode-help fn-answer-mode-error">
            <option value="">The provider's ({{ providerMode() }})</option>
            <option value="async">async: 202 at once</option>
            <option value="respond">respond: wait for respond()</option>
            <option value="sync">sync: wait for the functions</option>
          </select>
          <span id="fn-answer-mode-help" class="help">The strongest mode of the functions on a URI wins.</span>
          <hl-field-error id="fn-answer-mode-error" [error]="actions.error()" field="answerMode" />
        </div>
        <div class="field check">
          <input id="fn-enabled" name="enabled" type="checkbox" [ngModel]="draft().enabled" (ngModelChange)="patch({ enabled: $event })" />
          <label for="fn-enabled">Enabled</label>
          <hl-field-error [error]="actions.error()" field="enabled" />
        </div>
      </div>
      <div class="field">
        <span class="label" id="fn-condition-label">Condition (an expression; empty runs on every message)</span>
        <hl-code-editor kind="condition" label="Condition" height="4.5rem" [value]="draft().condition ?? ''" (valueChange)="patch({ condition: $event })"
          aria-labelledby="fn-condition-label" />
        <hl-field-error [error]="actions.error()" field="condition" />
      </div>
      <div class="field">
        <span class="label" id="fn-script-label">Script (an async function body)</span>
        <hl-code-editor kind="function" label="Function script" height="22rem" [value]="draft().script" (valueChange)="patch({ script: $event })"
          [runError]="runError()"
          aria-labelledby="fn-script-label" />
        <hl-field-error [error]="actions.error()" field="script" />
      </div>
      <fieldset>
        <legend>Automations this script may start with <code>automations.trigger</code></legend>
        @for (automation of automations(); track automation.id) {
          <label class="check">
            <input type="checkbox" [name]="'automation-' + automation.id" [ngModel]="draft().automationIds.includes(automation.id)" (ngModelChange)="link(automation.id, $event)" />
            {{ automation.name }} @if (!automation.enabled) { <span class="muted">(disabled)</span> }
          </label>
        } @empty {
          <p class="muted">No automations yet.</p>
        }
        <hl-field-error [error]="actions.error()" field="automationIds" />
      </fieldset>
      @if (fn()) {
        <div class="field">
          <label for="fn-comment">Comment for this version (optional)</label>
          <input id="fn-comment" name="comment" maxlength="500" placeholder="what this change does" [ngModel]="comment()" (ngModelChange)="comment.set($event)"
            [attr.aria-invalid]="actions.hasError('comment')" aria-describedby="fn-comment-error" />
          <hl-field-error id="fn-comment-error" [error]="actions.error()" field="comment" />
        </div>
      }
      <div class="actions">
        <button *hlIfRole="'editor'" type="submit" class="primary" [disabled]="actions.busy()">{{ actions.busy() ? 'Saving…' : fn() ? 'Save' : 'Create' }}</button>
        @if (fn()) {
          <button *hlIfRole="'editor'" type="button" class="danger" (click)="remove()" [disabled]="actions.busy()">Delete</button>
        }
        <span class="muted" aria-live="polite">{{ status() }}</span>
      </div>
    </form>
    @if (fn(); as current) {
      <hl-script-test-panel id="fn-test" [path]="'/functions/' + current.id + '/test'" [draft]="testDraft" (ran)="runError.set($event)" />
      <hl-version-history id="fn-versions" [path]="'/functions/' + current.id" kind="function" [current]="draft().script" [textOf]="scriptOf"
        [revision]="revision()" (restored)="onRestored($event)" />
    }
  `,
  styles: `
    :host { display: grid; gap: 1.25rem; }
    form { display: grid; gap: 0.9rem; }
    h2 { margin: 0; font-size: 1.2rem; }
    .row { display: flex; flex-wrap: wrap; gap: 1rem; }
    .row .field { flex: 1 1 12rem; }
    .field { display: grid; gap: 0.25rem; align-content: start; }
    .field.check, label.check { display: flex; align-items: center; gap: 0.4rem; }
    .field.check { align-self: end; padding-bottom: 0.4rem; }
    fieldset { border: 1px solid var(--border); border-radius: 4px; display: grid; gap: 0.3rem; }
    .help { color: var(--muted); font-size: 0.85rem; }
    .actions { display: flex; gap: 0.75rem; align-items: center; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FunctionForm {
  private readonly api = inject(FunctionsApi);
  /** The function to edit; none for a new one. */
  readonly fn = input<HooklineFunction>();
  readonly providers = input.required<Provider[]>();
  readonly automations = input.required<AutomationSummary[]>();
  readonly saved = output<HooklineFunction>();
  readonly deleted = output<string>();

  protected readonly fields = FIELDS;
  /** Reset when another function opens, never by a later change of the provider list. */
  protected readonly draft = linkedSignal(() => toDraft(this.fn(), untracked(this.providers)));
  protected readonly actions = new FormActions();
  /** Cleared when another function opens, kept when the saved copy of this one comes back. */
  private readonly fnId = computed(() => this.fn()?.id);
  private readonly savedAt = linkedSignal<string | undefined, string>({ source: this.fnId, computation: () => '' });
  protected readonly isDirty = computed(() => JSON.stringify(this.draft()) !== JSON.stringify(toDraft(this.fn(), this.providers())));
  protected readonly status = computed(() => (this.isDirty() ? 'Unsaved changes' : this.savedAt()));
  /** The note kept with the next saved version; cleared once saved and when another function opens. */
  protected readonly comment = linkedSignal<string | undefined, string>({ source: this.fnId, computation: () => '' });
  /** Counts saves, so that the version list reloads. */
  protected readonly revision = signal(0);
  protected readonly runError = linkedSignal<string | undefined, TestRunError | null>({ source: this.fnId, computation: () => null });
  /** The fields a test takes, from the unsaved draft. */
  protected readonly testDraft = computed(() => {
    const { script, condition, timeoutMs, automationIds } = this.draft();
    return { script, condition: condition?.trim() ? condition : null, timeoutMs: Number(timeoutMs), automationIds };
  });
  /** The answer mode of the provider chosen in the draft, which an empty override takes. */
  protected readonly providerMode = computed(() => this.providers().find((p) => p.id === this.draft().providerId)?.answerMode ?? 'async');
  protected readonly scriptOf = (content: Record<string, unknown>): string => (typeof content['script'] === 'string' ? content['script'] : '');

  protected patch(change: Partial<FunctionDraft>): void {
    this.draft.update((draft) => ({ ...draft, ...change }));
  }

  protected link(automationId: string, isLinked: boolean): void {
    const others = this.draft().automationIds.filter((id) => id !== automationId);
    this.patch({ automationIds: isLinked ? [...others, automationId] : others });
  }

  protected async save(): Promise<void> {
    const draft = this.draft();
    const body: FunctionDraft = { ...draft, condition: draft.condition?.trim() ? draft.condition : null, timeoutMs: Number(draft.timeoutMs) };
    const fn = this.fn();
    const comment = this.comment().trim();
    await this.actions.run(async () => {
      const result = fn ? await this.api.update(fn.id, { ...body, ...(comment && { comment }) }) : await this.api.create(body);
      this.saved.emit(result);
      this.savedAt.set(`Saved at ${new Date().toLocaleTimeString()}`);
      this.comment.set('');
      this.revision.update((n) => n + 1);
    });
  }

  /** A restore answers the function as it now is: the editor shows it. */
  protected onRestored(fn: unknown): void {
    this.saved.emit(fn as HooklineFunction);
    this.savedAt.set(`Restored at ${new Date().toLocaleTimeString()}`);
  }

  protected async remove(): Promise<void> {
    const fn = this.fn();
    if (!fn || !window.confirm(`Delete the function "${fn.name}"? Its script and condition are lost.`)) return;
    await this.actions.run(async () => {
      await this.api.remove(fn.id);
      this.deleted.emit(fn.id);
    });
  }

}

function toDraft(fn: HooklineFunction | undefined, providers: Provider[]): FunctionDraft {
  if (fn) {
    const { name, providerId, uri, enabled, script, condition, timeoutMs, automationIds, answerMode } = fn;
    return { name, providerId, uri, enabled, script, condition, timeoutMs, automationIds, answerMode };
  }
  return { name: '', providerId: providers[0]?.id ?? '', uri: '', enabled: true, script: NEW_SCRIPT, condition: null, timeoutMs: 5000, automationIds: [], answerMode: null };
}
