import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { SCRIPT_API_PATH, typeCheckScript } from './testing/type-check-script';

const API_PATH = SCRIPT_API_PATH;
const TYPES_PATH = join(__dirname, 'script-types.ts');

function interfaceMembers(path: string, name: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found = source.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === name,
  );
  if (found === undefined) throw new Error(`${name} is not declared in ${path}`);
  return found.members.map((member) => (member.name as ts.Identifier).text).sort();
}

describe('script-api.d.ts', () => {
  it('accepts a function script that uses the whole API', () => {
    const script = [
      'log.info("event", eventType, request.headers["x-github-event"], message.id);',
      'const res = await http.fetch("https://api.example.com/hook", {',
      '  method: "POST",',
      '  headers: { "content-type": "application/json" },',
      '  body: JSON.stringify({ id: message.id, ref: request.json.ref, at: message.receivedAt }),',
      '});',
      'if (!res.ok) log.warn("upstream", res.status, res.headers["content-type"], res.body);',
      'const sent = respond({ status: 202, headers: { "x-hookline": provider.name }, body: { accepted: true } });',
      'if (message.triggeredBy === "resubmit") log.error("replayed", sent);',
      'const runId = await automations.trigger("deploy", { env: "prod" });',
      'const again = await automations.trigger(runId);',
      'log.info("started", runId.toUpperCase(), again.length);',
      'return { forwarded: res.status, data: res.json(), form: request.form, path: request.path + request.uri };',
    ].join('\n');
    expect(typeCheckScript('function', script)).toEqual([]);
  });

  it('accepts a match script', () => {
    const script =
      'const agent = request.headers["user-agent"] || "";\n' +
      'return agent.startsWith("GitHub-Hookshot/") && request.method === "POST"\n' +
      '  && provider.properties.org === (request.json && request.json.organization.login) && !!request.query.debug;';
    expect(typeCheckScript('match', script)).toEqual([]);
  });

  it('accepts a condition', () => {
    const condition =
      'eventType == "push" && payload.ref == "refs/heads/main" && method === "POST"\n' +
      '  && headers["x-github-event"] === "push" && query.debug !== "1" && body.length > 0 && provider.name !== ""';
    expect(typeCheckScript('condition', condition)).toEqual([]);
  });

  it.each([
    ['a status that is not a number', 'respond({ status: "x" });', /'string' is not assignable to type 'number'/],
    ['a URL that is not a string', 'await http.fetch(42);', /'number' is not assignable to .*'string'/],
    ['a log level that does not exist', 'log.debug("x");', /Property 'debug' does not exist/],
    ['a fetch body that is not a string', 'await http.fetch("https://x.test", { body: { a: 1 } });', /not assignable/],
    ['an unknown global', 'process.exit(1);', /Cannot find name 'process'/],
    ['an automation name that is not a string', 'await automations.trigger(42);', /'number' is not assignable to .*'string'/],
    ['vars that are not an object', 'await automations.trigger("deploy", "prod");', /'string' is not assignable to .*'Record<string, unknown>'/],
    ['a run id used as a number', 'const id = await automations.trigger("deploy");\nid.toFixed(1);', /Property 'toFixed' does not exist on type 'string'/],
  ])('reports %s', (_name, script, expected) => {
    const diagnostics = typeCheckScript('function', script);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(expected);
  });

  it('is a self-contained ambient declaration with JSDoc on every member', () => {
    const text = readFileSync(API_PATH, 'utf8');
    const source = ts.createSourceFile(API_PATH, text, ts.ScriptTarget.ES2022, true);
    expect(ts.isExternalModule(source)).toBe(false);
    const undocumented: string[] = [];
    const check = (node: ts.Node, name: string): void => {
      if (ts.getJSDocCommentsAndTags(node).length === 0) undocumented.push(name);
    };
    for (const statement of source.statements) {
      if (ts.isInterfaceDeclaration(statement)) {
        check(statement, statement.name.text);
        for (const member of statement.members) check(member, `${statement.name.text}.${member.name?.getText(source)}`);
      } else if (ts.isVariableStatement(statement)) {
        check(statement, statement.declarationList.declarations[0].name.getText(source));
      } else if (ts.isFunctionDeclaration(statement)) {
        check(statement, statement.name?.text ?? 'function');
      } else {
        undocumented.push(`unexpected statement: ${ts.SyntaxKind[statement.kind]}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('declares the same request, provider, message and fetch fields as script-types.ts', () => {
    expect(interfaceMembers(API_PATH, 'HooklineRequest')).toEqual(interfaceMembers(TYPES_PATH, 'ScriptRequest'));
    expect(interfaceMembers(API_PATH, 'HooklineProvider')).toEqual(interfaceMembers(TYPES_PATH, 'ScriptProvider'));
    expect(interfaceMembers(API_PATH, 'HooklineMessage')).toEqual(interfaceMembers(TYPES_PATH, 'ScriptMessage'));
    expect(interfaceMembers(API_PATH, 'HooklineResponse')).toEqual(interfaceMembers(TYPES_PATH, 'ScriptResponse'));
    const fetchRequest = interfaceMembers(TYPES_PATH, 'ScriptFetchRequest').filter((name) => name !== 'url');
    expect(interfaceMembers(API_PATH, 'HooklineFetchOptions')).toEqual(fetchRequest);
    expect(interfaceMembers(API_PATH, 'HooklineFetchResponse')).toEqual(
      expect.arrayContaining(interfaceMembers(TYPES_PATH, 'ScriptFetchResponse')),
    );
  });
});
