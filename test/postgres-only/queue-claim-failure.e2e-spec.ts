import { Client } from 'pg';
import { given, TestServer } from '../support/test-server';

// A trigger added from outside refuses every claim from the shared queue (queued -> processing),
// as a lost connection would; messages handed over in memory are written `processing` at once
// and need no claim. Only PostgreSQL can be reached from outside while the server runs.
describe('a claim from the shared queue that fails', () => {
  let server: TestServer;
  let db: Client;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_QUEUE_POLL: '100ms' });
    const provider = await given(server).provider({ name: 'Claims' });
    await given(server).fn({ providerId: provider.id, uri: 'claims', script: 'return "ran"' });
    db = new Client({ connectionString: server.database.env.DATABASE_URL });
    await db.connect();
    await db.query(`CREATE FUNCTION refuse_claims() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'claims are refused'; END $$`);
    await db.query(`CREATE TRIGGER refuse_claims BEFORE UPDATE ON messages FOR EACH ROW WHEN (OLD.status = 'queued' AND NEW.status = 'processing') EXECUTE FUNCTION refuse_claims()`);
  });

  afterAll(async () => {
    await db.end();
    await server.close();
  });

  it('still runs the messages handed over in the same round, and leaves the queued one for a later claim', async () => {
    const first = await server.webhook('claims', { n: 1 });
    await server.waitForMessage(first.body.messageId, ['processed']);
    // Back to the shared queue: every claim round now fails on it.
    await db.query(`UPDATE messages SET status = 'queued', locked_by = NULL, locked_until = NULL, finished_at = NULL WHERE id = $1`, [first.body.messageId]);
    // Once a claim has failed at a poll interval too, every round with room tries the shared queue.
    while ((server.logs.match(/Queue: could not claim work: claims are refused/g) ?? []).length < 3) await new Promise((resolve) => setTimeout(resolve, 50));

    const handedOver = await Promise.all([1, 2, 3].map((n) => server.webhook('claims', { n })));
    for (const answer of handedOver) {
      const message = await server.waitForMessage(answer.body.messageId, ['processed']);
      expect(message.trace.functions.map((f: { result: unknown }) => f.result)).toEqual(['ran']);
    }
    expect((await server.get(`/api/messages/${first.body.messageId}`)).body.status).toBe('queued');

    await db.query(`DROP TRIGGER refuse_claims ON messages`);
    await server.waitForMessage(first.body.messageId, ['processed']);
  });
});
