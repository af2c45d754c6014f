import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { signDelivery } from '../support/signers';
import { given, TestServer } from '../support/test-server';

// Two server processes on one PostgreSQL database (embedded PGlite allows only one).
describe('several servers on one PostgreSQL database', () => {
  let first: TestServer;
  let second: TestServer;
  let receiver: Server;
  let receiverPort = 0;
  const seen = new Map<string, number>();

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const id = req.url!.slice(1);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      res.end('ok');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverPort = (receiver.address() as { port: number }).port;
    const env = { HOOKLINE_SCRIPT_HTTP_ALLOW: `127.0.0.1:${receiverPort}`, HOOKLINE_CATALOG_TTL: '100ms', HOOKLINE_SCHEDULER_TICK: '100ms' };
    first = await TestServer.start(env);
    second = await TestServer.start(env, first.database);
  });

  afterAll(async () => {
    await second.stop();
    await first.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('processes each queued message exactly once, whichever server claims it', async () => {
    const provider = await given(first).provider({ name: 'Shared' });
    await given(first).fn({ providerId: provider.id, uri: 'shared/queue', script: `await http.fetch("http://127.0.0.1:${receiverPort}/" + message.id); return "done";` });
    await new Promise((r) => setTimeout(r, 300));
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const target = i % 2 ? second : first;
      const accepted = await target.webhook('shared/queue', { i });
      expect(accepted.status).toBe(202);
      ids.push(accepted.body.messageId);
    }
    for (const id of ids) expect((await first.waitForMessage(id, ['processed', 'failed'])).status).toBe('processed');
    expect(ids.map((id) => seen.get(id))).toEqual(ids.map(() => 1));
  });

  it('runs one of 20 copies of a delivery sent to both servers at once, and stores the rest as its duplicates', async () => {
    const secret = 'multi-dedup-secret';
    const provider = await given(first).provider({
      name: 'Signed',
      priority: -1,
      matchScript: 'return request.headers["x-github-event"] !== undefined',
      verification: { scheme: 'github', secret },
      eventFormat: 'github',
    });
    await given(first).fn({ providerId: provider.id, uri: 'shared/dedup', script: `await http.fetch("http://127.0.0.1:${receiverPort}/delivery-" + request.headers["x-github-delivery"]); return "done";` });
    await new Promise((r) => setTimeout(r, 300));
    const delivery = randomUUID();
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const headers = { 'x-github-event': 'push', 'x-github-delivery': delivery, ...signDelivery('github', { secret, body }) };
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? second : first).webhook('shared/dedup', body, headers)));
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200 && a.body.status === 'duplicate' && a.body.duplicateOf === accepted[0].body.messageId)).toHaveLength(19);
    expect((await second.waitForMessage(accepted[0].body.messageId, ['processed', 'failed'])).status).toBe('processed');
    // Long enough for a second run, had one been queued, to reach the receiver.
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen.get(`delivery-${delivery}`)).toBe(1);
  });

  it('fires each scheduled tick once', async () => {
    const automation = (await first.post('/api/automations', { name: 'every-second', schedule: '* * * * * *', target: { kind: 'command', command: 'true' } })).body;
    await new Promise((r) => setTimeout(r, 4500));
    await first.put(`/api/automations/${automation.id}`, { schedule: null });
    const runs = ((await second.get(`/api/automations/${automation.id}/runs`)).body as any[]).map((run) => new Date(run.createdAt).getTime()).sort();
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(6);
    const gaps = runs.slice(1).map((at, i) => at - runs[i]);
    expect(gaps.every((gap) => gap > 500)).toBe(true);
  });
});
