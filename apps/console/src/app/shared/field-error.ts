import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ApiError } from '../api/api-error';

/** The server's complaint about one field of a 400, shown beside that field. */
@Component({
  selector: 'hl-field-error',
  template: `@if (message(); as m) { <span class="field-error">{{ m }}</span> }`,
  host: { 'aria-live': 'polite' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FieldError {
  readonly error = input<ApiError | undefined>();
  readonly field = input.required<string>();
  protected readonly message = computed(() => this.error()?.fields[this.field()]);
}
