import { given, TestServer } from './support/test-server';

describe('security headers', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.close();
  });

  const ADMIN_HEADERS = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  };

  it('sends them on admin answers, errors and unauthenticated ones included', async () => {
    for (const result of [
      await server.get('/api/providers'),
      await server.get('/api/messages/00000000-0000-4000-8000-000000000000'),
      await server.request('GET', '/api/providers', undefined, { auth: false }),
      await server.request('POST', '/api/auth/login', { username: 'admin', password: 'wrong-password' }, { auth: false }),
    ]) {
      const shown = Object.fromEntries(Object.keys(ADMIN_HEADERS).map((name) => [name, result.headers.get(name)]));
      expect({ status: result.status, ...shown }).toEqual({ status: result.status, ...ADMIN_HEADERS });
    }
  });

  it('serves a stored body sandboxed, whatever content type the sender claimed', async () => {
    await given(server).provider({ name: 'Html sender', matchScript: 'return request.headers["x-html"] === "yes"' });
    const sent = await server.webhook('html/page', '<script>alert(1)</script>', { 'content-type': 'text/html', 'x-html': 'yes' });
    const body = await server.get(`/api/messages/${sent.body.messageId}/body`);
    expect(body.status).toBe(200);
    expect(body.text).toBe('<script>alert(1)</script>');
    expect(body.headers.get('content-type')).toBe('text/html');
    expect(body.headers.get('content-security-policy')).toBe('sandbox');
    expect(body.headers.get('x-content-type-options')).toBe('nosniff');
    expect(body.headers.get('content-disposition')).toBe(`attachment; filename="${sent.body.messageId}.body"`);
  });

  it('lets the console page at / run its own scripts and workers, and nothing from elsewhere', async () => {
    const page = await server.request('GET', '/', undefined, { auth: false });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
