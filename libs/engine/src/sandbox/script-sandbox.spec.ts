import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInThisContext } from 'node:vm';
import type {
  ConditionScope,
  FunctionRunInput,
  ScriptFetchRequest,
  ScriptFetchResponse,
  ScriptRequest,
  ScriptResponse,
} from '../script-types';
import { ScriptSandbox } from './script-sandbox';

/**
 * The real process. Under jest, `process` in a test file is a copy whose listeners never hear
 * the host's events, so a spy on it would miss an unhandled rejection.
 */
const hostProcess = runInThisContext('process') as NodeJS.Process;

const PROVIDER = { name: 'github', properties: { org: 'hookline' } };
const MESSAGE = { id: 'msg-1', receivedAt: '2025-01-01T00:00:00.000Z', triggeredBy: 'webhook' as const };
const PUSH = { ref: 'refs/heads/main', repository: { name: 'engine' } };

let server: Server;
let base: string;

/** The host side of http.fetch, as the server would provide it: only the local test server is allowed. */
async function hostFetch(request: ScriptFetchRequest): Promise<ScriptFetchResponse> {
  const url = new URL(request.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`host ${url.hostname} is not allowed`);
  const response = await fetch(url, { method: request.method ?? 'GET', headers: request.headers, body: request.body });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const send = (): void => {
        if (url.pathname === '/echo') {
          res.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' });
          res.end(JSON.stringify({ method: req.method, body: Buffer.concat(chunks).toString(), token: req.headers['x-token'] }));
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ hello: 'world', path: url.pathname }));
        }
      };
      const delay = Number(url.searchParams.get('delay') ?? '0');
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

function jsonRequest(payload: unknown, overrides: Partial<ScriptRequest> = {}): ScriptRequest {
  const body = JSON.stringify(payload);
  return {
    method: 'POST',
    uri: 'git/push',
    path: '/webhooks/git/push',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push' },
    query: { debug: '1', tag: ['a', 'b'] },
    body,
    json: JSON.parse(body) as unknown,
    form: null,
    ...overrides,
  };
}

function conditionScope(payload: unknown, overrides: Partial<ConditionScope> = {}): ConditionScope {
  return {
    provider: PROVIDER,
    eventType: 'push',
    event: { provider: 'github', type: 'push', action: null, key: 'push', branch: 'main' },
    method: 'POST',
    headers: { 'x-github-event': 'push' },
    query: { debug: '1' },
    body: JSON.stringify(payload),
    payload,
    ...overrides,
  };
}

function functionInput(script: string, overrides: Partial<FunctionRunInput> = {}): FunctionRunInput {
  return {
    script,
    request: jsonRequest(PUSH),
    message: MESSAGE,
    provider: PROVIDER,
    eventType: 'push',
    event: { provider: 'github', type: 'push', action: null, key: 'push', branch: 'main' },
    timeoutMs: 2000,
    onRespond: () => undefined,
    ...overrides,
  };
}

describe('ScriptSandbox', () => {
  let sandbox: ScriptSandbox;

  beforeAll(() => {
    sandbox = new ScriptSandbox({ functionPoolSize: 2, matchPoolSize: 2, memoryLimitMb: 64, fetch: hostFetch });
  });

  afterAll(async () => {
    await sandbox.dispose();
  });

  const match = (script: string, request: ScriptRequest = jsonRequest(PUSH)) =>
    sandbox.runMatch({ script, request, provider: PROVIDER, timeoutMs: 100 });
  const condition = (expression: string, scope: ConditionScope = conditionScope(PUSH)) =>
    sandbox.evaluateCondition({ expression, scope, timeoutMs: 100 });
  const run = (script: string, overrides: Partial<FunctionRunInput> = {}) =>
    sandbox.runFunction(functionInput(script, overrides));

  describe('match scripts', () => {
    it('returns true when the script returns a truthy value', async () => {
      const outcome = await match('return request.headers["x-github-event"] === "push" && "yes";');
      expect(outcome).toMatchObject({ ok: true, value: true });
    });

    it('returns false when the script returns a falsy value', async () => {
      expect(await match('return 0;')).toMatchObject({ ok: true, value: false });
      expect(await match('const x = 1;')).toMatchObject({ ok: true, value: false });
    });

    it('sees the provider, the query and the JSON body parsed', async () => {
      const outcome = await match(
        'return provider.properties.org === "hookline" && request.json.ref === "refs/heads/main" ' +
          '&& request.query.tag[1] === "b" && request.uri === "git/push" && request.form === null;',
      );
      expect(outcome).toMatchObject({ ok: true, value: true });
    });

    it('gives null as request.json for a malformed JSON body', async () => {
      const request = jsonRequest(null, { body: '{"ref": ', json: null });
      expect(await match('return request.json === null && request.body === \'{"ref": \';', request)).toMatchObject({
        ok: true,
        value: true,
      });
    });

    it('gives null as request.json when the body is not JSON, even if it would parse', async () => {
      const request = jsonRequest(null, { body: '42', json: null, headers: { 'content-type': 'text/plain' } });
      expect(await match('return request.json;', request)).toMatchObject({ ok: true, value: false });
      expect(await match('return request.json === null;', request)).toMatchObject({ ok: true, value: true });
    });

    it('reports a thrown error with a stack in the script\'s own line numbers', async () => {
      const outcome = await match('const a = 1;\nthrow new Error("no match for " + a);');
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.kind).toBe('error');
      expect(outcome.error.message).toBe('Error: no match for 1');
      expect(outcome.error.stack?.split('\n')).toEqual(['Error: no match for 1', '    at match.js:2:7']);
    });

    it('stops an infinite loop at the time limit and runs the next script normally', async () => {
      const looped = await match('while (true) {}');
      expect(looped).toMatchObject({ ok: false, error: { kind: 'timeout' } });
      expect(await match('return true;')).toMatchObject({ ok: true, value: true });
      expect(await match('while (true) {}')).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    });

    it('rejects a script that returns a promise', async () => {
      const outcome = await match('return Promise.resolve(true);');
      expect(outcome).toMatchObject({ ok: false, error: { kind: 'error' } });
      if (!outcome.ok) expect(outcome.error.message).toMatch(/synchronously/);
    });

    it('reads a 1 MB JSON body', async () => {
      const items = Array.from({ length: 12_000 }, (_, id) => ({ id, name: `item ${id}`, tags: ['x', 'y'], on: true }));
      const request = jsonRequest({ items });
      expect(request.body.length).toBeGreaterThan(500_000);
      expect(await match('return request.json.items.length === 12000;', request)).toMatchObject({ ok: true, value: true });
      expect(await match('return request.headers["x-github-event"] === "push";', request)).toMatchObject({
        ok: true,
        value: true,
      });
    });
  });

  describe('conditions', () => {
    it('evaluates an expression over the event type and payload', async () => {
      const expression = 'eventType == "push" && payload.ref == "refs/heads/main"';
      expect(await condition(expression)).toMatchObject({ ok: true, value: true });
      expect(await condition(expression, conditionScope({ ref: 'refs/heads/dev' }))).toMatchObject({ ok: true, value: false });
      expect(await condition(expression, conditionScope(PUSH, { eventType: 'issues' }))).toMatchObject({
        ok: true,
        value: false,
      });
    });

    it('sees the normalized event', async () => {
      expect(await condition('event.key == "push" && event.branch == "main"')).toMatchObject({ ok: true, value: true });
      expect(await condition('event === null', conditionScope(PUSH, { event: null }))).toMatchObject({ ok: true, value: true });
    });

    it('sees provider, method, headers, query and body', async () => {
      const expression =
        'provider.name === "github" && method === "POST" && headers["x-github-event"] === "push" ' +
        '&& query.debug === "1" && body.includes("refs/heads/main");';
      expect(await condition(expression)).toMatchObject({ ok: true, value: true });
    });

    it('gives a null event type and a null payload as null', async () => {
      const outcome = await condition('eventType === null && payload === null', conditionScope(null, { eventType: null }));
      expect(outcome).toMatchObject({ ok: true, value: true });
    });

    it('serialises the payload only when a condition reads it, and once per payload', async () => {
      let serialised = 0;
      const payload = { ref: 'refs/heads/main', toJSON: () => (serialised++, { ref: 'refs/heads/main' }) };
      const scope = conditionScope(null, { payload });
      expect(await condition('eventType == "push"', scope)).toMatchObject({ ok: true, value: true });
      expect(serialised).toBe(0);
      expect(await condition('payload.ref == "refs/heads/main"', scope)).toMatchObject({ ok: true, value: true });
      expect(await condition('payload.ref.startsWith("refs/")', scope)).toMatchObject({ ok: true, value: true });
      expect(serialised).toBe(1);
    });

    it('reports invalid syntax as a compile failure', async () => {
      const outcome = await condition('eventType == "push" &&');
      expect(outcome).toMatchObject({ ok: false, error: { kind: 'compile' } });
      if (!outcome.ok) expect(outcome.error.message).toMatch(/^SyntaxError: /);
    });

    it('reports a runtime error as a failure', async () => {
      const outcome = await condition('payload.missing.deeper == 1');
      expect(outcome).toMatchObject({ ok: false, error: { kind: 'error' } });
      if (!outcome.ok) expect(outcome.error.message).toMatch(/^TypeError: Cannot read properties of undefined/);
    });
  });

  describe('function scripts', () => {
    it('sees the normalized event', async () => {
      const outcome = await run('return [event.key, event.branch, eventType]');
      expect(outcome.result).toEqual(['push', 'main', 'push']);
    });

    it('records logs and the return value', async () => {
      const outcome = await run(
        'log.info("hello", { a: 1 }, 42, [true, null]);\n' +
          'log.warn(eventType, provider.name, message.id);\n' +
          'log.error(new TypeError("bad"), undefined);\n' +
          'return { ref: request.json.ref, triggeredBy: message.triggeredBy };',
      );
      expect(outcome.status).toBe('succeeded');
      expect(outcome.result).toEqual({ ref: 'refs/heads/main', triggeredBy: 'webhook' });
      expect(outcome.logs.map(({ level, message }) => [level, message])).toEqual([
        ['info', 'hello {"a":1} 42 [true,null]'],
        ['warn', 'push github msg-1'],
        ['error', 'TypeError: bad\n    at function.js:3:11 undefined'],
      ]);
      for (const entry of outcome.logs) expect(new Date(entry.at).toISOString()).toBe(entry.at);
    });

    it('omits the result when the script returns nothing', async () => {
      const outcome = await run('log.info("nothing to return");');
      expect(outcome.status).toBe('succeeded');
      expect('result' in outcome).toBe(false);
    });

    it('fails a run whose return value is not JSON', async () => {
      const outcome = await run('return { big: 10n };');
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.message).toMatch(/^TypeError: the return value cannot be serialised as JSON/);
    });

    it('reports a thrown error with its message and a stack pointing at the script line', async () => {
      const outcome = await run('log.info("before");\nconst x = 1;\nthrow new Error("broken " + x);');
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toEqual({
        kind: 'error',
        message: 'Error: broken 1',
        stack: 'Error: broken 1\n    at function.js:3:7',
      });
      expect(outcome.logs.map((entry) => entry.message)).toEqual(['before']);
    });

    it('reports a thrown non-error value', async () => {
      const outcome = await run('throw "plain text";');
      expect(outcome.error).toEqual({ kind: 'error', message: 'Uncaught plain text' });
    });

    it('caps the number and the length of log entries', async () => {
      const outcome = await run('for (let i = 0; i < 1100; i++) log.info(i);\n');
      expect(outcome.logs).toHaveLength(1001);
      expect(outcome.logs[999].message).toBe('999');
      expect(outcome.logs[1000]).toMatchObject({ level: 'warn', message: expect.stringMatching(/log limit of 1000/) });

      const long = await run('log.info("x".repeat(10000));');
      const note = '... [truncated 1808 characters]';
      // Compared piecewise so that a failure does not print 8 KB of x.
      expect(long.logs[0].message.length).toBe(8192 + note.length);
      expect(long.logs[0].message.endsWith(`x${note}`)).toBe(true);
    });

    it('sends the first respond() at once, while the script carries on', async () => {
      const responses: ScriptResponse[] = [];
      let signalResponded: () => void = () => undefined;
      const responded = new Promise<'responded'>((resolve) => {
        signalResponded = () => resolve('responded');
      });
      const running = run(
        'const first = respond({ status: 202, headers: { "x-hookline": "yes" }, body: { accepted: true } });\n' +
          'const second = respond({ status: 500, body: "too late" });\n' +
          `const res = await http.fetch("${base}/slow?delay=200");\n` +
          'return { first, second, upstream: res.status };',
        {
          onRespond: (response) => {
            responses.push(response);
            signalResponded();
          },
        },
      );
      expect(await Promise.race([responded, running.then(() => 'finished')])).toBe('responded');
      const outcome = await running;
      expect(outcome.status).toBe('succeeded');
      expect(outcome.result).toEqual({ first: true, second: false, upstream: 200 });
      expect(responses).toEqual([{ status: 202, headers: { 'x-hookline': 'yes' }, body: { accepted: true } }]);
    });

    it('passes a text body through and defaults the status to 200', async () => {
      const responses: ScriptResponse[] = [];
      await run('respond({ body: "pong" });', { onRespond: (response) => responses.push(response) });
      await run('respond();', { onRespond: (response) => responses.push(response) });
      expect(responses).toEqual([
        { status: 200, headers: {}, body: 'pong' },
        { status: 200, headers: {}, body: null },
      ]);
    });

    it('throws inside the script for an invalid status and sends nothing', async () => {
      const responses: ScriptResponse[] = [];
      const outcome = await run(
        'const errors = [];\n' +
          'for (const status of ["200", 700, 99, 200.5]) {\n' +
          '  try { respond({ status }); } catch (e) { errors.push(e.name + ": " + e.message); }\n' +
          '}\n' +
          'try { respond({ headers: { "x-bad": "a\\r\\nb" } }); } catch (e) { errors.push(e.message); }\n' +
          'return errors;',
        { onRespond: (response) => responses.push(response) },
      );
      expect(outcome.result).toEqual([
        'TypeError: respond(): status must be an integer from 100 to 599, got 200',
        'TypeError: respond(): status must be an integer from 100 to 599, got 700',
        'TypeError: respond(): status must be an integer from 100 to 599, got 99',
        'TypeError: respond(): status must be an integer from 100 to 599, got 200.5',
        'respond(): header x-bad contains a control character or a character past U+00FF',
      ]);
      expect(responses).toEqual([]);
    });

    it('fetches from a real HTTP server', async () => {
      const outcome = await run(
        `const res = await http.fetch("${base}/data");\n` +
          `const posted = await http.fetch("${base}/echo", { method: "post", headers: { "x-token": "t1" }, body: "ping" });\n` +
          'return { status: res.status, ok: res.ok, type: res.headers["content-type"], data: res.json(),\n' +
          '  echo: posted.json(), echoStatus: posted.status, echoHeader: posted.headers["x-echo"] };',
      );
      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toEqual({
        status: 200,
        ok: true,
        type: 'application/json',
        data: { hello: 'world', path: '/data' },
        echo: { method: 'POST', body: 'ping', token: 't1' },
        echoStatus: 201,
        echoHeader: 'yes',
      });
    });

    it('rejects a fetch the host refuses with the host\'s message', async () => {
      const outcome = await run(
        'try { await http.fetch("https://example.com/hook"); return "fetched"; }\n' +
          'catch (e) { return e.name + ": " + e.message; }',
      );
      expect(outcome.result).toBe('Error: host example.com is not allowed');
    });

    it('rejects every fetch when the host provides none', async () => {
      const bare = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 32 });
      try {
        const outcome = await bare.runFunction(
          functionInput(`return await http.fetch("${base}/data").then(() => "fetched", (e) => e.message);`),
        );
        expect(outcome.result).toBe('http.fetch is not available');
      } finally {
        await bare.dispose();
      }
    });

    it('does not let a promise left running by one run write to the next run', async () => {
      const before = sandbox.stats().isolatesCreated;
      const first = await run(`http.fetch("${base}/late?delay=100").then(() => log.info("late"));\nreturn "early";`);
      expect(first).toMatchObject({ status: 'succeeded', result: 'early' });
      const second = await run(`await http.fetch("${base}/data?delay=200");\nlog.info("second");`);
      expect(second.logs.map((entry) => entry.message)).toEqual(['second']);
      expect(first.logs).toEqual([]);
      // The isolate with the pending fetch was recycled rather than handed to the next run.
      expect(sandbox.stats().isolatesCreated).toBeGreaterThan(before);
    });

    it('fails a script with a syntax error as a compile failure', async () => {
      const outcome = await run('const = 1;');
      expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'compile' } });
      expect(outcome.error?.message).toMatch(/^SyntaxError: .*\(line 1, column 7\)$/);
    });
  });

  describe('automations.trigger', () => {
    const NOT_LINKED = 'no automation named "deploy" is linked to this function';
    const catching = (call: string): string =>
      `try { return await ${call}; } catch (e) { return e.name + ": " + e.message; }`;

    /** A host that starts every automation and records what it was asked, like the server would. */
    function recordingHost(runId = 'run-1') {
      const calls: Array<[string, Record<string, unknown>]> = [];
      const triggerAutomation = jest.fn(async (nameOrId: string, vars: Record<string, unknown>) => {
        calls.push([nameOrId, vars]);
        return runId;
      });
      return { calls, triggerAutomation };
    }

    it('resolves with the run id from the host, which receives the exact name and vars', async () => {
      const host = recordingHost('run-42');
      const outcome = await run(
        'const id = await automations.trigger("deploy", { env: "prod", replicas: 3, tags: ["a", "b"],\n' +
          '  meta: { dryRun: false, note: null, "x-ref": "é ✓" } });\n' +
          'const bare = await automations.trigger("7f0c2d");\n' +
          'return [id, bare];',
        { triggerAutomation: host.triggerAutomation },
      );
      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toEqual(['run-42', 'run-42']);
      expect(host.calls).toEqual([
        ['deploy', { env: 'prod', replicas: 3, tags: ['a', 'b'], meta: { dryRun: false, note: null, 'x-ref': 'é ✓' } }],
        ['7f0c2d', {}],
      ]);
    });

    it('sends only the data it checked: undefined properties are left out and toJSON is not consulted', async () => {
      const host = recordingHost();
      const outcome = await run(
        'Object.prototype.toJSON = () => "hijacked";\n' +
          'try { return await automations.trigger("deploy", { env: "prod", skip: undefined, nested: { a: 1 } }); }\n' +
          'finally { delete Object.prototype.toJSON; }',
        { triggerAutomation: host.triggerAutomation },
      );
      expect(outcome.result).toBe('run-1');
      expect(host.calls).toEqual([['deploy', { env: 'prod', nested: { a: 1 } }]]);
    });

    it('rejects inside the script with the host\'s message when the host refuses, and the script can catch it', async () => {
      const refuse = async (): Promise<string> => {
        throw new Error(NOT_LINKED);
      };
      const outcome = await run(catching('automations.trigger("deploy", { env: "prod" })'), { triggerAutomation: refuse });
      expect(outcome).toMatchObject({ status: 'succeeded', result: `Error: ${NOT_LINKED}` });

      const throwsAtOnce = (): Promise<string> => {
        throw new Error('refused before any await');
      };
      const sync = await run(catching('automations.trigger("deploy")'), { triggerAutomation: throwsAtOnce });
      expect(sync.result).toBe('Error: refused before any await');
    });

    it('fails the run with the host\'s message when the script does not catch the rejection', async () => {
      const outcome = await run('await automations.trigger("deploy", { env: "prod" });\nreturn "deployed";', {
        triggerAutomation: () => Promise.reject(new Error(NOT_LINKED)),
      });
      expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'error', message: `Error: ${NOT_LINKED}` } });
    });

    it.each([
      ['a function', '{ env: "prod", notify() {} }', 'vars.notify is a function, which JSON cannot hold'],
      ['a BigInt', '{ count: 10n }', 'vars.count is a BigInt, which JSON cannot hold'],
      ['a cycle', '(() => { const v = { env: "prod" }; v.nested = { v }; return v; })()', 'vars.nested.v refers back to an object that contains it'],
      ['a Date', '{ at: new Date(0) }', 'vars.at is a Date, not plain JSON data'],
      ['NaN', '{ "build-ratio": 0 / 0 }', 'vars["build-ratio"] is NaN, which JSON cannot hold'],
      ['undefined in an array', '{ list: [1, undefined] }', 'vars.list[1] is undefined, which JSON cannot hold'],
      ['an array', '["prod"]', 'vars must be an object, got ["prod"]'],
      ['a string', '"prod"', 'vars must be an object, got prod'],
    ])('throws a TypeError in the script for vars holding %s, without asking the host', async (_name, vars, message) => {
      const host = recordingHost();
      const outcome = await run(catching(`automations.trigger("deploy", ${vars})`), {
        triggerAutomation: host.triggerAutomation,
      });
      expect(outcome.result).toBe(`TypeError: automations.trigger(nameOrId, vars): ${message}`);
      expect(host.triggerAutomation).not.toHaveBeenCalled();
    });

    it('throws a TypeError for a name that is not a non-empty string, without asking the host', async () => {
      const host = recordingHost();
      const outcome = await run(
        'const errors = [];\n' +
          'for (const name of [42, "", null]) {\n' +
          '  try { await automations.trigger(name); } catch (e) { errors.push(e.name + ": " + e.message); }\n' +
          '}\nreturn errors;',
        { triggerAutomation: host.triggerAutomation },
      );
      expect(outcome.result).toEqual([
        'TypeError: automations.trigger(nameOrId, vars): nameOrId must be a non-empty string, got 42',
        'TypeError: automations.trigger(nameOrId, vars): nameOrId must be a non-empty string, got ',
        'TypeError: automations.trigger(nameOrId, vars): nameOrId must be a non-empty string, got null',
      ]);
      expect(host.triggerAutomation).not.toHaveBeenCalled();
    });

    it('refuses vars past 256 KB of JSON, counted in bytes, without asking the host', async () => {
      const host = recordingHost();
      const tooLarge = 'Error: vars are too large (more than 256 KB as JSON)';
      const ascii = await run(catching('automations.trigger("deploy", { blob: "x".repeat(300000) })'), {
        triggerAutomation: host.triggerAutomation,
      });
      expect(ascii.result).toBe(tooLarge);
      // 140,000 characters, but 280,000 bytes of UTF-8: only the host's count catches it.
      const wide = await run(catching('automations.trigger("deploy", { blob: "é".repeat(140000) })'), {
        triggerAutomation: host.triggerAutomation,
      });
      expect(wide.result).toBe(tooLarge);
      expect(host.triggerAutomation).not.toHaveBeenCalled();

      const fits = await run('return await automations.trigger("deploy", { blob: "x".repeat(200000) });', {
        triggerAutomation: host.triggerAutomation,
      });
      expect(fits.result).toBe('run-1');
      expect(host.calls[0][1].blob).toHaveLength(200_000);
    });

    it('rejects every trigger when the host provides none', async () => {
      const outcome = await run(catching('automations.trigger("deploy", { env: "prod" })'));
      expect(outcome.result).toBe('Error: automations are not available here');
    });

    it('is not there for match scripts and conditions', async () => {
      expect(await match('return typeof automations === "undefined";')).toMatchObject({ ok: true, value: true });
      expect(await condition('typeof automations === "undefined"')).toMatchObject({ ok: true, value: true });
    });

    it('times out a run whose trigger is still pending, with no unhandled rejection, and serves the next run', async () => {
      const single = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 32 });
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => {
        unhandled.push(reason);
      };
      hostProcess.on('unhandledRejection', onUnhandled);
      try {
        const late: Array<{ resolve: (runId: string) => void; reject: (error: Error) => void }> = [];
        const slowHost = (): Promise<string> => new Promise((resolve, reject) => late.push({ resolve, reject }));
        const script = 'log.info("asking");\nconst id = await automations.trigger("deploy", { env: "prod" });\nlog.info("got", id);';

        const refused = await single.runFunction(functionInput(script, { timeoutMs: 100, triggerAutomation: slowHost }));
        expect(refused).toMatchObject({ status: 'timed_out', error: { kind: 'timeout' } });
        const started = await single.runFunction(functionInput(script, { timeoutMs: 100, triggerAutomation: slowHost }));
        expect(started).toMatchObject({ status: 'timed_out', error: { kind: 'timeout' } });
        expect(late).toHaveLength(2);

        // The host answers after the runs are over: a refusal, then a run id.
        late[0].reject(new Error(NOT_LINKED));
        late[1].resolve('run-late');
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(unhandled).toEqual([]);
        expect(refused.logs.map((entry) => entry.message)).toEqual(['asking']);
        expect(started.logs.map((entry) => entry.message)).toEqual(['asking']);

        const next = await single.runFunction(
          functionInput('return await automations.trigger("deploy");', { triggerAutomation: async () => 'run-next' }),
        );
        expect(next).toMatchObject({ status: 'succeeded', result: 'run-next' });
        // Each timed-out run took its isolate with it; the pool made a fresh one each time.
        expect(single.stats().isolatesCreated).toBe(3);
      } finally {
        hostProcess.off('unhandledRejection', onUnhandled);
        await single.dispose();
      }
    });
  });

  describe('runs parked on the host', () => {
    it('lets other functions run while a function awaits a host call, up to maxFunctionIsolates', async () => {
      const single = new ScriptSandbox({ functionPoolSize: 1, maxFunctionIsolates: 2, matchPoolSize: 1, memoryLimitMb: 32 });
      try {
        const parked: Array<(runId: string) => void> = [];
        const park = (): Promise<string> => new Promise((resolve) => parked.push(resolve));
        const waiting = 'return await automations.trigger("deploy");';
        let firstDone = false;
        const first = single.runFunction(functionInput(waiting, { timeoutMs: 5000, triggerAutomation: park })).then((outcome) => {
          firstDone = true;
          return outcome;
        });
        while (parked.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));

        // The only pool place is held by a run that waits on the host: a second run still gets going.
        const quick = await single.runFunction(functionInput('return 1 + 1;'));
        expect(quick).toMatchObject({ status: 'succeeded', result: 2 });
        expect(firstDone).toBe(false);

        // A second parked run reaches the isolate limit: a third run waits until one of them ends.
        let secondDone = false;
        const second = single.runFunction(functionInput(waiting, { timeoutMs: 5000, triggerAutomation: park })).then((outcome) => {
          secondDone = true;
          return outcome;
        });
        while (parked.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
        let thirdDone = false;
        const third = single.runFunction(functionInput('return "third";')).then((outcome) => {
          thirdDone = true;
          return outcome;
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(thirdDone).toBe(false);

        parked[0]('run-1');
        expect(await first).toMatchObject({ status: 'succeeded', result: 'run-1' });
        expect(await third).toMatchObject({ status: 'succeeded', result: 'third' });
        expect(secondDone).toBe(false);
        parked[1]('run-2');
        expect(await second).toMatchObject({ status: 'succeeded', result: 'run-2' });
        expect(single.stats().isolatesCreated).toBe(2);
      } finally {
        await single.dispose();
      }
    });
  });

  describe('containment', () => {
    it('gives match scripts, conditions and functions no WebAssembly', async () => {
      expect(await match('return typeof WebAssembly === "undefined";')).toMatchObject({ ok: true, value: true });
      expect(await condition('typeof WebAssembly === "undefined"')).toMatchObject({ ok: true, value: true });
      const restore =
        'const found = [Object.getPrototypeOf(async () => {}), globalThis, Reflect].some((o) => o && "WebAssembly" in o);\n' +
        'try { new WebAssembly.Memory({ initial: 1 }); return "allocated"; } catch (e) { return found + " " + e.name + ": " + e.message; }';
      expect((await run(restore)).result).toBe('false ReferenceError: WebAssembly is not defined');
    });

    it.each([
      ['process', 'return typeof process;', 'undefined'],
      ['require', 'return typeof require;', 'undefined'],
      ['module', 'return typeof module + " " + typeof exports + " " + typeof global;', 'undefined undefined undefined'],
      [
        'globalThis.constructor.constructor',
        'try { return globalThis.constructor.constructor("return process")(); } catch (e) { return e.name + ": " + e.message; }',
        'ReferenceError: process is not defined',
      ],
      [
        'this.constructor.constructor',
        'try { return this.constructor.constructor("return process")(); } catch (e) { return e.name + ": " + e.message; }',
        'ReferenceError: process is not defined',
      ],
      ['Function("return this")()', 'return typeof Function("return this")().process;', 'undefined'],
      [
        'a runtime function\'s constructor',
        'try { return log.info.constructor("return process")(); } catch (e) { return e.name + ": " + e.message; }',
        'ReferenceError: process is not defined',
      ],
      [
        'dynamic import',
        'try { await import("fs"); return "imported"; } catch (e) { return "rejected: " + e.message; }',
        'rejected: Not supported',
      ],
    ])('keeps %s out of reach', async (_name, script, expected) => {
      const outcome = await run(script);
      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toBe(expected);
    });

    it('leaves no host handle on the global object', async () => {
      const outcome = await run(
        'const names = Reflect.ownKeys(globalThis).map(String);\n' +
          'const handles = names.filter((name) => { const value = globalThis[name];\n' +
          '  return value !== null && (typeof value === "object" || typeof value === "function")\n' +
          '    && ["applySync", "copySync", "derefInto", "deref"].some((key) => key in value); });\n' +
          'return { handles, hostNames: names.filter((name) => /ivm|require|process|createRuntime/i.test(name)) };',
      );
      expect(outcome.result).toEqual({ handles: [], hostNames: [] });
    });

    it('keeps fetch results copied even when Object.prototype asks for references', async () => {
      const outcome = await run(
        'Object.prototype.reference = true;\nObject.prototype.copy = false;\n' +
          `try { const res = await http.fetch("${base}/data"); return { status: res.status, get: typeof res.get }; }\n` +
          'finally { delete Object.prototype.reference; delete Object.prototype.copy; }',
      );
      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toEqual({ status: 200, get: 'undefined' });
    });

    it('stops a synchronous infinite loop', async () => {
      const outcome = await run('while (true) {}', { timeoutMs: 100 });
      expect(outcome).toMatchObject({ status: 'timed_out', error: { kind: 'timeout' } });
    });

    it('stops an infinite loop that starts after awaiting a host call, then runs the next script', async () => {
      const outcome = await run(`await http.fetch("${base}/data");\nlog.info("looping");\nwhile (true) {}`, {
        timeoutMs: 300,
      });
      expect(outcome).toMatchObject({ status: 'timed_out', error: { kind: 'timeout' } });
      expect(outcome.logs.map((entry) => entry.message)).toEqual(['looping']);
      expect(await run('return "next";')).toMatchObject({ status: 'succeeded', result: 'next' });
    });

    it('ends a run awaiting a promise that never settles at its deadline', async () => {
      const before = sandbox.stats();
      const outcome = await run('await new Promise(() => {});', { timeoutMs: 150 });
      expect(outcome).toMatchObject({ status: 'timed_out', error: { kind: 'timeout' } });
      expect(outcome.durationMs).toBeGreaterThanOrEqual(150);
      expect(sandbox.stats()).toMatchObject({ timeoutDisposals: before.timeoutDisposals + 1, memoryDisposals: before.memoryDisposals });
    });

    it('counts a loop V8 stops on time as no disposal: the isolate lives on', async () => {
      const before = sandbox.stats().timeoutDisposals;
      expect(await run('while (true) {}', { timeoutMs: 100 })).toMatchObject({ status: 'timed_out' });
      expect(sandbox.stats().timeoutDisposals).toBe(before);
    });

    it('reports the isolates held by runs while they run', async () => {
      const single = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 32 });
      try {
        expect(single.poolUsage()).toEqual({ function: { inUse: 0, total: 0 }, match: { inUse: 0, total: 0 } });
        let entered!: () => void;
        let release!: () => void;
        const inFetch = new Promise<void>((resolve) => (entered = resolve));
        const fetch = async (): Promise<ScriptFetchResponse> => {
          entered();
          await new Promise<void>((resolve) => (release = resolve));
          return { status: 200, headers: {}, body: '' };
        };
        const running = single.runFunction(functionInput('await http.fetch("http://127.0.0.1/"); return 1;', { timeoutMs: 5_000, fetch }));
        await inFetch;
        expect(single.poolUsage()).toEqual({ function: { inUse: 1, total: 1 }, match: { inUse: 0, total: 0 } });
        release();
        expect(await running).toMatchObject({ status: 'succeeded', result: 1 });
        expect(single.poolUsage().function).toEqual({ inUse: 0, total: 1 });
      } finally {
        await single.dispose();
      }
    });

    it('contains a memory bomb to its own run and recovers', async () => {
      const small = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 32 });
      try {
        const bomb = 'const a = [];\nwhile (true) a.push(new Array(1e6).fill(1));';
        const outcome = await small.runFunction(functionInput(bomb, { timeoutMs: 10_000 }));
        expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'memory' } });
        expect(await small.runFunction(functionInput('return "alive";'))).toMatchObject({
          status: 'succeeded',
          result: 'alive',
        });
        const matchBomb = await small.runMatch({
          script: bomb,
          request: jsonRequest(PUSH),
          provider: PROVIDER,
          timeoutMs: 10_000,
        });
        expect(matchBomb).toMatchObject({ ok: false, error: { kind: 'memory' } });
        expect(await small.runMatch({ script: 'return true;', request: jsonRequest(PUSH), provider: PROVIDER, timeoutMs: 100 }))
          .toMatchObject({ ok: true, value: true });
        // Two in the function pool, two in the match pool: each bomb took its isolate with it.
        expect(small.stats()).toMatchObject({ isolatesCreated: 4, memoryDisposals: 2, timeoutDisposals: 0 });
      } finally {
        await small.dispose();
      }
    });
  });

  describe('pooling', () => {
    it('compiles a script once per isolate and creates no isolate per run', async () => {
      const pooled = new ScriptSandbox({ functionPoolSize: 2, matchPoolSize: 2, memoryLimitMb: 32 });
      try {
        const script = 'return request.headers["x-github-event"] === "push";';
        const runOnce = () => pooled.runMatch({ script, request: jsonRequest(PUSH), provider: PROVIDER, timeoutMs: 100 });
        for (let i = 0; i < 100; i++) expect(await runOnce()).toMatchObject({ ok: true, value: true });
        expect(pooled.stats()).toEqual({ isolatesCreated: 1, isolatesRecycled: 0, compilations: 1, contextsCreated: 1, runs: 100, timeoutDisposals: 0, memoryDisposals: 0 });

        const outcomes = await Promise.all(Array.from({ length: 100 }, runOnce));
        expect(outcomes.every((outcome) => outcome.ok && outcome.value)).toBe(true);
        expect(pooled.stats()).toEqual({ isolatesCreated: 2, isolatesRecycled: 0, compilations: 2, contextsCreated: 2, runs: 200, timeoutDisposals: 0, memoryDisposals: 0 });
      } finally {
        await pooled.dispose();
      }
    });

    it('replaces an isolate left holding the garbage of large bodies, and keeps one that serves small ones', async () => {
      const pooled = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 128 });
      try {
        const script = 'return JSON.parse(request.body).blob.length;';
        const large = jsonRequest({ blob: 'x'.repeat(1024 * 1024) });
        for (let i = 0; i < 60; i++) {
          expect(await pooled.runFunction(functionInput(script, { request: large }))).toMatchObject({ status: 'succeeded', result: 1024 * 1024 });
        }
        // Each run leaves its 1 MB copy of the body behind, held outside the heap until a full
        // collection, which V8 would put off until about 64 MB of them piled up.
        const afterLarge = pooled.stats();
        expect(afterLarge.isolatesRecycled).toBeGreaterThanOrEqual(3);
        expect(afterLarge.isolatesCreated).toBe(afterLarge.isolatesRecycled + 1);

        const small = jsonRequest(PUSH);
        for (let i = 0; i < 300; i++) {
          expect(await pooled.runFunction(functionInput('return JSON.parse(request.body).ref;', { request: small }))).toMatchObject({ result: 'refs/heads/main' });
        }
        expect(pooled.stats().isolatesRecycled).toBe(afterLarge.isolatesRecycled);
      } finally {
        await pooled.dispose();
      }
    });

    it('completes more concurrent runs than there are isolates', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          run(`const res = await http.fetch("${base}/n${i}?delay=20");\nreturn res.json().path;`),
        ),
      );
      expect(outcomes.map((outcome) => outcome.result)).toEqual(Array.from({ length: 12 }, (_, i) => `/n${i}`));
    });

    it('runs match scripts and conditions while every function isolate is held by a run awaiting the host', async () => {
      const split = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 32 });
      try {
        const settledFirst: string[] = [];
        const parked = split.runFunction(functionInput('await new Promise(() => {});', { timeoutMs: 3000 }));
        void parked.then(() => settledFirst.push('function'));
        const waiting = split.runFunction(functionInput('return "queued";'));
        void waiting.then(() => settledFirst.push('waiting function'));
        await new Promise((resolve) => setTimeout(resolve, 50));
        // Generous limits: the first run in a fresh isolate also sets it up, and this machine may be busy.
        const matched = await split.runMatch({ script: 'return true;', request: jsonRequest(PUSH), provider: PROVIDER, timeoutMs: 1000 });
        settledFirst.push('match');
        const held = await split.evaluateCondition({ expression: 'event.type === "push"', scope: conditionScope(PUSH), timeoutMs: 1000 });
        settledFirst.push('condition');
        expect(matched).toMatchObject({ ok: true, value: true });
        expect(held).toMatchObject({ ok: true, value: true });
        expect(settledFirst).toEqual(['match', 'condition']);
        expect(await parked).toMatchObject({ status: 'timed_out' });
        expect(await waiting).toMatchObject({ status: 'succeeded', result: 'queued' });
      } finally {
        await split.dispose();
      }
    });

    it('fails the running and the waiting runs when disposed', async () => {
      const single = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 32 });
      const running = single.runFunction(functionInput('await new Promise(() => {});', { timeoutMs: 5000 }));
      const waiting = single.runFunction(functionInput('return 1;'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await single.dispose();
      const disposed = { kind: 'error', message: 'the script sandbox has been disposed' };
      expect(await running).toMatchObject({ status: 'failed', error: disposed });
      expect(await waiting).toMatchObject({ status: 'failed', error: disposed });
      expect(await single.runFunction(functionInput('return 1;'))).toMatchObject({ status: 'failed', error: disposed });
    });
  });

  describe('checkSyntax', () => {
    it('returns null for scripts that compile, without running them', async () => {
      expect(await sandbox.checkSyntax('function', 'while (true) {}\nawait http.fetch("x");')).toBeNull();
      expect(await sandbox.checkSyntax('match', 'return request.json?.ref === "x";')).toBeNull();
      expect(await sandbox.checkSyntax('condition', 'eventType == "push" && payload.ref == "refs/heads/main";')).toBeNull();
    });

    it('returns the syntax error with a line and column in the script', async () => {
      expect(await sandbox.checkSyntax('function', 'log.info(1);\nconst x = ;')).toBe(
        "SyntaxError: Unexpected token ';' (line 2, column 11)",
      );
      expect(await sandbox.checkSyntax('match', 'return request.json.;')).toMatch(/^SyntaxError: .*\(line 1, column 21\)$/);
      expect(await sandbox.checkSyntax('condition', 'eventType == ')).toMatch(/^SyntaxError: /);
      expect(await sandbox.checkSyntax('match', 'await x;')).toMatch(/^SyntaxError: /);
    });

    it('rejects a body that closes its own function to run code outside it', async () => {
      const breakout = 'return 1; });\nglobalThis.hacked = true;\n(async function () {';
      expect(await sandbox.checkSyntax('function', breakout)).toMatch(/closes its own function body/);
      const outcome = await run(breakout);
      expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'compile' } });
    });
  });
});
