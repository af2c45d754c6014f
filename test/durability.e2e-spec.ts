import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { queryStoppedDatabase, ROOT } from './support/test-database';
import { given, TestServer } from './support/test-server';

const MAIN = join(ROOT, 'dist', 'apps', 'server', 'src', 'main.js');

describe('durability and start-up', () => {
  let slow: Server;
  let slowPort = 0;
  let calls = 0;

  beforeAll(async () => {
    // A slow downstream keeps the function busy long enough to kill the server mid-run.
    slow = createServer((_req, res) => {
      calls++;
      setTimeout(() => res.end('done'), 1500);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    slowPort = (slow.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => slow.close(resolve));
  });

  /** A server whose one function on `uri` may call the slow downstream (its url is SLOW in `script`). */
  async function serverWithFunction(provider: Record<string, unknown>, uri: string, script: string): Promise<TestServer> {
    const server = await TestServer.start({ HOOKLINE_SCRIPT_HTTP_ALLOW: `127.0.0.1:${slowPort}` });
    const created = await given(server).provider(provider);
    await given(server).fn({ providerId: created.id, uri, timeoutMs: 10000, script: script.replace('SLOW', `http://127.0.0.1:${slowPort}/`) });
    return server;
  }

  it('processes a message accepted with 202 even when the server is killed right after', async () => {
    const server = await serverWithFunction({ name: 'Durable' }, 'durable/job', 'const r = await http.fetch("SLOW"); return { downstream: r.body, attempt: message.id };');
    try {
      const accepted = await server.webhook('durable/job', { deploy: 'v1' });
      expect(accepted.status).toBe(202);
      await server.kill();

      await server.launch();
      await server.login();
      const message = await server.waitForMessage(accepted.body.messageId, ['processed', 'failed'], 30_000);
      expect(message.status).toBe('processed');
      expect(message.trace.functions[0].result).toEqual({ downstream: 'done', attempt: accepted.body.messageId });
      expect(calls).toBeGreaterThanOrEqual(1);
    } finally {
      await server.close();
    }
  });

  it('runs a respond-mode message from the queue when the server is killed while its sender waits', async () => {
    const server = await serverWithFunction({ name: 'Durable respond', answerMode: 'respond' }, 'durable/respond', 'const r = await http.fetch("SLOW"); respond({ status: 200, body: r.body }); return "answered";');
    try {
      const before = calls;
      const waiting = server.webhook('durable/respond', { deploy: 'v2' }).then(
        (answer) => answer.status,
        () => 'no answer',
      );
      // The function has started, so the message is committed; the sender is still waiting for respond().
      while (calls === before) await new Promise((resolve) => setTimeout(resolve, 20));
      await server.kill();
      await expect(waiting).resolves.toBe('no answer');

      await server.launch();
      await server.login();
      const listed = (await server.get('/api/messages?limit=50')).body.items.find((m: { uri: string }) => m.uri === 'durable/respond');
      const message = await server.waitForMessage(listed.id, ['processed', 'failed'], 30_000);
      expect(message.status).toBe('processed');
      expect(message.trace.functions.at(-1).result).toBe('answered');
    } finally {
      await server.close();
    }
  });

  it('records the end of a sync run that answered early before a stopping server closes its database', async () => {
    const server = await serverWithFunction({ name: 'Answers early' }, 'durable/early', 'respond({ status: 200, body: "got it" }); const r = await http.fetch("SLOW"); return r.body;');
    try {
      const answered = await server.webhook('durable/early', {}, { 'flex-sync-webhook': 'true' });
      expect(answered.status).toBe(200);
      expect(answered.text).toBe('got it');
      // The function is still waiting on its downstream when the server is told to stop.
      await server.stop();
      const [row] = await queryStoppedDatabase(server.database, `SELECT status, locked_by FROM messages WHERE uri = 'durable/early'`);
      expect(row).toEqual({ status: 'processed', locked_by: null });
      expect(server.logs).not.toContain('Driver not Connected');
    } finally {
      await server.close();
    }
  });

  it('answers 413 naming the limit for a body over HOOKLINE_MAX_BODY, storing nothing', async () => {
    const server = await TestServer.start({ HOOKLINE_MAX_BODY: '64kb' });
    try {
      const result = await server.webhook('too/big', Buffer.alloc(64 * 1024 + 1, 'a'), { 'content-type': 'application/octet-stream' });
      expect(result.status).toBe(413);
      expect(result.body.message).toBe('The body is larger than the limit of 65536 bytes; send less, or raise HOOKLINE_MAX_BODY on the server');
      const atLimit = await server.webhook('just/fits', Buffer.alloc(64 * 1024, 'a'), { 'content-type': 'application/octet-stream' });
      expect(atLimit.status).toBe(202);
      const stored = await server.get('/api/messages?uri=too/big');
      expect(stored.body.items).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('refuses a second server on the same embedded data directory, naming the holder', async () => {
    const server = await TestServer.start();
    try {
      if (server.database.kind !== 'pglite') {
        expect(server.database.kind).toBe('postgres');
        return;
      }
      const second = spawnSync(process.execPath, ['--no-node-snapshot', MAIN], {
        env: { ...process.env, ...server.database.env, PORT: '0' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/The data directory .* is in use by process \d+/);
    } finally {
      await server.close();
    }
  });

  it.each([
    [{ DATABASE_URL: 'mysql://db/x' }, /Bad setting DATABASE_URL: has scheme "mysql"/],
    [{ DATABASE_URL: 'not a url' }, /Bad setting DATABASE_URL: is not a URL/],
    [{ PORT: 'eighty' }, /Bad setting PORT: "eighty" is not a whole number/],
    [{ HOOKLINE_SYNC_TIMEOUT: 'soon' }, /Bad setting HOOKLINE_SYNC_TIMEOUT: "soon" is not a duration/],
    [{ HOOKLINE_LOG_LEVEL: 'loud' }, /Bad setting HOOKLINE_LOG_LEVEL: "loud" is not one of error, warn, info, debug/],
    [{ HOOKLINE_MASTER_KEY: 'short' }, /Bad setting HOOKLINE_MASTER_KEY: must be 32 bytes/],
  ])('stops start-up on a bad setting %p', (env, message) => {
    const result = spawnSync(process.execPath, ['--no-node-snapshot', MAIN], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});
