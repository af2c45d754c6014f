import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { SCRIPT_COMPILER_OPTIONS, WRAPPED_LINE_OFFSET, scriptDeclarations, wrapForCheck } from './script-declarations';
import type { ScriptKind } from './script-types';
import { SCRIPT_API_PATH, typeCheckScript } from './testing/type-check-script';

const KINDS: ScriptKind[] = ['match', 'condition', 'function'];
const API_TEXT = readFileSync(SCRIPT_API_PATH, 'utf8');

/** The names a declaration text puts in global scope, and the interfaces it declares. */
function declared(text: string): { globals: string[]; interfaces: string[] } {
  const source = ts.createSourceFile('api.d.ts', text, ts.ScriptTarget.ES2022, true);
  const globals: string[] = [];
  const interfaces: string[] = [];
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) globals.push(...statement.declarationList.declarations.map((d) => d.name.getText(source)));
    else if (ts.isFunctionDeclaration(statement) && statement.name) globals.push(statement.name.text);
    else if (ts.isInterfaceDeclaration(statement)) interfaces.push(statement.name.text);
  }
  return { globals: globals.sort(), interfaces: interfaces.sort() };
}

describe('scriptDeclarations', () => {
  it.each([
    ['match', ['provider', 'request']],
    ['condition', ['body', 'event', 'eventType', 'headers', 'method', 'payload', 'provider', 'query']],
    ['function', ['automations', 'event', 'eventType', 'http', 'log', 'message', 'provider', 'request', 'respond']],
  ] as const)('gives %s scripts exactly the globals the engine puts in their scope', (kind, globals) => {
    expect(declared(scriptDeclarations(kind, API_TEXT)).globals).toEqual(globals);
  });

  it('leaves no global of script-api.d.ts outside every kind', () => {
    const everyKind = new Set(KINDS.flatMap((kind) => declared(scriptDeclarations(kind, API_TEXT)).globals));
    expect([...everyKind].sort()).toEqual(declared(API_TEXT).globals);
  });

  it.each(KINDS)('keeps every interface and the JSDoc of each kept global for %s scripts', (kind) => {
    const text = scriptDeclarations(kind, API_TEXT);
    expect(declared(text).interfaces).toEqual(declared(API_TEXT).interfaces);
    const dropped = declared(API_TEXT).globals.length - declared(text).globals.length;
    expect(text.split('/**').length).toBe(API_TEXT.split('/**').length - dropped);
    const source = ts.createSourceFile('api.d.ts', text, ts.ScriptTarget.ES2022, true);
    const undocumented = source.statements.filter((statement) => ts.getJSDocCommentsAndTags(statement).length === 0);
    expect(undocumented.map((statement) => statement.getText(source))).toEqual([]);
  });

  it('spells the editor options with TypeScript values', () => {
    expect([SCRIPT_COMPILER_OPTIONS.target, SCRIPT_COMPILER_OPTIONS.module, SCRIPT_COMPILER_OPTIONS.moduleDetection]).toEqual([
      ts.ScriptTarget.ES2022,
      ts.ModuleKind.ESNext,
      ts.ModuleDetectionKind.Force,
    ]);
  });
});

describe('type-checking a script as the editor does', () => {
  it('accepts a function script that responds and awaits at its top level', () => {
    const script = 'const sent = respond({ status: 202, body: { ok: true } });\nconst res = await http.fetch("https://x.test");\nreturn { sent, status: res.status };';
    expect(typeCheckScript('function', script)).toEqual([]);
  });

  it('reports a misspelled global in a function script', () => {
    expect(typeCheckScript('function', 'respnd({ status: 202 });')).toEqual(["Cannot find name 'respnd'. Did you mean 'respond'?"]);
  });

  it.each([
    ['condition', 'a match script global', 'request.method == "POST"', 'request'],
    ['condition', 'a function script global', 'log !== undefined', 'log'],
    ['match', 'a condition global', 'return payload !== null;', 'payload'],
    ['match', 'a function script global', 'return eventType === "push";', 'eventType'],
    ['function', 'a condition global', 'return headers["x-a"];', 'headers'],
  ] as const)('reports in a %s %s', (kind, _what, source, name) => {
    expect(typeCheckScript(kind, source)).toEqual([expect.stringMatching(new RegExp(`^Cannot find name '${name}'`))]);
  });

  it('checks the value a script returns', () => {
    expect(typeCheckScript('match', 'return request.headers["x-a"].startsWith(1);')).toEqual([
      expect.stringMatching(/'number' is not assignable to parameter of type 'string'/),
    ]);
  });

  it('reports an await in a match script, which must answer synchronously', () => {
    expect(typeCheckScript('match', 'return await Promise.resolve(true);')).toEqual([expect.stringMatching(/only allowed within async functions/)]);
  });

  it('accepts a condition that ends in a semicolon, as the engine does', () => {
    expect(typeCheckScript('condition', 'event?.key == "push" && payload.ref == "refs/heads/main";\n')).toEqual([]);
  });

  it('puts the first line of the body on the second line of the checked text', () => {
    for (const kind of KINDS) expect(wrapForCheck(kind, 'a\nb').split('\n').slice(WRAPPED_LINE_OFFSET, WRAPPED_LINE_OFFSET + 2)).toEqual(['a', expect.stringMatching(/^b/)]);
  });
});
