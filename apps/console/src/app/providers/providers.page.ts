import { CdkDrag, CdkDragHandle, CdkDropList, type CdkDragDrop, moveItemInArray } from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import type { Provider } from '../api/api-types';
import { ErrorBanner } from '../shared/error-banner';
import { VersionHistory } from '../versions/version-history';
import { ProvidersApi } from './providers.api';
import { IfRole } from '../shared/if-role';

/** The providers in priority order: drag or Alt+arrow to reorder, toggle, open one to edit. */
@Component({
  selector: 'hl-providers-page',
  imports: [IfRole, CdkDropList, CdkDrag, CdkDragHandle, RouterLink, ErrorBanner, VersionHistory],
  templateUrl: './providers.page.html',
  styleUrl: './providers.page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProvidersPage {
  private readonly api = inject(ProvidersApi);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  protected readonly providers = signal<Provider[] | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly saving = signal(false);
  /** Read out by screen readers after a move. */
  protected readonly announcement = signal('');
  /** The order as the versions show it, one provider name a line, first runs first. */
  protected readonly orderText = computed(() => (this.providers() ?? []).map((p) => p.name).join('\n'));
  protected readonly orderOf = (content: Record<string, unknown>): string =>
    Array.isArray(content['providers']) ? (content['providers'] as Array<{ name?: unknown }>).map((p) => String(p.name)).join('\n') : '';
  /** Counts reorders, so that the order's versions reload. */
  protected readonly orderRevision = signal(0);

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    try {
      this.providers.set(await this.api.list());
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  protected async drop(event: CdkDragDrop<Provider[]>): Promise<void> {
    await this.move(event.previousIndex, event.currentIndex);
  }

  /** Alt+ArrowUp / Alt+ArrowDown on a focused row moves it one place. */
  protected async onRowKey(event: KeyboardEvent, index: number): Promise<void> {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const target = index + (event.key === 'ArrowUp' ? -1 : 1);
    const list = this.providers() ?? [];
    if (target < 0 || target >= list.length) return;
    const id = list[index].id;
    await this.move(index, target);
    // The row was moved in the page: give it the focus back so the keys can go on.
    afterNextRender({ write: () => this.host.nativeElement.querySelector<HTMLElement>(`[data-provider-id="${id}"]`)?.focus() }, { injector: this.injector });
  }

  protected async toggle(provider: Provider, event: Event): Promise<void> {
    const checkbox = event.target as HTMLInputElement;
    this.error.set(undefined);
    try {
      const saved = await this.api.update(provider.id, { enabled: checkbox.checked });
      this.providers.update((list) => list?.map((p) => (p.id === saved.id ? saved : p)));
    } catch (err) {
      checkbox.checked = provider.enabled;
      this.error.set(toApiError(err));
    }
  }

  private async move(from: number, to: number): Promise<void> {
    const before = this.providers();
    if (!before || from === to) return;
    const after = [...before];
    moveItemInArray(after, from, to);
    // Shown at once; the server's answer (or the old order, on failure) replaces it.
    this.providers.set(after);
    this.saving.set(true);
    this.error.set(undefined);
    try {
      this.providers.set(await this.api.reorder(after.map((p) => p.id)));
      this.orderRevision.update((n) => n + 1);
      this.announcement.set(`${after[to].name} moved to position ${to + 1} of ${after.length}.`);
    } catch (err) {
      this.providers.set(before);
      this.error.set(toApiError(err));
    } finally {
      this.saving.set(false);
    }
  }
}
