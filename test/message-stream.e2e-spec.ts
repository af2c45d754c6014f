import { SseClient } from './support/sse-client';
import { given, TestServer } from './support/test-server';

describe('the live message stream', () => {
  let server: TestServer;
  const auth = () => ({ authorization: `Bearer ${server.token}` });
  const sync = { 'x-stream': 'yes', 'flex-sync-webhook': 'true' };

  beforeAll(async () => {
    server = await TestServer.start();
    const provider = await given(server).provider({ name: 'Streamed', matchScript: 'return request.headers["x-stream"] === "yes"' });
    await given(server).fn({ providerId: provider.id, uri: 'live/ok', script: 'return "done"' });
    await given(server).fn({ providerId: provider.id, uri: 'live/fail', script: 'throw new Error("broken on purpose")' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('needs a login', async () => {
    const anonymous = await SseClient.open(`${server.url}/api/messages/stream`);
    expect(anonymous.status).toBe(401);
    anonymous.close();
  });

  it('sends a new message and each of its status changes as events with ids', async () => {
    const stream = await SseClient.open(`${server.url}/api/messages/stream`, auth());
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    // A sync webhook is identified before it is stored: its first status is already processing.
    const sent = await server.webhook('live/ok', { n: 1 }, sync);
    expect(sent.status).toBe(200);
    const id = sent.body.messageId;
    const done = await stream.waitFor((event) => event.data.message.id === id && event.data.status === 'processed');
    const mine = stream.events.filter((event) => event.data.message.id === id);
    expect(mine[0].data).toMatchObject({ change: 'created', status: 'processing', previousStatus: null });
    expect(mine.map((event) => event.data.status)).toEqual(['processing', 'processed']);
    expect(done.data.message).toMatchObject({ id, uri: 'live/ok', providerName: 'Streamed', status: 'processed' });
    expect(new Set(mine.map((event) => event.id)).size).toBe(mine.length);
    for (const event of mine) expect(event.id).toMatch(/^\d+-\d+$/);
    expect(stream.comments).toContain('connected');
    stream.close();
  });

  it('gives a client that reconnects with Last-Event-ID exactly the events it missed', async () => {
    const first = await SseClient.open(`${server.url}/api/messages/stream?uri=live/ok&status=processed`, auth());
    const before = await server.webhook('live/ok', { n: 'before' }, sync);
    const seen = await first.waitFor((event) => event.data.message.id === before.body.messageId);
    first.close();

    const missed = [];
    for (const n of [1, 2]) missed.push((await server.webhook('live/ok', { n }, sync)).body.messageId);
    await server.webhook('live/fail', { n: 3 }, sync);

    const again = await SseClient.open(`${server.url}/api/messages/stream?uri=live/ok&status=processed`, { ...auth(), 'last-event-id': seen.id! });
    const events = await again.waitForEvents(2);
    expect(events.map((event) => event.data.message.id)).toEqual(missed);
    const after = await server.webhook('live/ok', { n: 'after' }, sync);
    const next = await again.waitForEvents(3);
    expect(next[2].data.message.id).toBe(after.body.messageId);
    expect(again.events).toHaveLength(3);
    again.close();

    // The same position given as a query parameter (EventSource cannot set headers on its first request).
    const byQuery = await SseClient.open(`${server.url}/api/messages/stream?uri=live/ok&status=processed&lastEventId=${seen.id}`, auth());
    expect((await byQuery.waitForEvents(3)).map((event) => event.data.message.id)).toEqual([...missed, after.body.messageId]);
    byQuery.close();
  });

  it('applies the list filters to the stream', async () => {
    const failures = await SseClient.open(`${server.url}/api/messages/stream?status=failed&uriPrefix=live/`, auth());
    const searched = await SseClient.open(`${server.url}/api/messages/stream?q=NEEDLE-in-body`, auth());
    await server.webhook('live/ok', { n: 'fine' }, sync);
    const failed = await server.webhook('live/fail', { n: 'bad' }, sync);
    const found = await server.webhook('live/ok', { text: 'a needle-IN-BODY here' }, sync);
    const [event] = await failures.waitForEvents(1);
    expect(event.data).toMatchObject({ change: 'status', status: 'failed', previousStatus: 'processing', message: { id: failed.body.messageId, uri: 'live/fail' } });
    await searched.waitFor((e) => e.data.status === 'processed');
    expect(new Set(searched.events.map((e) => e.data.message.id))).toEqual(new Set([found.body.messageId]));
    // Nothing else arrives for the failure filter.
    await new Promise((r) => setTimeout(r, 600));
    expect(failures.events).toHaveLength(1);
    failures.close();
    searched.close();
  });

  it('refuses a malformed Last-Event-ID or filter with a 400 naming it', async () => {
    const bad = await server.request('GET', '/api/messages/stream?status=nope', undefined, { headers: { 'last-event-id': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.status).toMatch(/must be one of/);
    const badId = await server.request('GET', '/api/messages/stream', undefined, { headers: { 'last-event-id': 'yesterday' } });
    expect(badId.status).toBe(400);
    expect(badId.body.fields['Last-Event-ID']).toMatch(/not an event id/);
  });

  // Last: it stops the server.
  it('ends open streams when the server shuts down, so that it can stop', async () => {
    const stream = await SseClient.open(`${server.url}/api/messages/stream`, auth());
    expect(stream.status).toBe(200);
    // A server that waited for its open streams would never exit, and this would time out.
    await server.stop();
    await expect(stream.ended).resolves.toBeUndefined();
  });
});
