import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, afterNextRender, effect, inject, input, signal, viewChild } from '@angular/core';
import type { editor } from 'monaco-editor/editor/editor.api.js';
import { type EditorKind, languageOf, modelUri } from './editor-kind';
import { loadMonaco } from './monaco-loader';

/** The narrowest diff, in CSS pixels, shown side by side rather than inline. */
const SIDE_BY_SIDE_MIN_WIDTH = 560;

/**
 * Two texts side by side (one above the other in a narrow window), read-only, with Monaco's
 * diff highlighting: a saved version against another, or against the draft.
 */
@Component({
  selector: 'hl-diff-editor',
  template: `
    <div #surface class="surface" [style.height]="height()" role="group" [attr.aria-label]="label()"></div>
    @if (state() === 'loading') {
      <p class="note">Loading the editor…</p>
    } @else if (state() === 'failed') {
      <p class="note error" role="alert">{{ failure() }}</p>
    }
  `,
  styles: `
    :host { display: block; }
    .surface { border: 1px solid var(--border); border-radius: 4px; overflow: hidden; }
    .note { margin: 0.25rem 0 0; font-size: 0.8rem; color: var(--muted); }
    .note.error { color: var(--danger); }
  `,
  host: { '[attr.data-state]': 'state()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DiffEditor {
  readonly original = input.required<string>();
  readonly modified = input.required<string>();
  readonly kind = input.required<EditorKind>();
  /** The accessible name, e.g. "Version 3 against version 5". */
  readonly label = input.required<string>();
  readonly height = input('20rem');

  protected readonly state = signal<'loading' | 'ready' | 'failed'>('loading');
  protected readonly failure = signal('');
  private readonly surface = viewChild.required<ElementRef<HTMLElement>>('surface');
  private readonly models = signal<{ original: editor.ITextModel; modified: editor.ITextModel } | undefined>(undefined);

  constructor() {
    let diff: editor.IStandaloneDiffEditor | undefined;
    let isDestroyed = false;
    inject(DestroyRef).onDestroy(() => {
      isDestroyed = true;
      diff?.dispose();
      const models = this.models();
      models?.original.dispose();
      models?.modified.dispose();
    });
    afterNextRender(() => {
      loadMonaco()
        .then((monaco) => {
          if (isDestroyed) return;
          const language = languageOf(this.kind());
          const models = {
            original: monaco.editor.createModel(this.original(), language, modelUri(monaco, this.kind())),
            modified: monaco.editor.createModel(this.modified(), language, modelUri(monaco, this.kind())),
          };
          diff = monaco.editor.createDiffEditor(this.surface().nativeElement, {
            readOnly: true,
            originalEditable: false,
            automaticLayout: true,
            minimap: { enabled: false },
            scrollBeyondLastLine: false,
            // Monaco's 900 px would fold the diff inline in the content column of a 1280 px window;
            // below this width each side would be too narrow to read a script line.
            renderSideBySideInlineBreakpoint: SIDE_BY_SIDE_MIN_WIDTH,
            originalAriaLabel: `${this.label()}: before`,
            modifiedAriaLabel: `${this.label()}: after`,
          });
          diff.setModel(models);
          this.models.set(models);
          this.state.set('ready');
        })
        .catch((error: unknown) => {
          this.failure.set(error instanceof Error ? error.message : 'The editor could not be loaded');
          this.state.set('failed');
        });
    });
    effect(() => {
      const models = this.models();
      const original = this.original();
      const modified = this.modified();
      if (models && models.original.getValue() !== original) models.original.setValue(original);
      if (models && models.modified.getValue() !== modified) models.modified.setValue(modified);
    });
  }
}
