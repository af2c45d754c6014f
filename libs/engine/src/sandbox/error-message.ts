/**
 * The message of a thrown value. Checked by shape, not `instanceof Error`: errors from
 * isolated-vm, and from a host running under jest, come from another realm's Error class.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  return String(error);
}

/** True for a SyntaxError from any realm. */
export function isSyntaxError(error: unknown): error is { name: 'SyntaxError'; message: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    error.name === 'SyntaxError' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}
