import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { DatePipe } from '@angular/common';
import { ApiClient } from '../api/api-client';
import type { ApiError } from '../api/api-error';
import { DiffEditor } from '../editor/diff-editor';
import type { EditorKind } from '../editor/editor-kind';
import { ErrorBanner } from '../shared/error-banner';
import { runBusy } from '../shared/run-busy';
import { IfRole } from '../shared/if-role';

/** One entry of `GET …/versions` (docs/scripts.md, "Versions"). */
export interface VersionSummary {
  version: number;
  comment: string | null;
  /** Null when the server made it (a built-in's shipped settings, an upgrade). */
  createdBy: string | null;
  createdAt: string;
}

interface VersionDetail extends VersionSummary {
  content: Record<string, unknown>;
}

/**
 * The saved versions of one provider, function or the provider order: who saved each, when and
 * why, a side-by-side diff of any against the editor's text, and restore (as a new version).
 */
@Component({
  selector: 'hl-version-history',
  imports: [IfRole, DatePipe, DiffEditor, ErrorBanner],
  template: `
    <section class="panel" [attr.aria-labelledby]="id() + '-title'">
      <div class="head">
        <h3 [id]="id() + '-title'">{{ heading() }}</h3>
        <button type="button" (click)="load()" [disabled]="busy()">Refresh</button>
      </div>
      <hl-error-banner [error]="error()" />
      @if (versions().length === 0 && !error()) {
        <p class="muted">{{ busy() ? 'Loading…' : 'No versions yet.' }}</p>
      } @else {
        <table>
          <caption class="visually-hidden">Versions, newest first</caption>
          <thead>
            <tr><th scope="col">Version</th><th scope="col">By</th><th scope="col">When</th><th scope="col">Comment</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            @for (v of versions(); track v.version) {
              <tr [attr.aria-current]="opened()?.version === v.version ? 'true' : null">
                <td>v{{ v.version }}</td>
                <td>{{ v.createdBy ?? 'Hookline' }}</td>
                <td><time [attr.datetime]="v.createdAt">{{ v.createdAt | date: 'medium' }}</time></td>
                <td>{{ v.comment ?? '' }}</td>
                <td class="actions">
                  <button type="button" (click)="open(v.version)" [attr.aria-label]="'Compare version ' + v.version">Compare</button>
                  <button *hlIfRole="'editor'" type="button" (click)="restore(v.version)" [disabled]="busy()" [attr.aria-label]="'Restore version ' + v.version">Restore</button>
                </td>
              </tr>
            }
          </tbody>
        </table>
        @if (nextCursor()) {
          <button type="button" (click)="more()" [disabled]="busy()">Older versions</button>
        }
      }
      @if (opened(); as v) {
        <div class="diff">
          <div class="head">
            <p>Version {{ v.version }} (left) against the editor (right)</p>
            <button type="button" (click)="opened.set(undefined)">Close the comparison</button>
          </div>
          <hl-diff-editor [kind]="kind()" [label]="'Version ' + v.version + ' against the editor'" [original]="openedText()" [modified]="current()" />
        </div>
      }
      <p class="muted" aria-live="polite">{{ status() }}</p>
    </section>
  `,
  styles: `
    .panel { border: 1px solid var(--border); border-radius: 4px; padding: 0.5rem 0.9rem 0.9rem; display: grid; gap: 0.5rem; }
    .head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
    h3 { margin: 0.3rem 0 0; font-size: 1rem; }
    p { margin: 0; }
    table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
    th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid var(--border); vertical-align: top; }
    tr[aria-current='true'] { background: var(--surface-alt, transparent); font-weight: 600; }
    td.actions { white-space: nowrap; display: flex; gap: 0.4rem; }
    .diff { display: grid; gap: 0.4rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VersionHistory {
  private readonly api = inject(ApiClient);
  /** Prefix of the element ids, unique on the page. */
  readonly id = input.required<string>();
  /** What has the versions, e.g. `/functions/<id>` or `/providers/order`. */
  readonly path = input.required<string>();
  /** The text the editor holds now; versions are compared with it. */
  readonly current = input.required<string>();
  /** The text of a version's content, in the editor's terms. */
  readonly textOf = input.required<(content: Record<string, unknown>) => string>();
  readonly kind = input.required<EditorKind>();
  readonly heading = input('Versions');
  /** Changes whenever the owner saved, so that the list shows the new version. */
  readonly revision = input(0);
  /** What the restore answered: the provider, function or order as it now is. */
  readonly restored = output<unknown>();

  protected readonly versions = signal<VersionSummary[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly opened = signal<VersionDetail | undefined>(undefined);
  protected readonly openedText = computed(() => {
    const opened = this.opened();
    return opened ? this.textOf()(opened.content) : '';
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly status = signal('');

  constructor() {
    effect(() => {
      this.path();
      this.revision();
      untracked(() => void this.load());
    });
  }

  protected async load(): Promise<void> {
    await this.run(async () => {
      const page = await this.api.get<{ items: VersionSummary[]; nextCursor: string | null }>(`${this.path()}/versions`);
      this.versions.set(page.items);
      this.nextCursor.set(page.nextCursor);
    });
  }

  protected async more(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor) return;
    await this.run(async () => {
      const page = await this.api.get<{ items: VersionSummary[]; nextCursor: string | null }>(`${this.path()}/versions?cursor=${encodeURIComponent(cursor)}`);
      this.versions.update((shown) => [...shown, ...page.items]);
      this.nextCursor.set(page.nextCursor);
    });
  }

  protected async open(version: number): Promise<void> {
    await this.run(async () => this.opened.set(await this.api.get<VersionDetail>(`${this.path()}/versions/${version}`)));
  }

  protected async restore(version: number): Promise<void> {
    if (!window.confirm(`Restore version ${version}? Its content is saved again as a new version; unsaved changes in the editor are lost.`)) return;
    await this.run(async () => {
      const answer = await this.api.post<unknown>(`${this.path()}/versions/${version}/restore`, {});
      this.opened.set(undefined);
      this.restored.emit(answer);
      this.status.set(`Restored version ${version}.`);
    });
    await this.load();
  }

  private run(action: () => Promise<void>): Promise<void> {
    return runBusy(this.busy, this.error, action);
  }
}
