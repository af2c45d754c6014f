import { TestServer } from './support/test-server';

describe('listing and searching messages', () => {
  let server: TestServer;

  beforeAll(async () => {
    // A small scan window, so that a search running out of it can be seen with a few messages.
    server = await TestServer.start({ HOOKLINE_SEARCH_SCAN_ROWS: '10' });
  });

  afterAll(async () => {
    await server.close();
  });

  const ids = (page: any) => page.items.map((item: any) => item.id);

  it('finds text in bodies case-insensitively, JSON, plain and binary alike', async () => {
    const json = (await server.webhook('search/a', { note: 'The Quick Brown Fox' })).body.messageId;
    const plain = (await server.webhook('search/b', 'a quick brown FOX jumps', { 'content-type': 'text/plain' })).body.messageId;
    const binary = (await server.webhook('search/c', Buffer.from([0xff, 0x00, 0x66, 0x6f, 0x78, 0xfe]), { 'content-type': 'application/octet-stream' })).body.messageId;
    const other = (await server.webhook('search/d', { note: 'a slow dog' })).body.messageId;
    const accented = (await server.webhook('search/e', { note: 'crème brûlée' })).body.messageId;

    const fox = (await server.get('/api/messages?q=brown%20fox')).body;
    expect(ids(fox)).toEqual([plain, json]);
    expect(fox.partial).toBe(false);
    expect(ids((await server.get('/api/messages?q=FOX')).body)).toEqual([binary, plain, json]);
    expect(ids((await server.get(`/api/messages?q=${encodeURIComponent('brûlée')}`)).body)).toEqual([accented]);
    expect(ids((await server.get('/api/messages?q=dog&uriPrefix=search/')).body)).toEqual([other]);
    expect(ids((await server.get('/api/messages?q=nowhere-to-be-found')).body)).toEqual([]);
  });

  it('filters by uri prefix and by exact uri', async () => {
    const deep = (await server.webhook('prefix/one/two', { n: 1 })).body.messageId;
    const shallow = (await server.webhook('prefix/one', { n: 2 })).body.messageId;
    await server.webhook('prefixed', { n: 3 });
    expect(ids((await server.get('/api/messages?uriPrefix=prefix/one')).body)).toEqual([shallow, deep]);
    expect(ids((await server.get('/api/messages?uri=prefix/one')).body)).toEqual([shallow]);
  });

  it('stops a search at the scan limit and continues it from nextCursor', async () => {
    const needle = (await server.webhook('window/old', { secret: 'rare-needle' })).body.messageId;
    for (let n = 0; n < 12; n++) await server.webhook('window/new', { n });
    const first = (await server.get('/api/messages?q=rare-needle&uriPrefix=window/')).body;
    expect(first.items).toEqual([]);
    expect(first.partial).toBe(true);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await server.get(`/api/messages?q=rare-needle&uriPrefix=window/&cursor=${first.nextCursor}`)).body;
    expect(ids(second)).toEqual([needle]);
    expect(second.partial).toBe(false);
    expect(second.nextCursor).toBeNull();
  });

  it('keeps cursor pages stable while new messages arrive', async () => {
    const sent: string[] = [];
    for (let n = 0; n < 9; n++) sent.push((await server.webhook('paging/x', { n })).body.messageId);
    const newestFirst = [...sent].reverse();
    const first = (await server.get('/api/messages?uri=paging/x&limit=4')).body;
    expect(ids(first)).toEqual(newestFirst.slice(0, 4));
    // Arrivals during paging go to the top of the list, never into a later page.
    await Promise.all([0, 1, 2].map((n) => server.webhook('paging/x', { late: n })));
    const second = (await server.get(`/api/messages?uri=paging/x&limit=4&cursor=${first.nextCursor}`)).body;
    const third = (await server.get(`/api/messages?uri=paging/x&limit=4&cursor=${second.nextCursor}`)).body;
    expect(ids(second)).toEqual(newestFirst.slice(4, 8));
    expect(ids(third)).toEqual(newestFirst.slice(8));
    expect(third.nextCursor).toBeNull();
  });

  it('refuses a search text that is too long, naming the field', async () => {
    const bad = await server.get(`/api/messages?q=${'x'.repeat(201)}&status=later`);
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({ q: 'must be at most 200 characters', status: expect.stringMatching(/must be one of/) });
  });
});
