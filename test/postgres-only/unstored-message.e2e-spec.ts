import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { signDelivery } from '../support/signers';
import { given, TestServer } from '../support/test-server';

const SECRET = 'unstored-secret';

// The database refuses one uri through a constraint added from outside, as a full disk or a lost
// connection would refuse every write: only PostgreSQL can be reached while the server runs.
describe('a message the database does not take', () => {
  let server: TestServer;
  let db: Client;

  beforeAll(async () => {
    server = await TestServer.start();
    const provider = await given(server).provider({
      name: 'Signed',
      matchScript: 'return request.headers["x-github-event"] !== undefined',
      verification: { scheme: 'github', secret: SECRET },
      eventFormat: 'github',
    });
    await given(server).fn({ providerId: provider.id, uri: 'refused/here', script: 'return "ran"' });
    db = new Client({ connectionString: server.database.env.DATABASE_URL });
    await db.connect();
    await db.query(`ALTER TABLE messages ADD CONSTRAINT refuses_one_uri CHECK (uri <> 'refused/here') NOT VALID`);
  });

  afterAll(async () => {
    await db.end();
    await server.close();
  });

  const send = (delivery: string, headers: Record<string, string> = {}) => {
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    return server.webhook('refused/here', body, { 'x-github-event': 'push', 'x-github-delivery': delivery, ...signDelivery('github', { secret: SECRET, body }), ...headers });
  };

  it('answers 503 and never a 2xx, async and sync, and stores nothing', async () => {
    for (const headers of [{}, { 'flex-sync-webhook': 'true' }] as Array<Record<string, string>>) {
      const answer = await send(randomUUID(), headers);
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The message could not be stored, so it was not accepted; send it again later',
      });
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM messages WHERE uri = 'refused/here'`)).rows).toEqual([{ n: 0 }]);
    // Each refusal is logged once, with the database's reason, and not again as an error answer.
    expect(server.logs.match(/Could not store message/g)).toHaveLength(2);
    expect(server.logs).not.toContain('could not be stored, so it was not accepted');
  });

  it('keeps no claim on the delivery id of a message that was not stored, so the retry is accepted', async () => {
    const delivery = randomUUID();
    expect((await send(delivery)).status).toBe(503);
    expect((await db.query(`SELECT count(*)::int AS n FROM deliveries WHERE delivery_id = $1`, [delivery])).rows).toEqual([{ n: 0 }]);
    await db.query(`ALTER TABLE messages DROP CONSTRAINT refuses_one_uri`);
    const retried = await send(delivery);
    expect(retried.status).toBe(202);
    expect((await server.waitForMessage(retried.body.messageId, ['processed'])).deliveryId).toBe(delivery);
  });
});
