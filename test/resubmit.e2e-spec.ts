import { given, TestServer } from './support/test-server';

describe('resubmitting messages', () => {
  let server: TestServer;
  let provider: { id: string };

  beforeAll(async () => {
    server = await TestServer.start();
    provider = await given(server).provider({ name: 'Sender', matchScript: 'return request.headers["x-sender"] === "yes"' });
    await given(server).fn({ providerId: provider.id, uri: 'resubmit/me', script: 'return { triggeredBy: message.triggeredBy, n: request.json.n }' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('processes a stored message again as a new message linked to the original', async () => {
    const original = await server.webhook('resubmit/me?x=1', { n: 7 }, { 'x-sender': 'yes', 'flex-sync-webhook': 'true' });
    expect(original.status).toBe(200);
    const originalId = original.body.messageId;

    const queued = await server.post(`/api/messages/${originalId}/resubmit`, {});
    expect(queued.status).toBe(202);
    const copy = await server.waitForMessage(queued.body.messageId, ['processed', 'failed']);
    expect(copy).toMatchObject({ status: 'processed', triggeredBy: 'resubmit', resubmittedFrom: originalId, uri: 'resubmit/me', method: 'POST', query: { x: '1' } });
    expect(copy.trace.resubmittedFrom).toBe(originalId);
    expect(copy.trace.functions[0].result).toEqual({ triggeredBy: 'resubmit', n: 7 });
    expect(copy.headers['x-sender']).toBe('yes');
    expect(copy.body).toBe('{"n":7}');

    const synced = await server.post(`/api/messages/${originalId}/resubmit`, { sync: true });
    expect(synced.status).toBe(200);
    expect(synced.body.functions[0].result).toEqual({ triggeredBy: 'resubmit', n: 7 });

    const originalAfter = (await server.get(`/api/messages/${originalId}`)).body;
    expect(originalAfter.triggeredBy).toBe('webhook');
    expect(originalAfter.status).toBe('processed');
  });

  it('resubmits a message that had no provider once one exists', async () => {
    const orphan = await server.webhook('later/provider', { n: 1 }, { 'x-late': 'yes' });
    await server.waitForMessage(orphan.body.messageId, ['no_provider']);
    const late = await given(server).provider({ name: 'Late', matchScript: 'return request.headers["x-late"] === "yes"' });
    await given(server).fn({ providerId: late.id, uri: 'later/provider', script: 'return "caught up"' });
    const again = await server.post(`/api/messages/${orphan.body.messageId}/resubmit`, { sync: true });
    expect(again.status).toBe(200);
    expect(again.body.functions[0].result).toBe('caught up');
  });

  it('resubmits in bulk by filter and by ids', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push((await server.webhook('bulk/one', { n }, { 'x-sender': 'no' })).body.messageId);
    for (const id of ids) await server.waitForMessage(id, ['no_provider']);

    const byFilter = await server.post('/api/messages/resubmit', { uri: 'bulk/one', status: 'no_provider' });
    expect(byFilter.status).toBe(202);
    expect(byFilter.body.count).toBe(3);
    expect(byFilter.body.resubmitted.map((r: any) => r.from)).toEqual(ids);

    const byIds = await server.post('/api/messages/resubmit', { ids: [ids[0], ids[2]] });
    expect(byIds.body.count).toBe(2);
    for (const r of byIds.body.resubmitted) {
      const copy = (await server.get(`/api/messages/${r.messageId}`)).body;
      expect(copy.resubmittedFrom).toBe(r.from);
    }
  });

  it('refuses a bulk resubmit with no filter, or with bad ones', async () => {
    const everything = await server.post('/api/messages/resubmit', {});
    expect(everything.status).toBe(400);
    expect(everything.body.fields.body).toMatch(/at least one filter/);
    const bad = await server.post('/api/messages/resubmit', { ids: ['nope'], colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.colour).toMatch(/is not a filter/);
    const badSync = await server.post('/api/messages/5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10/resubmit', { sync: 'yes' });
    expect(badSync.status).toBe(400);
    const unknown = await server.post('/api/messages/5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10/resubmit', {});
    expect(unknown.status).toBe(404);
  });
});
