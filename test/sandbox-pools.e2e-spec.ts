import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signDelivery } from './support/signers';
import { given, TestServer } from './support/test-server';

const PARKED = 50;
const SECRET = 'pool-test-secret';

describe('matching while functions wait, over HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_QUEUE_CONCURRENCY: String(PARKED), HOOKLINE_SANDBOX_POOL_SIZE: '4' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('accepts a signed GitHub push with 202 while 50 functions await a promise that never settles', async () => {
    const parking = await given(server).provider({ name: 'Parking', priority: 1, matchScript: 'return request.headers["x-kind"] === "parked"' });
    await given(server).fn({ providerId: parking.id, uri: 'park', script: 'await new Promise(() => {}); return "never"', timeoutMs: 120_000 });
    const github = await given(server).provider({
      name: 'GitHub',
      priority: 2,
      matchScript: 'return request.headers["x-github-event"] !== undefined',
      verification: { scheme: 'github', secret: SECRET },
    });
    await given(server).fn({ providerId: github.id, uri: 'push', script: 'return "pushed"' });

    const parked: string[] = [];
    for (let i = 0; i < PARKED; i++) {
      const queued = await server.webhook('park', { n: i }, { 'x-kind': 'parked' });
      expect(queued.status).toBe(202);
      parked.push(queued.body.messageId);
    }
    for (const id of parked) await server.waitForMessage(id, ['processing']);

    const body = JSON.stringify({ ref: 'refs/heads/main', after: 'c0ffee' });
    const push = await server.webhook('push', body, {
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      ...signDelivery('github', { secret: SECRET, body }),
    });
    expect(push.status).toBe(202);
    expect(push.body.status).toBe('queued');

    const states = await Promise.all(parked.map(async (id) => (await server.get(`/api/messages/${id}`)).body.status));
    expect(states).toEqual(Array(PARKED).fill('processing'));
    const accepted = (await server.get(`/api/messages/${push.body.messageId}`)).body;
    expect(accepted).toMatchObject({ providerName: 'GitHub', trace: expect.objectContaining({ verification: expect.objectContaining({ scheme: 'github', ok: true }) }) });
  });
});

describe('functions while other functions wait on http.fetch, over HTTP', () => {
  const WAITING = 3;
  let server: TestServer;
  let slow: Server;
  const held: ServerResponse[] = [];
  let slowUrl = '';

  beforeAll(async () => {
    // Answers nothing until the test ends: every fetch to it stays pending.
    slow = createServer((_request: IncomingMessage, response: ServerResponse) => held.push(response));
    slow.listen(0, '127.0.0.1');
    await once(slow, 'listening');
    const port = (slow.address() as AddressInfo).port;
    slowUrl = `http://127.0.0.1:${port}/hang`;
    server = await TestServer.start({
      HOOKLINE_QUEUE_CONCURRENCY: String(WAITING + 1),
      HOOKLINE_SANDBOX_POOL_SIZE: '1',
      HOOKLINE_SANDBOX_MAX_ISOLATES: String(WAITING + 1),
      HOOKLINE_SCRIPT_HTTP_ALLOW: `127.0.0.1:${port}`,
    });
  });

  afterAll(async () => {
    await server.close();
    for (const response of held) response.destroy();
    slow.close();
  });

  it('runs a sync function at once while the only pool place belongs to functions awaiting a slow fetch', async () => {
    const provider = await given(server).provider({ name: 'Any', matchScript: 'return true' });
    await given(server).fn({ providerId: provider.id, uri: 'wait', script: `await http.fetch(${JSON.stringify(slowUrl)}); return "fetched"`, timeoutMs: 120_000 });
    await given(server).fn({ providerId: provider.id, uri: 'quick', script: 'return "quick"' });

    const waiting: string[] = [];
    for (let i = 0; i < WAITING; i++) waiting.push((await server.webhook('wait', { n: i })).body.messageId);
    for (const id of waiting) await server.waitForMessage(id, ['processing']);
    while (held.length < WAITING) await new Promise((resolve) => setTimeout(resolve, 20));

    const quick = await server.webhook('quick', {}, { 'flex-sync-webhook': 'true' });
    expect(quick.status).toBe(200);
    expect(quick.body.functions[0]).toMatchObject({ status: 'succeeded', result: 'quick' });
    const states = await Promise.all(waiting.map(async (id) => (await server.get(`/api/messages/${id}`)).body.status));
    expect(states).toEqual(Array(WAITING).fill('processing'));
  });
});
