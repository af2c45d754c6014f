import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import type { Provider } from '../api/api-types';
import { CodeEditor } from '../editor/code-editor';
import { ProvidersApi } from '../providers/providers.api';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { type DraftProvider, draftOf, isEdited, previewRequest } from './preview-draft';
import { PreviewApi, type PreviewView } from './preview.api';
import { PreviewResults } from './preview-results';

const DEFAULT_LIMIT = 200;

/**
 * Preview over history: a draft provider order, enabled flags and match scripts replayed over
 * the newest stored messages (POST /api/preview) beside what actually happened. Nothing is saved.
 */
@Component({
  selector: 'hl-preview-page',
  imports: [FormsModule, RouterLink, CodeEditor, ErrorBanner, FieldError, PreviewResults],
  template: `
    <h1>Preview over history</h1>
    <p class="muted intro">
      Change the order, switch providers on or off, or edit a match script here, then see where the latest stored webhooks
      would have gone. Function scripts do not run and nothing is saved; make the change for real on the
      <a routerLink="/providers">Providers</a> page.
    </p>

    @if (rows(); as list) {
      <form class="card" (ngSubmit)="run()" aria-label="Draft">
        <div class="draft-head">
          <h2>Draft</h2>
          <div class="tools">
            <button type="button" (click)="reverse()" [disabled]="list.length < 2">Reverse the order</button>
            <button type="button" (click)="resetDraft()" [disabled]="!isDraft()">Back to what is saved</button>
          </div>
        </div>
        <hl-field-error [error]="error()" field="order" />
        <ol class="draft" aria-label="Providers in the draft's order">
          @for (row of list; track row.saved.id; let i = $index; let last = $last) {
            <li [attr.data-provider-id]="row.saved.id" [class.edited]="edited(row)">
              <div class="line">
                <span class="position">{{ i + 1 }}</span>
                <span class="name">{{ row.saved.name }}@if (edited(row)) { <span class="badge">edited</span> }</span>
                <button type="button" class="move" data-move="up" (click)="move(i, -1, 'up')" [disabled]="i === 0" [attr.aria-label]="'Move ' + row.saved.name + ' up'">↑</button>
                <button type="button" class="move" data-move="down" (click)="move(i, 1, 'down')" [disabled]="last" [attr.aria-label]="'Move ' + row.saved.name + ' down'">↓</button>
                <label class="toggle">
                  <input type="checkbox" [name]="'enabled-' + row.saved.id" [(ngModel)]="row.enabled" (ngModelChange)="touch()" />
                  Enabled
                </label>
                <button type="button" (click)="toggleScript(row.saved.id)" [attr.aria-expanded]="open().has(row.saved.id)" [attr.aria-controls]="'script-' + row.saved.id">
                  {{ open().has(row.saved.id) ? 'Hide' : 'Edit' }} match script
                </button>
              </div>
              @if (open().has(row.saved.id) || scriptError(row.saved.id)) {
                <div class="script" [id]="'script-' + row.saved.id">
                  <p class="script-title" [id]="'ms-title-' + row.saved.id">Match script of {{ row.saved.name }}</p>
                  <hl-code-editor kind="match" height="9rem" [label]="'Match script of ' + row.saved.name" [value]="row.matchScript"
                    (valueChange)="editScript(row, $event)" [runError]="compileError(row.saved.id)" runSource="Preview" />
                  @if (scriptError(row.saved.id); as problem) {
                    <span class="field-error" role="alert">{{ problem }}</span>
                  }
                </div>
              }
            </li>
          }
        </ol>
        <div class="run">
          <div class="limit">
            <label for="pv-limit">Latest messages to replay</label>
            <input id="pv-limit" name="limit" type="number" min="1" max="1000" [(ngModel)]="limit" [attr.aria-invalid]="!!error()?.fields?.['limit']" />
            <hl-field-error [error]="error()" field="limit" />
          </div>
          <button type="submit" class="primary" [disabled]="running()">{{ running() ? 'Replaying…' : 'Preview' }}</button>
        </div>
      </form>
    } @else if (!error()) {
      <p class="muted" role="status">Loading providers…</p>
    }

    <hl-error-banner [error]="error()" [shownFields]="shownFields()" />

    @if (answer(); as a) {
      <section aria-labelledby="pv-results">
        <h2 id="pv-results">Messages</h2>
        <hl-preview-results [answer]="a" />
      </section>
    }
  `,
  styles: `
    .intro { max-width: 60rem; }
    .draft-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem; }
    .draft-head h2 { margin: 0; }
    .tools { display: flex; flex-wrap: wrap; gap: 0.4rem; }
    .draft { list-style: none; margin: 0.75rem 0; padding: 0; display: grid; gap: 0.35rem; }
    .draft li { border: 1px solid var(--border); border-radius: 8px; padding: 0.45rem 0.6rem; }
    .draft li.edited { border-color: var(--accent); }
    .line { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
    .position { color: var(--muted); width: 1.5rem; text-align: right; font-variant-numeric: tabular-nums; }
    .name { font-weight: 600; flex: 1 1 10rem; display: flex; gap: 0.4rem; align-items: center; }
    .move { padding: 0.2rem 0.55rem; }
    .toggle { display: inline-flex; align-items: center; gap: 0.35rem; font-weight: normal; }
    .script { margin-top: 0.5rem; }
    .script-title { margin: 0 0 0.25rem; font-weight: 600; }
    .run { display: flex; flex-wrap: wrap; align-items: end; gap: 0.75rem; }
    .limit { width: 14rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PreviewPage {
  private readonly providersApi = inject(ProvidersApi);
  private readonly previewApi = inject(PreviewApi);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private saved: Provider[] = [];
  protected readonly rows = signal<DraftProvider[] | undefined>(undefined);
  /** Bumped on every edit inside a row, which the rows signal does not see by itself. */
  private readonly edits = signal(0);
  protected readonly open = signal<ReadonlySet<string>>(new Set());
  protected readonly answer = signal<PreviewView | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly running = signal(false);
  protected limit = DEFAULT_LIMIT;

  protected readonly isDraft = computed(() => {
    this.edits();
    const rows = this.rows() ?? [];
    return rows.some((row, index) => isEdited(row) || row.saved.id !== this.saved[index]?.id);
  });
  /** The 400's fields this page shows beside their inputs (per provider ones beside its script). */
  protected readonly shownFields = computed(() => ['order', 'limit', ...(this.rows() ?? []).map((row) => `providers.${row.saved.id}`)]);

  constructor() {
    void this.load();
  }

  protected edited(row: DraftProvider): boolean {
    this.edits();
    return isEdited(row);
  }

  protected touch(): void {
    this.edits.update((n) => n + 1);
  }

  protected editScript(row: DraftProvider, text: string): void {
    if (row.matchScript === text) return;
    row.matchScript = text;
    this.touch();
  }

  /** The last preview's compile error of one provider's script, marked at its line in the editor. */
  protected compileError(id: string): PreviewView['scriptErrors'][string] | null {
    return this.answer()?.scriptErrors[id] ?? null;
  }

  /** The compile error of the last preview, or the 400's complaint, for one provider's script. */
  protected scriptError(id: string): string | undefined {
    // The server's message already names the line and column.
    const compile = this.compileError(id);
    if (compile) return compile.message;
    return this.error()?.fields[`providers.${id}`] ?? this.error()?.fields[`providers.${id}.matchScript`];
  }

  protected move(index: number, by: -1 | 1, direction: 'up' | 'down'): void {
    const rows = [...(this.rows() ?? [])];
    const target = index + by;
    if (target < 0 || target >= rows.length) return;
    [rows[index], rows[target]] = [rows[target], rows[index]];
    this.rows.set(rows);
    const id = rows[target].saved.id;
    // The row moved in the page: keep the focus on its button (or the other one at an end).
    afterNextRender(
      {
        write: () => {
          const row = this.host.nativeElement.querySelector(`li[data-provider-id="${id}"]`);
          const button = row?.querySelector<HTMLButtonElement>(`button[data-move="${direction}"]:not(:disabled)`) ?? row?.querySelector<HTMLButtonElement>('button.move:not(:disabled)');
          button?.focus();
        },
      },
      { injector: this.injector },
    );
  }

  protected reverse(): void {
    this.rows.update((rows) => rows && [...rows].reverse());
  }

  protected resetDraft(): void {
    this.rows.set(draftOf(this.saved));
    this.open.set(new Set());
    // The last answer was about the dropped draft, its script errors too.
    this.answer.set(undefined);
    this.error.set(undefined);
  }

  protected toggleScript(id: string): void {
    this.open.update((open) => {
      const next = new Set(open);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  protected async run(): Promise<void> {
    const rows = this.rows();
    if (!rows) return;
    this.running.set(true);
    this.error.set(undefined);
    try {
      this.answer.set(await this.previewApi.preview(previewRequest(rows, this.saved, Number(this.limit))));
    } catch (err) {
      this.answer.set(undefined);
      this.error.set(toApiError(err));
    } finally {
      this.running.set(false);
    }
  }

  private async load(): Promise<void> {
    try {
      this.saved = await this.providersApi.list();
      this.rows.set(draftOf(this.saved));
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
