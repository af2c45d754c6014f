import { ChangeDetectionStrategy, Component, Injector, afterNextRender, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import type { MessageDetail } from './message-types';
import { MessagesApi } from './messages-api';

interface HeaderRow {
  name: string;
  value: string;
}

/**
 * Changes a stored request's headers and body, then resubmits it as a new message. The headers
 * sent are the whole set: a row removed here is a header removed. Credential headers show as
 * "[redacted]"; left so, the server keeps their real value.
 */
@Component({
  selector: 'hl-edit-resubmit',
  imports: [FormsModule, ErrorBanner, FieldError],
  template: `
    <form class="edit" (ngSubmit)="submit()" aria-label="Edit and resubmit">
      <fieldset>
        <legend>Headers</legend>
        <p class="muted">Values shown as <code>[redacted]</code> are credentials: leave them so and the original value is sent.</p>
        @for (row of rows(); track row; let i = $index) {
          <div class="header-row">
            <label class="visually-hidden" [for]="'edit-header-name-' + i">Header {{ i + 1 }} name</label>
            <input [id]="'edit-header-name-' + i" [(ngModel)]="row.name" [ngModelOptions]="{ standalone: true }" autocomplete="off" />
            <label class="visually-hidden" [for]="'edit-header-value-' + i">Header {{ i + 1 }} value</label>
            <input [id]="'edit-header-value-' + i" [(ngModel)]="row.value" [ngModelOptions]="{ standalone: true }" autocomplete="off"
              [attr.aria-invalid]="!!error()?.fields?.['headers.' + row.name]" />
            <button type="button" (click)="removeRow(i)" [attr.aria-label]="'Remove header ' + (row.name || i + 1)">Remove</button>
            <hl-field-error class="full" [error]="error()" [field]="'headers.' + row.name" />
          </div>
        }
        <button type="button" (click)="addRow()">Add header</button>
      </fieldset>
      <label for="edit-body">Body</label>
      @if (message().body === null) {
        <p class="muted" id="edit-body">The body is binary: it is sent as stored.</p>
      } @else {
        <textarea id="edit-body" name="body" class="code" [ngModel]="body()" (ngModelChange)="body.set($event)" [attr.aria-invalid]="!!error()?.fields?.['body']"></textarea>
        <hl-field-error [error]="error()" field="body" />
        @if (message().bodyTruncated) { <p class="field-error">Only the first 256 KB of this body can be edited here; sending it cuts the body there.</p> }
      }
      <hl-error-banner [error]="error()" [shownFields]="shownFields()" />
      <div class="row">
        <button type="submit" class="primary" [disabled]="busy()">{{ busy() ? 'Resubmitting…' : 'Resubmit edited' }}</button>
        <button type="button" (click)="cancelled.emit()">Cancel</button>
      </div>
    </form>
  `,
  styles: `
    .edit { display: grid; gap: 0.5rem; margin-top: 0.8rem; }
    fieldset { border: 1px solid var(--border); border-radius: 6px; display: grid; gap: 0.4rem; }
    legend { font-weight: 600; }
    .header-row { display: grid; grid-template-columns: minmax(8rem, 1fr) minmax(10rem, 2fr) auto; gap: 0.4rem; align-items: start; }
    .header-row .full { grid-column: 1 / -1; }
    @media (max-width: 40rem) { .header-row { grid-template-columns: 1fr; } }
    .row { display: flex; gap: 0.5rem; flex-wrap: wrap; }
    fieldset > button { justify-self: start; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EditResubmit {
  private readonly api = inject(MessagesApi);
  private readonly injector = inject(Injector);
  readonly message = input.required<MessageDetail>();
  /** The id of the new message. */
  readonly resubmitted = output<string>();
  readonly cancelled = output<void>();
  protected readonly rows = signal<HeaderRow[]>([]);
  protected readonly body = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly shownFields = signal<string[]>(['body']);

  constructor() {
    // Filled from the message once per message: a refresh of the same message keeps the edits.
    const id = computed(() => this.message().id);
    effect(() => {
      id();
      const m = untracked(this.message);
      this.rows.set(Object.entries(m.headers).map(([name, value]) => ({ name, value })));
      this.body.set(m.body ?? '');
    });
  }

  protected addRow(): void {
    const index = this.rows().length;
    this.rows.update((rows) => [...rows, { name: '', value: '' }]);
    afterNextRender(() => document.getElementById(`edit-header-name-${index}`)?.focus(), { injector: this.injector });
  }

  protected removeRow(index: number): void {
    this.rows.update((rows) => rows.filter((_, i) => i !== index));
  }

  protected async submit(): Promise<void> {
    const headers: Record<string, string> = {};
    for (const row of this.rows()) if (row.name.trim()) headers[row.name.trim()] = row.value;
    this.busy.set(true);
    this.error.set(undefined);
    try {
      const body = this.message().body === null ? undefined : this.body();
      this.resubmitted.emit(await this.api.resubmit(this.message().id, { headers, ...(body === undefined ? {} : { body }) }));
    } catch (err) {
      const error = toApiError(err);
      this.shownFields.set(['body', ...this.rows().map((row) => `headers.${row.name}`)]);
      this.error.set(error);
    } finally {
      this.busy.set(false);
    }
  }
}
