import { Client } from 'pg';
import { queryStoppedDatabase } from './test-database';
import type { TestServer } from './test-server';

/**
 * Runs SQL on a server's database: on PostgreSQL while it runs, on PGlite (which one process
 * opens at a time) with the server stopped and started again.
 */
export async function changeDatabase(server: TestServer, sql: string): Promise<void> {
  if (server.database.kind === 'postgres') {
    const client = new Client({ connectionString: server.database.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  await server.stop();
  await queryStoppedDatabase(server.database, sql);
  await server.launch();
  await server.login();
}

/**
 * Makes every watched branch of the automations due now, as if their minimum interval (at least
 * a minute) and any backoff had passed; the next tick of their schedule polls them. Returns the
 * time the polls that follow come after.
 */
export async function makePollsDue(server: TestServer, automationIds: string[]): Promise<number> {
  const since = Date.now();
  await changeDatabase(server, `UPDATE scm_poll_state SET next_attempt_at = NULL WHERE automation_id IN (${automationIds.map((id) => `'${id}'`).join(', ')})`);
  return since;
}

export async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** The automation's poll state once each of `branches` was polled at or after `since`. */
export function waitForPoll(server: TestServer, automationId: string, since: number, branches: string[]): Promise<any> {
  return waitFor(
    `the poll of ${branches.join(', ')}`,
    async () => (await server.get(`/api/automations/${automationId}/scm-state`)).body,
    (state) => branches.every((branch) => state.branches?.some((row: any) => row.branch === branch && row.lastPollAt !== null && Date.parse(row.lastPollAt) >= since)),
  );
}

/** The automation's runs, oldest first. */
export async function runsOf(server: TestServer, automationId: string): Promise<any[]> {
  return ((await server.get(`/api/automations/${automationId}/runs`)).body as any[]).reverse();
}

export function waitForRun(server: TestServer, id: string, statuses = ['succeeded', 'failed', 'skipped', 'dead']): Promise<any> {
  return waitFor(
    `run ${id}`,
    async () => (await server.get(`/api/runs/${id}`)).body,
    (run) => statuses.includes(run?.status),
  );
}
