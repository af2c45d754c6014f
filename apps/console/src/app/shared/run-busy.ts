import type { WritableSignal } from '@angular/core';
import { type ApiError, toApiError } from '../api/api-error';

/** Runs `action` with `busy` set, clearing `error` first and showing a failure in it. */
export async function runBusy(busy: WritableSignal<boolean>, error: WritableSignal<ApiError | undefined>, action: () => Promise<void>): Promise<void> {
  busy.set(true);
  error.set(undefined);
  try {
    await action();
  } catch (err) {
    error.set(toApiError(err));
  } finally {
    busy.set(false);
  }
}
