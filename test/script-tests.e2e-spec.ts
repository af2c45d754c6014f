import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { signDelivery } from './support/signers';
import { given, TestServer } from './support/test-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const GITHUB_EXAMPLES: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples/api.github.com/index.json');
const PUSH = JSON.stringify(GITHUB_EXAMPLES.find((e) => e.name === 'push')?.examples.find((e) => e.ref === 'refs/heads/master'));
const GITHUB_SECRET = 'gh-test-secret-31b7';
const UNKNOWN_ID = '5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10';

describe('testing drafts before saving them', () => {
  let server: TestServer;
  let listener: Server;
  let listenerUrl = '';
  const reached: string[] = [];
  let github: any;
  let pushId = '';

  beforeAll(async () => {
    listener = createServer((req, res) => {
      reached.push(`${req.method} ${req.url}`);
      res.end('reached');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    listenerUrl = `http://127.0.0.1:${port}`;
    server = await TestServer.start({ HOOKLINE_SCRIPT_HTTP_ALLOW: `127.0.0.1:${port}` });
    github = await given(server).provider({
      name: 'GitHub',
      matchScript: 'return "x-github-event" in request.headers',
      verification: { scheme: 'github', secret: GITHUB_SECRET },
      eventFormat: 'github',
    });
    const headers = { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), ...signDelivery('github', { secret: GITHUB_SECRET, body: PUSH }) };
    const delivered = await server.webhook('git/push', PUSH, headers);
    pushId = delivered.body.messageId;
    await server.waitForMessage(pushId, ['no_function']);
  });

  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  describe('POST /api/functions/:id/test', () => {
    it('runs a draft that logs, fetches and triggers, recording the fetch and the trigger instead of doing them', async () => {
      const automation = await server.post('/api/automations', { name: 'deploy', target: { kind: 'http', url: `${listenerUrl}/automation` } });
      expect(automation.status).toBe(201);
      const fn = await given(server).fn({ providerId: github.id, uri: 'git/push', script: 'return "saved"', automationIds: [automation.body.id] });
      const script = [
        'log.info("pushed to", event.branch);',
        `const res = await http.fetch("${listenerUrl}/deploy", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sha: event.sha }) });`,
        'const runId = await automations.trigger("deploy", { branch: event.branch });',
        'respond({ status: 202, body: { queued: runId } });',
        'return { status: res.status, body: res.body, runId };',
      ].join('\n');

      const tested = await server.post(`/api/functions/${fn.id}/test`, {
        script,
        condition: 'event.key == "push"',
        messageId: pushId,
        fetchResponse: { status: 201, body: 'pretend' },
      });

      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({
        function: { id: fn.id },
        request: { messageId: pushId, method: 'POST', uri: 'git/push' },
        eventType: 'push',
        status: 'succeeded',
        condition: { expression: 'event.key == "push"', value: true },
        result: { status: 201, body: 'pretend', runId: 'test-run-1' },
        respond: { status: 202, body: { queued: 'test-run-1' } },
      });
      expect(tested.body.logs.map((entry: any) => entry.message)).toEqual(['pushed to master']);
      expect(tested.body.fetches).toEqual([
        { method: 'POST', url: `${listenerUrl}/deploy`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sha: tested.body.event.sha }) },
      ]);
      expect(tested.body.automations).toEqual([{ automationId: automation.body.id, automation: 'deploy', vars: { branch: 'master' } }]);
      expect(typeof tested.body.durationMs).toBe('number');
      // Nothing left the sandbox: the listener was never called and no run was created.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reached).toEqual([]);
      const runs = await server.get(`/api/runs?automationId=${automation.body.id}`);
      expect(runs.status).toBe(200);
      expect(runs.body.items).toEqual([]);
      // Nothing was saved.
      expect((await server.get(`/api/functions/${fn.id}`)).body.script).toBe('return "saved"');
    });

    it('answers a draft that throws with its message, stack and line', async () => {
      const fn = await given(server).fn({ providerId: github.id, uri: 'git/push' });
      const tested = await server.post(`/api/functions/${fn.id}/test`, { script: 'log.warn("about to fail");\n\nthrow new Error("no deploy on " + event.branch);', messageId: pushId });
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({ status: 'failed', error: { kind: 'error', message: 'Error: no deploy on master', line: 3, column: 7 } });
      expect(tested.body.error.stack).toBe('Error: no deploy on master\n    at function.js:3:7');
      expect(tested.body.logs).toEqual([expect.objectContaining({ level: 'warn', message: 'about to fail' })]);
    });

    it('answers a draft that does not compile with the error and its line, not a 400 or a 500', async () => {
      const fn = await given(server).fn({ providerId: github.id, uri: 'git/push' });
      const tested = await server.post(`/api/functions/${fn.id}/test`, { script: 'const a = 1;\nreturn a +;', messageId: pushId });
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({ status: 'failed', error: { kind: 'compile', line: 2 } });
      expect(tested.body.error.message).toMatch(/^SyntaxError: /);
      const condition = await server.post(`/api/functions/${fn.id}/test`, { condition: 'event.key == )', messageId: pushId });
      expect(condition.status).toBe(200);
      expect(condition.body).toMatchObject({ status: 'skipped', condition: { value: false, error: { kind: 'compile', line: 1 } } });
    });

    it('runs a draft against a pasted request', async () => {
      const fn = await given(server).fn({ providerId: github.id, uri: 'git/push' });
      const tested = await server.post(`/api/functions/${fn.id}/test`, {
        script: 'return { uri: request.uri, ref: request.json.ref, q: request.query.x, event: event && event.key }',
        request: { method: 'post', path: '/webhooks/git/push?x=1', headers: { 'X-GitHub-Event': 'push' }, body: { ref: 'refs/heads/dev' } },
      });
      expect(tested.status).toBe(200);
      expect(tested.body.request).toEqual({ messageId: null, method: 'POST', uri: 'git/push' });
      expect(tested.body.result).toEqual({ uri: 'git/push', ref: 'refs/heads/dev', q: '1', event: 'push' });
    });

    it('refuses an unknown function, a bad draft and a missing or unknown request, naming the field', async () => {
      expect((await server.request('POST', `/api/functions/${UNKNOWN_ID}/test`, { messageId: pushId }, { auth: false })).status).toBe(401);
      expect((await server.post(`/api/functions/${UNKNOWN_ID}/test`, { messageId: pushId })).status).toBe(404);
      const fn = await given(server).fn({ providerId: github.id, uri: 'git/push' });
      const bad = await server.post(`/api/functions/${fn.id}/test`, { timeoutMs: 'soon', automationIds: [UNKNOWN_ID], messageId: pushId });
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toEqual({ timeoutMs: 'must be a whole number of milliseconds', automationIds: `name no automation: ${UNKNOWN_ID}` });
      const neither = await server.post(`/api/functions/${fn.id}/test`, { script: 'return 1' });
      expect(neither.status).toBe(400);
      expect(neither.body.fields.messageId).toMatch(/one of the two/);
      const unknownMessage = await server.post(`/api/functions/${fn.id}/test`, { messageId: UNKNOWN_ID });
      expect(unknownMessage.status).toBe(400);
      expect(unknownMessage.body.fields.messageId).toBe(`names no stored message (${UNKNOWN_ID})`);
      const badRequest = await server.post(`/api/functions/${fn.id}/test`, { request: { path: 'has space', headers: { a: 1 } } });
      expect(badRequest.status).toBe(400);
      expect(Object.keys(badRequest.body.fields).sort()).toEqual(['request.headers.a', 'request.path']);
    });
  });

  it('describes test and preview in the OpenAPI document, with the bodies the server validates', async () => {
    const docs = (await server.get('/api/docs')).body;
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/providers/{id}/test', '/api/functions/{id}/test', '/api/preview']));
    const input = docs.components.schemas.FunctionTestInput;
    expect(Object.keys(input.properties)).toEqual(['script', 'condition', 'timeoutMs', 'automationIds', 'messageId', 'request', 'fetchResponse']);
    expect(input.additionalProperties).toBe(false);
    expect(docs.components.schemas.PreviewInput.properties.limit).toMatchObject({ minimum: 1, maximum: 1000 });
    expect(docs.paths['/api/functions/{id}/test'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/FunctionTestInput' });
  });

  describe('POST /api/providers/:id/test', () => {
    it('tests a draft match script on a stored GitHub push: match, verification and event', async () => {
      const tested = await server.post(`/api/providers/${github.id}/test`, { matchScript: 'return request.headers["x-github-event"] === "push"', messageId: pushId });
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({
        provider: { id: github.id, name: 'GitHub' },
        matched: true,
        accepted: true,
        verification: { scheme: 'github', ok: true, matchedSecret: 'current' },
        eventType: 'push',
        event: { key: 'push', branch: 'master' },
      });
      expect((await server.get(`/api/providers/${github.id}`)).body.matchScript).toBe('return "x-github-event" in request.headers');
    });

    it('says no for a draft that does not match, and locates the error of one that throws', async () => {
      const no = await server.post(`/api/providers/${github.id}/test`, { matchScript: 'return request.headers["x-github-event"] === "issues"', messageId: pushId });
      expect(no.body).toMatchObject({ matched: false, accepted: false });
      expect(no.body.verification).toBeUndefined();
      const thrown = await server.post(`/api/providers/${github.id}/test`, { matchScript: '\nreturn request.json.nothing.here', messageId: pushId });
      expect(thrown.status).toBe(200);
      expect(thrown.body).toMatchObject({ matched: false, error: { kind: 'error', line: 2 } });
      const broken = await server.post(`/api/providers/${github.id}/test`, { matchScript: 'return );', messageId: pushId });
      expect(broken.status).toBe(200);
      expect(broken.body).toMatchObject({ matched: false, error: { kind: 'compile', line: 1 } });
    });

    it('reports a signature that fails under a draft scheme', async () => {
      const tested = await server.post(`/api/providers/${github.id}/test`, { verification: { scheme: 'stripe' }, messageId: pushId });
      expect(tested.body).toMatchObject({ matched: true, accepted: false, verification: { scheme: 'stripe', ok: false } });
    });

    it('counts a genuine Stripe signature that is only too old, as a resubmit would', async () => {
      const stripe = await given(server).provider({
        name: 'Stripe',
        matchScript: 'return "stripe-signature" in request.headers',
        verification: { scheme: 'stripe', secret: 'whsec_preview_test_secret' },
        eventFormat: 'stripe',
      });
      const event = readFileSync(join(__dirname, 'fixtures', 'stripe', 'payment-intent-succeeded.json'), 'utf8');
      const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
      const stale = await server.webhook('pay/events', event, signDelivery('stripe', { secret: 'whsec_preview_test_secret', body: event, timestamp: tenMinutesAgo }));
      expect((await server.waitForMessage(stale.body.messageId, ['unauthorized'])).status).toBe('unauthorized');
      const tested = await server.post(`/api/providers/${stripe.id}/test`, { messageId: stale.body.messageId });
      expect(tested.body).toMatchObject({
        matched: true,
        accepted: true,
        verification: { scheme: 'stripe', ok: false, overridden: true },
        eventType: 'payment_intent.succeeded',
      });
      expect(tested.body.verification.reason).toMatch(/tolerance/);
    });

    it('refuses an unknown provider and a bad draft', async () => {
      expect((await server.request('POST', `/api/providers/${github.id}/test`, { messageId: pushId }, { auth: false })).status).toBe(401);
      expect((await server.post(`/api/providers/${UNKNOWN_ID}/test`, { messageId: pushId })).status).toBe(404);
      expect((await server.post('/api/providers/not-an-id/test', { messageId: pushId })).status).toBe(404);
      const bad = await server.post(`/api/providers/${github.id}/test`, { matchScript: 7, eventFormat: 'telex', messageId: pushId });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.fields).sort()).toEqual(['eventFormat', 'matchScript']);
      const misnamed = await server.post(`/api/providers/${github.id}/test`, { script: 'return true', messageId: pushId });
      expect(misnamed.status).toBe(400);
      expect(misnamed.body.fields).toEqual({
        script: 'is not a field here; the fields are matchScript, properties, eventFormat, messageId, request, verification',
      });
    });
  });
});

describe('previewing a draft provider order over stored messages', () => {
  let server: TestServer;
  let first: any;
  let second: any;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await TestServer.start();
    first = await given(server).provider({ name: 'First', matchScript: 'return request.headers["x-kind"] !== undefined' });
    second = await given(server).provider({ name: 'Second', matchScript: 'return true' });
    await given(server).fn({ providerId: first.id, uri: 'preview/me', name: 'first-fn', script: 'return 1' });
    await given(server).fn({ providerId: second.id, uri: 'preview/me', name: 'second-fn', script: 'return 2', condition: 'payload.n > 1' });
    for (let n = 0; n < 3; n++) ids.push((await server.webhook('preview/me', { n }, { 'x-kind': 'a', 'flex-sync-webhook': 'true' })).body.messageId);
    ids.push((await server.webhook('preview/me', { n: 9 }, { 'flex-sync-webhook': 'true' })).body.messageId);
  });

  afterAll(async () => {
    await server.close();
  });

  it('shows nothing changed for the saved configuration', async () => {
    const preview = await server.post('/api/preview', {});
    expect(preview.status).toBe(200);
    expect(preview.body.counts).toEqual({ messages: 4, changed: 0 });
    expect(preview.body.order.map((p: any) => p.name)).toEqual(['First', 'Second']);
  });

  it('shows which messages a reversed order would send elsewhere', async () => {
    const preview = await server.post('/api/preview', { order: [second.id, first.id] });
    expect(preview.status).toBe(200);
    expect(preview.body.order.map((p: any) => p.name)).toEqual(['Second', 'First']);
    expect(preview.body.counts).toEqual({ messages: 4, changed: 3 });
    const byId = new Map(preview.body.items.map((item: any) => [item.messageId, item]));
    const moved: any = byId.get(ids[2]);
    expect(moved).toMatchObject({
      changed: true,
      changes: ['provider', 'functions'],
      actual: { status: 'processed', providerName: 'First', functions: [{ name: 'first-fn' }] },
      draft: { status: 'accepted', providerName: 'Second', functions: [{ name: 'second-fn' }] },
    });
    // n = 0: the second provider's condition does not hold, so no function would run.
    expect((byId.get(ids[0]) as any).draft.functions).toEqual([]);
    expect(byId.get(ids[3])).toMatchObject({ changed: false, actual: { providerName: 'Second' }, draft: { providerName: 'Second' } });
    // Newest first.
    expect(preview.body.items.map((item: any) => item.messageId)).toEqual([...ids].reverse());
    // Nothing was saved.
    expect((await server.get('/api/providers')).body.map((p: any) => p.name)).toEqual(['First', 'Second']);
  });

  it('previews a draft match script and limits the messages replayed', async () => {
    const preview = await server.post('/api/preview', { providers: { [first.id]: { matchScript: 'return request.json.n === 1' } }, limit: 3 });
    expect(preview.status).toBe(200);
    expect(preview.body.counts).toEqual({ messages: 3, changed: 1 });
    expect(preview.body.items.find((item: any) => item.changed).messageId).toBe(ids[2]);
  });

  it('reports a draft that does not compile once, and the errors it caused per message', async () => {
    const preview = await server.post('/api/preview', { providers: { [first.id]: { matchScript: 'return );' } }, limit: 1 });
    expect(preview.status).toBe(200);
    expect(preview.body.scriptErrors[first.id]).toMatchObject({ kind: 'compile', line: 1 });
    expect(preview.body.items[0].draft.errors).toEqual([expect.objectContaining({ id: first.id, name: 'First', error: expect.objectContaining({ kind: 'compile' }) })]);
  });

  it('replays more messages than it reads at once, each once, newest first', async () => {
    for (let n = 0; n < 30; n++) ids.push((await server.webhook('preview/me', { n: 100 + n }, { 'x-kind': 'b', 'flex-sync-webhook': 'true' })).body.messageId);
    const preview = await server.post('/api/preview', { order: [second.id, first.id], limit: 33 });
    expect(preview.status).toBe(200);
    expect(preview.body.items.map((item: any) => item.messageId)).toEqual([...ids].reverse().slice(0, 33));
    expect(preview.body.counts).toEqual({ messages: 33, changed: 32 });
  });

  it('refuses an incomplete order, unknown providers and a bad limit', async () => {
    expect((await server.request('POST', '/api/preview', {}, { auth: false })).status).toBe(401);
    const bad = await server.post('/api/preview', { order: [second.id], providers: { [UNKNOWN_ID]: { matchScript: 'return true' } }, limit: 5000 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({ limit: 'must be a whole number from 1 to 1000' });
    const unknown = await server.post('/api/preview', { order: [second.id], providers: { [UNKNOWN_ID]: { matchScript: 'return true' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields.order).toMatch(/^leave out: /);
    expect(unknown.body.fields[`providers.${UNKNOWN_ID}`]).toBe('names no provider');
  });
});
