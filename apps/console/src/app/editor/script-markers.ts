import type { editor } from 'monaco-editor/editor/editor.api.js';
import type { Diagnostic } from 'monaco-editor/languages/features/typescript/register.js';
import { SCRIPT_LANGUAGES, WRAPPED_LINE_OFFSET, wrapForCheck } from '../../../../../libs/engine/src/script-declarations';
import type { ScriptKind } from '../../../../../libs/engine/src/script-types';
import type { Monaco } from './monaco-loader';

/** The owner of the type errors this file puts on a script's model. */
export const TYPE_MARKER_OWNER = 'hookline-types';
const CHECK_DELAY_MS = 250;
let checkedModels = 0;

/**
 * Shows the type errors of a script body the way the engine runs it: a hidden model holds the
 * body wrapped in its function (`wrapForCheck`), the language service checks that one, and its
 * errors are moved back onto the editor's model, one line up. Checked alone, a body's top-level
 * `return` is an error and TypeScript checks nothing in what it returns. `onChecked` runs after
 * each check has put its markers.
 */
export function showTypeErrors(monaco: Monaco, model: editor.ITextModel, kind: ScriptKind, onChecked: () => void): { dispose(): void } {
  const language = SCRIPT_LANGUAGES[kind];
  const extension = language === 'typescript' ? 'ts' : 'js';
  const checked = monaco.editor.createModel(wrapForCheck(kind, model.getValue()), language, monaco.Uri.parse(`file:///hookline/checked/${++checkedModels}.${extension}`));
  const defaults = language === 'typescript' ? monaco.typescript.typescriptDefaults : monaco.typescript.javascriptDefaults;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  const check = async (): Promise<void> => {
    const current = ++generation;
    const getWorker = language === 'typescript' ? await monaco.typescript.getTypeScriptWorker() : await monaco.typescript.getJavaScriptWorker();
    const worker = await getWorker(checked.uri);
    const diagnostics = await worker.getSemanticDiagnostics(checked.uri.toString());
    if (current !== generation || model.isDisposed() || checked.isDisposed()) return;
    monaco.editor.setModelMarkers(model, TYPE_MARKER_OWNER, diagnostics.map((diagnostic) => toMarker(monaco, checked, model, diagnostic)));
    onChecked();
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void check().catch(() => undefined), CHECK_DELAY_MS);
  };
  const subscriptions = [
    model.onDidChangeContent(() => {
      checked.setValue(wrapForCheck(kind, model.getValue()));
      schedule();
    }),
    defaults.onDidExtraLibsChange(schedule),
  ];
  schedule();
  return {
    dispose(): void {
      clearTimeout(timer);
      generation++;
      for (const subscription of subscriptions) subscription.dispose();
      checked.dispose();
      if (!model.isDisposed()) monaco.editor.setModelMarkers(model, TYPE_MARKER_OWNER, []);
    },
  };
}

function toMarker(monaco: Monaco, checked: editor.ITextModel, model: editor.ITextModel, diagnostic: Diagnostic): editor.IMarkerData {
  const start = checked.getPositionAt(diagnostic.start ?? 0);
  const end = checked.getPositionAt((diagnostic.start ?? 0) + (diagnostic.length ?? 0));
  const line = (n: number): number => Math.min(Math.max(n - WRAPPED_LINE_OFFSET, 1), model.getLineCount());
  const column = (n: number, lineNumber: number): number => Math.min(n, model.getLineMaxColumn(lineNumber));
  const startLineNumber = line(start.lineNumber);
  const endLineNumber = line(end.lineNumber);
  return {
    severity: diagnostic.category === 1 ? monaco.MarkerSeverity.Error : diagnostic.category === 0 ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info,
    message: flatten(diagnostic.messageText),
    code: String(diagnostic.code),
    startLineNumber,
    startColumn: column(start.column, startLineNumber),
    endLineNumber,
    endColumn: column(end.column, endLineNumber),
  };
}

function flatten(message: Diagnostic['messageText'], depth = 0): string {
  if (typeof message === 'string') return message;
  const next = (message.next ?? []).map((chain) => '\n' + flatten(chain, depth + 1)).join('');
  return '  '.repeat(depth) + message.messageText + next;
}
