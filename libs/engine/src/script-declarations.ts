import type { ScriptKind } from './script-types';
import { scriptScope } from './sandbox/script-wrapper';

/**
 * How the editor checks a script body, and how the tests check it the same way. The values are
 * TypeScript's own enum numbers so that this file, which the console imports, needs no TypeScript.
 */
export const SCRIPT_COMPILER_OPTIONS = {
  allowJs: true,
  checkJs: true,
  noEmit: true,
  /** ES2022: what the sandbox's V8 runs. */
  target: 9,
  module: 99,
  /**
   * Force: every script is a module of its own, so two open scripts that both declare
   * `const res` do not clash, as they never do at run time, and a bare body may `await`.
   */
  moduleDetection: 3,
  /** No DOM: the sandbox has none of it. */
  lib: ['lib.es2022.d.ts'],
  types: [] as string[],
};

/**
 * The text the editor type-checks for a script body: the body inside a function, as the engine
 * runs it, so that `return` is legal and its value is checked (TypeScript checks nothing in a
 * `return` outside a function). The function has no parameters: the kind's globals come from
 * its declaration, with their types and docs. The body starts on the second line, at its own
 * columns, so a diagnostic on line N + 1 belongs to line N of the script.
 */
export function wrapForCheck(kind: ScriptKind, source: string): string {
  switch (kind) {
    case 'match':
      return '(function () {\n' + source + '\n});';
    case 'condition':
      // The engine drops a trailing semicolon, a natural thing to type after an expression.
      return '(function () { return (\n' + source.replace(/[\s;]+$/, '') + '\n); });';
    case 'function':
      return '(async function () {\n' + source + '\n});';
  }
}

/** Lines `wrapForCheck` puts before the body. */
export const WRAPPED_LINE_OFFSET = 1;

/**
 * The editor language a kind's text is checked as. Monaco keeps one set of extra libraries per
 * language, and the functions page shows a function script beside its condition, so conditions
 * take the TypeScript side: a single expression checks the same as JavaScript there.
 */
export const SCRIPT_LANGUAGES: Record<ScriptKind, 'javascript' | 'typescript'> = {
  match: 'javascript',
  function: 'javascript',
  condition: 'typescript',
};

const DECLARATION = /^declare\s+(?:const|let|var|function)\s+([A-Za-z_$][\w$]*)/;

/**
 * The script API declaration (`script-api.d.ts`, given as `apiText`) with only the globals a
 * script of `kind` has in scope: every interface, and of the `declare` statements only the
 * kind's own, each with its JSDoc. The scope comes from the wrapper the engine runs scripts in.
 */
export function scriptDeclarations(kind: ScriptKind, apiText: string): string {
  const scope = new Set(scriptScope(kind));
  const lines = apiText.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const name = DECLARATION.exec(lines[i])?.[1];
    if (name === undefined || scope.has(name)) {
      kept.push(lines[i]);
      continue;
    }
    // Drop the declaration with its JSDoc, already kept, and the blank line after it.
    if (kept.at(-1)?.trimEnd().endsWith('*/')) {
      let line: string | undefined;
      do line = kept.pop();
      while (line !== undefined && !line.trimStart().startsWith('/**'));
    }
    while (i < lines.length - 1 && !lines[i].trimEnd().endsWith(';')) i++;
    if (lines[i + 1]?.trim() === '') i++;
  }
  return kept.join('\n');
}
