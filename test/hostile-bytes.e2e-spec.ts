import { randomUUID } from 'node:crypto';
import { signDelivery } from './support/signers';
import { given, TestServer } from './support/test-server';

const SYNC = { 'flex-sync-webhook': 'true' };
const NUL = '\u0000';
const REPLACED = '\ufffd';

/** Bytes PostgreSQL text and jsonb refuse (U+0000, lone surrogates) and bytes that are not UTF-8 at all. */
describe('messages with NUL characters and invalid UTF-8', () => {
  let server: TestServer;
  let provider: { id: string };

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_SYNC_TIMEOUT: '5s' });
    provider = await given(server).provider({ name: 'Anything', matchScript: 'return request.headers["x-sender"] === "bytes"', eventFormat: 'stripe' });
  });

  afterAll(async () => {
    await server.close();
  });

  const send = (uri: string, body: string | Buffer, headers: Record<string, string> = {}) => server.webhook(uri, body, { 'x-sender': 'bytes', ...headers });

  async function bodyBytes(id: string): Promise<Buffer> {
    const response = await fetch(`${server.url}/api/messages/${id}/body`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  it('stores %00 in the uri and in query keys and values, with U+FFFD in their text', async () => {
    await given(server).fn({ providerId: provider.id, uri: 'nul/query', script: 'return request.query' });
    const result = await send('nul/query?x=a%00b&y%00=1', '{}', SYNC);
    expect(result.status).toBe(200);
    expect(result.body.functions[0]).toMatchObject({ status: 'succeeded', result: { x: `a${REPLACED}b`, [`y${REPLACED}`]: '1' } });
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message).toMatchObject({ status: 'processed', query: { x: `a${REPLACED}b`, [`y${REPLACED}`]: '1' } });

    const inUri = await send('nul%00/uri', '{}', SYNC);
    expect(inUri.status).toBe(404);
    expect(inUri.body.status).toBe('no_function');
    expect((await server.get(`/api/messages/${inUri.body.messageId}`)).body).toMatchObject({ status: 'no_function', uri: `nul${REPLACED}/uri` });
  });

  it('stores \\u0000 in JSON fields that name the event, keeping the body bytes exact', async () => {
    await given(server).fn({ providerId: provider.id, uri: 'nul/event', script: 'log.info(request.json.type); return { type: request.json.type, eventType }' });
    const raw = '{"id":"evt_\\u0000","type":"order.\\u0000paid"}';
    const result = await send('nul/event', raw, SYNC);
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toEqual({ type: `order.${NUL}paid`, eventType: `order.${REPLACED}paid` });
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message).toMatchObject({ status: 'processed', eventType: `order.${REPLACED}paid`, deliveryId: `evt_${REPLACED}` });
    expect(message.trace.functions[0].result).toEqual({ type: `order.${REPLACED}paid`, eventType: `order.${REPLACED}paid` });
    expect(message.trace.functions[0].logs[0].message).toBe(`order.${REPLACED}paid`);
    expect((await bodyBytes(message.id)).toString('utf8')).toBe(raw);
  });

  it('finishes a queued message whose function returns and logs a NUL, running the function once', async () => {
    await given(server).fn({ providerId: provider.id, uri: 'nul/async', script: 'log.warn("before\\u0000after"); return { text: "a\\u0000b", [String.fromCharCode(0)]: 1, lone: "\\ud800" }' });
    const accepted = await send('nul/async', '{"type":"ping"}');
    expect(accepted.status).toBe(202);
    const message = await server.waitForMessage(accepted.body.messageId, ['processed', 'failed']);
    expect(message).toMatchObject({ status: 'processed', attempts: 1 });
    expect(message.trace.functions).toHaveLength(1);
    expect(message.trace.functions[0].result).toEqual({ text: `a${REPLACED}b`, [REPLACED]: 1, lone: REPLACED });
    expect(message.trace.functions[0].logs[0].message).toBe(`before${REPLACED}after`);
  });

  it('processes a GitHub push signed by the official library with \\u0000 in ref', async () => {
    const secret = 'gh-nul-secret';
    const github = await given(server).provider({
      name: 'GitHub NUL',
      priority: 1,
      matchScript: 'return "x-github-event" in request.headers',
      verification: { scheme: 'github', secret },
      eventFormat: 'github',
    });
    await given(server).fn({ providerId: github.id, uri: 'nul/push', script: 'return { ref: request.json.ref, branch: event.branch }' });
    const body = JSON.stringify({ ref: `refs/heads/main${NUL}evil`, after: 'a'.repeat(40), repository: { full_name: 'o/r' } });
    const headers = { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), ...signDelivery('github', { secret, body }) };
    const accepted = await server.webhook('nul/push', body, headers);
    expect(accepted.status).toBe(202);
    const message = await server.waitForMessage(accepted.body.messageId, ['processed', 'failed', 'unauthorized']);
    expect(message.status).toBe('processed');
    expect(message.trace.verification).toEqual({ scheme: 'github', ok: true, matchedSecret: 'current' });
    expect(message.trace.functions[0].result.ref).toBe(`refs/heads/main${REPLACED}evil`);
    expect((await bodyBytes(message.id)).toString('utf8')).toBe(body);
  });

  it('stores JSON and form bodies that are not UTF-8 byte for byte and runs their functions', async () => {
    await given(server).fn({ providerId: provider.id, uri: 'bad/utf8', script: 'return request.json ?? request.form' });
    const json = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","b":"\\ud800x","type":"t\\u0000"}')]);
    const result = await send('bad/utf8', json, SYNC);
    expect(result.status).toBe(200);
    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message).toMatchObject({ status: 'processed', bodyEncoding: 'binary', eventType: `t${REPLACED}` });
    expect(message.trace.functions[0].result).toEqual({ a: `${REPLACED}${REPLACED}${REPLACED}`, b: `${REPLACED}x`, type: `t${REPLACED}` });
    expect((await bodyBytes(message.id)).equals(json)).toBe(true);

    const form = Buffer.concat([Buffer.from('a=%FF%00&b='), Buffer.from([0xff]), Buffer.from('&type=x%00')]);
    const formResult = await send('bad/utf8', form, { ...SYNC, 'content-type': 'application/x-www-form-urlencoded' });
    expect(formResult.status).toBe(200);
    const formMessage = (await server.get(`/api/messages/${formResult.body.messageId}`)).body;
    expect(formMessage.status).toBe('processed');
    expect(formMessage.trace.functions[0].result).toEqual({ a: `${REPLACED}${REPLACED}`, b: REPLACED, type: `x${REPLACED}` });
    expect((await bodyBytes(formMessage.id)).equals(form)).toBe(true);
  });

  it('marks a message failed with the reason when its result cannot be stored, never running its functions again', async () => {
    // Deeper than JSON.stringify and PostgreSQL's jsonb parser go.
    const deep = 'let v = 1; for (let i = 0; i < 30000; i++) v = [v]; return v;';
    await given(server).fn({ providerId: provider.id, uri: 'unstorable', script: deep });
    const sync = await send('unstorable', '{}', SYNC);
    expect(sync.status).toBe(500);
    expect(sync.body).toMatchObject({ status: 'failed', message: expect.stringMatching(/^Processing failed: the processed result could not be stored: /) });
    const stored = (await server.get(`/api/messages/${sync.body.messageId}`)).body;
    expect(stored).toMatchObject({ status: 'failed', attempts: 1, statusReason: expect.stringMatching(/^the processed result could not be stored: /) });
    expect(stored.finishedAt).not.toBeNull();

    const queued = await send('unstorable', '{}');
    expect(queued.status).toBe(202);
    const failed = await server.waitForMessage(queued.body.messageId, ['failed', 'processed']);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, statusReason: expect.stringMatching(/^the processed result could not be stored: /) });
  });

  it('fails only the message whose result cannot be stored when results of several messages are written together', async () => {
    await given(server).fn({ providerId: provider.id, uri: 'unstorable/batch', script: 'let v = 1; for (let i = 0; i < 30000; i++) v = [v]; return v;' });
    await given(server).fn({ providerId: provider.id, uri: 'storable', script: 'return { ok: request.json.n }' });
    // Sent at once, so their results end together and share a write that the database refuses.
    const [bad, ...good] = await Promise.all([send('unstorable/batch', '{}', SYNC), ...[1, 2, 3, 4].map((n) => send('storable', JSON.stringify({ n }), SYNC))]);
    expect(bad.status).toBe(500);
    expect(bad.body.message).toMatch(/^Processing failed: the processed result could not be stored: /);
    expect(good.map((result) => [result.status, result.body.functions?.[0]?.result])).toEqual([1, 2, 3, 4].map((n) => [200, { ok: n }]));
    for (const result of good) expect((await server.get(`/api/messages/${result.body.messageId}`)).body.status).toBe('processed');
  });

  it('stores automation vars and command output that carry NUL characters', async () => {
    const created = await server.post('/api/automations', { name: 'nul-output', target: { kind: 'command', shell: true, command: "printf 'out\\000put'; printf 'err\\000' >&2" } });
    expect(created.status).toBe(201);
    await given(server).fn({ providerId: provider.id, uri: 'nul/run', automationIds: [created.body.id], script: 'return await automations.trigger("nul-output", { v: "x\\u0000y" })' });
    const result = await send('nul/run', '{}', SYNC);
    expect(result.status).toBe(200);
    const runId = result.body.functions[0].result;
    let run: any;
    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(run?.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await server.get(`/api/runs/${runId}`)).body;
    }
    expect(run).toMatchObject({ status: 'succeeded', vars: { v: `x${REPLACED}y` } });
    expect(run.output).toMatchObject({ exitCode: 0, stdout: `out${REPLACED}put`, stderr: `err${REPLACED}` });
  });
});
