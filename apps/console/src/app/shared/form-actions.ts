import { signal } from '@angular/core';
import type { ApiError } from '../api/api-error';
import { runBusy } from './run-busy';

/**
 * The server calls of an edit form: one at a time (`busy` disables the buttons), the last
 * call's error for the banner and the fields, and a line saying what was done.
 */
export class FormActions {
  readonly busy = signal(false);
  readonly error = signal<ApiError | undefined>(undefined);
  readonly done = signal('');

  /** Runs a call, keeping its error instead of throwing; `action` may set `done`. */
  run(action: () => Promise<void>): Promise<void> {
    this.done.set('');
    return runBusy(this.busy, this.error, action);
  }

  /** Whether the server named this field, for `aria-invalid`. */
  hasError(field: string): boolean {
    return !!this.error()?.fields[field];
  }
}
