import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ApiError } from '../api/api-error';
import { isShownField } from './field-messages';

/**
 * A failed call's message where it happened. Fields that the form shows beside their inputs
 * (`shownFields`) are left out here; any others are listed, so nothing the server said is lost.
 */
@Component({
  selector: 'hl-error-banner',
  template: `
    @if (error(); as e) {
      <div class="error-banner" role="alert">
        <strong>{{ title() }}</strong> {{ e.message }}
        @if (otherFields().length) {
          <ul>
            @for (field of otherFields(); track field[0]) {
              <li><code>{{ field[0] }}</code> {{ field[1] }}</li>
            }
          </ul>
        }
      </div>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ErrorBanner {
  readonly error = input<ApiError | undefined>();
  /** Fields shown beside their inputs; `list.*` stands for the entries of a list shown with its `items`. */
  readonly shownFields = input<readonly string[]>([]);
  /** How a 400 is headed: what was refused. */
  readonly refusedTitle = input('Not saved:');
  protected readonly title = computed(() => {
    const status = this.error()?.status ?? 0;
    return status === 0 ? 'Error:' : status === 400 ? this.refusedTitle() : `Error ${status}:`;
  });
  protected readonly otherFields = computed(() => {
    const shown = new Set(this.shownFields());
    return Object.entries(this.error()?.fields ?? {}).filter(([field]) => !isShownField(shown, field));
  });
}
