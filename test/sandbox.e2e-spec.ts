import { given, TestServer } from './support/test-server';

const SYNC = { 'flex-sync-webhook': 'true', 'x-kind': 'sandbox' };

describe('scripts in the sandbox, over HTTP', () => {
  let server: TestServer;
  let provider: { id: string };

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_SCRIPT_MEMORY_MB: '32' });
    provider = await given(server).provider({ name: 'Sandboxed', matchScript: 'return request.headers["x-kind"] === "sandbox"' });
  });

  afterAll(async () => {
    await server.close();
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
});
