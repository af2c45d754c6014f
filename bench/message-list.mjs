#!/usr/bin/env node
// Seeds a database with many stored messages and measures the message list over HTTP: the first
// page and a deep page, with and without filters and search, on PGlite and PostgreSQL.
//   npm run bench:messages -- --messages 100000 --db both
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { api, readOptions, startChild, stopChild } from './lib.mjs';
import { assertLoopback, createWorkspace, DEFAULT_PG_URL, REPO, SERVER_MAIN } from './hookline-server.mjs';

const ADMIN_PASSWORD = 'bench-admin-password';
const MIGRATE = join(REPO, 'dist', 'apps', 'server', 'src', 'migrate.js');
const BATCH = 10_000;
const RUNS = 7;

const opts = readOptions(process.argv.slice(2), { messages: 100_000, db: 'both', pgUrl: DEFAULT_PG_URL }, {
  names: { messages: 'messages', db: 'db', 'pg-url': 'pgUrl' },
  help: `Usage: npm run bench:messages -- [options]
  --messages <n>            messages to store (default 100000)
  --db pglite|postgres|both databases to measure (default both)
  --pg-url <url>            PostgreSQL server for a temporary database (default ${DEFAULT_PG_URL})`,
});
const log = (line) => console.error(`[bench:messages] ${line}`);

/**
 * One INSERT … SELECT per batch: message i was received i × 20 s ago (100,000 span 23 days),
 * with five uris, eight statuses, four event types, and a JSON body of about 1 KB; every
 * 1000th body holds the word "rare-marker".
 */
function seedSql(from, to) {
  return `INSERT INTO messages (id, received_at, method, uri, path, query, headers, body, content_type, status, provider_name, event_type, http_status, triggered_by, trace, finished_at)
    SELECT gen_random_uuid(), now() - (i * interval '20 seconds'), 'POST', u.uri, '/webhooks/' || u.uri, '{}', '{"content-type":"application/json"}',
           convert_to(json_build_object('id', i, 'ref', 'refs/heads/main', 'message', 'Commit number ' || i || CASE WHEN i % 1000 = 0 THEN ' rare-marker' ELSE '' END,
                                        'author', json_build_object('name', 'Dev ' || (i % 97), 'email', 'dev' || (i % 97) || '@example.com'),
                                        'files', json_build_array(md5(i::text), md5((i + 1)::text), md5((i + 2)::text)), 'notes', repeat(md5((i * 7)::text), 20))::text, 'UTF8'),
           'application/json',
           (ARRAY['processed','processed','processed','failed','no_provider','dead','unauthorized','no_function'])[1 + i % 8],
           'Bench', (ARRAY['push','tag_push','invoice.paid','message'])[1 + i % 4], 202, 'webhook', '{"providers":[],"functions":[]}', now()
      FROM generate_series(${from}, ${to}) i,
           LATERAL (SELECT (ARRAY['git/push','git/tag','billing/stripe','slack/events','ci/builds'])[1 + i % 5] AS uri) u`;
}

async function seed(query, count) {
  const started = performance.now();
  for (let from = 1; from <= count; from += BATCH) await query(seedSql(from, Math.min(count, from + BATCH - 1)));
  await query('ANALYZE messages');
  return (performance.now() - started) / 1000;
}

async function prepare(workspace, database) {
  const dataDir = join(workspace.root, `data-${database}`);
  mkdirSync(dataDir);
  workspace.dataDirs.add(dataDir);
  let databaseUrl = '';
  let version = null;
  if (database === 'postgres') {
    assertLoopback(opts.pgUrl, '--pg-url');
    const name = `hookline_msgbench_${process.pid}`;
    const admin = new pg.Client({ connectionString: opts.pgUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    version = (await admin.query('SHOW server_version')).rows[0].server_version;
    await admin.end();
    workspace.tempDatabases.add({ adminUrl: opts.pgUrl, name, version });
    const url = new URL(opts.pgUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  const env = { ...process.env, HOOKLINE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
  execFileSync(process.execPath, ['--no-node-snapshot', MIGRATE], { env, stdio: 'pipe' });
  let seconds;
  if (database === 'postgres') {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    seconds = await seed((sql) => client.query(sql), opts.messages);
    await client.end();
  } else {
    const db = new PGlite(join(dataDir, 'pglite'));
    seconds = await seed((sql) => db.exec(sql), opts.messages);
    version = (await db.query('SHOW server_version')).rows[0].server_version;
    await db.close();
  }
  log(`${database}: stored ${opts.messages} messages in ${seconds.toFixed(1)} s`);
  return { env, version, seedSeconds: seconds };
}

async function timed(url, path, token) {
  const started = performance.now();
  const result = await api(url, 'GET', path, { token });
  return { ms: performance.now() - started, body: result.json };
}

/** Median of RUNS timings after one warm-up request. */
async function median(url, path, token) {
  let body = (await timed(url, path, token)).body;
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await timed(url, path, token);
    times.push(run.ms);
    body = run.body;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], body };
}

/** Follows nextCursor with pages of up to 500 until `depth` messages lie before the cursor. */
async function cursorAt(url, query, depth, token) {
  let cursor = null;
  let passed = 0;
  while (passed < depth) {
    const limit = Math.min(500, depth - passed);
    const page = (await api(url, 'GET', `/api/messages?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token })).json;
    passed += page.items.length;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { cursor, passed };
}

const CASES = [
  { name: 'no filter', query: '' },
  { name: 'status=failed (1 in 8)', query: 'status=failed' },
  { name: 'uriPrefix=billing/ (1 in 5)', query: 'uriPrefix=billing/' },
  { name: 'eventType=tag_push and status=processed', query: 'eventType=tag_push&status=processed' },
  { name: 'q=commit number (every body)', query: 'q=commit%20number', searchOnly: true },
  { name: 'q=rare-marker (1 in 1000)', query: 'q=rare-marker', searchOnly: true },
  { name: 'q=no-such-text (none)', query: 'q=no-such-text', searchOnly: true },
];

async function measure(database) {
  const workspace = createWorkspace(`msgbench-${database}`, log);
  try {
    const { env, version, seedSeconds } = await prepare(workspace, database);
    const server = await startChild({
      name: `Hookline (${database})`,
      args: ['--no-node-snapshot', SERVER_MAIN],
      cwd: REPO,
      env: { ...env, PORT: '0', HOST: '127.0.0.1', HOOKLINE_ADMIN_PASSWORD: ADMIN_PASSWORD, HOOKLINE_SEED_BUILTINS: 'false', HOOKLINE_LOG_LEVEL: 'warn' },
      stdoutFile: join(workspace.logDir, `${database}.stdout.log`),
      stderrFile: join(workspace.logDir, `${database}.stderr.log`),
    });
    try {
      const token = (await api(server.url, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).json.token;
      const deep = Math.floor(opts.messages * 0.9);
      const { cursor: deepCursor } = await cursorAt(server.url, '', deep, token);
      const rows = [];
      for (const c of CASES) {
        const first = await median(server.url, `/api/messages?${c.query}&limit=50`, token);
        let deepPage;
        if (c.searchOnly || c.query === '') {
          // A search from the cursor 90 % down the whole list.
          deepPage = await median(server.url, `/api/messages?${c.query}&limit=50&cursor=${deepCursor}`, token);
        } else {
          const matching = (await api(server.url, 'POST', '/api/messages/resubmit', { token, body: { ...Object.fromEntries(new URLSearchParams(c.query)), dryRun: true } })).json.matching;
          const { cursor } = await cursorAt(server.url, c.query, Math.floor(matching * 0.9), token);
          deepPage = await median(server.url, `/api/messages?${c.query}&limit=50&cursor=${cursor}`, token);
        }
        rows.push({ name: c.name, firstMs: first.ms, firstItems: first.body.items.length, firstPartial: first.body.partial, deepMs: deepPage.ms, deepItems: deepPage.body.items.length, deepPartial: deepPage.body.partial });
        log(`${database}: ${c.name}: first ${first.ms.toFixed(1)} ms (${first.body.items.length}), deep ${deepPage.ms.toFixed(1)} ms (${deepPage.body.items.length})`);
      }
      const count = await timedPost(server.url, '/api/messages/resubmit', { status: 'failed', dryRun: true }, token);
      const overview = await median(server.url, '/api/overview?range=24h', token);
      return { database, version, seedSeconds, rows, countMs: count, overviewMs: overview.ms };
    } finally {
      await stopChild(server.child);
    }
  } finally {
    await workspace.cleanup();
  }
}

async function timedPost(url, path, body, token) {
  await api(url, 'POST', path, { token, body });
  const started = performance.now();
  await api(url, 'POST', path, { token, body });
  return performance.now() - started;
}

function report(results) {
  const lines = [`Messages stored: ${opts.messages.toLocaleString('en')}; median of ${RUNS} requests after one warm-up; limit 50; "deep" is a page 90 % of the way down the list (the search rows: from 90 % down the whole list).`, ''];
  for (const r of results) {
    lines.push(`### ${r.database === 'pglite' ? 'Embedded PGlite' : 'PostgreSQL'} ${r.version} (seeded in ${r.seedSeconds.toFixed(0)} s)`, '');
    lines.push('| Query | First page (ms) | Items | Deep page (ms) | Items |', '|---|---:|---:|---:|---:|');
    for (const row of r.rows) {
      const items = (n, partial) => `${n}${partial ? ' (partial)' : ''}`;
      lines.push(`| ${row.name} | ${row.firstMs.toFixed(1)} | ${items(row.firstItems, row.firstPartial)} | ${row.deepMs.toFixed(1)} | ${items(row.deepItems, row.deepPartial)} |`);
    }
    lines.push('', `Bulk resubmit dry run (count of status=failed): ${r.countMs.toFixed(1)} ms. Overview, range 24h: ${r.overviewMs.toFixed(1)} ms.`, '');
  }
  console.log(lines.join('\n'));
}

const databases = opts.db === 'both' ? ['pglite', 'postgres'] : [opts.db];
const results = [];
for (const database of databases) results.push(await measure(database));
report(results);
