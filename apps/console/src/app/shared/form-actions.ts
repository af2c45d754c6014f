import { signal } from '@angular/core';
import { type ApiError, toApiError } from '../api/api-error';

/**
 * The server calls of an edit form: one at a time (`busy` disables the buttons), the last
 * call's error for the banner and the fields, and a line saying what was done.
 */
export class FormActions {
  readonly busy = signal(false);
  readonly error = signal<ApiError | undefined>(undefined);
  readonly done = signal('');

  /** Runs a call, keeping its error instead of throwing; `action` may set `done`. */
  async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(undefined);
    this.done.set('');
    try {
      await action();
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.busy.set(false);
    }
  }

  /** Whether the server named this field, for `aria-invalid`. */
  hasError(field: string): boolean {
    return !!this.error()?.fields[field];
  }
}
