import { queryStoppedDatabase } from './support/test-database';
import { ADMIN_PASSWORD, TestServer } from './support/test-server';

const PASSWORD = 'a-user-password';

describe('users, roles and personal tokens', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.close();
  });

  function as(token: string) {
    return {
      get: (path: string) => server.request('GET', path, undefined, { auth: false, headers: { authorization: `Bearer ${token}` } }),
      post: (path: string, body: unknown = {}) => server.request('POST', path, body, { auth: false, headers: { authorization: `Bearer ${token}` } }),
      put: (path: string, body: unknown) => server.request('PUT', path, body, { auth: false, headers: { authorization: `Bearer ${token}` } }),
      delete: (path: string) => server.request('DELETE', path, undefined, { auth: false, headers: { authorization: `Bearer ${token}` } }),
    };
  }

  async function createUser(username: string, role: string): Promise<string> {
    const result = await server.post('/api/users', { username, role, password: PASSWORD });
    expect(result.status).toBe(201);
    return result.body.id;
  }

  async function login(username: string, password = PASSWORD): Promise<string> {
    const result = await server.request('POST', '/api/auth/login', { username, password }, { auth: false });
    expect(result.status).toBe(200);
    return result.body.token;
  }

  async function personalToken(sessionToken: string, body: Record<string, unknown> = { name: 'ci' }) {
    const result = await as(sessionToken).post('/api/users/me/tokens', body);
    expect(result.status).toBe(201);
    return result.body;
  }

  it('creates a user with a role who logs in and is told the role by /api/auth/me and /api/auth/session', async () => {
    const id = await createUser('ada', 'editor');
    const list = await server.get('/api/users');
    expect(list.status).toBe(200);
    expect(list.body.find((user: any) => user.id === id)).toEqual({
      id,
      username: 'ada',
      role: 'editor',
      createdAt: expect.any(String),
      activeSessions: 0,
      activeTokens: 0,
    });
    expect(list.text).not.toContain('scrypt');
    const loggedIn = await server.request('POST', '/api/auth/login', { username: 'ada', password: PASSWORD }, { auth: false });
    expect(loggedIn.body.user).toEqual({ id, username: 'ada', role: 'editor' });
    expect((await as(loggedIn.body.token).get('/api/auth/me')).body.user).toEqual({ id, username: 'ada', role: 'editor' });
    expect((await as(loggedIn.body.token).get('/api/auth/session')).body.user).toEqual({ id, username: 'ada', role: 'editor' });
    expect((await server.get('/api/auth/me')).body.user).toMatchObject({ username: 'admin', role: 'admin' });
  });

  it('names each bad field of a new user, and refuses a name that is taken', async () => {
    const bad = await server.post('/api/users', { username: 'Bad Name', role: 'owner', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({
      username: 'must be 1 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
      role: 'must be one of viewer, editor, admin',
      password: 'must be at least 8 characters',
    });
    const unknown = await server.post('/api/users', { username: 'x', role: 'viewer', password: PASSWORD, admin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields.admin).toMatch(/is not a field here/);
    await createUser('taken', 'viewer');
    const again = await server.post('/api/users', { username: 'taken', role: 'admin', password: PASSWORD });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('A user named "taken" already exists');
    const missing = await server.put('/api/users/00000000-0000-4000-8000-000000000000', { role: 'viewer' });
    expect(missing.status).toBe(404);
  });

  it('refuses to demote or delete the last admin, and allows it once another admin exists', async () => {
    const admin = (await server.get('/api/auth/me')).body.user;
    const demote = await server.put(`/api/users/${admin.id}`, { role: 'editor' });
    expect(demote.status).toBe(409);
    expect(demote.body.message).toBe('User "admin" is the last admin; make another user admin first, so that someone can still manage users');
    const remove = await server.delete(`/api/users/${admin.id}`);
    expect(remove.status).toBe(409);
    expect(remove.body.message).toContain('is the last admin');

    const secondId = await createUser('second-admin', 'admin');
    const second = as(await login('second-admin'));
    const demoted = await second.put(`/api/users/${admin.id}`, { role: 'viewer' });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('viewer');
    // The demoted admin's own session now acts as a viewer.
    const refused = await server.get('/api/users');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ requiredRole: 'admin', role: 'viewer', message: 'This needs the admin role; you are a viewer' });
    const selfDemote = await second.put(`/api/users/${secondId}`, { role: 'editor' });
    expect(selfDemote.status).toBe(409);
    expect((await second.put(`/api/users/${admin.id}`, { role: 'admin' })).status).toBe(200);
    expect((await server.get('/api/users')).status).toBe(200);
  });

  it('applies a role change at once to the user\'s sessions and personal tokens', async () => {
    const id = await createUser('changing', 'viewer');
    const session = await login('changing');
    const { token } = await personalToken(session);
    for (const credential of [session, token]) {
      const refused = await as(credential).post('/api/functions', {});
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe('This needs the editor role or higher; you are a viewer');
    }
    expect((await server.put(`/api/users/${id}`, { role: 'editor' })).status).toBe(200);
    for (const credential of [session, token]) {
      const allowed = await as(credential).post('/api/functions', {});
      expect(allowed.status).toBe(400);
    }
  });

  it('ends the user\'s sessions on a password reset and keeps the personal tokens; ends both when the user is deleted', async () => {
    const id = await createUser('resetme', 'viewer');
    const session = await login('resetme');
    const { token } = await personalToken(session);
    expect((await server.get(`/api/users/${id}`)).body).toMatchObject({ activeSessions: 1, activeTokens: 1 });
    expect((await server.put(`/api/users/${id}`, { password: 'a-new-password' })).status).toBe(200);
    expect((await as(session).get('/api/auth/me')).status).toBe(401);
    expect((await as(token).get('/api/auth/me')).status).toBe(200);
    const fresh = await login('resetme', 'a-new-password');
    expect((await server.delete(`/api/users/${id}`)).status).toBe(204);
    const gone = await as(fresh).get('/api/auth/me');
    expect(gone.status).toBe(401);
    const tokenGone = await as(token).get('/api/auth/me');
    expect(tokenGone.status).toBe(401);
    expect(tokenGone.body.message).toBe('The personal token is unknown; create one with POST /api/users/me/tokens');
    expect((await server.get(`/api/users/${id}`)).status).toBe(404);
  });

  it('shows a personal token once, lists it without the token, acts as its user and refuses it once revoked', async () => {
    const id = await createUser('scripter', 'viewer');
    const session = await login('scripter');
    const created = await personalToken(session, { name: 'nightly job', expiresInDays: 30 });
    expect(created.token).toMatch(/^hlp_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'nightly job', status: 'active', lastUsedAt: null, revokedAt: null });
    const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const me = await as(created.token).get('/api/auth/me');
    expect(me.body.user).toEqual({ id, username: 'scripter', role: 'viewer', tokenId: created.id });
    // A token cannot mint tokens: one that leaks cannot outlive its revocation through others.
    const minted = await as(created.token).post('/api/users/me/tokens', { name: 'from a token' });
    expect(minted.status).toBe(403);
    expect(minted.body.message).toBe('A personal token cannot create personal tokens; log in with your password (or use the Account page) to create one');
    const list = await as(session).get('/api/users/me/tokens');
    const { token: _shownOnce, ...listed } = created;
    expect(list.body).toEqual([{ ...listed, lastUsedAt: expect.any(String) }]);
    expect(list.text).not.toContain(created.token);

    // Another user cannot revoke it through their own list.
    const other = await login('admin', ADMIN_PASSWORD);
    expect((await as(other).delete(`/api/users/me/tokens/${created.id}`)).status).toBe(404);

    expect((await as(session).delete(`/api/users/me/tokens/${created.id}`)).status).toBe(204);
    const refused = await as(created.token).get('/api/auth/me');
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/^The personal token was revoked on \d{4}-\d\d-\d\dT[\d:.]+Z; create a new one$/);
    expect((await as(session).get('/api/users/me/tokens')).body[0]).toMatchObject({ id: created.id, status: 'revoked' });
  });

  it('lets an admin list and revoke another user\'s tokens', async () => {
    const id = await createUser('tokened', 'editor');
    const { token, id: tokenId } = await personalToken(await login('tokened'), { name: 'deploy' });
    const list = await server.get(`/api/users/${id}/tokens`);
    expect(list.body.map((row: any) => [row.name, row.status])).toEqual([['deploy', 'active']]);
    expect((await server.delete(`/api/users/${id}/tokens/${tokenId}`)).status).toBe(204);
    expect((await as(token).get('/api/providers')).status).toBe(401);
    expect((await server.get(`/api/users/00000000-0000-4000-8000-000000000000/tokens`)).status).toBe(404);
  });

  it('names what is wrong with a token request', async () => {
    const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{}, { name: 'is required' }],
      [{ name: 'x', expiresInDays: 0 }, { expiresInDays: 'must be a whole number of days from 1 to 3650' }],
      [{ name: 'x', expiresAt: 'tomorrow' }, { expiresAt: 'must be an ISO 8601 date-time such as 2027-01-31T00:00:00Z' }],
      [{ name: 'x', expiresAt: '2020-01-01T00:00:00Z' }, { expiresAt: 'must be in the future' }],
      [{ name: 'x', expiresInDays: 5, expiresAt: '2099-01-01T00:00:00Z' }, { expiresAt: 'cannot be given with expiresInDays; give one of them, or neither for a token that does not expire' }],
    ];
    for (const [body, fields] of cases) {
      const result = await server.post('/api/users/me/tokens', body);
      expect(result.status).toBe(400);
      expect(result.body.fields).toEqual(fields);
    }
  });

  it('refuses an expired token, saying so, and does not recreate a deleted "admin" while another admin exists', async () => {
    const { token, id: tokenId } = await personalToken(server.token, { name: 'short-lived', expiresInDays: 1 });
    const keeperId = await createUser('keeper', 'admin');
    const keeper = as(await login('keeper'));
    const adminId = (await server.get('/api/auth/me')).body.user.id;
    expect((await keeper.delete(`/api/users/${adminId}`)).status).toBe(204);
    await server.stop();
    await queryStoppedDatabase(server.database, `UPDATE personal_tokens SET expires_at = now() - interval '1 hour' WHERE id = '${tokenId}'`);
    await server.launch();
    expect(server.logs).toContain('HOOKLINE_ADMIN_PASSWORD is ignored: there is no user "admin", but other admins exist');
    const oldAdmin = await server.request('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, { auth: false });
    expect(oldAdmin.status).toBe(401);
    const keeperSession = await server.request('POST', '/api/auth/login', { username: 'keeper', password: PASSWORD }, { auth: false });
    expect(keeperSession.body.user).toEqual({ id: keeperId, username: 'keeper', role: 'admin' });
    // The deleted admin's token went with it; an expired token of a live user says it expired.
    const ownToken = await personalToken(keeperSession.body.token, { name: 'to expire', expiresInDays: 1 });
    await server.stop();
    await queryStoppedDatabase(server.database, `UPDATE personal_tokens SET expires_at = now() - interval '1 hour' WHERE id = '${ownToken.id}'`);
    await server.launch();
    expect((await as(token).get('/api/auth/me')).status).toBe(401);
    const expired = await as(ownToken.token).get('/api/auth/me');
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/^The personal token expired on \d{4}-\d\d-\d\dT[\d:.]+Z; create a new one$/);
  });
});
