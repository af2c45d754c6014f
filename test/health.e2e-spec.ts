import { createTestDatabase, testDatabaseKind } from './support/test-database';
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

  it('takes the role HOOKLINE_ROLE names on PostgreSQL, and every role on the embedded database, saying so at start', async () => {
    const worker = await TestServer.launch({ HOOKLINE_ROLE: 'worker', HOOKLINE_MASTER_KEY: 'ab'.repeat(32) });
    try {
      const ready = (await fetch(`${worker.url}/ready`).then((r) => r.json())) as { roles: string[] };
      if (testDatabaseKind() === 'pglite') {
        expect(worker.logs).toContain(
          'HOOKLINE_ROLE=worker is ignored: the embedded database is one process, which takes every role (ingress, worker, scheduler). Set DATABASE_URL to a PostgreSQL database to split roles across processes.',
        );
        expect(ready.roles).toEqual(['ingress', 'worker', 'scheduler']);
        expect((await fetch(`${worker.url}/api/auth/me`)).status).toBe(401);
      } else {
        expect(worker.logs).not.toContain('HOOKLINE_ROLE=worker is ignored');
        expect(ready.roles).toEqual(['worker']);
        expect((await fetch(`${worker.url}/api/auth/me`)).status).toBe(404);
      }
    } finally {
      await worker.close();
    }
  });

  it('refuses to start with a role it does not know, naming HOOKLINE_ROLE and the accepted values', async () => {
    const database = await createTestDatabase();
    try {
      await expect(TestServer.launch({ HOOKLINE_ROLE: 'web' }, database)).rejects.toThrow(
        /Bad setting HOOKLINE_ROLE: "web" is not a role; accepted: all, or one or more of ingress, worker, scheduler separated by commas/,
      );
    } finally {
      await database.drop();
    }
  });
});
