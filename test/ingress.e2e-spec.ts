import { given, TestServer } from './support/test-server';

const SYNC = { 'flex-sync-webhook': 'true' };

describe('ingress and processing', () => {
  let server: TestServer;
  let github: { id: string };
  let gitlab: { id: string };

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_SYNC_TIMEOUT: '1500ms' });
    // Both claim push events; GitHub runs first, so GitLab must never see a GitHub delivery.
    github = await given(server).provider({ name: 'GitHub', priority: 10, matchScript: 'return "x-github-event" in request.headers' });
    gitlab = await given(server).provider({ name: 'GitLab', priority: 20, matchScript: 'return request.headers["x-github-event"] !== undefined || "x-gitlab-event" in request.headers' });
    await given(server).provider({ name: 'Broken', priority: 5, matchScript: 'throw new Error("match exploded")' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('runs the first matching provider only, recording every provider evaluated', async () => {
    const fn = await given(server).fn({ providerId: github.id, uri: 'order/check', script: 'return { who: provider.name }' });
    const result = await server.webhook('order/check', { a: 1 }, { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(200);
    expect(result.body.functions).toEqual([expect.objectContaining({ id: fn.id, status: 'succeeded', result: { who: 'GitHub' } })]);
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message.providerName).toBe('GitHub');
    expect(message.trace.providers.map((p: any) => [p.providerName, p.matched])).toEqual([
      ['Broken', false],
      ['GitHub', true],
    ]);
    expect(message.trace.providers[0].error.message).toMatch(/match exploded/);
  });

  it('follows a priority change at once', async () => {
    await server.put(`/api/providers/${gitlab.id}`, { priority: 1 });
    await given(server).fn({ providerId: gitlab.id, uri: 'prio/check', script: 'return provider.name' });
    const result = await server.webhook('prio/check', {}, { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toBe('GitLab');
    await server.put(`/api/providers/${gitlab.id}`, { priority: 20 });
  });

  it('matches the uri without its query string and gives scripts the query', async () => {
    await given(server).fn({ providerId: github.id, uri: 'git/push', script: 'return request.query' });
    const result = await server.webhook('git/push?projectId=123&tag=a&tag=b', {}, { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toEqual({ projectId: '123', tag: ['a', 'b'] });
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message.uri).toBe('git/push');
    expect(message.query).toEqual({ projectId: '123', tag: ['a', 'b'] });
  });

  it('answers sync 404 when no provider matches, and stores the message as no_provider', async () => {
    const result = await server.webhook('nobody/home', { hello: 'world' }, SYNC);
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ status: 'no_provider', message: 'No provider matched this request' });
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message).toMatchObject({ status: 'no_provider', httpStatus: 404, body: '{"hello":"world"}' });
  });

  it('answers sync 404 when the provider has no function for the uri', async () => {
    const result = await server.webhook('no/function/here', {}, { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(404);
    expect(result.body.status).toBe('no_function');
  });

  it('answers sync 500 naming the error when a function throws, and stores its stack and logs', async () => {
    const fn = await given(server).fn({ providerId: github.id, uri: 'throws', script: 'log.warn("about to fail", { n: 1 });\nthrow new Error("deploy target missing");' });
    const result = await server.webhook('throws', {}, { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(500);
    expect(result.body.functions).toEqual([expect.objectContaining({ id: fn.id, status: 'failed', error: expect.stringContaining('deploy target missing') })]);
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message.status).toBe('failed');
    const run = message.trace.functions[0];
    expect(run.error.stack).toMatch(/deploy target missing/);
    expect(run.logs).toEqual([expect.objectContaining({ level: 'warn', message: 'about to fail {"n":1}' })]);
  });

  it('answers 401 in both modes when verification fails, storing the reason', async () => {
    const guarded = await given(server).provider({ name: 'Guarded', priority: 1, matchScript: 'return request.uri.startsWith("guarded/")', verification: { scheme: 'bearer', secret: 'let-me-in' } });
    await given(server).fn({ providerId: guarded.id, uri: 'guarded/in', script: 'return "in"' });
    for (const headers of [SYNC, {}]) {
      const denied = await server.webhook('guarded/in', {}, { ...headers, authorization: 'Bearer wrong' });
      expect(denied.status).toBe(401);
      expect(denied.body.message).toBe('Verification failed: bearer token does not match');
      const message = (await server.get(`/api/messages/${denied.body.messageId}`)).body;
      expect(message).toMatchObject({ status: 'unauthorized', statusReason: 'bearer token does not match', providerName: 'Guarded' });
    }
    const allowed = await server.webhook('guarded/in', {}, { ...SYNC, authorization: 'Bearer let-me-in' });
    expect(allowed.status).toBe(200);
    const message = (await server.get(`/api/messages/${allowed.body.messageId}`)).body;
    expect(message.trace.verification).toEqual({ scheme: 'bearer', ok: true, matchedSecret: 'current' });
    await server.delete(`/api/providers/${guarded.id}`);
  });

  it('answers 202 at once in async mode and processes the message from the queue', async () => {
    await given(server).fn({ providerId: github.id, uri: 'async/job', script: 'log.info("ref", request.json.ref); return request.json.ref' });
    const result = await server.webhook('async/job', { ref: 'refs/heads/main' }, { 'x-github-event': 'push' });
    expect(result.status).toBe(202);
    expect(result.body).toEqual({ messageId: expect.any(String), status: 'queued' });
    const message = await server.waitForMessage(result.body.messageId, ['processed', 'failed']);
    expect(message.status).toBe('processed');
    expect(message.httpStatus).toBe(202);
    expect(message.trace.functions[0]).toMatchObject({ status: 'succeeded', result: 'refs/heads/main', logs: [expect.objectContaining({ message: 'ref refs/heads/main' })] });
  });

  it('lets respond() answer a sync caller at once while the function runs on', async () => {
    await given(server).fn({
      providerId: github.id,
      uri: 'respond/early',
      script: 'respond({ status: 201, headers: { "x-build": "42" }, body: { queued: true } });\nconst until = Date.now() + 700; while (Date.now() < until) {}\nreturn "finished";',
    });
    const started = Date.now();
    const result = await server.webhook('respond/early', {}, { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(201);
    expect(result.headers.get('x-build')).toBe('42');
    expect(result.body).toEqual({ queued: true });
    const message = await server.waitForMessage(result.headers.get('x-hookline-message-id')!, ['processed']);
    expect(message.httpStatus).toBe(201);
    expect(message.trace.answer).toMatchObject({ status: 201, by: 'function' });
    expect(message.trace.functions[0]).toMatchObject({ result: 'finished', responded: true });
    expect(Date.now() - started).toBeGreaterThan(0);
  });

  it('runs only the functions whose condition holds, recording each condition', async () => {
    const main = await given(server).fn({ providerId: github.id, uri: 'cond/push', condition: 'payload.ref == "refs/heads/main"', script: 'return "main"' });
    const other = await given(server).fn({ providerId: github.id, uri: 'cond/push', condition: 'payload.ref != "refs/heads/main"', script: 'return "other"' });
    const broken = await given(server).fn({ providerId: github.id, uri: 'cond/push', condition: 'payload.missing.deeper', script: 'return "never"' });
    const result = await server.webhook('cond/push', { ref: 'refs/heads/main' }, { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(200);
    const byId = Object.fromEntries(result.body.functions.map((f: any) => [f.id, f.status]));
    expect(byId).toEqual({ [main.id]: 'succeeded', [other.id]: 'skipped', [broken.id]: 'skipped' });
    const trace = (await server.get(`/api/messages/${result.body.messageId}`)).body.trace;
    const brokenRun = trace.functions.find((f: any) => f.functionId === broken.id);
    expect(brokenRun.condition).toMatchObject({ value: false, error: { message: expect.stringMatching(/undefined/) } });
  });

  it('skips disabled functions and providers', async () => {
    const fn = await given(server).fn({ providerId: github.id, uri: 'disabled/fn', enabled: false });
    const result = await server.webhook('disabled/fn', {}, { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(404);
    await server.put(`/api/functions/${fn.id}`, { enabled: true });
    expect((await server.webhook('disabled/fn', {}, { ...SYNC, 'x-github-event': 'push' })).status).toBe(200);
  });

  it('stores malformed JSON as received and gives scripts json: null', async () => {
    await given(server).fn({ providerId: github.id, uri: 'bad/json', script: 'return { json: request.json, body: request.body }' });
    const result = await server.webhook('bad/json', '{"unterminated": ', { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toEqual({ json: null, body: '{"unterminated": ' });
    const raw = await server.get(`/api/messages/${result.body.messageId}/body`);
    expect(raw.text).toBe('{"unterminated": ');
  });

  it('parses form bodies and keeps binary bodies byte for byte', async () => {
    await given(server).fn({ providerId: github.id, uri: 'form', script: 'return request.form' });
    const form = await server.webhook('form', 'text=hello+world&channel=%23ops', { ...SYNC, 'x-github-event': 'push', 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.body.functions[0].result).toEqual({ text: 'hello world', channel: '#ops' });

    const bytes = Buffer.from([0, 255, 1, 254, 0x80, 0x81, 10, 13]);
    const binary = await server.webhook('form', bytes, { 'x-github-event': 'push', 'content-type': 'application/octet-stream' });
    expect(binary.status).toBe(202);
    const response = await fetch(`${server.url}/api/messages/${binary.body.messageId}/body`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    const detail = (await server.get(`/api/messages/${binary.body.messageId}`)).body;
    expect(detail).toMatchObject({ bodyEncoding: 'binary', body: null, bodySize: 8 });
  });

  it('accepts any method at any depth', async () => {
    await given(server).fn({ providerId: github.id, uri: 'a/b/c/d', script: 'return request.method' });
    for (const method of ['PUT', 'PATCH', 'DELETE', 'GET']) {
      const result = await server.request(method, '/webhooks/a/b/c/d', undefined, { auth: false, headers: { ...SYNC, 'x-github-event': 'push' } });
      expect(result.status).toBe(200);
      expect(result.body.functions[0].result).toBe(method);
    }
  });

  it('accepts and keeps a 5 MB body under the default limit', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 'x');
    const result = await server.webhook('big/enough', big, { 'content-type': 'application/octet-stream' });
    expect(result.status).toBe(202);
    const detail = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(detail.bodySize).toBe(big.length);
  });

  it('answers 202 to a sync caller when functions outlast HOOKLINE_SYNC_TIMEOUT, and they finish', async () => {
    await given(server).fn({ providerId: github.id, uri: 'slow', timeoutMs: 10000, script: 'const until = Date.now() + 2500; while (Date.now() < until) {}\nreturn "late";' });
    const result = await server.webhook('slow', {}, { ...SYNC, 'x-github-event': 'push' });
    expect(result.status).toBe(202);
    expect(result.body.status).toBe('processing');
    const message = await server.waitForMessage(result.body.messageId, ['processed', 'failed']);
    expect(message.status).toBe('processed');
    expect(message.trace.functions[0].result).toBe('late');
  });

  it('lists messages newest first with filters and cursor paging', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await server.webhook('paging/test', { i }, {})).body.messageId);
    const first = await server.get('/api/messages?uri=paging/test&limit=2');
    expect(first.body.items.map((m: any) => m.id)).toEqual([ids[4], ids[3]]);
    const second = await server.get(`/api/messages?uri=paging/test&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((m: any) => m.id)).toEqual([ids[2], ids[1]]);
    const third = await server.get(`/api/messages?uri=paging/test&limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body.items.map((m: any) => m.id)).toEqual([ids[0]]);
    expect(third.body.nextCursor).toBeNull();

    const byStatus = await server.get('/api/messages?status=no_provider&uri=paging/test');
    expect(byStatus.body.items).toHaveLength(5);
    const byProvider = await server.get(`/api/messages?providerId=${github.id}&limit=500`);
    expect(byProvider.body.items.every((m: any) => m.providerId === github.id)).toBe(true);
    const future = await server.get(`/api/messages?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.body.items).toEqual([]);

    const bad = await server.get('/api/messages?status=lost&limit=0&since=yesterday');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['limit', 'since', 'status']);
  });
});
