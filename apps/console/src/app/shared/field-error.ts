import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ApiError } from '../api/api-error';
import { fieldMessages } from './field-messages';

/**
 * The server's complaint about one field of a 400, shown beside that field. For a list field
 * (`items`), the complaints about its entries (`branches.1`) are shown too, each with its place.
 */
@Component({
  selector: 'hl-field-error',
  template: `@for (m of messages(); track $index) { <span class="field-error">{{ m }}</span> }`,
  host: { 'aria-live': 'polite' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FieldError {
  readonly error = input<ApiError | undefined>();
  readonly field = input.required<string>();
  readonly items = input(false);
  protected readonly messages = computed(() => fieldMessages(this.error()?.fields ?? {}, this.field(), this.items()));
}
