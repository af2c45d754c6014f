import type { Uri } from 'monaco-editor/editor/editor.api.js';
import { SCRIPT_LANGUAGES } from '../../../../../libs/engine/src/script-declarations';
import type { ScriptKind } from '../../../../../libs/engine/src/script-types';
import type { Monaco } from './monaco-loader';

/** What an editor holds: a script of one kind, or JSON. */
export type EditorKind = ScriptKind | 'json';

export function languageOf(kind: EditorKind): string {
  return kind === 'json' ? 'json' : SCRIPT_LANGUAGES[kind];
}

let models = 0;

/** A fresh model address: the extension tells the language service how to read the text. */
export function modelUri(monaco: Monaco, kind: EditorKind): Uri {
  const extension = kind === 'json' ? 'json' : SCRIPT_LANGUAGES[kind] === 'typescript' ? 'ts' : 'js';
  return monaco.Uri.parse(`file:///hookline/${kind}/${++models}.${extension}`);
}
