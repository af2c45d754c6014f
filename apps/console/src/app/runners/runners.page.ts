import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { type ApiError, toApiError } from '../api/api-error';
import { ConfirmDialog } from '../shared/confirm-dialog';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { FormActions } from '../shared/form-actions';
import { runBusy } from '../shared/run-busy';
import { ShownOnce } from '../shared/shown-once';
import type { Provider } from '../api/api-types';
import { ProvidersApi } from '../providers/providers.api';
import type { CreatedRunner, Runner } from './runner-types';
import { ParkedTasks } from './parked-tasks';
import { RunnersApi } from './runners.api';
import { IfRole } from '../shared/if-role';

/** The name the server gives the runner it registers from `HOOKLINE_RUNNER_TOKEN`. */
const PRECONFIGURED = 'HOOKLINE_RUNNER_TOKEN';

/** Runner tokens: create one (its token shown once), the registered runners, and revoke. */
@Component({
  selector: 'hl-runners-page',
  imports: [IfRole, DatePipe, FormsModule, ConfirmDialog, ErrorBanner, FieldError, ParkedTasks, ShownOnce],
  templateUrl: './runners.page.html',
  styleUrls: ['../shared/form-page.css'],
  styles: `
    .intro { max-width: 60rem; margin: 0; }
    .runner-table { width: 100%; border-collapse: collapse; }
    .runner-table th, .runner-table td { text-align: left; padding: 0.45rem 0.5rem; border-bottom: 1px solid var(--border); overflow-wrap: anywhere; }
    .runner-table tbody th { font-weight: 600; }
    .actions-cell { text-align: right; }
    .provider-choices { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunnersPage {
  private readonly api = inject(RunnersApi);
  private readonly providersApi = inject(ProvidersApi);
  protected readonly preconfigured = PRECONFIGURED;
  protected readonly runners = signal<Runner[] | undefined>(undefined);
  protected readonly listError = signal<ApiError | undefined>(undefined);
  protected readonly createActions = new FormActions();
  protected name = '';
  /** The providers a new token is scoped to; none ticked: every provider. */
  protected readonly scope = signal<ReadonlySet<string>>(new Set());
  protected readonly providers = signal<Provider[] | undefined>(undefined);
  /** The runner just created, with its token: kept only while this page is open. */
  protected readonly created = signal<CreatedRunner | undefined>(undefined);
  protected readonly revoking = signal<Runner | undefined>(undefined);
  protected readonly revokeBusy = signal(false);
  protected readonly revoked = signal('');
  private readonly revokeDialog = viewChild.required<ConfirmDialog>('revokeDialog');

  constructor() {
    void this.load();
  }

  protected create(): Promise<void> {
    return this.createActions.run(async () => {
      const scope = [...this.scope()];
      const created = await this.api.create(this.name, scope.length > 0 ? scope : null);
      this.created.set(created);
      this.name = '';
      this.scope.set(new Set());
      this.revoked.set('');
      await this.load();
    });
  }

  protected toggleProvider(id: string, ticked: boolean): void {
    const next = new Set(this.scope());
    if (ticked) next.add(id);
    else next.delete(id);
    this.scope.set(next);
  }

  /** The names of a runner's providers, for the list; an id whose provider was deleted shows as such. */
  protected scopeOf(runner: Runner): string {
    if (runner.providers === null) return 'every provider';
    const names = new Map((this.providers() ?? []).map((p) => [p.id, p.name]));
    return runner.providers.map((id) => names.get(id) ?? `deleted provider ${id.slice(0, 8)}`).join(', ');
  }

  protected async revoke(runner: Runner): Promise<void> {
    this.revoking.set(runner);
    this.revoked.set('');
    if (!(await this.revokeDialog().ask())) return;
    await runBusy(this.revokeBusy, this.listError, async () => {
      await this.api.revoke(runner.id);
      if (this.created()?.id === runner.id) this.created.set(undefined);
      this.revoked.set(`Revoked ${runner.name}.`);
      await this.load();
    });
  }

  private async load(): Promise<void> {
    try {
      const [runners, providers] = await Promise.all([this.api.list(), this.providersApi.list()]);
      this.providers.set(providers);
      this.runners.set(runners);
    } catch (err) {
      this.listError.set(toApiError(err));
    }
  }
}
