import { connect } from 'node:net';
import { given, TestServer } from './support/test-server';

const SYNC = { 'flex-sync-webhook': 'true' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** One HTTP/1.1 request written byte for byte, for what fetch will not send (a header named `__proto__`). */
async function rawRequest(url: string, head: string[], body: string): Promise<{ status: number; body: any }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((resolve, reject) => {
    socket.on('end', () => resolve());
    socket.on('error', reject);
  });
  socket.write([...head, `host: ${hostname}:${port}`, 'connection: close', `content-length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
  await closed;
  const text = Buffer.concat(chunks).toString('utf8');
  const [status, payload] = [Number(text.split(' ')[1]), text.slice(text.indexOf('\r\n\r\n') + 4)];
  return { status, body: JSON.parse(payload) };
}

const sorted = (entries: unknown[][]) => [...entries].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe('query, form and header names like object members', () => {
  let server: TestServer;
  let provider: { id: string };

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_SYNC_TIMEOUT: '5s' });
    provider = await given(server).provider({ name: 'Members', matchScript: 'return request.query.toString === "3" || request.headers["__proto__"] === "p"' });
  });

  afterAll(async () => {
    await server.close();
  });

  const QUERY = 'toString=3&constructor=c&__proto__=p&hasOwnProperty=h&valueOf=1&valueOf=2';
  const QUERY_ENTRIES = [
    ['toString', '3'],
    ['constructor', 'c'],
    ['__proto__', 'p'],
    ['hasOwnProperty', 'h'],
    ['valueOf', ['1', '2']],
  ];

  it('matches on, runs conditions over and stores every query key, in both modes', async () => {
    await given(server).fn({
      providerId: provider.id,
      uri: 'members/query',
      condition: 'query.constructor === "c" && query.__proto__ === "p"',
      script: 'return Object.entries(request.query)',
    });
    const sync = await server.webhook(`members/query?${QUERY}`, '{}', SYNC);
    expect(sync.status).toBe(200);
    expect(sync.body.functions[0].result).toEqual(QUERY_ENTRIES);
    const message = (await server.get(`/api/messages/${sync.body.messageId}`)).body;
    // jsonb keeps keys, not their order.
    expect(sorted(Object.entries(message.query))).toEqual(sorted(QUERY_ENTRIES));
    expect(message.trace.functions[0]).toMatchObject({ status: 'succeeded', condition: { value: true }, result: QUERY_ENTRIES });

    const queued = await server.webhook(`members/query?${QUERY}`, '{}');
    expect(queued.status).toBe(202);
    const processed = await server.waitForMessage(queued.body.messageId, ['processed', 'failed', 'no_function']);
    expect(processed.status).toBe('processed');
    expect(sorted(processed.trace.functions[0].result)).toEqual(sorted(QUERY_ENTRIES));
  });

  it('keeps every form field, repeated ones as arrays', async () => {
    await given(server).fn({ providerId: provider.id, uri: 'members/form', condition: 'payload.__proto__[1] === "b"', script: 'return Object.entries(request.form)' });
    const result = await server.webhook('members/form?toString=3', 'toString=x&__proto__=a&__proto__=b&constructor=c', { ...SYNC, ...FORM });
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toEqual([
      ['toString', 'x'],
      ['__proto__', ['a', 'b']],
      ['constructor', 'c'],
    ]);
  });

  it('keeps a header named __proto__ for matching, scripts and the stored message', async () => {
    await given(server).fn({ providerId: provider.id, uri: 'members/header', script: 'return request.headers["__proto__"]' });
    const result = await rawRequest(server.url, ['POST /webhooks/members/header HTTP/1.1', '__proto__: p', 'flex-sync-webhook: true', 'content-type: application/json'], '{}');
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toBe('p');
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(Object.entries(message.headers)).toContainEqual(['__proto__', 'p']);
  });
});

describe('deeply nested JSON bodies', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_SYNC_TIMEOUT: '5s' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('treats a body nested 100,000 deep as unparsed, saying why in the trace, and still runs conditions and commands', async () => {
    const provider = await given(server).provider({ name: 'Deep', matchScript: 'return request.headers["x-deep"] === "1" && request.json === null' });
    const created = await server.post('/api/automations', { name: 'deep-run', target: { kind: 'command', command: 'echo ran' } });
    expect(created.status).toBe(201);
    await given(server).fn({
      providerId: provider.id,
      uri: 'deep/json',
      condition: 'payload === null',
      automationIds: [created.body.id],
      script: 'return { json: request.json, size: request.body.length, runId: await automations.trigger("deep-run") }',
    });
    const body = '['.repeat(100_000) + ']'.repeat(100_000);
    const result = await server.webhook('deep/json', body, { ...SYNC, 'x-deep': '1' });
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toMatchObject({ json: null, size: 200_000 });
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message.trace.notes).toEqual(['the JSON body is nested deeper than 512 levels; it was not parsed (request.json is null)']);
    expect(message.trace.functions[0].condition).toEqual({ expression: 'payload === null', value: true });

    let run: any;
    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(run?.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await server.get(`/api/runs/${result.body.functions[0].result.runId}`)).body;
    }
    expect(run).toMatchObject({ status: 'succeeded', output: expect.objectContaining({ stdout: 'ran\n' }) });
  });

  it('parses a body nested exactly 512 deep', async () => {
    const provider = await given(server).provider({ name: 'Deep enough', matchScript: 'return request.headers["x-deep"] === "512"' });
    await given(server).fn({ providerId: provider.id, uri: 'deep/limit', script: 'let depth = 0; for (let v = request.json; Array.isArray(v); v = v[0]) depth++; return depth' });
    const result = await server.webhook('deep/limit', '['.repeat(512) + ']'.repeat(512), { ...SYNC, 'x-deep': '512' });
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toBe(512);
    expect((await server.get(`/api/messages/${result.body.messageId}`)).body.trace.notes).toBeUndefined();
  });
});

