import { SCRIPT_COMPILER_OPTIONS } from '../../../../../libs/engine/src/script-declarations';

export type Monaco = typeof import('./monaco');

let loading: Promise<Monaco> | undefined;

/**
 * Monaco, loaded on first use: its stylesheet, the editor and the language services. Every
 * editor in the console shares this one instance, its workers and its theme.
 */
export function loadMonaco(): Promise<Monaco> {
  loading ??= load();
  return loading;
}

async function load(): Promise<Monaco> {
  globalThis.MonacoEnvironment = { getWorker: (_workerId, label) => createWorker(label) };
  const [monaco] = await Promise.all([import('./monaco'), linkStylesheet('monaco.css')]);
  for (const defaults of [monaco.typescript.javascriptDefaults, monaco.typescript.typescriptDefaults]) {
    defaults.setCompilerOptions({ ...SCRIPT_COMPILER_OPTIONS });
    // Semantic errors come from checking the body inside its function (see script-markers.ts);
    // here the body stands alone, where TypeScript would not check what it returns.
    defaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false, noSuggestionDiagnostics: true });
  }
  followSystemTheme(monaco);
  return monaco;
}

/** One small module per worker, so the builder emits each as a chunk of its own. */
function createWorker(label: string): Worker {
  switch (label) {
    case 'typescript':
    case 'javascript':
      return new Worker(new URL('./workers/ts.worker', import.meta.url), { type: 'module', name: label });
    case 'json':
      return new Worker(new URL('./workers/json.worker', import.meta.url), { type: 'module', name: label });
    default:
      return new Worker(new URL('./workers/editor.worker', import.meta.url), { type: 'module', name: label });
  }
}

/**
 * Monaco's styles, built as the non-injected `monaco` style bundle: the CSS its modules import
 * lands in chunks no page links, so without this the editor renders without its chrome.
 */
function linkStylesheet(href: string): Promise<void> {
  if (document.querySelector(`link[data-monaco]`)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.dataset['monaco'] = '';
    link.onload = () => resolve();
    link.onerror = () => reject(new Error(`The editor's stylesheet ${href} could not be loaded`));
    document.head.appendChild(link);
  });
}

function followSystemTheme(monaco: Monaco): void {
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = (): void => monaco.editor.setTheme(dark.matches ? 'vs-dark' : 'vs');
  apply();
  dark.addEventListener('change', apply);
}
