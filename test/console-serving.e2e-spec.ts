import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/test-database';
import { TestServer } from './support/test-server';

const BUILT = join(ROOT, 'dist', 'console', 'browser');
const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('the console at /', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.close();
  });

  it('serves its page at / and at any deep link, revalidated on every load, under its own CSP', async () => {
    const built = readFileSync(join(BUILT, 'index.html'), 'utf8');
    for (const path of ['/', '/providers', '/providers/00000000-0000-4000-8000-000000000000', '/messages/deep/er?status=failed']) {
      const page = await server.request('GET', path, undefined, { auth: false });
      expect({ path, status: page.status, type: page.headers.get('content-type'), cache: page.headers.get('cache-control') }).toEqual({
        path,
        status: 200,
        type: 'text/html; charset=utf-8',
        cache: 'no-cache',
      });
      expect(page.text).toBe(built);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
      expect(page.headers.get('content-security-policy')).toContain("worker-src 'self' blob:");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('sends hashed assets precompressed with brotli or gzip, cached for good', async () => {
    const index = readFileSync(join(BUILT, 'index.html'), 'utf8');
    const main = /src="(main-[A-Z0-9]{8}\.js)"/.exec(index)?.[1];
    expect(main).toBeDefined();
    const raw = readFileSync(join(BUILT, main!));
    for (const encoding of ['br', 'gzip']) {
      // fetch decodes the body, so it must come out as the file itself.
      const response = await fetch(`${server.url}/${main}`, { headers: { 'accept-encoding': encoding } });
      expect({
        status: response.status,
        encoding: response.headers.get('content-encoding'),
        cache: response.headers.get('cache-control'),
        type: response.headers.get('content-type'),
        vary: response.headers.get('vary'),
      }).toEqual({ status: 200, encoding, cache: IMMUTABLE, type: 'application/javascript; charset=utf-8', vary: 'accept-encoding' });
      expect(Buffer.from(await response.arrayBuffer()).equals(raw)).toBe(true);
    }
    const plain = await fetch(`${server.url}/${main}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBe(raw.length);
  });

  it('answers a missing file with 404, never with the page', async () => {
    const missing = await server.request('GET', '/chunk-ABCDEFGH.js', undefined, { auth: false });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /chunk-ABCDEFGH.js' });
  });

  it('leaves /api and /webhooks their own answers', async () => {
    const api = await server.get('/api/nope');
    expect(api.status).toBe(404);
    expect(api.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /api/nope' });
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");

    const hook = await server.request('GET', '/webhooks/console/deep-link', undefined, { auth: false });
    expect(hook.status).toBe(202);
    expect(hook.body).toMatchObject({ status: 'no_provider' });
    expect(hook.headers.get('content-security-policy')).toBeNull();

    const unauthenticated = await server.request('GET', '/api/providers', undefined, { auth: false });
    expect(unauthenticated.status).toBe(401);
  });

  describe('cross-site request defence', () => {
    let cookie: string;

    beforeAll(async () => {
      const login = await server.request('POST', '/api/auth/login', { username: 'admin', password: 'test-admin-password' }, { auth: false });
      cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      expect(cookie).toMatch(/^hookline_session=.+/);
    });

    const asCookie = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      server.request(method, path, body, { auth: false, headers: { cookie, ...headers } });

    it('refuses a write authenticated by the cookie alone, and says which header is missing', async () => {
      for (const [method, path, body] of [
        ['POST', '/api/providers', { name: 'csrf', matchScript: 'return true' }],
        ['PUT', '/api/providers/order', { ids: [] }],
        ['DELETE', '/api/providers/00000000-0000-4000-8000-000000000000', undefined],
        ['POST', '/api/auth/logout', {}],
      ] as const) {
        const refused = await asCookie(method, path, body);
        expect({ method, path, status: refused.status }).toEqual({ method, path, status: 403 });
        expect(refused.body.message).toContain('X-Hookline-Request: 1');
      }
      // Nothing was done: the provider does not exist and the session still works.
      expect((await server.get('/api/providers')).body.map((p: any) => p.name)).not.toContain('csrf');
      expect((await asCookie('GET', '/api/auth/me')).status).toBe(200);
    });

    it('accepts the write with the console header, and reads without it', async () => {
      const created = await asCookie('POST', '/api/providers', { name: 'by-console', matchScript: 'return true' }, { 'x-hookline-request': '1' });
      expect(created.status).toBe(201);
      expect(created.body.name).toBe('by-console');
      const read = await asCookie('GET', `/api/providers/${created.body.id}`);
      expect(read.status).toBe(200);
    });

    it('leaves bearer-token clients as they were', async () => {
      const created = await server.post('/api/providers', { name: 'by-token', matchScript: 'return true' });
      expect(created.status).toBe(201);
    });
  });
});
