import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, afterNextRender, effect, inject, input, model, signal, untracked, viewChild } from '@angular/core';
import type { editor } from 'monaco-editor/editor/editor.api.js';
import { type EditorKind, languageOf, modelUri } from './editor-kind';
import { type Monaco, loadMonaco } from './monaco-loader';
import { useScriptDeclarations } from './script-declarations';
import { showTypeErrors } from './script-markers';

/** The owner of the marker a test run's error puts on the text. */
const RUN_MARKER_OWNER = 'hookline-test-run';

function runMarker({ monaco, text }: { monaco: Monaco; text: editor.ITextModel }, error: { message: string; column?: number }, line: number, source: string): editor.IMarkerData {
  const lineNumber = Math.min(line, text.getLineCount());
  return {
    severity: monaco.MarkerSeverity.Error,
    message: `${source}: ${error.message}`,
    startLineNumber: lineNumber,
    startColumn: Math.min(error.column ?? 1, text.getLineMaxColumn(lineNumber)),
    endLineNumber: lineNumber,
    endColumn: text.getLineMaxColumn(lineNumber),
  };
}

/**
 * A Monaco editor bound to a string signal. For script kinds it completes, documents and checks
 * the script API of exactly that kind; `json` is plain JSON. Monaco loads on first use.
 *
 * The host carries `data-state` (`loading`, `ready` or `failed`), `data-errors` (the number of
 * error markers on the text) and `data-checks` (type checks finished so far), for tests and styling.
 */
@Component({
  selector: 'hl-code-editor',
  template: `
    <div #surface class="surface" [style.height]="height()"></div>
    @if (state() === 'loading') {
      <p class="note">Loading the editor…</p>
    } @else if (state() === 'failed') {
      <p class="note error" role="alert">{{ failure() }}</p>
    } @else {
      <p class="note hint">Tab indents; press Ctrl+M (Ctrl+Shift+M on a Mac) to let Tab move focus instead.</p>
    }
  `,
  styles: `
    :host { display: block; }
    .surface { border: 1px solid var(--border); border-radius: 4px; overflow: hidden; }
    :host(:focus-within) .surface { outline: 2px solid var(--focus); outline-offset: 1px; }
    .note { margin: 0.25rem 0 0; font-size: 0.8rem; color: var(--muted); }
    .note.error { color: var(--danger); }
  `,
  host: { '[attr.data-state]': 'state()', '[attr.data-errors]': 'errors()', '[attr.data-checks]': 'checks()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CodeEditor {
  /** The text, two-way: `[(value)]="script"`. */
  readonly value = model<string>('');
  readonly kind = input.required<EditorKind>();
  /** The accessible name, e.g. "Match script". */
  readonly label = input.required<string>();
  readonly readOnly = input(false);
  readonly height = input('18rem');
  /** An error a test run of this text reported, marked at its line; null for none. */
  readonly runError = input<{ message: string; line?: number; column?: number } | null>(null);
  /** What reported `runError`, the start of its marker's text. */
  readonly runSource = input('Test run');

  protected readonly state = signal<'loading' | 'ready' | 'failed'>('loading');
  protected readonly failure = signal('');
  protected readonly errors = signal(0);
  protected readonly checks = signal(0);
  private readonly surface = viewChild.required<ElementRef<HTMLElement>>('surface');
  private readonly injector = inject(Injector);
  private editor: editor.IStandaloneCodeEditor | undefined;
  private readonly opened = signal<{ monaco: Monaco; text: editor.ITextModel } | undefined>(undefined);
  private session: { dispose(): void } | undefined;

  constructor() {
    let isDestroyed = false;
    inject(DestroyRef).onDestroy(() => {
      isDestroyed = true;
      this.session?.dispose();
      this.editor?.dispose();
    });
    afterNextRender(() => {
      loadMonaco()
        .then((monaco) => {
          if (isDestroyed) return;
          this.editor = monaco.editor.create(this.surface().nativeElement, {
            ariaLabel: this.label(),
            readOnly: this.readOnly(),
            automaticLayout: true,
            minimap: { enabled: false },
            scrollBeyondLastLine: false,
            fixedOverflowWidgets: true,
            tabSize: 2,
            model: null,
          });
          this.state.set('ready');
          effect(() => {
            const kind = this.kind();
            untracked(() => void this.open(monaco, kind).catch((error: unknown) => this.fail(error)));
          }, { injector: this.injector });
        })
        .catch((error: unknown) => this.fail(error));
    });
    effect(() => {
      const value = this.value();
      const text = this.editor?.getModel();
      if (text && text.getValue() !== value) text.setValue(value);
    });
    effect(() => this.editor?.updateOptions({ readOnly: this.readOnly(), ariaLabel: this.label() }));
    effect(() => {
      const opened = this.opened();
      const error = this.runError();
      if (opened && !opened.text.isDisposed()) opened.monaco.editor.setModelMarkers(opened.text, RUN_MARKER_OWNER, error?.line ? [runMarker(opened, error, error.line, this.runSource())] : []);
    });
  }

  /** Gives the editor a new model of `kind`, with that kind's declarations and type checking. */
  private async open(monaco: Monaco, kind: EditorKind): Promise<void> {
    this.session?.dispose();
    const text = monaco.editor.createModel(this.value(), languageOf(kind), modelUri(monaco, kind));
    const parts: Array<{ dispose(): void }> = [text];
    this.session = { dispose: () => parts.reverse().forEach((part) => part.dispose()) };
    parts.push(text.onDidChangeContent(() => this.value.set(text.getValue())));
    parts.push(monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((uri) => uri.toString() === text.uri.toString())) this.countErrors(monaco, text);
    }));
    this.editor?.setModel(text);
    this.opened.set({ monaco, text });
    if (kind === 'json') return;
    const session = this.session;
    const release = await useScriptDeclarations(monaco, kind);
    if (this.session !== session) return release();
    parts.push({ dispose: release }, showTypeErrors(monaco, text, kind, () => {
      this.countErrors(monaco, text);
      this.checks.update((n) => n + 1);
    }));
  }

  private fail(error: unknown): void {
    this.failure.set(error instanceof Error ? error.message : 'The editor could not be loaded');
    this.state.set('failed');
  }

  private countErrors(monaco: Monaco, text: editor.ITextModel): void {
    this.errors.set(monaco.editor.getModelMarkers({ resource: text.uri }).filter((marker) => marker.severity === monaco.MarkerSeverity.Error).length);
  }
}
