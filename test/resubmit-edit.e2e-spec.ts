import { given, TestServer } from './support/test-server';

describe('editing a message before resubmitting it', () => {
  let server: TestServer;
  const TOKEN = 'bearer-token-for-edits-9f3a';

  beforeAll(async () => {
    server = await TestServer.start();
    const provider = await given(server).provider({
      name: 'Editable',
      matchScript: 'return request.headers["x-edit"] !== undefined',
      verification: { scheme: 'bearer', secret: TOKEN },
    });
    await given(server).fn({
      providerId: provider.id,
      uri: 'edit/me',
      script: 'return { json: request.json, mode: request.headers["x-mode"] ?? null, extra: request.headers["x-extra"] ?? null, gone: request.headers["x-gone"] ?? null }',
    });
  });

  afterAll(async () => {
    await server.close();
  });

  const send = (body: unknown) =>
    server.webhook('edit/me', body, { 'x-edit': '1', 'x-mode': 'first', 'x-gone': 'bye', authorization: `Bearer ${TOKEN}`, 'flex-sync-webhook': 'true' });

  it('sends the edited headers and body as a new message linked both ways, and traces what changed', async () => {
    const original = await send({ amount: 1 });
    expect(original.status).toBe(200);
    const stored = (await server.get(`/api/messages/${original.body.messageId}`)).body;
    expect(stored.headers.authorization).toBe('[redacted]');

    // What a client does: take the headers as shown, change some, send them back whole.
    const { 'x-gone': _gone, ...kept } = stored.headers;
    const headers = { ...kept, 'x-mode': 'second', 'X-Extra': 'added' };
    const edited = await server.post(`/api/messages/${stored.id}/resubmit`, { headers, body: '{"amount":2}', sync: true });
    expect(edited.status).toBe(200);
    expect(edited.body.functions[0].result).toEqual({ json: { amount: 2 }, mode: 'second', extra: 'added', gone: null });

    const copy = (await server.get(`/api/messages/${edited.body.messageId}`)).body;
    expect(copy).toMatchObject({ resubmittedFrom: stored.id, triggeredBy: 'resubmit', status: 'processed', body: '{"amount":2}' });
    expect(copy.trace.edited).toEqual({ headersAdded: ['x-extra'], headersChanged: ['x-mode'], headersRemoved: ['x-gone'], bodyChanged: true });
    expect(copy.trace.verification).toMatchObject({ ok: true });
    expect(copy.headers['content-length']).toBe('12');

    const originalAfter = (await server.get(`/api/messages/${stored.id}`)).body;
    expect(originalAfter.resubmissions.map((m: any) => m.id)).toEqual([copy.id]);
    expect(originalAfter.resubmissions[0]).toMatchObject({ resubmittedFrom: stored.id, status: 'processed' });
    expect(copy.resubmissions).toEqual([]);
  });

  it('names a changed credential header in the trace without its value', async () => {
    const original = await send({ amount: 3 });
    const stored = (await server.get(`/api/messages/${original.body.messageId}`)).body;
    const wrong = await server.post(`/api/messages/${stored.id}/resubmit`, { headers: { ...stored.headers, authorization: 'Bearer not-the-token-77' }, sync: true });
    expect(wrong.status).toBe(401);
    const copy = (await server.get(`/api/messages/${wrong.body.messageId}`)).body;
    expect(copy.status).toBe('unauthorized');
    expect(copy.trace.edited).toEqual({ headersAdded: [], headersChanged: ['authorization'], headersRemoved: [], bodyChanged: false });
    expect(JSON.stringify(copy)).not.toContain('not-the-token-77');
    expect(JSON.stringify(copy)).not.toContain(TOKEN);
  });

  it('keeps the unedited resubmit as it was: no edit in the trace', async () => {
    const original = await send({ amount: 4 });
    const again = await server.post(`/api/messages/${original.body.messageId}/resubmit`, { sync: true });
    expect(again.status).toBe(200);
    expect(again.body.functions[0].result).toMatchObject({ json: { amount: 4 }, mode: 'first', gone: 'bye' });
    const copy = (await server.get(`/api/messages/${again.body.messageId}`)).body;
    expect(copy.trace.edited).toBeUndefined();
    expect(copy.trace.resubmittedFrom).toBe(original.body.messageId);
  });

  it('refuses edits it cannot send, naming each field', async () => {
    const original = await send({ amount: 5 });
    const id = original.body.messageId;
    const badName = await server.post(`/api/messages/${id}/resubmit`, { headers: { 'bad name': 'x', 'x-ok': 'line\r\nbreak' } });
    expect(badName.status).toBe(400);
    expect(badName.body.fields).toEqual({ 'headers.bad name': 'is not a valid header name', 'headers.x-ok': 'must not contain line breaks or NUL' });
    const badBody = await server.post(`/api/messages/${id}/resubmit`, { body: { amount: 6 }, colour: 'red' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.fields).toEqual({ body: 'must be the body as a string', colour: 'is not a resubmit option; use sync, headers, body' });
  });
});
