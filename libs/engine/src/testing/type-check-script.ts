import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { SCRIPT_COMPILER_OPTIONS, SCRIPT_LANGUAGES, scriptDeclarations, wrapForCheck } from '../script-declarations';
import type { ScriptKind } from '../script-types';

export const SCRIPT_API_PATH = join(__dirname, '..', 'script-api.d.ts');
const DECLARATIONS_PATH = '/virtual/script-api.d.ts';
/** Parsed library files, shared by every check: parsing lib.es2022 dominates the cost. */
const parsedFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * Type-checks a script body the way the console's editor does: wrapped as `wrapForCheck` wraps
 * it, against the declaration of its kind, with the editor's compiler options. Returns the
 * error messages.
 */
export function typeCheckScript(kind: ScriptKind, source: string): string[] {
  const scriptPath = `/virtual/script.${SCRIPT_LANGUAGES[kind] === 'typescript' ? 'ts' : 'js'}`;
  const files = new Map([
    [DECLARATIONS_PATH, scriptDeclarations(kind, readFileSync(SCRIPT_API_PATH, 'utf8'))],
    [scriptPath, wrapForCheck(kind, source)],
  ]);
  const options = SCRIPT_COMPILER_OPTIONS as ts.CompilerOptions;
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = files.get(fileName);
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion);
    if (!parsedFiles.has(fileName)) parsedFiles.set(fileName, getSourceFile.call(host, fileName, languageVersion, ...rest));
    return parsedFiles.get(fileName);
  };
  host.fileExists = (fileName) => files.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => files.get(fileName) ?? readFile.call(host, fileName);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}
