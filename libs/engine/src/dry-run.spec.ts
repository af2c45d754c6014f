import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { locateScriptError, testFunction, testMatch, type DryRunOptions, type TestRunContext } from './dry-run';
import type { FunctionDefinition, ProviderDefinition } from './ports';
import { ScriptSandbox } from './sandbox/script-sandbox';
import type { ScriptFetchRequest } from './script-types';

const REQUEST = {
  method: 'POST',
  uri: 'git/push',
  path: '/webhooks/git/push',
  headers: { 'x-github-event': 'push' },
  query: {},
  body: '{"ref":"refs/heads/main"}',
  json: { ref: 'refs/heads/main' },
  form: null,
};
const CONTEXT: TestRunContext = {
  request: REQUEST,
  message: { id: 'msg-1', receivedAt: '2026-01-01T00:00:00.000Z', triggeredBy: 'webhook' },
  provider: { name: 'GitHub', properties: {}, secrets: {} },
  eventType: 'push',
  event: { key: 'push', branch: 'main' },
  conditionTimeoutMs: 1000,
};
const LINKED: DryRunOptions = { linkedAutomations: async () => [{ id: 'a-1', name: 'deploy' }] };

function fn(fields: Partial<FunctionDefinition>): FunctionDefinition {
  return { id: 'f-1', name: 'draft', providerId: 'p-1', uri: 'git/push', script: '', condition: null, timeoutMs: 1000, automationIds: ['a-1'], ...fields };
}

let listener: Server;
let base: string;
let received = 0;
let sandbox: ScriptSandbox;
const sandboxFetches: ScriptFetchRequest[] = [];

beforeAll(async () => {
  listener = createServer((req, res) => {
    received++;
    res.end('reached');
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  // The sandbox's own fetch really sends: a test run must never reach it.
  sandbox = new ScriptSandbox({
    functionPoolSize: 1,
    matchPoolSize: 1,
    memoryLimitMb: 32,
    fetch: async (request) => {
      sandboxFetches.push(request);
      const response = await fetch(request.url);
      return { status: response.status, headers: {}, body: await response.text() };
    },
  });
});

afterAll(async () => {
  await sandbox.dispose();
  listener.close();
});

describe('testFunction', () => {
  it('records http.fetch and answers with the stand-in response, sending nothing', async () => {
    const script = `const res = await http.fetch("${base}/deploy", { method: "post", headers: { "x-token": "t" }, body: "go" });
log.info("status", res.status, res.body);
return res.body;`;
    const result = await testFunction(sandbox, fn({ script }), CONTEXT, { ...LINKED, fetchResponse: { status: 202, headers: {}, body: 'queued' } });
    expect(result.status).toBe('succeeded');
    expect(result.result).toBe('queued');
    expect(result.logs.map((entry) => entry.message)).toEqual(['status 202 queued']);
    expect(result.fetches).toEqual([{ method: 'POST', url: `${base}/deploy`, headers: { 'x-token': 't' }, body: 'go' }]);
    expect(received).toBe(0);
    expect(sandboxFetches).toEqual([]);
  });

  it('rejects a fetch a real run would refuse, with the same message, and records the refusal', async () => {
    const options = { ...LINKED, checkFetch: () => 'http.fetch: host example.org is not allowed' };
    const script = 'try { await http.fetch("https://example.org/"); } catch (e) { return e.message; }';
    const result = await testFunction(sandbox, fn({ script }), CONTEXT, options);
    expect(result.result).toBe('http.fetch: host example.org is not allowed');
    expect(result.fetches).toEqual([{ method: 'GET', url: 'https://example.org/', headers: {}, refused: 'http.fetch: host example.org is not allowed' }]);
  });

  it('records automations.trigger by the linked automation it names, and refuses one not linked', async () => {
    const script = `const id = await automations.trigger("deploy", { sha: event.branch });
let refused = null;
try { await automations.trigger("nope", {}); } catch (e) { refused = e.message; }
return { id, refused };`;
    const result = await testFunction(sandbox, fn({ script }), CONTEXT, LINKED);
    expect(result.result).toEqual({ id: 'test-run-1', refused: 'no automation named "nope" is linked to this function' });
    expect(result.automations).toEqual([
      { automationId: 'a-1', automation: 'deploy', vars: { sha: 'main' } },
      { automationId: null, automation: 'nope', vars: {}, refused: 'no automation named "nope" is linked to this function' },
    ]);
  });

  it('records every linked automation for a function with an empty script', async () => {
    const result = await testFunction(sandbox, fn({ script: '' }), CONTEXT, LINKED);
    expect(result.automations).toEqual([{ automationId: 'a-1', automation: 'deploy', vars: {} }]);
    expect(result.result).toEqual({ triggered: [{ automation: 'deploy', runId: 'test-run-1', status: 'not started (test run)' }] });
  });

  it('keeps the respond() value', async () => {
    const result = await testFunction(sandbox, fn({ script: 'respond({ status: 201, body: { ok: true } }); return 1;' }), CONTEXT, LINKED);
    expect(result.respond).toEqual({ status: 201, headers: {}, body: { ok: true } });
    expect(result.result).toBe(1);
  });

  it('gives a thrown error its line and column in the script', async () => {
    const result = await testFunction(sandbox, fn({ script: 'log.info("a");\n\nthrow new Error("boom");' }), CONTEXT, LINKED);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'error', message: 'Error: boom', line: 3, column: 7 });
    expect(result.error?.stack).toContain('function.js:3:7');
    expect(result.logs.map((entry) => entry.message)).toEqual(['a']);
  });

  it('gives a syntax error its line as a result, not a failure of the call', async () => {
    const result = await testFunction(sandbox, fn({ script: 'const a = 1;\nreturn a +;' }), CONTEXT, LINKED);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'compile', line: 2 });
  });

  it('does not run the script when the condition is false, and says so', async () => {
    const result = await testFunction(sandbox, fn({ condition: 'event.branch == "dev"', script: 'await http.fetch("http://x/")' }), CONTEXT, LINKED);
    expect(result.status).toBe('skipped');
    expect(result.condition).toEqual({ expression: 'event.branch == "dev"', value: false });
    expect(result.fetches).toEqual([]);
  });
});

describe('testMatch', () => {
  const provider: ProviderDefinition = {
    id: 'p-1',
    name: 'GitHub',
    priority: 0,
    matchScript: 'return request.headers["x-github-event"] === "push"',
    properties: {},
    secrets: {},
    verificationScheme: 'none',
    eventFormat: 'github',
  };

  it('answers whether the draft script matches', async () => {
    await expect(testMatch(sandbox, provider, REQUEST, 1000)).resolves.toMatchObject({ matched: true });
    await expect(testMatch(sandbox, { ...provider, matchScript: 'return false' }, REQUEST, 1000)).resolves.toMatchObject({ matched: false });
  });

  it('locates the error of a match script that throws', async () => {
    const result = await testMatch(sandbox, { ...provider, matchScript: '\nreturn request.json.nope.deeper' }, REQUEST, 1000);
    expect(result.matched).toBe(false);
    expect(result.error).toMatchObject({ kind: 'error', line: 2 });
  });
});

describe('locateScriptError', () => {
  it('leaves an error that names no place as it is', () => {
    expect(locateScriptError({ kind: 'timeout', message: 'the script exceeded its time limit of 5 ms' })).toEqual({
      kind: 'timeout',
      message: 'the script exceeded its time limit of 5 ms',
    });
  });
});
