import { randomUUID } from 'node:crypto';
import { AUDITED_ROUTES } from '../apps/server/src/audit/audited-routes';
import { signDelivery } from './support/signers';
import { queryStoppedDatabase } from './support/test-database';
import { ADMIN_PASSWORD, TestServer } from './support/test-server';

const CLIENT = '203.0.113.7';
const PROVIDER_SECRET = 'audit-provider-secret-7f3a9c';
const WRONG_PASSWORD = 'not-the-password-42';
const NEW_PASSWORD = 'a-new-password-for-audit';

/** `METHOD /path/:param` with every parameter named alike, as the router and the table write them. */
function routeOf(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/:\w+/g, ':param')}`;
}

describe('the audit log', () => {
  let server: TestServer;
  const seen: string[] = [];
  const secrets: string[] = [PROVIDER_SECRET, WRONG_PASSWORD, ADMIN_PASSWORD, NEW_PASSWORD];
  let providerId = '';
  let firstScript = '';
  let runId = '';
  let messageId = '';
  let sessionStartedAt = '';

  /** A request from the client behind the trusted proxy, as the session under test makes it. */
  function act(method: string, path: string, body?: unknown, auth = true) {
    return server.request(method, path, body ?? (method === 'DELETE' ? undefined : {}), { auth, headers: { 'x-forwarded-for': CLIENT } });
  }

  async function audit(query = ''): Promise<any> {
    const result = await server.get(`/api/audit${query}`);
    seen.push(result.text);
    return result;
  }

  async function waitForRun(id: string): Promise<any> {
    for (;;) {
      const run = (await server.get(`/api/runs/${id}`)).body;
      if (['succeeded', 'failed', 'dead'].includes(run.status)) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_LOG_LEVEL: 'debug', HOOKLINE_TRUST_PROXY: '127.0.0.1' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('records a session of changes: who, from where, what, and the before and after of each', async () => {
    sessionStartedAt = new Date().toISOString();
    expect((await act('POST', '/api/auth/login', { username: 'admin', password: WRONG_PASSWORD }, false)).status).toBe(401);
    const login = await act('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, false);
    expect(login.status).toBe(200);
    server.token = login.body.token;
    secrets.push(login.body.token);
    const adminId = login.body.user.id;

    firstScript = '// first\nreturn true';
    const provider = await act('POST', '/api/providers', { name: 'audited', matchScript: firstScript, verification: { scheme: 'github', secret: PROVIDER_SECRET } });
    expect(provider.status).toBe(201);
    providerId = provider.body.id;
    expect((await act('PUT', `/api/providers/${providerId}`, { matchScript: '// second\nreturn true' })).status).toBe(200);
    const fn = await act('POST', '/api/functions', { name: 'audited-fn', uri: 'audit/hook', providerId, script: 'return "ok"' });
    expect(fn.status).toBe(201);
    const automation = await act('POST', '/api/automations', { name: 'audited-auto', target: { kind: 'command', command: 'exit 3' }, retry: { attempts: 0 } });
    expect(automation.status).toBe(201);
    const run = await act('POST', `/api/automations/${automation.body.id}/run`, {});
    expect(run.status).toBe(202);
    runId = run.body.id;
    expect((await waitForRun(runId)).status).toBe('failed');
    expect((await act('POST', `/api/runs/${runId}/retry`)).status).toBe(202);
    const endpoint = await act('POST', '/api/webhooks', { name: 'audited-endpoint', automationIds: [automation.body.id] });
    expect(endpoint.status).toBe(201);
    secrets.push(endpoint.body.url.split('/').pop());
    const body = JSON.stringify({ n: 1 });
    const delivered = await server.webhook('audit/hook', body, { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), ...signDelivery('github', { secret: PROVIDER_SECRET, body }) });
    messageId = delivered.body.messageId;
    await server.waitForMessage(messageId, ['processed']);
    expect((await act('POST', `/api/messages/${messageId}/resubmit`, {})).status).toBe(202);
    const runner = await act('POST', '/api/runners', { name: 'audited-runner' });
    expect(runner.status).toBe(201);
    secrets.push(runner.body.token);
    expect((await act('POST', '/api/auth/logout')).status).toBe(204);
    await server.login();

    const page = await audit('?limit=500');
    expect(page.status).toBe(200);
    const entries = [...page.body.items].reverse().filter((entry: any) => entry.at >= sessionStartedAt);
    expect(entries.map((entry: any) => entry.action)).toEqual([
      'auth.login-failed',
      'auth.login',
      'provider.create',
      'provider.update',
      'function.create',
      'automation.create',
      'automation.run',
      'run.retry',
      'endpoint.create',
      'message.resubmit',
      'runner.create',
      'auth.logout',
      'auth.login',
    ]);
    const session = entries.slice(1, -1);
    for (const entry of session) {
      expect(entry.actor).toMatchObject({ via: 'session', id: adminId, name: 'admin', identity: { id: adminId, username: 'admin' } });
      expect(entry.address).toBe(CLIENT);
    }
    const [failed, , created, updated, fnCreated, autoCreated, manualRun, retried, endpointCreated, resubmitted, runnerCreated, logout] = entries;
    expect(failed).toMatchObject({
      actor: { via: 'anonymous', id: null, name: null },
      address: CLIENT,
      entity: { type: 'user', name: 'admin' },
      details: { username: 'admin', reason: 'Wrong username or password' },
    });
    expect(created).toMatchObject({ entity: { type: 'provider', id: providerId, name: 'audited' }, before: null, after: { matchScript: firstScript, verification: { scheme: 'github', secretConfigured: true } } });
    expect(updated).toMatchObject({
      entity: { type: 'provider', id: providerId, name: 'audited' },
      before: { matchScript: firstScript },
      after: { matchScript: '// second\nreturn true' },
      details: { changed: ['matchScript'] },
    });
    expect(fnCreated).toMatchObject({ entity: { type: 'function', id: fn.body.id, name: 'audited-fn' }, after: { script: 'return "ok"', uri: 'audit/hook' } });
    expect(autoCreated).toMatchObject({ entity: { type: 'automation', id: automation.body.id, name: 'audited-auto' }, after: { target: { kind: 'command', command: 'exit 3' } } });
    expect(manualRun).toMatchObject({ entity: { type: 'automation', id: automation.body.id }, details: { answer: { id: runId, trigger: 'manual' } } });
    expect(retried).toMatchObject({ entity: { type: 'run', id: runId }, before: { status: 'failed' }, details: { changed: expect.arrayContaining(['status']) } });
    expect(['pending', 'running', 'failed']).toContain(retried.after.status);
    expect(endpointCreated).toMatchObject({ entity: { type: 'endpoint', id: endpoint.body.id, name: 'audited-endpoint' }, after: { tokenPrefix: endpoint.body.tokenPrefix } });
    expect(endpointCreated.after.url).toBeUndefined();
    expect(resubmitted).toMatchObject({ entity: { type: 'message', id: messageId } });
    expect(runnerCreated).toMatchObject({ entity: { type: 'runner', id: runner.body.id, name: 'audited-runner' }, after: { name: 'audited-runner' } });
    expect(logout).toMatchObject({ entity: { type: 'user', id: adminId, name: 'admin' } });
  });

  it('records deletes, restores, revocations, a new endpoint token, password changes and bulk operations with what each did', async () => {
    const startedAt = new Date().toISOString();
    const doomed = await server.post('/api/providers', { name: 'doomed', matchScript: 'return false' });
    const fn = await server.post('/api/functions', { name: 'versioned', uri: 'audit/versioned', providerId, script: 'return 1' });
    expect((await server.put(`/api/functions/${fn.body.id}`, { script: 'return 2' })).status).toBe(200);
    expect((await server.post(`/api/functions/${fn.body.id}/versions/1/restore`, {})).status).toBe(200);
    expect((await server.delete(`/api/providers/${doomed.body.id}`)).status).toBe(204);
    const runner = await server.post('/api/runners', { name: 'short-lived' });
    secrets.push(runner.body.token);
    expect((await server.delete(`/api/runners/${runner.body.id}`)).status).toBe(204);
    const endpointId = (await audit('?action=endpoint.create')).body.items[0].entity.id;
    const regenerated = await server.post(`/api/webhooks/${endpointId}/regenerate`);
    expect(regenerated.status).toBe(200);
    secrets.push(regenerated.body.url.split('/').pop());
    expect((await server.post('/api/messages/resubmit', { ids: [messageId], dryRun: true })).status).toBe(200);
    expect((await server.post('/api/auth/password', { currentPassword: WRONG_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(400);
    expect((await server.post('/api/auth/password', { currentPassword: ADMIN_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expect((await server.post('/api/auth/password', { currentPassword: NEW_PASSWORD, newPassword: ADMIN_PASSWORD })).status).toBe(204);

    const entries = [...(await audit('?limit=50')).body.items].reverse().filter((entry: any) => entry.at >= startedAt);
    expect(entries.map((entry: any) => entry.action)).toEqual([
      'provider.create',
      'function.create',
      'function.update',
      'function.restore',
      'provider.delete',
      'runner.create',
      'runner.revoke',
      'endpoint.regenerate',
      'message.resubmit-bulk',
      'auth.password-change-failed',
      'auth.password-change',
      'auth.password-change',
    ]);
    const byAction = (action: string) => entries.find((entry: any) => entry.action === action);
    expect(byAction('function.restore')).toMatchObject({
      entity: { type: 'function', id: fn.body.id, name: 'versioned' },
      before: { script: 'return 2' },
      after: { script: 'return 1' },
      details: { version: '1', changed: expect.arrayContaining(['script']) },
    });
    expect(byAction('provider.delete')).toMatchObject({ entity: { type: 'provider', id: doomed.body.id, name: 'doomed' }, before: { matchScript: 'return false' }, after: null });
    expect(byAction('runner.revoke')).toMatchObject({ entity: { type: 'runner', id: runner.body.id, name: 'short-lived' }, before: { name: 'short-lived' }, after: null });
    const regenerate = byAction('endpoint.regenerate');
    expect(regenerate.after.tokenPrefix).toBe(regenerated.body.tokenPrefix);
    expect(regenerate.before.tokenPrefix).not.toBe(regenerated.body.tokenPrefix);
    expect(byAction('message.resubmit-bulk')).toMatchObject({ details: { input: { ids: [messageId], dryRun: true }, answer: { dryRun: true, matching: 1 } } });
    expect(byAction('auth.password-change-failed')).toMatchObject({ actor: { name: 'admin', via: 'session' }, details: { reason: expect.stringMatching(/is not the current password/) } });
  });

  it('records users, role changes and personal tokens, and who acted through a token', async () => {
    const startedAt = new Date().toISOString();
    const password = 'an-editor-password-9d2e';
    secrets.push(password);
    const created = await server.post('/api/users', { username: 'erin', role: 'viewer', password });
    expect(created.status).toBe(201);
    expect((await server.put(`/api/users/${created.body.id}`, { role: 'editor' })).status).toBe(200);
    const minted = await server.post('/api/users/me/tokens', { name: 'ci', expiresInDays: 7 });
    expect(minted.status).toBe(201);
    secrets.push(minted.body.token);
    // A change made with the token names the token's user and the token.
    const byToken = await server.request('POST', '/api/providers', { name: 'made-by-token', matchScript: 'return false' }, { auth: false, headers: { authorization: `Bearer ${minted.body.token}` } });
    expect(byToken.status).toBe(201);
    expect((await server.delete(`/api/users/me/tokens/${minted.body.id}`)).status).toBe(204);
    expect((await server.delete(`/api/users/${created.body.id}`)).status).toBe(204);

    const entries = (await audit(`?since=${encodeURIComponent(startedAt)}&limit=100`)).body.items;
    const byAction = (action: string) => entries.find((entry: any) => entry.action === action);
    expect(byAction('user.create')).toMatchObject({ entity: { type: 'user', id: created.body.id, name: 'erin' }, after: { username: 'erin', role: 'viewer' } });
    expect(byAction('user.update')).toMatchObject({ before: { role: 'viewer' }, after: { role: 'editor' }, details: { changed: expect.arrayContaining(['role']) } });
    expect(byAction('user.delete')).toMatchObject({ entity: { id: created.body.id }, before: { username: 'erin' }, after: null });
    expect(byAction('personal-token.create')).toMatchObject({ entity: { type: 'personal-token', id: minted.body.id, name: 'ci' }, details: { input: { name: 'ci', expiresInDays: 7 } } });
    expect(byAction('personal-token.revoke')).toMatchObject({
      entity: { type: 'personal-token', id: minted.body.id, name: 'ci' },
      before: { name: 'ci', status: 'active', revokedAt: null },
      after: { name: 'ci', status: 'revoked', revokedAt: expect.any(String) },
    });
    const tokenMade = entries.find((entry: any) => entry.action === 'provider.create' && entry.entity.name === 'made-by-token');
    expect(tokenMade.actor).toMatchObject({ via: 'token', name: 'admin', identity: { tokenId: minted.body.id, role: 'admin' } });
  });

  it('never shows a secret: not the provider secret, passwords, session, endpoint or runner tokens', async () => {
    await audit('?limit=500');
    const everything = seen.join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(everything.includes(secret)).toBe(false);
  });

  it('pages newest first with a cursor, each entry once', async () => {
    const all = (await audit('?limit=500')).body.items.map((entry: any) => entry.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await audit(`?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      paged.push(...page.body.items.map((entry: any) => entry.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThan(10);
    const times = (await audit('?limit=500')).body.items.map((entry: any) => entry.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('filters by actor, entity, entity id, action and time', async () => {
    const all = (await audit('?limit=500')).body.items;
    const adminId = all.find((entry: any) => entry.actor.name === 'admin').actor.id;
    const byName = (await audit('?actor=admin&limit=500')).body.items;
    expect(byName.length).toBe(all.filter((entry: any) => entry.actor.name === 'admin').length);
    expect(byName.every((entry: any) => entry.actor.name === 'admin')).toBe(true);
    expect((await audit(`?actor=${adminId}&limit=500`)).body.items.length).toBe(byName.length);
    expect((await audit('?actor=nobody')).body.items).toEqual([]);

    const providers = (await audit('?entity=provider&limit=500')).body.items;
    expect(providers.every((entry: any) => entry.entity.type === 'provider')).toBe(true);
    expect(providers.length).toBe(all.filter((entry: any) => entry.entity?.type === 'provider').length);
    expect((await audit(`?entity=provider&entityId=${providerId}`)).body.items.map((entry: any) => entry.action)).toEqual(['provider.update', 'provider.create']);
    expect((await audit(`?entity=provider&entityId=${providerId}&action=provider.update`)).body.items).toHaveLength(1);
    expect((await audit(`?entityId=${runId}`)).body.items.map((entry: any) => entry.action)).toEqual(['run.retry']);
    expect((await audit('?action=auth.login-failed')).body.items.map((entry: any) => entry.details.username)).toEqual(['admin']);

    const retry = all.find((entry: any) => entry.action === 'run.retry');
    const since = (await audit(`?since=${encodeURIComponent(retry.at)}&limit=500`)).body.items;
    expect(since.length).toBeGreaterThan(0);
    expect(since.every((entry: any) => entry.at >= retry.at)).toBe(true);
    expect(since.map((entry: any) => entry.action)).toContain('run.retry');
    const until = (await audit(`?until=${encodeURIComponent(retry.at)}&limit=500`)).body.items;
    expect(until.every((entry: any) => entry.at < retry.at)).toBe(true);
    expect(until.length + since.length).toBe(all.length);
  });

  it('answers 400 naming each bad filter, and 401 without a login', async () => {
    const bad = await audit('?entity=planet&action=provider.explode&since=yesterday&until=soon&cursor=nope&colour=red');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['action', 'colour', 'cursor', 'entity', 'since', 'until']);
    expect(bad.body.fields.entity).toMatch(/provider, provider-order, function/);
    expect(bad.body.fields.action).toMatch(/provider\.update/);
    expect((await audit('?limit=0')).body.fields).toEqual({ limit: 'must be a whole number from 1 to 500' });
    expect((await server.request('GET', '/api/audit', undefined, { auth: false })).status).toBe(401);
  });

  it('records every route that can change something, or names why it does not', () => {
    const served = [...server.logs.matchAll(/Mapped \{([^,}]+), ([A-Z]+)\} route/g)]
      .filter(([, , method]) => ['POST', 'PUT', 'PATCH', 'DELETE', 'ALL'].includes(method))
      .map(([, path, method]) => routeOf(method, path));
    expect(served.length).toBeGreaterThan(40);
    const declared = Object.keys(AUDITED_ROUTES).map((key) => routeOf(key.split(' ')[0], key.split(' ')[1]));
    expect(served.filter((route) => !declared.includes(route))).toEqual([]);
    expect(declared.filter((route) => !served.includes(route))).toEqual([]);
    for (const rule of Object.values(AUDITED_ROUTES)) if ('exempt' in rule) expect(rule.exempt.length).toBeGreaterThan(20);
  });

  it('has no route that changes or removes an entry, and the database refuses to', async () => {
    const before = (await audit('?limit=500')).body.items;
    const id = before[0].id;
    for (const [method, path] of [
      ['DELETE', '/api/audit'],
      ['DELETE', `/api/audit/${id}`],
      ['PUT', `/api/audit/${id}`],
      ['PATCH', `/api/audit/${id}`],
      ['POST', '/api/audit'],
    ]) {
      expect((await server.request(method, path, method === 'DELETE' ? undefined : { action: 'forged' })).status).toBe(404);
    }
    const after = (await audit('?limit=500')).body.items;
    expect(after.map((entry: any) => entry.id)).toEqual(before.map((entry: any) => entry.id));

    await server.stop();
    await expect(queryStoppedDatabase(server.database, `DELETE FROM audit_log`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(queryStoppedDatabase(server.database, `UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(queryStoppedDatabase(server.database, `TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    const rows = await queryStoppedDatabase(server.database, `SELECT count(*)::int AS n, count(*) FILTER (WHERE action = 'forged')::int AS forged FROM audit_log`);
    expect(rows).toEqual([{ n: before.length, forged: 0 }]);
  });
});
