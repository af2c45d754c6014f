import { TestServer } from './support/test-server';

/** What Chromium sends when a person opens a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('the API reference page', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.close();
  });

  /** A request as a browser or a client sends it, without following a redirect. */
  const open = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers, redirect: 'manual' });

  /** The addresses of the scripts, styles and other files the page names. */
  const assetUrls = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map(([, url]) => url);
  const scriptUrls = (html: string) => [...html.matchAll(/<script\b[^>]*\bsrc="([^"]*)"/g)].map(([, url]) => url);

  it('sends a browser without a session to the console login, which comes back to the reference', async () => {
    const answer = await open('/api/reference', { accept: BROWSER_ACCEPT });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/login?returnUrl=%2Fapi%2Freference');

    // A cookie whose session ended is no session either.
    const ended = await open('/api/reference', { accept: BROWSER_ACCEPT, cookie: 'hookline_session=ended-session' });
    expect(ended.status).toBe(303);
    expect(ended.headers.get('location')).toBe('/login?returnUrl=%2Fapi%2Freference');

    // The login page that address names is the console's.
    const login = await open('/login?returnUrl=%2Fapi%2Freference', { accept: BROWSER_ACCEPT });
    expect(login.status).toBe(200);
    expect(login.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('answers an API client without a login 401, like the rest of /api', async () => {
    const answer = await open('/api/reference', { accept: 'application/json' });
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { message: string }).message).toMatch(/Log in first/);
    expect((await open('/api/reference/standalone.js', { accept: BROWSER_ACCEPT })).status).toBe(401);
  });

  it('answers a bad bearer token 401, even from a browser', async () => {
    const answer = await open('/api/reference', { accept: BROWSER_ACCEPT, authorization: 'Bearer not-a-token' });
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { message: string }).message).toBe('The token is invalid or has expired; log in again');
  });

  it('serves the page for a session token: it loads /api/docs and only files of this server, under its own policy', async () => {
    const answer = await open('/api/reference', { accept: BROWSER_ACCEPT, authorization: `Bearer ${server.token}` });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*|'unsafe-eval'/);
    expect(answer.headers.get('cache-control')).toBe('no-store');

    const html = await answer.text();
    expect(html).toContain('<title>API reference · Hookline</title>');
    expect(html).toMatch(/<script id="api-reference" data-url="\/api\/docs"/);
    const configuration = JSON.parse(/data-configuration="([^"]*)"/.exec(html)![1].replace(/&quot;/g, '"'));
    expect(configuration).toMatchObject({ withDefaultFonts: false, agent: { disabled: true } });
    // Paths on this server only: its script, behind the same login, and the console's icon.
    const assets = assetUrls(html);
    expect(assets.filter((url) => !/^\/(?![/\\])/.test(url))).toEqual([]);
    expect(assets).toHaveLength(2);
    expect(assets).toContain('/favicon.svg');
    expect(scriptUrls(html)).toEqual([expect.stringMatching(/^\/api\/reference\/standalone\.js\?v=[0-9a-f]{16}$/)]);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves the page for a viewer’s personal token', async () => {
    const created = await server.post('/api/users', { username: 'reader', role: 'viewer', password: 'reader-password' });
    expect(created.status).toBe(201);
    const login = await server.request('POST', '/api/auth/login', { username: 'reader', password: 'reader-password' }, { auth: false });
    const minted = await server.request('POST', '/api/users/me/tokens', { name: 'docs' }, { auth: false, headers: { authorization: `Bearer ${login.body.token}` } });
    expect(minted.body.token).toMatch(/^hlp_/);

    const answer = await open('/api/reference', { authorization: `Bearer ${minted.body.token}` });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('serves the scripts the page names as JavaScript, gzipped for clients that accept it', async () => {
    const page = await (await open('/api/reference', { authorization: `Bearer ${server.token}` })).text();
    expect(scriptUrls(page)).toHaveLength(1);
    for (const asset of scriptUrls(page)) {
      const plain = await open(asset, { authorization: `Bearer ${server.token}`, 'accept-encoding': 'identity' });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      const text = Buffer.from(await plain.arrayBuffer());
      expect(text.toString('utf8')).toContain('createApiReference');

      // fetch decodes the answer: the bytes it gives are the bundle's, and fewer were sent.
      const zipped = await open(asset, { authorization: `Bearer ${server.token}`, 'accept-encoding': 'gzip' });
      expect(zipped.status).toBe(200);
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(zipped.headers.get('vary')).toBe('accept-encoding');
      expect(Number(zipped.headers.get('content-length'))).toBeLessThan(text.length / 2);
      expect(Buffer.from(await zipped.arrayBuffer()).equals(text)).toBe(true);
    }
  });
});
