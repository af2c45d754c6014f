import { inject } from '@angular/core';
import { ApiClient } from './api-client';

/**
 * The list, read, create, save and delete calls of one admin API collection (`<path>` and
 * `<path>/<id>`); a page's API class extends it with the collection's other calls.
 */
export abstract class CollectionApi<T, Input, Created = T> {
  protected readonly api = inject(ApiClient);

  protected constructor(private readonly path: string) {}

  list(): Promise<T[]> {
    return this.api.get<T[]>(this.path);
  }

  get(id: string): Promise<T> {
    return this.api.get<T>(this.pathOf(id));
  }

  create(input: Input): Promise<Created> {
    return this.api.post<Created>(this.path, input);
  }

  update(id: string, input: Input): Promise<T> {
    return this.api.put<T>(this.pathOf(id), input);
  }

  remove(id: string): Promise<void> {
    return this.api.delete(this.pathOf(id));
  }

  /** One item's address, with the id encoded, and `rest` after it. */
  protected pathOf(id: string, rest = ''): string {
    return `${this.path}/${encodeURIComponent(id)}${rest}`;
  }
}
