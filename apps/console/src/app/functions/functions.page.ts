import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import type { Provider } from '../api/api-types';
import { ErrorBanner } from '../shared/error-banner';
import { FunctionForm } from './function-form';
import { type AutomationSummary, FunctionsApi, type HooklineFunction } from './functions.api';
import { IfRole } from '../shared/if-role';

interface UriGroup {
  uri: string;
  functions: HooklineFunction[];
}

interface ProviderGroup {
  provider: Provider;
  uris: UriGroup[];
}

/** Functions grouped by provider (in priority order) and URI, with the one opened beside them. */
@Component({
  selector: 'hl-functions-page',
  imports: [IfRole, RouterLink, ErrorBanner, FunctionForm],
  template: `
    <div class="page">
      <nav class="list" aria-labelledby="functions-title">
        <div class="list-head">
          <h1 id="functions-title">Functions</h1>
          <a *hlIfRole="'editor'" class="button" routerLink="/functions/new" [attr.aria-current]="id() === 'new' ? 'page' : null">New function</a>
        </div>
        <hl-error-banner [error]="loadError()" />
        @if (loaded() && groups().length === 0) {
          <p class="muted">No functions yet. A function runs a script for the messages of one provider on one URI.</p>
        }
        @for (group of groups(); track group.provider.id) {
          <section [attr.aria-labelledby]="'provider-' + group.provider.id">
            <h2 [id]="'provider-' + group.provider.id">{{ group.provider.name }}</h2>
            @for (uriGroup of group.uris; track uriGroup.uri) {
              <h3><code>/webhooks/{{ uriGroup.uri }}</code></h3>
              <ul>
                @for (fn of uriGroup.functions; track fn.id) {
                  <li>
                    <a [routerLink]="['/functions', fn.id]" [attr.aria-current]="fn.id === id() ? 'page' : null">{{ fn.name }}</a>
                    @if (!fn.enabled) { <span class="badge">disabled</span> }
                  </li>
                }
              </ul>
            }
          </section>
        }
      </nav>
      <div class="detail">
        @if (!loaded()) {
          <p class="muted">Loading…</p>
        } @else if (id() === 'new') {
          <hl-function-form [providers]="providers()" [automations]="automations()" (saved)="onSaved($event)" />
        } @else if (selected(); as fn) {
          <hl-function-form [fn]="fn" [providers]="providers()" [automations]="automations()" (saved)="onSaved($event)" (deleted)="onDeleted($event)" />
        } @else if (id()) {
          <p role="alert">There is no function <code>{{ id() }}</code>; it may have been deleted.</p>
        } @else {
          <p class="muted">Choose a function to edit its script and condition, or start a new one.</p>
        }
      </div>
    </div>
  `,
  styles: `
    .page { display: grid; grid-template-columns: minmax(14rem, 20rem) 1fr; gap: 1.5rem; align-items: start; }
    @media (max-width: 900px) { .page { grid-template-columns: 1fr; } }
    .list-head { display: flex; align-items: center; justify-content: space-between; gap: 1rem; }
    h1 { margin: 0; font-size: 1.4rem; }
    h2 { font-size: 1rem; margin: 1rem 0 0.25rem; }
    h3 { font-size: 0.85rem; font-weight: normal; margin: 0.5rem 0 0.25rem; color: var(--muted); }
    ul { list-style: none; margin: 0; padding: 0 0 0 0.5rem; }
    li { display: flex; gap: 0.5rem; align-items: center; padding: 0.15rem 0; }
    a[aria-current='page'] { font-weight: 600; }
    .badge { font-size: 0.75rem; color: var(--muted); border: 1px solid var(--border); border-radius: 3px; padding: 0 0.3rem; }
    .detail { min-width: 0; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FunctionsPage {
  private readonly api = inject(FunctionsApi);
  private readonly router = inject(Router);
  /** The route's `:id`, or `new`. */
  readonly id = input<string>();

  protected readonly functions = signal<HooklineFunction[]>([]);
  protected readonly providers = signal<Provider[]>([]);
  protected readonly automations = signal<AutomationSummary[]>([]);
  protected readonly loaded = signal(false);
  protected readonly loadError = signal<ApiError | undefined>(undefined);
  protected readonly selected = computed(() => this.functions().find((fn) => fn.id === this.id()));
  protected readonly groups = computed(() => groupFunctions(this.providers(), this.functions()));

  constructor() {
    void this.load();
  }

  protected onSaved(fn: HooklineFunction): void {
    const others = this.functions().filter((other) => other.id !== fn.id);
    this.functions.set([...others, fn]);
    if (this.id() !== fn.id) void this.router.navigate(['/functions', fn.id]);
  }

  protected onDeleted(id: string): void {
    this.functions.set(this.functions().filter((fn) => fn.id !== id));
    void this.router.navigate(['/functions']);
  }

  private async load(): Promise<void> {
    try {
      const [functions, providers, automations] = await Promise.all([this.api.list(), this.api.providers(), this.api.automations()]);
      this.functions.set(functions);
      this.providers.set([...providers].sort((a, b) => a.priority - b.priority));
      this.automations.set(automations);
    } catch (err) {
      this.loadError.set(toApiError(err));
    } finally {
      this.loaded.set(true);
    }
  }
}

function groupFunctions(providers: Provider[], functions: HooklineFunction[]): ProviderGroup[] {
  return providers
    .map((provider) => {
      const own = functions.filter((fn) => fn.providerId === provider.id);
      const uris = [...new Set(own.map((fn) => fn.uri))].sort();
      return {
        provider,
        uris: uris.map((uri) => ({ uri, functions: own.filter((fn) => fn.uri === uri).sort((a, b) => a.name.localeCompare(b.name)) })),
      };
    })
    .filter((group) => group.uris.length > 0);
}
