import { given, TestServer } from './support/test-server';

/** A script that keeps its function busy for `ms` without answering. */
const busyFor = (ms: number) => `const end = Date.now() + ${ms}; while (Date.now() < end) {} return "late";`;

describe('answer modes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_SYNC_TIMEOUT: '4000ms' });
  });

  afterAll(async () => {
    await server.close();
  });

  /** A provider that owns requests carrying its own header, so tests do not see each other's. */
  async function provider(fields: Record<string, unknown>) {
    const tag = `p${Math.random().toString(36).slice(2, 8)}`;
    const created = await given(server).provider({ matchScript: `return request.headers["x-test-provider"] === "${tag}"`, priority: 1, ...fields });
    return { ...created, headers: { 'x-test-provider': tag } };
  }

  it("answers a respond-mode webhook with the script's respond() body, and the function goes on to finish", async () => {
    const p = await provider({ answerMode: 'respond', respondTimeoutMs: 3000 });
    await given(server).fn({
      providerId: p.id,
      uri: 'slack/command',
      script: 'respond({ status: 200, headers: { "x-answer": "yes" }, body: { text: "hello " + request.json.user } }); return "after the answer";',
    });
    const result = await server.webhook('slack/command', { user: 'ada' }, p.headers);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ text: 'hello ada' });
    expect(result.headers.get('x-answer')).toBe('yes');
    const id = result.headers.get('x-hookline-message-id') as string;
    const message = await server.waitForMessage(id, ['processed']);
    expect(message.httpStatus).toBe(200);
    expect(message.trace.functions[0]).toMatchObject({ status: 'succeeded', result: 'after the answer', responded: true });
    expect(message.trace.answer).toMatchObject({ status: 200, by: 'function', mode: 'respond', modeSource: 'provider', headers: expect.objectContaining({ 'x-answer': 'yes' }) });
    expect(message.trace.answer.respondTimeoutMs).toBeUndefined();
  });

  it('answers 202 with the message id when no respond() comes within the timeout, and still runs the function', async () => {
    const p = await provider({ answerMode: 'respond', respondTimeoutMs: 300 });
    await given(server).fn({ providerId: p.id, uri: 'slow/one', script: busyFor(1200) });
    const started = Date.now();
    const result = await server.webhook('slow/one', {}, p.headers);
    const waited = Date.now() - started;
    expect(result.status).toBe(202);
    expect(result.body).toEqual({ messageId: expect.any(String), status: 'queued' });
    expect(waited).toBeGreaterThanOrEqual(300);
    const message = await server.waitForMessage(result.body.messageId, ['processed']);
    expect(message.trace.functions[0]).toMatchObject({ status: 'succeeded', result: 'late' });
    expect(message.trace.functions[0].responded).toBeUndefined();
    expect(message.trace.answer).toMatchObject({ status: 202, by: 'engine', mode: 'respond', modeSource: 'provider', respondTimeoutMs: 300 });
  });

  it('answers sync when the header or the query forces it, whatever the mode', async () => {
    const p = await provider({ answerMode: 'respond', respondTimeoutMs: 300 });
    await given(server).fn({ providerId: p.id, uri: 'forced', script: 'return "ran"' });
    const byHeader = await server.webhook('forced', {}, { ...p.headers, 'flex-sync-webhook': 'true' });
    expect(byHeader.status).toBe(200);
    expect(byHeader.body).toMatchObject({ status: 'processed', functions: [expect.objectContaining({ result: 'ran' })] });
    const byQuery = await server.webhook('forced?flex-sync-webhook=TRUE', {}, p.headers);
    expect(byQuery.status).toBe(200);
    expect(byQuery.body).toMatchObject({ status: 'processed', functions: [expect.objectContaining({ result: 'ran' })] });
    expect((await server.get(`/api/messages/${byHeader.body.messageId}`)).body.trace.answer).toMatchObject({ status: 200, mode: 'sync', modeSource: 'header' });
    expect((await server.get(`/api/messages/${byQuery.body.messageId}`)).body.trace.answer).toMatchObject({ status: 200, mode: 'sync', modeSource: 'query' });
  });

  it("lets a function's override decide, the strongest mode of the functions on the uri winning", async () => {
    const p = await provider({ answerMode: 'async' });
    const quiet = await given(server).fn({ providerId: p.id, uri: 'mixed', script: 'return "quiet"' });
    const loud = await given(server).fn({ providerId: p.id, uri: 'mixed', script: 'return "loud"', answerMode: 'sync' });
    expect(quiet.answerMode).toBeNull();
    expect(loud.answerMode).toBe('sync');
    const result = await server.webhook('mixed', {}, p.headers);
    expect(result.status).toBe(200);
    expect(result.body.functions.map((f: { result: string }) => f.result).sort()).toEqual(['loud', 'quiet']);
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message.trace.answer).toMatchObject({ mode: 'sync', modeSource: 'function', modeFunctionId: loud.id });
  });

  it("sends the provider's fixed async answer, status, headers and body, and queues the message", async () => {
    const p = await provider({ fixedAnswer: { status: 200, headers: { 'Content-Type': 'text/xml' }, body: '<Response></Response>' } });
    expect(p.fixedAnswer).toEqual({ status: 200, headers: { 'content-type': 'text/xml' }, body: '<Response></Response>' });
    await given(server).fn({ providerId: p.id, uri: 'twilio/sms', script: 'respond({ status: 500 }); return "ran"' });
    const result = await server.webhook('twilio/sms', { Body: 'hi' }, p.headers);
    expect(result.status).toBe(200);
    expect(result.text).toBe('<Response></Response>');
    expect(result.headers.get('content-type')).toBe('text/xml');
    const id = result.headers.get('x-hookline-message-id') as string;
    const message = await server.waitForMessage(id, ['processed']);
    expect(message.httpStatus).toBe(200);
    expect(message.trace.answer).toMatchObject({ status: 200, by: 'engine', mode: 'async', modeSource: 'provider', fixed: true });
    expect(message.trace.functions[0].responded).toBeUndefined();
  });

  it("sends the provider's fixed answer in respond mode when no respond() comes in time", async () => {
    const p = await provider({ answerMode: 'respond', respondTimeoutMs: 300, fixedAnswer: { status: 200, headers: {}, body: 'noted' } });
    await given(server).fn({ providerId: p.id, uri: 'fixed/late', script: busyFor(1200) });
    const result = await server.webhook('fixed/late', {}, p.headers);
    expect(result.status).toBe(200);
    expect(result.text).toBe('noted');
    const message = await server.waitForMessage(result.headers.get('x-hookline-message-id') as string, ['processed']);
    expect(message.trace.answer).toMatchObject({ status: 200, by: 'engine', mode: 'respond', fixed: true, respondTimeoutMs: 300 });
  });

  it('keeps answering 202 at once in async mode, the default', async () => {
    const p = await provider({});
    expect(p).toMatchObject({ answerMode: 'async', respondTimeoutMs: 3000, fixedAnswer: null });
    await given(server).fn({ providerId: p.id, uri: 'plain', script: 'respond({ status: 201 }); return 1' });
    const result = await server.webhook('plain', {}, p.headers);
    expect(result.status).toBe(202);
    expect(result.body.status).toBe('queued');
  });

  it('names each bad answer field in a 400', async () => {
    const created = await server.post('/api/providers', {
      name: 'bad-answers',
      matchScript: 'return false',
      answerMode: 'later',
      respondTimeoutMs: 0,
      fixedAnswer: { status: 404, headers: { 'bad header': 'x' } },
    });
    expect(created.status).toBe(400);
    expect(created.body.fields).toEqual({
      answerMode: 'must be one of async, respond, sync',
      respondTimeoutMs: 'must be at least 1',
      'fixedAnswer.status': 'must be from 200 to 299',
      'fixedAnswer.headers.bad header': 'must be an object of HTTP header names to strings',
    });
    const p = await provider({});
    const tooLong = await server.put(`/api/providers/${p.id}`, { respondTimeoutMs: 5000 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.fields).toEqual({ respondTimeoutMs: "must be at most 4000, the server's sync timeout (HOOKLINE_SYNC_TIMEOUT)" });
    const fn = await server.post('/api/functions', { name: 'bad-mode', providerId: p.id, uri: 'x', answerMode: 'eventually' });
    expect(fn.status).toBe(400);
    expect(fn.body.fields).toEqual({ answerMode: 'must be one of async, respond, sync' });
    const cleared = await server.put(`/api/providers/${p.id}`, { answerMode: 'respond', respondTimeoutMs: 4000, fixedAnswer: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ answerMode: 'respond', respondTimeoutMs: 4000, fixedAnswer: null });
  });
});
