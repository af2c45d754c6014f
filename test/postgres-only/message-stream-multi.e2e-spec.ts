import { SseClient } from '../support/sse-client';
import { TestServer } from '../support/test-server';

// The change feed is read from the database: a client gets every server's messages, in one
// order, and can resume on another server from the last event id it saw.
describe('the live message stream with two servers on one PostgreSQL database', () => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    first = await TestServer.start();
    second = await TestServer.start({}, first.database);
  });

  afterAll(async () => {
    await second.stop();
    await first.close();
  });

  const order = (id: string) => id.split('-').map(BigInt) as [bigint, bigint];
  const isAfter = (a: string, b: string) => {
    const [ta, sa] = order(a);
    const [tb, sb] = order(b);
    return ta > tb || (ta === tb && sa > sb);
  };

  it('streams messages written by both servers at once, each change once and in feed order, and resumes on the other server', async () => {
    const stream = await SseClient.open(`${first.url}/api/messages/stream?uriPrefix=multi/`, { authorization: `Bearer ${first.token}` });
    const sent = await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? second : first).webhook(`multi/${i}`, { i })));
    const ids = sent.map((answer) => answer.body.messageId as string);
    // Each message is identified before it is stored: created as no_provider (there is none), one change.
    const events = await stream.waitForEvents(80, 30_000);
    stream.close();
    for (const id of ids) {
      expect(events.filter((e) => e.data.message.id === id).map((e) => e.data.status)).toEqual(['no_provider']);
    }
    for (let i = 1; i < events.length; i++) expect(isAfter(events[i].id!, events[i - 1].id!)).toBe(true);

    const middle = events[39];
    const resumed = await SseClient.open(`${second.url}/api/messages/stream?uriPrefix=multi/`, { authorization: `Bearer ${second.token}`, 'last-event-id': middle.id! });
    const rest = await resumed.waitForEvents(40, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(resumed.events).toHaveLength(40);
    expect(rest.map((e) => e.id)).toEqual(events.slice(40).map((e) => e.id));
    resumed.close();
  });
});
