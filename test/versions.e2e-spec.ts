import { queryStoppedDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';

const BEARER_SECRET = 'versions-bearer-secret-4821';
const PREVIOUS_SECRET = 'versions-previous-secret-7310';
const SECRET_PROPERTY = 'versions-secret-property-9264';
const SYNC = { 'flex-sync-webhook': 'true' };

const MATCH_ONE = 'return request.headers["x-versioned"] === "one"';
const MATCH_TWO = 'return request.headers["x-versioned"] === "two"';
const MATCH_THREE = 'return request.headers["x-versioned"] === "three"';

describe('versions of provider and function scripts and of the provider order', () => {
  let server: TestServer;
  let provider: any;
  let fn: any;

  beforeAll(async () => {
    server = await TestServer.start();
    const created = await server.post('/api/providers', {
      name: 'Versioned',
      matchScript: MATCH_ONE,
      verification: { scheme: 'bearer', secret: BEARER_SECRET, previousSecret: PREVIOUS_SECRET },
      secretProperties: { token: SECRET_PROPERTY },
      comment: 'first cut',
    });
    expect(created.status).toBe(201);
    provider = created.body;
    fn = await given(server).fn({ providerId: provider.id, uri: 'versioned', script: 'return "from v1"', condition: 'true', comment: 'start' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('lists three provider saves newest first with who, when and comment', async () => {
    expect((await server.put(`/api/providers/${provider.id}`, { matchScript: MATCH_TWO, comment: 'match on two' })).status).toBe(200);
    expect((await server.put(`/api/providers/${provider.id}`, { matchScript: MATCH_THREE, verification: { options: {} } })).status).toBe(200);

    const listed = await server.get(`/api/providers/${provider.id}/versions`);
    expect(listed.status).toBe(200);
    expect(listed.body.nextCursor).toBeNull();
    expect(listed.body.items.map((v: any) => [v.version, v.createdBy, v.comment])).toEqual([
      [3, 'admin', null],
      [2, 'admin', 'match on two'],
      [1, 'admin', 'first cut'],
    ]);
    const times = listed.body.items.map((v: any) => Date.parse(v.createdAt));
    expect(times.every((t: number) => Math.abs(Date.now() - t) < 60_000)).toBe(true);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('gives a version with its full content', async () => {
    const first = await server.get(`/api/providers/${provider.id}/versions/1`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 1, createdBy: 'admin', comment: 'first cut' });
    expect(first.body.content).toEqual({ matchScript: MATCH_ONE, verification: { scheme: 'bearer', options: {} }, eventFormat: 'none' });
  });

  it('makes no version for a save that leaves the versioned settings as they are', async () => {
    expect((await server.put(`/api/providers/${provider.id}`, { description: 'only the description', comment: 'ignored' })).status).toBe(200);
    const listed = await server.get(`/api/providers/${provider.id}/versions`);
    expect(listed.body.items[0].version).toBe(3);
  });

  it('restores v1 as v4, and the live provider and the runtime use it', async () => {
    const restored = await server.post(`/api/providers/${provider.id}/versions/1/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.matchScript).toBe(MATCH_ONE);
    expect(restored.body.verification.secretConfigured).toBe(true);
    expect(restored.body.verification.previousSecretConfigured).toBe(true);
    expect(restored.body.secretProperties).toEqual(['token']);

    const latest = (await server.get(`/api/providers/${provider.id}/versions`)).body.items[0];
    expect(latest).toMatchObject({ version: 4, createdBy: 'admin', comment: 'restored from v1' });
    const [v1, v4] = await Promise.all([1, 4].map(async (v) => (await server.get(`/api/providers/${provider.id}/versions/${v}`)).body));
    expect(v4.content).toEqual(v1.content);
    expect((await server.get(`/api/providers/${provider.id}`)).body.matchScript).toBe(v1.content.matchScript);

    const auth = { authorization: `Bearer ${BEARER_SECRET}` };
    const matched = await server.webhook('versioned', {}, { ...auth, ...SYNC, 'x-versioned': 'one' });
    expect(matched.status).toBe(200);
    expect(matched.body.functions.map((f: any) => f.result)).toEqual(['from v1']);
    const unmatched = await server.webhook('versioned', {}, { ...auth, 'x-versioned': 'three' });
    expect((await server.waitForMessage(unmatched.body.messageId, ['no_provider'])).status).toBe('no_provider');
  });

  it('keeps a comment given to a restore', async () => {
    const restored = await server.request('POST', `/api/providers/${provider.id}/versions/2/restore`, { comment: 'back to two for a test' });
    expect(restored.status).toBe(200);
    const latest = (await server.get(`/api/providers/${provider.id}/versions`)).body.items[0];
    expect(latest).toMatchObject({ version: 5, comment: 'back to two for a test' });
    expect((await server.post(`/api/providers/${provider.id}/versions/1/restore`)).status).toBe(200);
  });

  it('never keeps secret values in provider versions', async () => {
    const texts = [(await server.get(`/api/providers/${provider.id}/versions`)).text];
    for (let v = 1; v <= 6; v++) texts.push((await server.get(`/api/providers/${provider.id}/versions/${v}`)).text);
    for (const text of texts) {
      expect(text).toContain('"version"');
      for (const secret of [BEARER_SECRET, PREVIOUS_SECRET, SECRET_PROPERTY]) expect(text).not.toContain(secret);
    }
  });

  it('versions function scripts, and a restored script is the one that runs', async () => {
    const id = fn.id;
    expect((await server.put(`/api/functions/${id}`, { script: 'return "from v2"', comment: 'second' })).status).toBe(200);
    expect((await server.put(`/api/functions/${id}`, { script: 'return "from v3"', condition: 'eventType !== "never"', timeoutMs: 2000 })).status).toBe(200);

    const listed = (await server.get(`/api/functions/${id}/versions`)).body;
    expect(listed.items.map((v: any) => [v.version, v.createdBy, v.comment])).toEqual([
      [3, 'admin', null],
      [2, 'admin', 'second'],
      [1, 'admin', 'start'],
    ]);
    const v1 = (await server.get(`/api/functions/${id}/versions/1`)).body;
    expect(v1.content).toEqual({ script: 'return "from v1"', condition: 'true', timeoutMs: 5000 });

    const restored = await server.post(`/api/functions/${id}/versions/1/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ script: 'return "from v1"', condition: 'true', timeoutMs: 5000 });
    const v4 = (await server.get(`/api/functions/${id}/versions/4`)).body;
    expect(v4).toMatchObject({ version: 4, comment: 'restored from v1', createdBy: 'admin' });
    expect(v4.content).toEqual(v1.content);

    const sent = await server.webhook('versioned', {}, { authorization: `Bearer ${BEARER_SECRET}`, 'x-versioned': 'one', ...SYNC });
    expect(sent.body.functions.map((f: any) => f.result)).toEqual(['from v1']);
  });

  it('pages versions with limit and cursor', async () => {
    const first = await server.get(`/api/functions/${fn.id}/versions?limit=3`);
    expect(first.body.items.map((v: any) => v.version)).toEqual([4, 3, 2]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await server.get(`/api/functions/${fn.id}/versions?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((v: any) => v.version)).toEqual([1]);
    expect(second.body.nextCursor).toBeNull();
    const bad = await server.get(`/api/functions/${fn.id}/versions?cursor=yesterday&order=asc`);
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({ order: 'is not a parameter here; use limit, cursor' });
  });

  it('answers 404 for an unknown version or object and 400 for a malformed number', async () => {
    for (const path of [
      `/api/providers/${provider.id}/versions/99`,
      `/api/functions/${fn.id}/versions/99`,
      '/api/providers/order/versions/99',
      '/api/providers/00000000-0000-4000-8000-000000000000/versions',
      '/api/functions/00000000-0000-4000-8000-000000000000/versions/1',
    ]) {
      const answer = await server.get(path);
      expect([path, answer.status]).toEqual([path, 404]);
    }
    expect((await server.get(`/api/providers/${provider.id}/versions/99`)).body.message).toBe(`Provider ${provider.id} has no version 99`);
    const restoreUnknown = await server.post(`/api/functions/${fn.id}/versions/99/restore`);
    expect(restoreUnknown.status).toBe(404);
    const malformed = await server.get(`/api/functions/${fn.id}/versions/first`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields).toEqual({ version: 'must be a version number such as 3' });
  });

  it('refuses a comment that is not a string, on a restore and on a save', async () => {
    const other = await given(server).fn({ providerId: provider.id, uri: 'elsewhere', script: 'return 1' });
    const comment = await server.request('POST', `/api/functions/${other.id}/versions/1/restore`, { comment: 7 });
    expect(comment.status).toBe(400);
    expect(comment.body.fields).toEqual({ comment: 'must be a string' });
    const onSave = await server.put(`/api/functions/${other.id}`, { script: 'return 2', comment: ['x'] });
    expect(onSave.status).toBe(400);
    expect(onSave.body.fields).toEqual({ comment: 'must be a string' });
  });

  it('numbers concurrent saves and restores of one function without gaps or clashes', async () => {
    const busy = await given(server).fn({ providerId: provider.id, uri: 'busy', script: 'return 0' });
    const saves = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => server.put(`/api/functions/${busy.id}`, { script: `return ${n}` })));
    expect(saves.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const restores = await Promise.all([1, 2, 3, 4, 5, 6].map(() => server.post(`/api/functions/${busy.id}/versions/1/restore`)));
    expect(restores.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const listed = (await server.get(`/api/functions/${busy.id}/versions`)).body.items;
    expect(listed.map((v: any) => v.version)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(listed.slice(0, 6).map((v: any) => v.comment)).toEqual(Array(6).fill('restored from v1'));
  });

  it('needs a login', async () => {
    const anonymous = await server.request('GET', `/api/functions/${fn.id}/versions`, undefined, { auth: false });
    expect(anonymous.status).toBe(401);
    const restore = await server.request('POST', '/api/providers/order/versions/1/restore', {}, { auth: false });
    expect(restore.status).toBe(401);
  });

  describe('the provider order', () => {
    const ids = async () => ((await server.get('/api/providers')).body as any[]).map((p) => p.id);

    it('keeps the order before its first change as v1, then one version per reorder that changes it', async () => {
      expect((await server.get('/api/providers/order/versions')).body).toEqual({ items: [], nextCursor: null });
      const a = await given(server).provider({ name: 'Order A' });
      const b = await given(server).provider({ name: 'Order B' });
      const before = await ids();
      const reversed = [...before].reverse();
      // Two at once: one keeps the order before as v1, the other finds nothing new to keep.
      const firsts = await Promise.all([1, 2].map(() => server.put('/api/providers/order', { ids: reversed, comment: 'reversed' })));
      expect(firsts.map((answer) => answer.status)).toEqual([200, 200]);
      expect((await server.put('/api/providers/order', { ids: [b.id, ...before.filter((id) => id !== b.id)] })).status).toBe(200);

      const listed = (await server.get('/api/providers/order/versions')).body.items;
      expect(listed.map((v: any) => [v.version, v.createdBy, v.comment])).toEqual([
        [3, 'admin', null],
        [2, 'admin', 'reversed'],
        [1, null, 'the order before its first change'],
      ]);
      const v1 = (await server.get('/api/providers/order/versions/1')).body;
      expect(v1.content.providers.map((p: any) => p.id)).toEqual(before);
      expect(v1.content.providers.find((p: any) => p.id === a.id).name).toBe('Order A');

      const restored = await server.post('/api/providers/order/versions/2/restore');
      expect(restored.status).toBe(200);
      expect(restored.body.map((p: any) => p.id)).toEqual(reversed);
      expect(await ids()).toEqual(reversed);
      const v4 = (await server.get('/api/providers/order/versions/4')).body;
      expect(v4).toMatchObject({ version: 4, comment: 'restored from v2', createdBy: 'admin' });
      expect(v4.content).toEqual((await server.get('/api/providers/order/versions/2')).body.content);
    });

    it('refuses to restore an order whose providers were created or deleted since, saying which', async () => {
      const added = await given(server).provider({ name: 'Order C' });
      const leftOut = await server.post('/api/providers/order/versions/1/restore');
      expect(leftOut.status).toBe(400);
      expect(leftOut.body.fields.version).toBe(
        `v1 cannot be restored: it leaves out providers created since (${added.id}); set the order you want with PUT /api/providers/order instead`,
      );
      const orderB = ((await server.get('/api/providers')).body as any[]).find((p) => p.name === 'Order B');
      expect((await server.delete(`/api/providers/${orderB.id}`)).status).toBe(204);
      const both = await server.post('/api/providers/order/versions/1/restore');
      expect(both.status).toBe(400);
      expect(both.body.fields.version).toContain(`lists providers deleted since (${orderB.id}) and leaves out providers created since (${added.id})`);
      expect((await server.get('/api/providers/order/versions')).body.items[0].version).toBe(4);
    });
  });

  it('deletes a function\'s and a provider\'s versions with them', async () => {
    const doomed = await given(server).provider({ name: 'Doomed', matchScript: 'return false' });
    const doomedFn = await given(server).fn({ providerId: doomed.id, uri: 'doomed' });
    expect((await server.put(`/api/functions/${doomedFn.id}`, { script: 'return 2' })).status).toBe(200);
    expect((await server.get(`/api/functions/${doomedFn.id}/versions`)).body.items).toHaveLength(2);
    expect((await server.delete(`/api/providers/${doomed.id}`)).status).toBe(204);
    expect((await server.get(`/api/providers/${doomed.id}/versions`)).status).toBe(404);
    await server.stop();
    const rows = await queryStoppedDatabase(
      server.database,
      `SELECT (SELECT count(*) FROM provider_versions WHERE provider_id = '${doomed.id}') AS providers,
              (SELECT count(*) FROM function_versions WHERE function_id = '${doomedFn.id}') AS functions,
              (SELECT count(*) FROM provider_versions WHERE provider_id = '${provider.id}') AS kept`,
    );
    expect(rows.map((r) => [Number(r.providers), Number(r.functions), Number(r.kept)])).toEqual([[0, 0, 6]]);
  });
});

describe('versions of built-in providers, and of what exists at the upgrade that brings versions', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_SEED_BUILTINS: 'true' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('has the shipped settings as v1, and a reset to built-in makes a new version', async () => {
    const github = ((await server.get('/api/providers')).body as any[]).find((p) => p.builtin === 'github');
    const v1 = (await server.get(`/api/providers/${github.id}/versions/1`)).body;
    expect(v1).toMatchObject({ version: 1, createdBy: null, comment: 'built-in' });
    expect(v1.content).toEqual({ matchScript: github.matchScript, verification: { scheme: 'github', options: github.verification.options }, eventFormat: 'github' });

    expect((await server.put(`/api/providers/${github.id}`, { matchScript: 'return false', comment: 'switch off matching' })).status).toBe(200);
    const reset = await server.post(`/api/providers/${github.id}/reset`);
    expect(reset.status).toBe(200);
    expect(reset.body.matchScript).toBe(github.matchScript);
    const listed = (await server.get(`/api/providers/${github.id}/versions`)).body.items;
    expect(listed.map((v: any) => [v.version, v.createdBy, v.comment])).toEqual([
      [3, 'admin', 'reset to built-in'],
      [2, 'admin', 'switch off matching'],
      [1, null, 'built-in'],
    ]);
    expect((await server.get(`/api/providers/${github.id}/versions/3`)).body.content).toEqual(v1.content);
  });

  it('makes what exists at upgrade version 1 of each provider and function, by no one', async () => {
    const provider = await given(server).provider({ name: 'Old', matchScript: 'return request.headers["x-old"] === "1"', verification: { scheme: 'bearer', secret: BEARER_SECRET } });
    const fn = await given(server).fn({ providerId: provider.id, uri: 'old', script: 'return "old"', condition: 'true', timeoutMs: 1500 });
    await server.stop();
    // Back to the schema before versions: the upgrade then runs the migration again on these rows.
    for (const sql of [
      'DROP TABLE provider_order_versions',
      'DROP TABLE function_versions',
      'DROP TABLE provider_versions',
      `DELETE FROM hookline_migrations WHERE name = 'ScriptVersions1765300010000'`,
    ]) {
      await queryStoppedDatabase(server.database, sql);
    }
    await server.launch();
    await server.login();

    const providerVersions = (await server.get(`/api/providers/${provider.id}/versions`)).body.items;
    expect(providerVersions.map((v: any) => [v.version, v.createdBy, v.comment])).toEqual([[1, null, 'as it was when versions began']]);
    expect((await server.get(`/api/providers/${provider.id}/versions/1`)).body.content).toEqual({
      matchScript: provider.matchScript,
      verification: { scheme: 'bearer', options: {} },
      eventFormat: 'none',
    });
    const v1 = (await server.get(`/api/functions/${fn.id}/versions/1`)).body;
    expect(v1).toMatchObject({ version: 1, createdBy: null, comment: 'as it was when versions began' });
    expect(v1.content).toEqual({ script: 'return "old"', condition: 'true', timeoutMs: 1500 });
    expect((await server.put(`/api/functions/${fn.id}`, { script: 'return "new"' })).status).toBe(200);
    expect((await server.post(`/api/functions/${fn.id}/versions/1/restore`)).body.script).toBe('return "old"');
    expect((await server.get(`/api/functions/${fn.id}/versions`)).body.items.map((v: any) => v.version)).toEqual([3, 2, 1]);
  });
});
