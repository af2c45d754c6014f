// The check that every message answered 2xx is stored and processed, by reading the database
// directly after the server stopped: the message ids the load generator recorded from the
// X-Hookline-Message-Id answers, looked up by id, counted by status.
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

const BATCH = 5000;

/** Opens a stopped server's database: PostgreSQL by URL, PGlite by its data directory. */
export async function openDatabase(server) {
  if (server.tempDb) {
    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    return { query: async (sql, params) => (await client.query(sql, params)).rows, close: () => client.end() };
  }
  const db = new PGlite(join(server.dataDir, 'pglite'));
  return { query: async (sql, params) => (await db.query(sql, params)).rows, close: () => db.close() };
}

/** Statuses of the messages with these ids: {byStatus, found}. Ids not found are the lost ones. */
export async function statusesOf(db, ids) {
  const byStatus = {};
  let found = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = await db.query('SELECT status, count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) GROUP BY status', [ids.slice(i, i + BATCH)]);
    for (const row of rows) {
      byStatus[row.status] = (byStatus[row.status] ?? 0) + row.n;
      found += row.n;
    }
  }
  return { byStatus, found };
}
