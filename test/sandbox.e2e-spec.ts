import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { given, TestServer } from './support/test-server';

const SYNC = { 'flex-sync-webhook': 'true', 'x-kind': 'sandbox' };

/** What the local upstream saw of each request, by path. */
interface Upstream {
  url: string;
  closed: Map<string, Promise<void>>;
  server: Server;
}

/** A real HTTP server for http.fetch to call; each path misbehaves in its own way. */
async function startUpstream(): Promise<Upstream> {
  const closed = new Map<string, Promise<void>>();
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    // Announces 5 MB, then sends nothing: only the header can tell the fetch to stop.
    '/announced-large': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(5 * 1024 * 1024) });
      res.flushHeaders();
    },
    // No content-length: streams 64 KB chunks for as long as the client reads.
    '/endless': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    },
    // One byte now and then, never finishing.
    '/trickle': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 100);
      res.once('close', () => clearInterval(timer));
    },
  };
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    closed.set(path, new Promise((resolve) => res.once('close', () => resolve())));
    (routes[path] ?? ((_q, r) => r.end('ok')))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed, server };
}

describe('scripts in the sandbox, over HTTP', () => {
  let server: TestServer;
  let provider: { id: string };
  let upstream: Upstream;

  beforeAll(async () => {
    upstream = await startUpstream();
    server = await TestServer.start({ HOOKLINE_SCRIPT_MEMORY_MB: '32', HOOKLINE_SCRIPT_HTTP_ALLOW: new URL(upstream.url).host });
    provider = await given(server).provider({ name: 'Sandboxed', matchScript: 'return request.headers["x-kind"] === "sandbox"' });
  });

  afterAll(async () => {
    await server.close();
    upstream.server.closeAllConnections();
    await new Promise((resolve) => upstream.server.close(resolve));
  });

  async function run(uri: string, script: string, timeoutMs = 1000) {
    await given(server).fn({ providerId: provider.id, uri, script, timeoutMs });
    return server.webhook(uri, { probe: true }, SYNC);
  }

  it.each([
    ['process', 'return typeof process'],
    ['require', 'return typeof require'],
    ['module', 'return typeof module'],
    ['constructor trick', 'try { return typeof globalThis.constructor.constructor("return process")() } catch (e) { return "blocked: " + e.message }'],
    ['this.constructor trick', 'try { return typeof this.constructor.constructor("return process")() } catch (e) { return "blocked: " + e.message }'],
    ['Function("return this")', 'try { return typeof Function("return this")().process } catch (e) { return "blocked: " + e.message }'],
  ])('gives a script no %s', async (name, script) => {
    const result = await run(`escape/${name.replace(/\W+/g, '-')}`, script);
    expect(result.status).toBe(200);
    expect(String(result.body.functions[0].result)).toMatch(/^(undefined|blocked: .+)$/);
  });

  it('fails a dynamic import of a Node module', async () => {
    const result = await run('escape/import', 'const fs = await import("fs"); return typeof fs.readFileSync');
    expect(result.status).toBe(500);
    expect(result.body.functions[0].status).toBe('failed');
  });

  it('stops an infinite loop at the time limit and serves the next message normally', async () => {
    const looped = await run('loop/forever', 'while (true) {}', 300);
    expect(looped.status).toBe(500);
    expect(looped.body.functions[0]).toMatchObject({ status: 'timed_out' });
    const after = await run('loop/after', 'return 1 + 1');
    expect(after.status).toBe(200);
    expect(after.body.functions[0].result).toBe(2);
  });

  it('stops a loop that starts after an await', async () => {
    const looped = await run('loop/after-await', 'await Promise.resolve(); while (true) {}', 300);
    expect(looped.status).toBe(500);
    expect(looped.body.functions[0].status).toBe('timed_out');
    expect((await run('loop/after-await-next', 'return "alive"')).body.functions[0].result).toBe('alive');
  });

  it('contains a memory bomb to its own run', async () => {
    const bomb = await run('memory/bomb', 'const hoard = []; while (true) hoard.push(new Array(1e6).fill(Math.random()));', 10000);
    expect(bomb.status).toBe(500);
    expect(bomb.body.functions[0].status).toMatch(/failed|timed_out/);
    const after = await run('memory/after', 'return [1, 2, 3].map((n) => n * 2)');
    expect(after.status).toBe(200);
    expect(after.body.functions[0].result).toEqual([2, 4, 6]);
    expect((await server.get('/health')).status).toBe(200);
  });

  it('counts a match script that loops forever as no, and records the timeout', async () => {
    const looping = await given(server).provider({ name: 'Looping', priority: 1, matchScript: 'while (true) {}' });
    await given(server).fn({ providerId: provider.id, uri: 'match/loop', script: 'return "reached"' });
    const result = await server.webhook('match/loop', {}, SYNC);
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toBe('reached');
    const trace = (await server.get(`/api/messages/${result.body.messageId}`)).body.trace;
    expect(trace.providers[0]).toMatchObject({ providerName: 'Looping', matched: false, error: { kind: 'timeout' } });
    await server.delete(`/api/providers/${looping.id}`);
  });

  it('refuses http.fetch to a host that is not allowed', async () => {
    const result = await run('fetch/denied', 'try { await http.fetch("http://127.0.0.1:1/"); return "fetched" } catch (e) { return e.message }');
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toMatch(/host 127\.0\.0\.1:1 is not allowed; add it to HOOKLINE_SCRIPT_HTTP_ALLOW/);
  });

  it('drops respond() headers that fail the host check even when the script disables the guest check', async () => {
    const script = [
      'RegExp.prototype.test = function () { return true; };',
      'respond({ status: 201, headers: { "x-kept": "yes", "x-split": "a\\r\\nset-cookie: stolen=1", "bad name": "v", "x-bell": "a\\u0007b" }, body: "created" });',
      'return "done";',
    ].join('\n');
    const result = await run('respond/patched-regexp', script);
    expect(result.status).toBe(201);
    expect(result.text).toBe('created');
    expect(result.headers.get('x-kept')).toBe('yes');
    expect(result.headers.get('set-cookie')).toBeNull();
    expect(result.headers.get('x-split')).toBeNull();
    expect(result.headers.get('x-bell')).toBeNull();
    // respond() answers before the function ends; the trace is complete once the message is.
    const message = await server.waitForMessage(result.headers.get('x-hookline-message-id') as string, ['processed']);
    expect(message.httpStatus).toBe(201);
    expect(message.trace.answer).toMatchObject({ status: 201, by: 'function', headers: expect.objectContaining({ 'x-kept': 'yes' }) });
    expect(Object.keys(message.trace.answer.headers)).not.toEqual(expect.arrayContaining(['x-split']));
    const errors = message.trace.functions[0].logs.filter((entry: { level: string }) => entry.level === 'error').map((entry: { message: string }) => entry.message);
    expect(errors).toEqual([
      expect.stringMatching(/respond\(\): dropped header "x-split": its value contains a control character/),
      expect.stringMatching(/respond\(\): dropped header "bad name": not a valid header name/),
      expect.stringMatching(/respond\(\): dropped header "x-bell": its value contains a control character/),
    ]);
  });

  it('refuses a respond() body larger than 1 MB and answers as if respond() had not been called', async () => {
    const result = await run('respond/large', 'try { respond({ body: "x".repeat(2 * 1024 * 1024) }) } catch (e) { return e.message }');
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toMatch(/respond\(\): the body is 2097152 bytes, more than the limit of 1048576/);
  });

  it('caps a large return value in the answer and in the trace, saying how large it was', async () => {
    const result = await run('result/large', 'return "x".repeat(5 * 1024 * 1024)', 5000);
    expect(result.status).toBe(200);
    const summary = result.body.functions[0];
    expect(summary.status).toBe('succeeded');
    expect(typeof summary.result).toBe('string');
    expect(summary.result.length).toBeLessThan(300 * 1024);
    expect(summary.result).toMatch(/^"xxxx/);
    expect(summary.result).toMatch(/\.\.\. \[truncated: the return value is 5242882 bytes of JSON; the first 262144 are kept\]$/);
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message.trace.functions[0].result).toBe(summary.result);
  });

  it('keeps a return value under the cap as it is', async () => {
    const result = await run('result/small', 'return { items: Array.from({ length: 1000 }, (_, i) => i) }');
    expect(result.body.functions[0].result.items).toHaveLength(1000);
  });

  it.each([
    ['a 256 MB WebAssembly.Memory', 'new WebAssembly.Memory({ initial: 4096 }); return "allocated"'],
    ['instantiating a module', 'await WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return "instantiated"'],
    ['reaching it through globalThis', 'return typeof globalThis["Web" + "Assembly"]'],
  ])('gives a script no WebAssembly: %s', async (_name, script) => {
    const result = await run(`wasm/${_name.replace(/\W+/g, '-')}`, `try { ${script} } catch (e) { return e.name + ": " + e.message }`);
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toMatch(/^(ReferenceError: WebAssembly is not defined|undefined)$/);
  });

  it('refuses an http.fetch answer whose content-length is over the cap without reading it', async () => {
    const script = `try { await http.fetch(${JSON.stringify(upstream.url + '/announced-large')}); return "read" } catch (e) { return e.message }`;
    const result = await run('fetch/announced-large', script, 5000);
    expect(result.body.functions[0].result).toBe(`http.fetch: the response from ${new URL(upstream.url).host} is 5242880 bytes, more than the limit of 1048576`);
    await upstream.closed.get('/announced-large');
  });

  it('stops reading an http.fetch answer without content-length once it passes the cap', async () => {
    const script = `try { await http.fetch(${JSON.stringify(upstream.url + '/endless')}); return "read" } catch (e) { return e.message }`;
    const result = await run('fetch/endless', script, 5000);
    expect(result.body.functions[0].result).toBe(`http.fetch: the response from ${new URL(upstream.url).host} is larger than the limit of 1048576 bytes`);
    await upstream.closed.get('/endless');
  });

  it('aborts an http.fetch still running when its run times out', async () => {
    const result = await run('fetch/trickle', `await http.fetch(${JSON.stringify(upstream.url + '/trickle')}); return "read"`, 300);
    expect(result.body.functions[0].status).toBe('timed_out');
    // Without the abort the request would go on to http.fetch's own 10 s limit, past this test's.
    await upstream.closed.get('/trickle');
  }, 5000);
});
