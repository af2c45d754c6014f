import { Client } from 'pg';
import { TestServer } from '../support/test-server';

// A database that stops answering can only be made here, with PostgreSQL outside the server process.
describe('readiness when the database is down', () => {
  let server: TestServer;
  let admin: Client;
  let database: string;

  beforeAll(async () => {
    server = await TestServer.start();
    const url = new URL(server.database.env.DATABASE_URL);
    database = url.pathname.slice(1);
    url.pathname = '/postgres';
    admin = new Client({ connectionString: url.toString() });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin.end();
    await server.close();
  });

  const ready = async () => {
    const answer = await fetch(`${server.url}/ready`);
    return { status: answer.status, body: (await answer.json()) as { status: string; checks: Record<string, string> } };
  };

  const waitFor = async (status: number) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = await ready();
      if (answer.status === status || Date.now() > deadline) return answer;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('answers 503 naming the database while it refuses connections, and 200 again once it is back', async () => {
    expect((await ready()).status).toBe(200);

    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
    const down = await waitFor(503);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('not ready');
    expect(down.body.checks.database).not.toBe('ok');
    expect(down.body.checks.sandbox).toBe('ok');
    // The liveness probe does not depend on the database: the process itself is fine.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    const back = await waitFor(200);
    expect(back.body).toEqual({ status: 'ready', roles: ['ingress', 'worker', 'scheduler'], checks: { database: 'ok', migrations: 'ok', sandbox: 'ok' } });
  });
});
