import { given, TestServer } from './support/test-server';

/**
 * An async message goes to the accepting server's own workers, at most HOOKLINE_QUEUE_BACKLOG of
 * them unfinished; a request past that waits for a place up to HOOKLINE_QUEUE_BACKLOG_WAIT. One
 * worker slot and a function that never ends keep every message where the test put it.
 */
describe('handing async messages to the accepting server, over HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_QUEUE_CONCURRENCY: '1', HOOKLINE_QUEUE_BACKLOG: '2', HOOKLINE_QUEUE_BACKLOG_WAIT: '1s' });
    const provider = await given(server).provider({ name: 'Held' });
    await given(server).fn({ providerId: provider.id, uri: 'held', script: 'await new Promise(() => {}); return "never"', timeoutMs: 120_000 });
  });

  afterAll(async () => {
    await server.close();
  });

  it('gives a handed-over message that found no free slot to the shared queue, and holds a request while the backlog is full', async () => {
    const first = await server.webhook('held', { n: 1 });
    const second = await server.webhook('held', { n: 2 });
    // The second was handed over too, but the one slot is taken: it goes to the shared queue.
    const given = await server.waitForMessage(second.body.messageId, ['queued']);
    expect(given.trace.queueWaitMs).toBeUndefined();
    expect((await server.get(`/api/messages/${first.body.messageId}`)).body.status).toBe('processing');

    // The first still holds one of the two places: of two requests at once, one takes the other
    // place and the second waits until that message is given back.
    const [third, fourth] = await Promise.all([server.webhook('held', { n: 3 }), server.webhook('held', { n: 4 })]);
    expect([third.status, fourth.status]).toEqual([202, 202]);
    const ends = await Promise.all([third, fourth].map((answer) => server.waitForMessage(answer.body.messageId, ['queued'])));
    const waits = ends.map((message) => message.trace.queueWaitMs ?? 0).sort((a, b) => a - b);
    expect(waits[0]).toBe(0);
    expect(waits[1]).toBeGreaterThan(0);
  });
});

describe('respond mode while the backlog is full, over HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_QUEUE_CONCURRENCY: '1', HOOKLINE_QUEUE_BACKLOG: '1', HOOKLINE_QUEUE_BACKLOG_WAIT: '5s' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('waits for a place no longer than the respond timeout, and answers within it', async () => {
    const provider = await given(server).provider({ name: 'Hurried', answerMode: 'respond', respondTimeoutMs: 500 });
    await given(server).fn({ providerId: provider.id, uri: 'hurried', script: 'await new Promise(() => {}); return "never"', timeoutMs: 120_000 });
    // The first holds the only place, and never ends.
    const first = await server.webhook('hurried', { n: 1 });
    expect(first.status).toBe(202);
    const second = await server.webhook('hurried', { n: 2 });
    expect(second.status).toBe(202);
    const message = (await server.get(`/api/messages/${second.body.messageId}`)).body;
    expect(message.status).toBe('queued');
    // It waited about the respond timeout for a place, not HOOKLINE_QUEUE_BACKLOG_WAIT.
    expect(message.trace.queueWaitMs).toBeGreaterThanOrEqual(450);
    expect(message.trace.queueWaitMs).toBeLessThan(5000);
    expect(message.trace.answer).toMatchObject({ status: 202, mode: 'respond', respondTimeoutMs: 500 });
  });
});
