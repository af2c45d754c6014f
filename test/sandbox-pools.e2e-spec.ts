import { randomUUID } from 'node:crypto';
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
