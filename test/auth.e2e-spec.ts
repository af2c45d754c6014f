import { OPENAPI_DOCUMENT } from '../apps/server/src/docs/openapi';
import { ADMIN_PASSWORD, TestServer } from './support/test-server';

describe('admin authentication', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers 401 on every /api route but the public ones when no token is sent', async () => {
    const checked: string[] = [];
    const publicRoutes: string[] = [];
    for (const [path, item] of Object.entries(OPENAPI_DOCUMENT.paths)) {
      if (!path.startsWith('/api/')) continue;
      for (const method of ['get', 'post', 'put', 'delete']) {
        if (!(method in item)) continue;
        // The document marks a route that needs no login with `security: []`.
        const security = (item as Record<string, { security?: unknown[] }>)[method].security;
        if (Array.isArray(security) && security.length === 0) {
          publicRoutes.push(`${method} ${path}`);
          continue;
        }
        const concrete = path.replace('{id}', '00000000-0000-4000-8000-000000000000');
        const result = await server.request(method.toUpperCase(), concrete, method === 'get' || method === 'delete' ? undefined : {}, { auth: false });
        expect({ route: `${method} ${path}`, status: result.status }).toEqual({ route: `${method} ${path}`, status: 401 });
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(35);
    expect(publicRoutes.sort()).toEqual(['get /api/auth/session', 'post /api/auth/login', 'post /api/webhooks/inbound/{token}']);
  });

  it('rejects a made-up token', async () => {
    const result = await server.request('GET', '/api/providers', undefined, { auth: false, headers: { authorization: 'Bearer not-a-token' } });
    expect(result.status).toBe(401);
    expect(result.body.message).toMatch(/invalid or has expired/);
  });

  it('logs in with a token and a session cookie, and logs out', async () => {
    const login = await server.request('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, { auth: false });
    expect(login.status).toBe(200);
    expect(login.body.user.username).toBe('admin');
    expect(login.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/hookline_session=.+; Path=\/; HttpOnly; SameSite=Strict/);

    const viaCookie = await server.request('GET', '/api/auth/me', undefined, { auth: false, headers: { cookie: cookie.split(';')[0] } });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.user.username).toBe('admin');

    const bearer = { authorization: `Bearer ${login.body.token}` };
    expect((await server.request('POST', '/api/auth/logout', undefined, { auth: false, headers: bearer })).status).toBe(204);
    expect((await server.request('GET', '/api/auth/me', undefined, { auth: false, headers: bearer })).status).toBe(401);
  });

  it('says whether a request holds a live session without answering 401', async () => {
    const login = await server.request('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, { auth: false });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const ask = (headers: Record<string, string>) => server.request('GET', '/api/auth/session', undefined, { auth: false, headers });

    expect(await ask({}).then((r) => ({ status: r.status, body: r.body }))).toEqual({ status: 200, body: { user: null } });
    expect((await ask({ cookie })).body.user.username).toBe('admin');
    expect((await ask({ authorization: `Bearer ${login.body.token}` })).body.user.username).toBe('admin');
    expect((await ask({ cookie: 'hookline_session=made-up' })).body).toEqual({ user: null });

    await server.request('POST', '/api/auth/logout', undefined, { auth: false, headers: { cookie, 'x-hookline-request': '1' } });
    expect((await ask({ cookie })).body).toEqual({ user: null });
  });

  it('answers 401 to a wrong password and 400 naming missing fields', async () => {
    const wrong = await server.request('POST', '/api/auth/login', { username: 'admin', password: 'nope' }, { auth: false, headers: { 'x-forwarded-for': '1' } });
    expect(wrong.status).toBe(401);
    const missing = await server.request('POST', '/api/auth/login', { username: 'admin' }, { auth: false });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toEqual({ password: 'is required' });
  });

  it('answers 400 with the parse error to a body that is not JSON', async () => {
    const result = await server.request('POST', '/api/providers', undefined, { raw: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(result.status).toBe(400);
    expect(result.body.message).toMatch(/not valid JSON/);
  });

  it('changes the password, ending other sessions but not this one', async () => {
    const other = await server.request('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, { auth: false });
    const wrong = await server.post('/api/auth/password', { currentPassword: 'not-it', newPassword: 'brand-new-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields).toEqual({ currentPassword: 'is not the current password' });
    const short = await server.post('/api/auth/password', { currentPassword: ADMIN_PASSWORD, newPassword: 'short' });
    expect(short.body.fields).toEqual({ newPassword: 'must be at least 8 characters' });

    expect((await server.post('/api/auth/password', { currentPassword: ADMIN_PASSWORD, newPassword: 'brand-new-password' })).status).toBe(204);
    expect((await server.get('/api/auth/me')).status).toBe(200);
    expect((await server.request('GET', '/api/auth/me', undefined, { auth: false, headers: { authorization: `Bearer ${other.body.token}` } })).status).toBe(401);
    const relogin = await server.request('POST', '/api/auth/login', { username: 'admin', password: 'brand-new-password' }, { auth: false });
    expect(relogin.status).toBe(200);
    expect((await server.post('/api/auth/password', { currentPassword: 'brand-new-password', newPassword: ADMIN_PASSWORD })).status).toBe(204);
  });

  it('answers 429 with Retry-After after five failed logins from one address', async () => {
    // Earlier tests' failures from this address were cleared by their successful logins.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await server.request('POST', '/api/auth/login', { username: 'admin', password: `wrong-${i}` }, { auth: false })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await server.request('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, { auth: false });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
