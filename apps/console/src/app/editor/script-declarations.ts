import { SCRIPT_LANGUAGES, scriptDeclarations } from '../../../../../libs/engine/src/script-declarations';
import type { ScriptKind } from '../../../../../libs/engine/src/script-types';
import type { Monaco } from './monaco-loader';

/**
 * The engine's script-api.d.ts, copied into the build as an asset (angular.json) and cut down per
 * kind here with the engine's own `scriptDeclarations`, the function its tests check scripts with.
 */
const API_URL = 'script-api/script-api.d.ts.txt';
const LIB_PATH = 'file:///hookline/script-api.d.ts';

type Language = 'javascript' | 'typescript';

let apiText: Promise<string> | undefined;
/** The kinds with an open editor, per language, latest last. */
const openKinds: Record<Language, ScriptKind[]> = { javascript: [], typescript: [] };
const loadedKinds: Partial<Record<Language, ScriptKind>> = {};

/**
 * Loads the declaration of `kind` for its language and keeps it while the returned function has
 * not been called. Monaco holds one set of extra libraries per language: conditions have the
 * TypeScript side to themselves, match and function scripts share the JavaScript side, where the
 * kind opened last wins until it closes (no page shows both at once).
 */
export async function useScriptDeclarations(monaco: Monaco, kind: ScriptKind): Promise<() => void> {
  const text = await fetchApi();
  const language = SCRIPT_LANGUAGES[kind];
  openKinds[language].push(kind);
  load(monaco, language, text);
  let isReleased = false;
  return () => {
    if (isReleased) return;
    isReleased = true;
    const kinds = openKinds[language];
    kinds.splice(kinds.lastIndexOf(kind), 1);
    if (kinds.length > 0) load(monaco, language, text);
  };
}

function load(monaco: Monaco, language: Language, text: string): void {
  const kind = openKinds[language].at(-1);
  if (kind === undefined || loadedKinds[language] === kind) return;
  loadedKinds[language] = kind;
  const defaults = language === 'javascript' ? monaco.typescript.javascriptDefaults : monaco.typescript.typescriptDefaults;
  defaults.setExtraLibs([{ content: scriptDeclarations(kind, text), filePath: LIB_PATH }]);
}

function fetchApi(): Promise<string> {
  apiText ??= fetch(API_URL).then(async (response) => {
    if (!response.ok) throw new Error(`The script API declaration could not be loaded (${response.status})`);
    return response.text();
  });
  apiText.catch(() => (apiText = undefined));
  return apiText;
}
