import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '..', '..');
export const TMP = join(ROOT, '.test-tmp');
const PGLITE_TEMPLATE = join(TMP, 'pglite-template');
// One template per checkout, so two checkouts can run their suites on one server at once.
const PG_TEMPLATE = `hookline_template_${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`;

export type TestDatabaseKind = 'pglite' | 'postgres';

/** Which database this run targets: HOOKLINE_TEST_DB=postgres uses TEST_DATABASE_URL. */
export function testDatabaseKind(): TestDatabaseKind {
  return process.env.HOOKLINE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** Environment for a server on this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * Migrates once per run into a template; each test file then gets its own copy
 * (a copied data directory for PGlite, CREATE DATABASE … TEMPLATE on PostgreSQL).
 */
export async function prepareTemplate(): Promise<void> {
  const migrate = join(ROOT, 'dist', 'apps', 'server', 'src', 'migrate.js');
  if (testDatabaseKind() === 'pglite') {
    rmSync(PGLITE_TEMPLATE, { recursive: true, force: true });
    mkdirSync(TMP, { recursive: true });
    execFileSync(process.execPath, [migrate], { env: { ...process.env, DATABASE_URL: '', HOOKLINE_DATA_DIR: PGLITE_TEMPLATE }, stdio: 'pipe' });
    return;
  }
  const admin = await adminClient();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${PG_TEMPLATE}`);
  } finally {
    await admin.end();
  }
  execFileSync(process.execPath, [migrate], { env: { ...process.env, DATABASE_URL: databaseUrl(PG_TEMPLATE) }, stdio: 'pipe' });
}

/** A fresh copy of the migrated template; `empty` (PostgreSQL only): a database with no tables, for tests of migrating itself. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (options.empty && testDatabaseKind() !== 'postgres') throw new Error('an empty test database is made on PostgreSQL only');
  if (testDatabaseKind() === 'pglite') {
    if (!existsSync(PGLITE_TEMPLATE)) await prepareTemplate();
    const dataDir = join(TMP, name);
    cpSync(PGLITE_TEMPLATE, dataDir, { recursive: true });
    rmSync(join(dataDir, 'hookline.lock'), { force: true });
    return {
      kind: 'pglite',
      env: { HOOKLINE_DATA_DIR: dataDir, DATABASE_URL: '' },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE hookline_${name}${options.empty ? '' : ` TEMPLATE ${PG_TEMPLATE}`}`);
  } finally {
    await admin.end();
  }
  const dataDir = join(TMP, name);
  mkdirSync(dataDir, { recursive: true });
  return {
    kind: 'postgres',
    env: { DATABASE_URL: databaseUrl(`hookline_${name}`), HOOKLINE_DATA_DIR: dataDir },
    drop: async () => {
      const client = await adminClient();
      try {
        await client.query(`DROP DATABASE IF EXISTS hookline_${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function baseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('HOOKLINE_TEST_DB=postgres needs TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test');
  return url;
}

export function databaseUrl(database: string): string {
  const url = new URL(baseUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminClient(): Promise<Client> {
  const client = new Client({ connectionString: baseUrl() });
  await client.connect();
  return client;
}

/** For tests that look at rows directly. */
export function describeDatabase(): string {
  return testDatabaseKind() === 'postgres' ? 'PostgreSQL' : 'PGlite';
}


/**
 * Runs one SQL query against a stopped server's database and returns the rows.
 * PGlite is opened in a child process: it is an ES module that jest's VM cannot load.
 */
export async function queryStoppedDatabase(database: TestDatabase, sql: string): Promise<any[]> {
  if (database.kind === 'postgres') {
    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const script = `
    require('reflect-metadata');
    const { openDatabase } = require(${JSON.stringify(join(ROOT, 'dist', 'apps', 'server', 'src', 'database', 'open-database.js'))});
    (async () => {
      const db = await openDatabase({ kind: 'pglite', dataDir: process.env.DIR }, { migrate: false });
      const rows = await db.dataSource.query(process.env.SQL);
      await db.close();
      process.stdout.write(JSON.stringify(rows));
    })().catch((err) => { console.error(err); process.exit(1); });`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, DIR: join(database.env.HOOKLINE_DATA_DIR, 'pglite'), SQL: sql },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}
