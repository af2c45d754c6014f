// Starting and stopping a built Hookline server on PGlite or a temporary PostgreSQL database,
// for the bench, fuzz and soak scripts. Every address used is 127.0.0.1.
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { children, startChild, stopChild } from './lib.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_MAIN = join(REPO, 'dist', 'apps', 'server', 'src', 'main.js');
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A temp directory for one script run, cleaned up on exit and on SIGINT/SIGTERM together
 * with every child server, data directory and temporary database it created.
 */
export function createWorkspace(prefix, log) {
  const root = mkdtempSync(join(tmpdir(), `hookline-${prefix}-`));
  const logDir = join(root, 'logs');
  mkdirSync(logDir);
  const dataDirs = new Set();
  const tempDatabases = new Set();
  const workspace = {
    root,
    logDir,
    dataDirs,
    tempDatabases,
    keepLogs: false,
    async cleanup() {
      for (const child of [...children]) await stopChild(child, 5_000).catch(() => child.kill('SIGKILL'));
      for (const db of [...tempDatabases]) await dropDatabase(db, tempDatabases).catch((err) => log(`could not drop database ${db.name}: ${err.message}`));
      for (const dir of [...dataDirs]) removeDir(dir, dataDirs, log);
      if (!workspace.keepLogs) removeDir(root, dataDirs, log);
    },
  };
  // Last resort when the process ends abruptly: no child server outlives the script, no data dir stays.
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    if (!workspace.keepLogs) rmSync(root, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      workspace.cleanup().finally(() => process.exit(130));
    });
  }
  return workspace;
}

function removeDir(dir, dataDirs, log) {
  try {
    rmSync(dir, { recursive: true, force: true });
    dataDirs.delete(dir);
  } catch (err) {
    log(`could not remove ${dir}: ${err.message}`);
  }
}

function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** The loopback rule: the scripts never send to, or drive a database on, another host. */
export function assertLoopback(url, what) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) throw new Error(`${what} must be on this machine (127.0.0.1), not ${host}`);
}

async function createDatabase(adminUrl, tempDatabases) {
  const name = `hookline_bench_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
    const version = (await client.query('SHOW server_version')).rows[0].server_version;
    const db = { adminUrl, name, version };
    tempDatabases.add(db);
    return db;
  } finally {
    await client.end();
  }
}

async function dropDatabase(db, tempDatabases) {
  const client = new pg.Client({ connectionString: db.adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
    tempDatabases.delete(db);
  } finally {
    await client.end();
  }
}

/**
 * Starts the built server on 127.0.0.1 with a fresh data directory and, for PostgreSQL, a fresh
 * temporary database (or `reuse`, the `tempDb` of an earlier start). `stop()` ends the process and
 * removes both; `stop({ keepDatabase: true })` leaves the database for a later start or a look
 * inside, `keepData: true` the data directory (the workspace still removes both at the end). `prefix` is a command that execs node, e.g. taskset.
 */
export async function startHookline({ workspace, database, pgUrl = DEFAULT_PG_URL, adminPassword, env = {}, nodeArgs = [], prefix = [], reuse = null, log }) {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing; run \`npm run build\` first`);
  const dataDir = join(workspace.root, `data-${database}-${Date.now()}`);
  mkdirSync(dataDir);
  workspace.dataDirs.add(dataDir);
  let tempDb = null;
  let databaseUrl = '';
  if (database === 'postgres') {
    assertLoopback(pgUrl, '--pg-url');
    tempDb = reuse ?? (await createDatabase(pgUrl, workspace.tempDatabases));
    databaseUrl = withDatabase(pgUrl, tempDb.name);
    if (!reuse) log(`created database ${tempDb.name} (PostgreSQL ${tempDb.version})`);
  }
  const stamp = Date.now();
  const stdoutFile = join(workspace.logDir, `hookline-${database}-${stamp}.stdout.log`);
  const stderrFile = join(workspace.logDir, `hookline-${database}-${stamp}.stderr.log`);
  const startedAt = Date.now();
  const stop = async ({ keepDatabase = false, keepData = false } = {}) => {
    if (server) await stopChild(server.child);
    if (!keepData) removeDir(dataDir, workspace.dataDirs, log);
    if (tempDb && !keepDatabase) {
      await dropDatabase(tempDb, workspace.tempDatabases);
      log(`dropped database ${tempDb.name}`);
    }
  };
  let server = null;
  try {
    server = await startChild({
      name: `Hookline (${database})`,
      args: ['--no-node-snapshot', ...nodeArgs, SERVER_MAIN],
      prefix,
      cwd: REPO,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        HOOKLINE_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        HOOKLINE_ADMIN_PASSWORD: adminPassword,
        HOOKLINE_LOG_LEVEL: 'info',
        ...env,
      },
      stdoutFile,
      stderrFile,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  assertLoopback(server.url, 'the server');
  return {
    ...server,
    database,
    postgresVersion: tempDb?.version ?? null,
    tempDb,
    databaseUrl,
    dataDir,
    startSeconds: (Date.now() - startedAt) / 1000,
    spawnedAt: startedAt,
    stop,
  };
}
