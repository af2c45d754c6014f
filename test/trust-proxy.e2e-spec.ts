import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, TMP } from './support/test-database';
import { ADMIN_PASSWORD, given, TestServer } from './support/test-server';

function login(server: TestServer, password: string, forwardedFor?: string) {
  return server.request('POST', '/api/auth/login', { username: 'admin', password }, { auth: false, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
}

describe('behind a trusted proxy', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, ::1' });
    const provider = await given(server).provider({ name: 'Any', matchScript: 'return true' });
    await given(server).fn({ providerId: provider.id, uri: 'from', script: 'return "ok"' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('records as source address the rightmost X-Forwarded-For entry that is not a trusted proxy', async () => {
    for (const [forwardedFor, expected] of [
      ['198.51.100.7', '198.51.100.7'],
      ['198.51.100.9, 10.1.2.3', '198.51.100.9'],
      ['1.2.3.4, 198.51.100.11', '198.51.100.11'],
    ]) {
      const sent = await server.webhook('from', {}, { 'x-forwarded-for': forwardedFor });
      const message = await server.waitForMessage(sent.body.messageId, ['processed']);
      expect({ forwardedFor, sourceAddress: message.sourceAddress }).toEqual({ forwardedFor, sourceAddress: expected });
    }
  });

  it('delays an address after five failures with 429 and Retry-After, while the admin logs in from elsewhere', async () => {
    for (let i = 0; i < 5; i++) expect((await login(server, 'wrong-guess', '203.0.113.5')).status).toBe(401);
    const delayed = await login(server, 'wrong-guess', '203.0.113.5');
    expect(delayed.status).toBe(429);
    expect(Number(delayed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(delayed.body.message).toMatch(/^Too many failed logins; try again in \d+ s$/);
    expect((await login(server, ADMIN_PASSWORD, '203.0.113.5')).status).toBe(429);
    expect((await login(server, ADMIN_PASSWORD, '203.0.113.6')).status).toBe(200);
  });

  it('delays a user guessed at from many addresses, except from an address that logged in as that user', async () => {
    expect((await login(server, ADMIN_PASSWORD, '192.0.2.50')).status).toBe(200);
    for (let n = 1; n <= 10; n++) expect((await login(server, 'wrong-guess', `198.51.100.${100 + n}`)).status).toBe(401);
    const delayed = await login(server, ADMIN_PASSWORD, '198.51.100.200');
    expect(delayed.status).toBe(429);
    const wait = Number(delayed.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await login(server, ADMIN_PASSWORD, '192.0.2.50')).status).toBe(200);
  });
});

describe('without a trusted proxy', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
    const provider = await given(server).provider({ name: 'Any', matchScript: 'return true' });
    await given(server).fn({ providerId: provider.id, uri: 'from', script: 'return "ok"' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('ignores X-Forwarded-For from the peer for the source address and for login delays', async () => {
    const sent = await server.webhook('from', {}, { 'x-forwarded-for': '198.51.100.7' });
    expect((await server.waitForMessage(sent.body.messageId, ['processed'])).sourceAddress).toBe('127.0.0.1');

    for (let i = 0; i < 5; i++) expect((await login(server, 'wrong-guess', `203.0.113.${i}`)).status).toBe(401);
    const spoofed = await login(server, 'wrong-guess', '203.0.113.77');
    expect(spoofed.status).toBe(429);
  });
});

describe('a bad HOOKLINE_TRUST_PROXY', () => {
  it('stops the server at start with a message naming the variable', () => {
    const started = spawnSync(process.execPath, ['--no-node-snapshot', join(ROOT, 'dist', 'apps', 'server', 'src', 'main.js')], {
      env: { ...process.env, PORT: '0', HOOKLINE_DATA_DIR: join(TMP, 'never-created'), HOOKLINE_TRUST_PROXY: '10.0.0.0/40' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(started.status).toBe(1);
    expect(started.stderr + started.stdout).toContain('HOOKLINE_TRUST_PROXY: "10.0.0.0/40" is not an IP address or CIDR range');
  });
});
