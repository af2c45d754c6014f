import { inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import type { CollectionApi } from '../api/collection-api';
import { FormActions } from './form-actions';

/** What an edit form needs to know about its collection. */
export interface EditFormOptions<T, Input, Draft> {
  api: CollectionApi<T, Input>;
  /** The list page, e.g. `/automations`; an item's page is `<listPath>/<id>`. */
  listPath: string;
  draftOf: (item: T | undefined) => Draft;
  /** What a save sends; may throw an ApiError for a field the browser checks itself. */
  inputOf: (draft: Draft) => Input;
}

/**
 * The state and server calls of a page that edits one item of a collection (route
 * `<listPath>/:id`, or `<listPath>/new` to create one): the item as saved, the draft its form
 * edits, loading by id, saving (create or update) and deleting. Create it in a component's field
 * initialiser, where it can inject the router.
 */
export class EditForm<T extends { id: string }, Input, Draft> {
  /** The item as the server last answered it; undefined while new. */
  readonly item = signal<T | undefined>(undefined);
  readonly draft = signal<Draft | undefined>(undefined);
  readonly loadError = signal<ApiError | undefined>(undefined);
  readonly actions = new FormActions();
  private readonly router = inject(Router);

  constructor(private readonly options: EditFormOptions<T, Input, Draft>) {}

  /** Shows the item `id` (an empty draft for "new"); the item already shown is not read again. */
  async load(id: string): Promise<void> {
    this.loadError.set(undefined);
    if (id === 'new') {
      this.show(undefined);
      return;
    }
    if (this.item()?.id === id) return;
    try {
      this.show(await this.options.api.get(id));
    } catch (err) {
      this.loadError.set(toApiError(err));
    }
  }

  /** Creates or saves the draft; a created item's page replaces the "new" one. */
  async save(): Promise<void> {
    const draft = this.draft();
    if (!draft) return;
    await this.actions.run(async () => {
      const input = this.options.inputOf(draft);
      const current = this.item();
      const saved = current ? await this.options.api.update(current.id, input) : await this.options.api.create(input);
      this.show(saved);
      this.actions.done.set(current ? `Saved at ${new Date().toLocaleTimeString()}.` : 'Created.');
      if (!current) await this.router.navigate([this.options.listPath, saved.id], { replaceUrl: true });
    });
  }

  /** Deletes the item once `confirmed` says yes, and goes back to the list. */
  async remove(confirmed: (item: T) => boolean | Promise<boolean>): Promise<void> {
    const current = this.item();
    if (!current || !(await confirmed(current))) return;
    await this.actions.run(async () => {
      await this.options.api.remove(current.id);
      await this.router.navigateByUrl(this.options.listPath);
    });
  }

  /** Puts an item (or nothing, for a new one) and a fresh draft of it in the form. */
  show(item: T | undefined): void {
    this.item.set(item);
    this.draft.set(this.options.draftOf(item));
  }
}
