import { isUuid } from './ids';
import { ValidationFailedError } from './errors';

/** A position in a newest-first list of messages: keyset paging on (received_at, id). */
export interface PageCursor {
  receivedAt: Date;
  id: string;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(`${cursor.receivedAt.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string): PageCursor {
  const [at, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const receivedAt = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(receivedAt.getTime())) throw new ValidationFailedError({ cursor: 'is not a cursor from a previous page (use nextCursor as given)' });
  return { receivedAt, id };
}

/** An optional text field: blank means none. */
export function blankToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}
