import { createServer, type Server, type ServerResponse } from 'node:http';
import { Client } from 'pg';
import { given, TestServer } from '../support/test-server';

// Two servers on one PostgreSQL database whose queue polls and catalog reloads are ten minutes
// apart: within these tests, only the database's notifications can wake a worker or drop a cache.
describe('servers on one PostgreSQL database, woken by its notifications', () => {
  let first: TestServer;
  let second: TestServer;
  let receiver: Server;
  let receiverPort = 0;
  const held: ServerResponse[] = [];
  const heldIds = new Set<string>();
  const runs = new Map<string, number>();

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const [, kind, id] = req.url!.split('/');
      runs.set(id, (runs.get(id) ?? 0) + 1);
      if (kind === 'hold') {
        heldIds.add(id);
        held.push(res);
      } else {
        res.end('ok');
      }
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverPort = (receiver.address() as { port: number }).port;
    const env = {
      HOOKLINE_SCRIPT_HTTP_ALLOW: `127.0.0.1:${receiverPort}`,
      HOOKLINE_QUEUE_POLL: '10m',
      HOOKLINE_CATALOG_TTL: '10m',
      HOOKLINE_QUEUE_CONCURRENCY: '2',
      HOOKLINE_QUEUE_BATCH: '2',
    };
    first = await TestServer.start(env);
    second = await TestServer.start(env, first.database);
  });

  afterAll(async () => {
    for (const res of held) res.end('released');
    await second.stop();
    await first.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('runs messages queued on one server on the other while the first is busy', async () => {
    const provider = await given(first).provider({ name: 'Waking', matchScript: 'return request.uri === "wake/hold"' });
    await given(first).fn({ providerId: provider.id, uri: 'wake/hold', script: `await http.fetch("http://127.0.0.1:${receiverPort}/hold/" + message.id); return "done";` });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const accepted = await first.webhook('wake/hold', { i });
      expect(accepted.status).toBe(202);
      ids.push(accepted.body.messageId);
    }
    // Each server runs two at most, so all four running at once means the second server took two,
    // though nothing was sent to it and it does not poll.
    const deadline = Date.now() + 15_000;
    while (heldIds.size < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect([...heldIds].sort()).toEqual([...ids].sort());
    for (const res of held.splice(0)) res.end('released');
    for (const id of ids) expect((await first.waitForMessage(id, ['processed', 'failed'])).status).toBe('processed');
  });

  it('runs a function created through one server at once on the other', async () => {
    const provider = await given(first).provider({ name: 'Catalog', matchScript: 'return request.uri === "catalog/new"' });
    const before = await second.webhook('catalog/new', {}, { 'flex-sync-webhook': 'true' });
    expect(before.body).toMatchObject({ status: 'no_function' });
    await given(first).fn({ providerId: provider.id, uri: 'catalog/new', script: 'return "seen at once"' });
    // The notification reaches the second server a moment after the first answers; far within the ten-minute reload.
    let after = await second.webhook('catalog/new', {}, { 'flex-sync-webhook': 'true' });
    for (let i = 0; i < 50 && after.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await second.webhook('catalog/new', {}, { 'flex-sync-webhook': 'true' });
    }
    expect(after.status).toBe(200);
    expect(after.body.functions.map((fn: { result: unknown }) => fn.result)).toEqual(['seen at once']);
  });

  it('runs each of many messages exactly once when both servers claim them in batches', async () => {
    const provider = await given(first).provider({ name: 'Batched', matchScript: 'return request.uri === "wake/count"' });
    await given(first).fn({ providerId: provider.id, uri: 'wake/count', script: `await http.fetch("http://127.0.0.1:${receiverPort}/count/" + message.id); return "done";` });
    const accepted = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? second : first).webhook('wake/count', { i })));
    expect(accepted.map((result) => result.status)).toEqual(accepted.map(() => 202));
    const ids = accepted.map((result) => result.body.messageId as string);
    for (const id of ids) expect((await first.waitForMessage(id, ['processed', 'failed'])).status).toBe('processed');
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
  });

  it('listens again after its connection is cut, dropping the catalog since notifications may have been missed', async () => {
    const provider = await given(first).provider({ name: 'Relisten', matchScript: 'return request.uri === "relisten/x"' });
    expect((await second.webhook('relisten/x', {}, { 'flex-sync-webhook': 'true' })).body).toMatchObject({ status: 'no_function' });
    const admin = new Client({ connectionString: first.database.env.DATABASE_URL });
    await admin.connect();
    try {
      const cut = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hookline-listen' AND datname = current_database()`);
      expect(cut.rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    // Made while the second server is not listening: only its reconnection can tell it.
    await given(first).fn({ providerId: provider.id, uri: 'relisten/x', script: 'return "after reconnecting"' });
    await second.waitForLog(/Not listening for notifications \(.+\); trying again in 1000 ms/);
    await second.waitForLog(/Listening for notifications again/);
    const after = await second.webhook('relisten/x', {}, { 'flex-sync-webhook': 'true' });
    expect(after.status).toBe(200);
    expect(after.body.functions.map((fn: { result: unknown }) => fn.result)).toEqual(['after reconnecting']);
  });
});
