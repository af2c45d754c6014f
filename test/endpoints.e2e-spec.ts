import { randomBytes } from 'node:crypto';
import { tokenHash } from '../apps/server/src/common/ids';
import { SecretBox } from '../apps/server/src/security/secret-box';
import { signDelivery } from './support/signers';
import { queryStoppedDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';

describe('secret-token webhook endpoints', () => {
  let server: TestServer;
  let echo: { id: string; name: string };

  beforeAll(async () => {
    server = await TestServer.start();
    echo = (await server.post('/api/automations', { name: 'echo-payload', target: { kind: 'command', shell: true, command: 'wc -c < "$WEBHOOK_PAYLOAD_PATH"; echo {{webhook.action}}' } })).body;
  });

  afterAll(async () => {
    await server.close();
  });

  async function endpoint(fields: Record<string, unknown> = {}) {
    const result = await server.post('/api/webhooks', { name: `ep-${Math.random().toString(36).slice(2, 8)}`, automationIds: [echo.id], ...fields });
    if (result.status !== 201) throw new Error(`endpoint: ${result.status} ${result.text}`);
    return result.body;
  }

  function deliver(url: string, body: unknown, headers: Record<string, string> = {}) {
    const path = new URL(url).pathname;
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return server.request('POST', path, undefined, { auth: false, raw, headers: { 'content-type': 'application/json', ...headers } });
  }

  async function waitForRun(id: string): Promise<any> {
    for (let i = 0; i < 200; i++) {
      const run = (await server.get(`/api/runs/${id}`)).body;
      if (['succeeded', 'failed', 'skipped'].includes(run.status)) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`run ${id} did not finish`);
  }

  it('gives each endpoint a long random URL-safe token in its url, shown only at creation', async () => {
    const created = await endpoint();
    expect(created.url).toMatch(new RegExp(`^${server.url}/api/webhooks/inbound/hle_[A-Za-z0-9_-]{43}$`));
    expect((await endpoint()).url).not.toBe(created.url);
    const token = created.url.split('/').pop();
    expect(created.tokenPrefix).toBe(token.slice(0, 10));

    const read = (await server.get(`/api/webhooks/${created.id}`)).body;
    const listed = (await server.get('/api/webhooks')).body.find((e: any) => e.id === created.id);
    const updated = (await server.put(`/api/webhooks/${created.id}`, { description: 'changed' })).body;
    for (const view of [read, listed, updated]) {
      expect(view.url).toBeUndefined();
      expect(view.tokenPrefix).toBe(token.slice(0, 10));
      expect(JSON.stringify(view)).not.toContain(token);
    }
  });

  it('accepts a delivery with 200, starts every linked automation with the full payload, and keeps the delivery', async () => {
    const ep = await endpoint();
    const payload = { action: 'released', filler: 'x'.repeat(10_000) };
    const result = await deliver(ep.url, payload);
    expect(result.status).toBe(200);
    expect(result.body.automations).toEqual([{ automationId: echo.id, automationName: 'echo-payload', runId: expect.any(String), status: 'pending' }]);
    const run = await waitForRun(result.body.automations[0].runId);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'webhook', endpointId: ep.id, messageId: result.body.messageId });
    expect(run.output.stdout.split('\n').slice(0, 2)).toEqual([String(JSON.stringify(payload).length), 'released']);

    const history = await server.get(`/api/webhooks/${ep.id}/deliveries`);
    expect(history.body.items).toHaveLength(1);
    const delivery = history.body.items[0];
    expect(delivery).toMatchObject({ messageId: result.body.messageId, status: 'processed', httpStatus: 200, payloadSize: JSON.stringify(payload).length, payloadTruncated: true });
    expect(delivery.payloadPreview).toHaveLength(4096);
    expect(delivery.automations[0]).toMatchObject({ automationId: echo.id, runId: run.id });

    const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
    expect(message.path).toBe('/api/webhooks/inbound/(token)');
    expect(JSON.stringify(message)).not.toContain(ep.url.split('/').pop());
  });

  it('ends as failed a delivery whose server died before answering it, keeping the runs it started', async () => {
    const ep = await endpoint();
    const result = await deliver(ep.url, { action: 'interrupted' });
    const runId = result.body.automations[0].runId;
    await waitForRun(runId);
    // As if the server had died right after the first write, with the sender not yet answered.
    await server.stop();
    await queryStoppedDatabase(
      server.database,
      `UPDATE messages SET status = 'processing', locked_by = 'gone', locked_until = now() - interval '1 second', attempts = 1, finished_at = NULL
        WHERE id = '${result.body.messageId}'`,
    );
    await server.launch();
    await server.login();
    const ended = await server.waitForMessage(result.body.messageId, ['failed', 'processed']);
    expect(ended.status).toBe('failed');
    expect(ended.statusReason).toMatch(/stopped while starting its automations, before answering/);
    expect(ended.trace.interruptedAttempts).toBe(1);
    // What it had started stays, and nothing was started again.
    expect(ended.trace.automations).toEqual([expect.objectContaining({ runId })]);
    const runs = (await server.get(`/api/runs?automationId=${echo.id}&limit=200`)).body.items as Array<{ id: string; messageId: string }>;
    expect(runs.filter((run) => run.messageId === result.body.messageId).map((run) => run.id)).toEqual([runId]);
  });

  it('answers 404 to an unknown or malformed token and stores nothing', async () => {
    const before = (await server.get('/api/messages?limit=500')).body.items.length;
    expect((await server.request('POST', `/api/webhooks/inbound/hle_${'A'.repeat(43)}`, undefined, { auth: false, raw: '{}' })).status).toBe(404);
    expect((await server.request('POST', '/api/webhooks/inbound/short', undefined, { auth: false, raw: '{}' })).status).toBe(404);
    expect((await server.get('/api/messages?limit=500')).body.items.length).toBe(before);
  });

  it('invalidates the old token at once on regenerate', async () => {
    const ep = await endpoint();
    const regenerated = await server.post(`/api/webhooks/${ep.id}/regenerate`);
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.url).toMatch(/\/api\/webhooks\/inbound\/hle_[A-Za-z0-9_-]{43}$/);
    expect(regenerated.body.url).not.toBe(ep.url);
    expect(regenerated.body.tokenPrefix).toBe(regenerated.body.url.split('/').pop().slice(0, 10));
    expect((await deliver(ep.url, {})).status).toBe(404);
    expect((await deliver(regenerated.body.url, {})).status).toBe(200);
  });

  it('answers 401 when the signature fails, and 200 when it is right', async () => {
    const ep = await endpoint({ verification: { scheme: 'github', secret: 'endpoint-secret' } });
    expect(ep.verification).toEqual({ scheme: 'github', secretConfigured: true, options: {} });
    const body = JSON.stringify({ action: 'opened' });
    const denied = await deliver(ep.url, body, signDelivery('github', { secret: 'wrong', body }));
    expect(denied.status).toBe(401);
    expect(denied.body.message).toBe('Verification failed: signature does not match');
    const accepted = await deliver(ep.url, body, signDelivery('github', { secret: 'endpoint-secret', body }));
    expect(accepted.status).toBe(200);
  });

  it('answers 429 with Retry-After inside the cooldown', async () => {
    const ep = await endpoint({ cooldownSeconds: 60 });
    expect((await deliver(ep.url, { n: 1 })).status).toBe(200);
    const throttled = await deliver(ep.url, { n: 2 });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(throttled.body.message).toMatch(/one every 60 s/);
    const history = (await server.get(`/api/webhooks/${ep.id}/deliveries`)).body.items;
    expect(history.map((d: any) => [d.status, d.httpStatus])).toEqual([
      ['throttled', 429],
      ['processed', 200],
    ]);
  });

  it('answers 207 when some linked automations cannot start', async () => {
    const doomed = (await server.post('/api/automations', { name: 'doomed', target: { kind: 'command', command: 'true' } })).body;
    const ep = await endpoint({ automationIds: [echo.id, doomed.id] });
    await server.delete(`/api/automations/${doomed.id}`);
    const result = await deliver(ep.url, { action: 'x' });
    expect(result.status).toBe(207);
    expect(result.body.automations.map((a: any) => [a.automationId, a.status])).toEqual([
      [echo.id, 'pending'],
      [doomed.id, 'failed'],
    ]);
    expect(result.body.automations[1].error).toBe('the automation no longer exists');
  });

  it('answers 200 for a disabled endpoint or automation, starting nothing that is off', async () => {
    const ep = await endpoint({ enabled: false });
    const off = await deliver(ep.url, {});
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ status: 'disabled', automations: [{ automationId: echo.id, status: 'skipped', error: 'the endpoint is disabled' }] });

    const sleepy = (await server.post('/api/automations', { name: 'sleepy', enabled: false, target: { kind: 'command', command: 'true' } })).body;
    const ep2 = await endpoint({ automationIds: [sleepy.id] });
    const skipped = await deliver(ep2.url, {});
    expect(skipped.status).toBe(200);
    expect(skipped.body.automations[0]).toMatchObject({ status: 'skipped', error: 'the automation is disabled' });
  });

  it('resubmits a delivery through its endpoint, without the cooldown', async () => {
    const ep = await endpoint({ cooldownSeconds: 3600 });
    const first = await deliver(ep.url, { action: 'again' });
    const again = await server.post(`/api/messages/${first.body.messageId}/resubmit`, {});
    expect(again.status).toBe(200);
    expect(again.body.automations[0].status).toBe('pending');
    const copy = (await server.get(`/api/messages/${again.body.messageId}`)).body;
    expect(copy).toMatchObject({ triggeredBy: 'resubmit', resubmittedFrom: first.body.messageId });
  });

  it('validates endpoints, naming the field', async () => {
    const none = await server.post('/api/webhooks', { name: 'empty', automationIds: [] });
    expect(none.body.fields.automationIds).toBe('must link at least one automation');
    const unknown = await server.post('/api/webhooks', { name: 'unknown', automationIds: ['5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10'] });
    expect(unknown.body.fields.automationIds).toMatch(/name no automation/);
    const scheme = await server.post('/api/webhooks', { name: 's', automationIds: [echo.id], verification: { scheme: 'nope' } });
    expect(scheme.body.fields['verification.scheme']).toMatch(/not a known scheme/);
    const several = await server.post('/api/webhooks', { name: '', automationIds: [echo.id], cooldownSeconds: -1, verification: { scheme: 'nope' } });
    expect(several.status).toBe(400);
    expect(Object.keys(several.body.fields).sort()).toEqual(['cooldownSeconds', 'name', 'verification.scheme']);
    const providerless = await given(server).provider();
    expect(providerless.id).toBeDefined();
  });

  it('refuses scheme options the scheme cannot read, on endpoints and providers alike, against the stored scheme when a change names none', async () => {
    const badValue = await server.post('/api/webhooks', { name: 'stale', automationIds: [echo.id], verification: { scheme: 'stripe', options: { toleranceSeconds: 'soon' } } });
    expect(badValue.status).toBe(400);
    expect(badValue.body.fields).toEqual({ 'verification.options': 'invalid toleranceSeconds option (expected a positive number of seconds)' });
    const unknownName = await server.post('/api/webhooks', { name: 'typo', automationIds: [echo.id], verification: { scheme: 'basic', options: { user: 'ci' } } });
    expect(unknownName.body.fields).toEqual({ 'verification.options': '"user" is not an option of basic; it reads username' });

    const ep = await endpoint({ verification: { scheme: 'stripe', secret: 'whsec_test', options: { toleranceSeconds: 600 } } });
    expect(ep.verification).toEqual({ scheme: 'stripe', secretConfigured: true, options: { toleranceSeconds: 600 } });
    const optionsOnly = await server.put(`/api/webhooks/${ep.id}`, { verification: { options: { toleranceSeconds: 0 } } });
    expect(optionsOnly.body.fields).toEqual({ 'verification.options': 'invalid toleranceSeconds option (expected a positive number of seconds)' });
    const otherScheme = await server.put(`/api/webhooks/${ep.id}`, { verification: { scheme: 'github', options: { toleranceSeconds: 600 } } });
    expect(otherScheme.body.fields).toEqual({ 'verification.options': '"toleranceSeconds" is not an option of github, which reads none' });
    expect((await server.get(`/api/webhooks/${ep.id}`)).body.verification.options).toEqual({ toleranceSeconds: 600 });

    const provider = await given(server).provider({ name: 'options-checked' });
    const providerBad = await server.put(`/api/providers/${provider.id}`, { verification: { scheme: 'azure-devops', options: { headerName: 42 } } });
    expect(providerBad.status).toBe(400);
    expect(providerBad.body.fields).toEqual({ 'verification.options': 'invalid headerName option (expected a string)' });
  });
});

describe('webhook-only listener and retention', () => {
  let server: TestServer;
  let listenerUrl = '';

  beforeAll(async () => {
    server = await TestServer.start({
      WEBHOOK_INGRESS_MODE: 'listener',
      WEBHOOK_INGRESS_PORT: '0',
      WEBHOOK_INGRESS_HOST: '127.0.0.1',
      // About 3 s, so the test can make rows older than it.
      HOOKLINE_RETENTION_DAYS: '0.0000347',
      HOOKLINE_RETENTION_INTERVAL: '500ms',
    });
    listenerUrl = /Webhook listener on (http:\/\/\S+)/.exec(server.logs)![1];
  });

  afterAll(async () => {
    await server.close();
  });

  it('serves only health, readiness, /webhooks and inbound endpoint deliveries on its own port', async () => {
    const provider = await given(server).provider({ name: 'Listener' });
    await given(server).fn({ providerId: provider.id, uri: 'via/listener', script: 'return request.headers["x-from"]' });
    const health = await fetch(`${listenerUrl}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${listenerUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    const hook = await fetch(`${listenerUrl}/webhooks/via/listener?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-from': 'outside', 'flex-sync-webhook': 'true' }, body: '{"a":1}' });
    expect(hook.status).toBe(200);
    const answer = (await hook.json()) as any;
    expect(answer.functions[0].result).toBe('outside');
    const message = (await server.get(`/api/messages/${answer.messageId}`)).body;
    expect(message).toMatchObject({ uri: 'via/listener', query: { x: '1' }, body: '{"a":1}' });

    const auto = (await server.post('/api/automations', { name: 'noop', target: { kind: 'command', command: 'true' } })).body;
    const ep = (await server.post('/api/webhooks', { name: 'via-listener', automationIds: [auto.id] })).body;
    const inbound = await fetch(`${listenerUrl}${new URL(ep.url).pathname}`, { method: 'POST', body: '{}' });
    expect(inbound.status).toBe(200);

    for (const [method, path] of [
      ['GET', '/api/providers'],
      ['POST', '/api/auth/login'],
      ['GET', '/api/docs'],
      ['GET', '/'],
      ['GET', new URL(ep.url).pathname],
    ]) {
      const response = await fetch(`${listenerUrl}${path}`, { method, headers: { authorization: `Bearer ${server.token}` } });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
  });

  it('removes messages and runs older than the retention period, and only those', async () => {
    const auto = (await server.post('/api/automations', { name: 'old-run', target: { kind: 'command', command: 'true' } })).body;
    const oldRun = (await server.post(`/api/automations/${auto.id}/run`, {})).body;
    const old = await server.webhook('retention/old', {});
    await new Promise((r) => setTimeout(r, 4000));
    const fresh = await server.webhook('retention/fresh', {});
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await server.get(`/api/messages/${old.body.messageId}`)).status !== 404) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await server.get(`/api/messages/${old.body.messageId}`)).status).toBe(404);
    expect((await server.get(`/api/runs/${oldRun.id}`)).status).toBe(404);
    expect((await server.get(`/api/messages/${fresh.body.messageId}`)).status).toBe(200);
    expect(server.logs).toMatch(/Removed \d+ message\(s\) and \d+ run\(s\) older than/);
  });
});

describe('endpoint tokens kept from before they were stored as hashes only', () => {
  const masterKey = randomBytes(32);
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_MASTER_KEY: masterKey.toString('hex') });
  });

  afterAll(async () => {
    await server.close();
  });

  it('keeps working, shows only a prefix, and the sealed copy is dropped at start', async () => {
    const auto = (await server.post('/api/automations', { name: 'noop', target: { kind: 'command', command: 'true' } })).body;
    const ep = (await server.post('/api/webhooks', { name: 'legacy', automationIds: [auto.id] })).body;
    const legacy = `hle_${randomBytes(32).toString('base64url')}`;
    await server.stop();
    const sealed = new SecretBox(masterKey).seal(legacy);
    await queryStoppedDatabase(
      server.database,
      `UPDATE endpoints SET token_hash = '${tokenHash(legacy)}', token_sealed = '${sealed}', token_prefix = '' WHERE id = '${ep.id}'`,
    );
    await server.launch();

    const view = (await server.get(`/api/webhooks/${ep.id}`)).body;
    expect(view.tokenPrefix).toBe(legacy.slice(0, 10));
    expect(view.url).toBeUndefined();
    expect((await server.request('POST', `/api/webhooks/inbound/${legacy}`, undefined, { auth: false, raw: '{}' })).status).toBe(200);
    await server.stop();
    expect(await queryStoppedDatabase(server.database, `SELECT token_sealed, token_prefix FROM endpoints WHERE id = '${ep.id}'`)).toEqual([
      { token_sealed: null, token_prefix: legacy.slice(0, 10) },
    ]);
    await server.launch();
  });
});
