import { signal } from '@angular/core';
import { type ApiError, toApiError } from '../api/api-error';

/** One page of a list the server pages by cursor. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A newest-first list read a page at a time for a selection (a filter), with the state a page
 * shows: the items so far, whether more remain, loading, the last error. An answer for an older
 * selection is dropped when it arrives after a newer one's.
 */
export class CursorList<T extends { id: string }, S> {
  readonly items = signal<T[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly error = signal<ApiError | undefined>(undefined);
  readonly selection;
  private generation = 0;

  constructor(
    private readonly fetchPage: (selection: S, cursor: string | null) => Promise<CursorPage<T>>,
    initial: S,
  ) {
    this.selection = signal<S>(initial);
  }

  /** Starts over with `selection`: its first page. */
  async show(selection: S): Promise<void> {
    const generation = ++this.generation;
    this.selection.set(selection);
    this.items.set([]);
    this.nextCursor.set(null);
    this.error.set(undefined);
    await this.load(null, generation);
  }

  async loadMore(): Promise<void> {
    await this.load(this.nextCursor(), this.generation);
  }

  private async load(cursor: string | null, generation: number): Promise<void> {
    this.loading.set(true);
    try {
      const page = await this.fetchPage(this.selection(), cursor);
      if (generation !== this.generation) return;
      this.items.update((items) => [...items, ...page.items.filter((item) => !items.some((known) => known.id === item.id))]);
      this.nextCursor.set(page.nextCursor);
    } catch (err) {
      if (generation === this.generation) this.error.set(toApiError(err));
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }
}
