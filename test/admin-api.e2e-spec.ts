import { queryStoppedDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';

describe('providers and functions API', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.close();
  });

  it('creates, reads, updates and deletes a provider', async () => {
    const created = await server.post('/api/providers', { name: 'Jira', matchScript: 'return "webhookEvent" in (request.json ?? {})', properties: { project: 'OPS' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Jira', enabled: true, properties: { project: 'OPS' }, verification: { scheme: 'none', secretConfigured: false } });
    const id = created.body.id;
    expect((await server.get(`/api/providers/${id}`)).body.name).toBe('Jira');

    const updated = await server.put(`/api/providers/${id}`, { description: 'issues', enabled: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Jira', description: 'issues', enabled: false });

    expect((await server.delete(`/api/providers/${id}`)).status).toBe(204);
    expect((await server.get(`/api/providers/${id}`)).status).toBe(404);
  });

  it('names each bad field in a 400', async () => {
    const result = await server.post('/api/providers', { name: '', priority: 1.5, matchScript: 'return true', colour: 'red' });
    expect(result.status).toBe(400);
    expect(result.body.fields.name).toBe('is required');
    expect(result.body.fields.priority).toBe('must be a whole number');
    expect(JSON.stringify(result.body.fields)).toMatch(/colour/);
  });

  it('names every bad field in a 400, the verification scheme and match script included', async () => {
    const result = await server.post('/api/providers', { name: '', priority: 1.5, matchScript: 'return (', verification: { scheme: 'carrier-pigeon' } });
    expect(result.status).toBe(400);
    expect(result.body.fields).toEqual({
      name: 'is required',
      priority: 'must be a whole number',
      matchScript: expect.stringMatching(/^does not compile: /),
      'verification.scheme': expect.stringMatching(/^"carrier-pigeon" is not a known scheme; use one of /),
    });
    const update = await server.put(`/api/providers/${(await given(server).provider()).id}`, { priority: 'high', verification: { scheme: 'carrier-pigeon' } });
    expect(update.status).toBe(400);
    expect(Object.keys(update.body.fields).sort()).toEqual(['priority', 'verification.scheme']);
  });

  it('refuses a match script that does not compile, saying where', async () => {
    const result = await server.post('/api/providers', { name: 'Broken', matchScript: 'return (' });
    expect(result.status).toBe(400);
    expect(result.body.fields.matchScript).toMatch(/^does not compile: /);
  });

  it('refuses a second provider with the same name with 409', async () => {
    await given(server).provider({ name: 'Twice' });
    const again = await server.post('/api/providers', { name: 'Twice', matchScript: 'return true' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already exists/);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expect((await server.get('/api/providers/5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10')).status).toBe(404);
    expect((await server.get('/api/providers/not-an-id')).status).toBe(404);
    expect((await server.get('/api/functions/not-an-id')).status).toBe(404);
    expect((await server.get('/api/messages/not-an-id')).status).toBe(404);
  });

  it('never returns a secret and keeps it encrypted at rest', async () => {
    const secret = 'plain-text-secret-value-1234';
    const created = await server.post('/api/providers', {
      name: 'Tokened',
      matchScript: 'return false',
      verification: { scheme: 'bearer', secret, previousSecret: 'older-secret-5678', previousSecretExpiresAt: '2030-01-01T00:00:00Z' },
    });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain(secret);
    expect(created.body.verification).toEqual({
      scheme: 'bearer',
      secretConfigured: true,
      previousSecretConfigured: true,
      previousSecretExpiresAt: '2030-01-01T00:00:00.000Z',
      options: {},
    });
    const listed = await server.get('/api/providers');
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toContain('older-secret');

    // Changing another field leaves the secret as it was; null removes it.
    const renamed = await server.put(`/api/providers/${created.body.id}`, { description: 'x' });
    expect(renamed.body.verification.secretConfigured).toBe(true);
    const cleared = await server.put(`/api/providers/${created.body.id}`, { verification: { previousSecret: null } });
    expect(cleared.body.verification.previousSecretConfigured).toBe(false);

    await server.stop();
    const [row] = await queryStoppedDatabase(server.database, `SELECT secret_sealed FROM providers WHERE name = 'Tokened'`);
    expect(row.secret_sealed).toMatch(/^v1:/);
    expect(row.secret_sealed).not.toContain(secret);
    expect(Buffer.from(row.secret_sealed.split(':')[3], 'base64url').toString('utf8')).not.toContain(secret);
    await server.launch();
    await server.login();
  });

  it('rejects an unknown verification scheme, naming the known ones', async () => {
    const result = await server.post('/api/providers', { name: 'Odd', matchScript: 'return true', verification: { scheme: 'carrier-pigeon' } });
    expect(result.status).toBe(400);
    expect(result.body.fields['verification.scheme']).toMatch(/"carrier-pigeon" is not a known scheme; use one of .*none.*bearer/);
  });

  it('reorders providers and rejects an order that leaves one out', async () => {
    const all = (await server.get('/api/providers')).body as Array<{ id: string }>;
    const reversed = all.map((p) => p.id).reverse();
    const ordered = await server.put('/api/providers/order', { ids: reversed });
    expect(ordered.status).toBe(200);
    expect(ordered.body.map((p: { id: string }) => p.id)).toEqual(reversed);
    expect(ordered.body.map((p: { priority: number }) => p.priority)).toEqual(reversed.map((_, i) => (i + 1) * 10));

    const partial = await server.put('/api/providers/order', { ids: reversed.slice(1) });
    expect(partial.status).toBe(400);
    expect(partial.body.fields.ids).toContain(`leave out: ${reversed[0]}`);
  });

  it('manages functions, normalizing the uri and checking the provider and scripts', async () => {
    const provider = await given(server).provider();
    const created = await server.post('/api/functions', { name: 'deploy', providerId: provider.id, uri: '/git/push/', script: 'return 1', condition: 'eventType == "push"' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ uri: 'git/push', enabled: true, timeoutMs: 5000, condition: 'eventType == "push"' });

    const filtered = await server.get(`/api/functions?providerId=${provider.id}`);
    expect(filtered.body.map((f: { id: string }) => f.id)).toEqual([created.body.id]);

    const bad = await server.post('/api/functions', { name: 'x', providerId: '5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10', uri: 'a?b=1', script: 'return (', condition: '==', timeoutMs: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toMatchObject({ uri: expect.stringMatching(/query string/), timeoutMs: 'must be at least 1' });

    const badScript = await server.post('/api/functions', { name: 'x', providerId: provider.id, uri: 'a', script: 'return (', condition: '==' });
    expect(badScript.status).toBe(400);
    expect(badScript.body.fields).toMatchObject({ script: expect.stringMatching(/^does not compile/), condition: expect.stringMatching(/^does not compile/) });

    const everything = await server.post('/api/functions', { name: 'x', providerId: '5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10', uri: 'a', script: 'return (', timeoutMs: 0 });
    expect(everything.status).toBe(400);
    expect(Object.keys(everything.body.fields).sort()).toEqual(['providerId', 'script', 'timeoutMs']);

    const unknownProvider = await server.post('/api/functions', { name: 'x', providerId: '5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10', uri: 'a' });
    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.body.fields.providerId).toMatch(/names no provider/);

    const updated = await server.put(`/api/functions/${created.body.id}`, { condition: null, timeoutMs: 1000 });
    expect(updated.body).toMatchObject({ condition: null, timeoutMs: 1000, name: 'deploy' });
    expect((await server.delete(`/api/functions/${created.body.id}`)).status).toBe(204);
  });

  it('serves an OpenAPI document describing every admin route', async () => {
    const docs = await server.get('/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toBe('3.1.0');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/providers', '/api/providers/order', '/api/functions/{id}', '/api/messages/{id}/resubmit', '/api/messages/resubmit', '/webhooks/{uri}']),
    );
  });

  it('answers 400 naming the place when admin input carries a character the database cannot hold', async () => {
    const refused = 'has a NUL character (U+0000) or an unpaired UTF-16 surrogate, which cannot be stored; remove it';
    const provider = await server.post('/api/providers', { name: 'a\u0000b', matchScript: 'return true' });
    expect(provider.status).toBe(400);
    expect(provider.body.fields).toEqual({ name: refused });

    const automation = await server.post('/api/automations', { name: 'alert', target: { kind: 'http', url: 'http://127.0.0.1/\ud800' } });
    expect(automation.status).toBe(400);
    expect(automation.body.fields).toEqual({ 'target.url': refused });

    const login = await server.request('POST', '/api/auth/login', { username: 'ad\u0000min', password: 'x' }, { auth: false });
    expect(login.status).toBe(400);
    expect(login.body.fields).toEqual({ username: refused });

    const listed = await server.get('/api/messages?eventType=push%00');
    expect(listed.status).toBe(400);
    expect(listed.body.fields).toEqual({ eventType: refused });

    // Authentication comes first: a caller without a login learns nothing about its input.
    expect((await server.request('GET', '/api/messages?eventType=push%00', undefined, { auth: false })).status).toBe(401);

    const names = (await server.get('/api/providers')).body.map((p: { name: string }) => p.name);
    expect(names.filter((name: string) => name === 'a\u0000b' || name === 'a\ufffdb')).toEqual([]);
  });
});
