import { TestServer } from './support/test-server';

describe('health and readiness probes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.close();
  });

  it('GET /health answers without a login that the process is up', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready answers without a login that the database, the migrations and the sandbox are fine', async () => {
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(await ready.json()).toEqual({ status: 'ready', roles: ['ingress', 'worker', 'scheduler'], checks: { database: 'ok', migrations: 'ok', sandbox: 'ok' } });
  });

  it('is not mistaken for a console page', async () => {
    const nested = await fetch(`${server.url}/ready/extra`);
    expect(nested.status).toBe(404);
    expect(nested.headers.get('content-type')).toMatch(/application\/json/);
  });
});
