#!/usr/bin/env node
// Hookline ingest benchmark. Run with `npm run bench` (builds first), or after a build:
//   node --no-node-snapshot bench/run-bench.mjs [--db pglite|postgres|both] [--duration 10] [--connections 10]
//
// In one run it measures, with autocannon in this process:
//   1. baseline: a bare node:http server (bench/baseline-server.mjs) that reads and JSON.parses the body;
//   2. Hookline async ingest: POST /webhooks/bench/async -> 202, functions run later from the queue;
//   3. Hookline sync mode: POST /webhooks/bench/sync with flex-sync-webhook: true -> 200 after the function ran.
// It prints a markdown table to stdout and writes docs/benchmarks.md (see --out).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, cpus, totalmem, loadavg, release, platform } from 'node:os';
import { join } from 'node:path';
import { api, load, notableLogLines, readOptions, sleep, startChild, stopChild } from './lib.mjs';
import { createWorkspace, DEFAULT_PG_URL, REPO, SERVER_MAIN, startHookline } from './hookline-server.mjs';
import { payloadBody } from './payload.mjs';
const ADMIN_PASSWORD = 'bench-admin-password';
const KEPT_HEADING = '## Fuzzing and memory soak';
const ASYNC_URI = 'bench/async';
const SYNC_URI = 'bench/sync';
const WEBHOOK_HEADERS = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-bench': '1' };

// ---------------------------------------------------------------- options

function parseOptions(argv = process.argv.slice(2), env = process.env) {
  const opts = {
    db: env.BENCH_DB || 'pglite',
    duration: Number(env.BENCH_DURATION || 10),
    connections: Number(env.BENCH_CONNECTIONS || 10),
    warmup: Number(env.BENCH_WARMUP || 2),
    drainTimeout: Number(env.BENCH_DRAIN_TIMEOUT || 90),
    pgUrl: env.BENCH_PG_URL || DEFAULT_PG_URL,
    out: env.BENCH_OUT || join(REPO, 'docs', 'benchmarks.md'),
    keepLogs: env.BENCH_KEEP_LOGS === '1',
  };
  const names = { db: 'db', duration: 'duration', connections: 'connections', warmup: 'warmup', 'drain-timeout': 'drainTimeout', 'pg-url': 'pgUrl', out: 'out' };
  readOptions(argv, opts, {
    names,
    flags: { 'keep-logs': 'keepLogs' },
    help: `Usage: npm run bench -- [options]
  --db pglite|postgres|both   database(s) to run Hookline on (default pglite; env BENCH_DB)
  --duration <s>              measured seconds per target (default 10; env BENCH_DURATION)
  --connections <n>           concurrent connections (default 10; env BENCH_CONNECTIONS)
  --warmup <s>                warm-up seconds per target, not measured (default 2; env BENCH_WARMUP)
  --drain-timeout <s>         longest wait for the async backlog to drain (default 90)
  --pg-url <url>              admin URL used to create/drop the temporary database
                              (default postgres://postgres@127.0.0.1:5432/postgres; env BENCH_PG_URL)
  --out <file>                where to write the report (default docs/benchmarks.md; "-" = do not write)
  --keep-logs                 keep the server logs in the temp directory`,
  });
  if (!['pglite', 'postgres', 'both'].includes(opts.db)) throw new Error(`--db must be pglite, postgres or both, not "${opts.db}"`);
  for (const key of ['duration', 'connections', 'warmup', 'drainTimeout']) {
    if (!Number.isFinite(opts[key]) || opts[key] < (key === 'warmup' ? 0 : 1)) throw new Error(`--${key} must be a positive number`);
  }
  opts.databases = opts.db === 'both' ? ['pglite', 'postgres'] : [opts.db];
  return opts;
}

// ---------------------------------------------------------------- clean-up

function log(...args) {
  console.error('[bench]', ...args);
}

const workspace = createWorkspace('bench', log);
const logDir = workspace.logDir;

// ---------------------------------------------------------------- measurements

async function measure(label, target, opts) {
  if (opts.warmup > 0) {
    log(`${label}: warm-up ${opts.warmup} s`);
    const warm = await load({ ...target, connections: opts.connections, duration: opts.warmup });
    if (warm.non2xx || warm.errors || warm.timeouts) {
      log(`${label}: warm-up had ${warm.non2xx} non-2xx, ${warm.errors} errors, ${warm.timeouts} timeouts (status codes ${JSON.stringify(warm.statusCodes)})`);
    }
    target.warmupAccepted = warm.ok2xx;
  }
  log(`${label}: measuring ${opts.duration} s with ${opts.connections} connections (load average ${loadavg()[0].toFixed(2)})`);
  const result = await load({ ...target, connections: opts.connections, duration: opts.duration });
  log(
    `${label}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
      `non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}, status codes ${JSON.stringify(result.statusCodes)}`,
  );
  return { label, ...result, warmupAccepted: target.warmupAccepted ?? 0 };
}

async function runBaseline(opts) {
  const server = await startChild({
    name: 'baseline server',
    args: [join(REPO, 'bench', 'baseline-server.mjs')],
    cwd: REPO,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdoutFile: join(logDir, 'baseline.stdout.log'),
    stderrFile: join(logDir, 'baseline.stderr.log'),
  });
  try {
    log(`baseline server at ${server.url}`);
    const result = await measure('baseline', { url: `${server.url}/webhooks/${ASYNC_URI}`, headers: WEBHOOK_HEADERS, body: payloadBody }, opts);
    return result;
  } finally {
    await stopChild(server.child);
  }
}

/** Polls until no message is queued or processing; returns when it saw that, or null on timeout. */
async function waitForDrain(baseUrl, token, timeoutSeconds) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let emptyChecks = 0;
  while (Date.now() < deadline) {
    const queued = await api(baseUrl, 'GET', '/api/messages?status=queued&limit=1', { token });
    const processing = queued.json.items.length ? null : await api(baseUrl, 'GET', '/api/messages?status=processing&limit=1', { token });
    if (queued.json.items.length === 0 && processing.json.items.length === 0) {
      // Seen empty twice in a row, so a message between states is not missed.
      if (++emptyChecks >= 2) return Date.now();
    } else {
      emptyChecks = 0;
    }
    await sleep(250);
  }
  return null;
}

/** Every message on a uri (summaries, newest first, paged by cursor). */
async function allMessages(baseUrl, token, uri) {
  const items = [];
  let cursor = null;
  do {
    const page = await api(baseUrl, 'GET', `/api/messages?uri=${encodeURIComponent(uri)}&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { token });
    items.push(...page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor);
  return items;
}

function countBy(items, key) {
  const counts = {};
  for (const item of items) counts[item[key]] = (counts[item[key]] ?? 0) + 1;
  return counts;
}

async function runHookline(database, opts) {
  // Log level info (not warn): Hookline prints its "Listening on" line at that level. It
  // logs nothing per request at info, only start-up lines, so the figures are unaffected.
  const server = await startHookline({ workspace, database, pgUrl: opts.pgUrl, adminPassword: ADMIN_PASSWORD, log });
  const { stdoutFile, stderrFile } = server;
  const report = { database, postgresVersion: server.postgresVersion, startSeconds: server.startSeconds };
  try {
    const base = server.url;
    log(`Hookline (${database}) at ${base}, started in ${report.startSeconds.toFixed(1)} s`);
    const { json: login } = await api(base, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    const token = login.token;
    const { json: provider } = await api(base, 'POST', '/api/providers', {
      token,
      // First in priority order, ahead of the built-in providers seeded at start.
      body: { name: 'bench', priority: 1, matchScript: 'return request.headers["x-bench"] === "1";' },
    });
    const script = 'return { ref: request.json.ref, commits: request.json.commits.length };';
    for (const [name, uri] of [['bench-async', ASYNC_URI], ['bench-sync', SYNC_URI]]) {
      await api(base, 'POST', '/api/functions', { token, body: { name, providerId: provider.id, uri, script } });
    }

    // One request of each kind first, so a broken set-up fails loudly instead of measuring 404s.
    const probeAsync = await fetch(`${base}/webhooks/${ASYNC_URI}`, { method: 'POST', headers: WEBHOOK_HEADERS, body: payloadBody });
    const probeAsyncBody = await probeAsync.text();
    if (probeAsync.status !== 202) throw new Error(`async probe answered ${probeAsync.status}: ${probeAsyncBody}`);
    const probeSync = await fetch(`${base}/webhooks/${SYNC_URI}`, { method: 'POST', headers: { ...WEBHOOK_HEADERS, 'flex-sync-webhook': 'true' }, body: payloadBody });
    const probeSyncBody = await probeSync.text();
    if (probeSync.status !== 200) throw new Error(`sync probe answered ${probeSync.status}: ${probeSyncBody}`);
    if (!(await waitForDrain(base, token, 30))) throw new Error('the async probe message was not processed within 30 s');

    // Async ingest, then the backlog it left.
    report.async = await measure(`hookline ${database} async`, { url: `${base}/webhooks/${ASYNC_URI}`, headers: WEBHOOK_HEADERS, body: payloadBody }, opts);
    const loadEnd = Date.now();
    log(`hookline ${database} async: waiting for the queue to drain (at most ${opts.drainTimeout} s)`);
    const drainedAt = await waitForDrain(base, token, opts.drainTimeout);
    const messages = await allMessages(base, token, ASYNC_URI);
    const finished = messages.filter((m) => m.finishedAt).map((m) => ({ ...m, finished: Date.parse(m.finishedAt), received: Date.parse(m.receivedAt) }));
    const afterLoad = finished.filter((m) => m.finished > loadEnd);
    const lastFinished = finished.reduce((max, m) => Math.max(max, m.finished), 0);
    // Messages of this phase: everything on the uri except the probe (the oldest).
    const phase = finished.slice().sort((a, b) => a.received - b.received).slice(1);
    const firstReceived = phase.length ? phase[0].received : loadEnd;
    report.drain = {
      drained: drainedAt !== null,
      messages: messages.length - 1,
      statuses: countBy(messages, 'status'),
      pendingAtLoadEnd: afterLoad.length,
      finishedDuringLoad: phase.length - afterLoad.length,
      drainSeconds: afterLoad.length ? (lastFinished - loadEnd) / 1000 : 0,
      drainRate: afterLoad.length ? afterLoad.length / ((lastFinished - loadEnd) / 1000) : null,
      overallSeconds: phase.length ? (lastFinished - firstReceived) / 1000 : 0,
      overallRate: phase.length ? phase.length / ((lastFinished - firstReceived) / 1000) : null,
      stillPending: messages.filter((m) => m.status === 'queued' || m.status === 'processing').length,
    };
    log(
      `hookline ${database} async: ${report.drain.drained ? 'drained' : 'NOT drained'}; ${report.drain.pendingAtLoadEnd} messages were pending when the load stopped, ` +
        `finished in ${report.drain.drainSeconds.toFixed(1)} s (${report.drain.drainRate?.toFixed(0) ?? '-'} msg/s); statuses ${JSON.stringify(report.drain.statuses)}`,
    );

    // Sync: the caller waits for the function.
    report.sync = await measure(`hookline ${database} sync`, { url: `${base}/webhooks/${SYNC_URI}`, headers: { ...WEBHOOK_HEADERS, 'flex-sync-webhook': 'true' }, body: payloadBody }, opts);
    const syncMessages = await allMessages(base, token, SYNC_URI);
    report.syncStatuses = countBy(syncMessages, 'status');
  } finally {
    await server.stop();
    report.logLines = notableLogLines(stdoutFile, stderrFile);
    report.logFiles = { stdoutFile, stderrFile };
  }
  return report;
}

// ---------------------------------------------------------------- report

const fmt = {
  rps: (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-'),
  ms: (n) => (Number.isFinite(n) ? n.toFixed(2) : '-'),
  ratio: (n) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)}×` : '-'),
  // Hookline's share of the baseline's requests/s is small; keep two significant digits.
  share: (n) => (Number.isFinite(n) ? `${Number(n.toPrecision(2))}× (${Number((n * 100).toPrecision(2))} %)` : '-'),
};

function isValid(r) {
  return r.non2xx === 0 && r.errors === 0 && r.timeouts === 0;
}

function table(baseline, report) {
  const rows = [
    ['Baseline: bare `node:http` + `JSON.parse`', baseline],
    ['Hookline async ingest (202)', report.async],
    ['Hookline sync (`flex-sync-webhook: true`, 200)', report.sync],
  ];
  const lines = [
    '| Target | Requests/s | p50 latency (ms) | p99 latency (ms) | Non-2xx | Errors / timeouts | Req/s vs baseline | p50 vs baseline | Valid |',
    '|---|---:|---:|---:|---:|---:|---:|---:|:---:|',
  ];
  for (const [name, r] of rows) {
    const isBaseline = r === baseline;
    lines.push(
      `| ${name} | ${fmt.rps(r.requestsPerSecond)} | ${fmt.ms(r.p50)} | ${fmt.ms(r.p99)} | ${r.non2xx} | ${r.errors} / ${r.timeouts} | ` +
        `${isBaseline ? '1×' : fmt.share(r.requestsPerSecond / baseline.requestsPerSecond)} | ${isBaseline ? '1.00×' : fmt.ratio(r.p50 / baseline.p50)} | ${isValid(r) ? 'yes' : '**NO**'} |`,
    );
  }
  return lines.join('\n');
}

function drainText(report) {
  const d = report.drain;
  const lines = [];
  lines.push(
    `- Async messages accepted (warm-up + measurement): ${d.messages.toLocaleString('en-US')}; final statuses: ${Object.entries(d.statuses)
      .map(([s, n]) => `${s} ${n.toLocaleString('en-US')}`)
      .join(', ')} (includes one probe message sent before the run).`,
  );
  lines.push(`- Finished by the queue while the load was running: ${d.finishedDuringLoad.toLocaleString('en-US')}; still pending when the load stopped: ${d.pendingAtLoadEnd.toLocaleString('en-US')}.`);
  if (d.pendingAtLoadEnd > 0) {
    lines.push(`- Backlog drain after the load stopped: ${d.drainSeconds.toFixed(d.drainSeconds < 1 ? 2 : 1)} s, **${fmt.rps(d.drainRate)} processed/s** (queue worker alone, no ingest competing).`);
    if (d.pendingAtLoadEnd < 200 || d.drainSeconds < 1) lines.push('  The backlog was too small for this rate to be reliable; the end-to-end rate below is the better figure.');
  } else {
    lines.push('- No backlog: the queue kept up with ingest.');
  }
  lines.push(`- End to end over the async phase (first accepted to last processed, ${d.overallSeconds.toFixed(1)} s): ${fmt.rps(d.overallRate)} processed/s.`);
  if (!d.drained) lines.push(`- **The backlog did not drain within the time limit**; ${d.stillPending} message(s) were still queued or processing, and the sync figures below were measured while they ran.`);
  return lines.join('\n');
}

function validityText(baseline, report) {
  const bad = [['baseline', baseline], ['async', report.async], ['sync', report.sync]].filter(([, r]) => !isValid(r));
  if (bad.length === 0) return 'Every measured request got a 2xx answer; no connection errors or timeouts.';
  return bad
    .map(([name, r]) => `**${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts (status codes ${JSON.stringify(r.statusCodes)}) — this figure is not valid.**`)
    .join('\n');
}

function logText(report) {
  if (report.logLines.length === 0) return 'Server log: no errors or warnings.';
  const top = report.logLines.slice(0, 8).map(({ line, count }) => `  - ${count}× \`${line.slice(0, 200).replace(/`/g, "'")}\``);
  return [`Server log: ${report.logLines.reduce((n, l) => n + l.count, 0)} notable line(s) (stderr, ERROR/WARN):`, ...top].join('\n');
}

function markdown(opts, machine, baseline, reports) {
  const out = [];
  out.push('# Benchmarks');
  out.push('');
  out.push('Figures from `npm run bench` (`bench/run-bench.mjs`). They describe one run on the machine below and nothing else;');
  out.push('rerun on your own hardware before drawing conclusions.');
  out.push('');
  out.push('## Run');
  out.push('');
  out.push('| | |');
  out.push('|---|---|');
  out.push(`| Date | ${machine.date} |`);
  out.push(`| CPU | ${machine.cpu} |`);
  out.push(`| Cores (\`os.availableParallelism()\`) | ${machine.cores} |`);
  out.push(`| Memory | ${machine.memoryGb} GB |`);
  out.push(`| OS | ${machine.os} |`);
  out.push(`| Node.js | ${machine.node} |`);
  out.push(`| Database(s) | ${reports.map((r) => (r.database === 'pglite' ? 'embedded PGlite (data dir in a temp directory)' : `PostgreSQL ${r.postgresVersion} on localhost (fresh temporary database)`)).join('; ')} |`);
  out.push(`| Load | autocannon 8 (in the bench process), ${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s measured per target, no pipelining |`);
  out.push(`| Body | ${payloadBody.length.toLocaleString('en-US')} bytes of JSON shaped like a GitHub \`push\` event, \`content-type: application/json\` |`);
  out.push(`| Hookline settings | defaults (queue concurrency and sandbox pool ${Math.max(2, machine.cores * 2)} on ${machine.cores} cores), \`HOOKLINE_LOG_LEVEL=info\` (start-up lines only, nothing per request) |`);
  out.push(`| Load average (1 / 5 / 15 min) at start | ${machine.loadAtStart} |`);
  out.push('');
  out.push(
    `**The load generator, the server under test and (for PostgreSQL) the database all share these ${machine.cores} cores.** ` +
      'Load generation takes CPU from the server under test (and from the baseline server alike); how either would do with the load generated on another machine was not measured.',
  );
  for (const report of reports) {
    out.push('');
    out.push(`## ${report.database === 'pglite' ? 'Embedded PGlite' : 'PostgreSQL'}`);
    out.push('');
    out.push(table(baseline, report));
    out.push('');
    out.push(validityText(baseline, report));
    out.push('');
    out.push('Async queue (functions run after the 202):');
    out.push('');
    out.push(drainText(report));
    out.push('');
    out.push(`Sync messages (warm-up, measurement and one probe) by final status: ${Object.entries(report.syncStatuses ?? {}).map(([s, n]) => `${s} ${n.toLocaleString('en-US')}`).join(', ') || '-'}.`);
    out.push('');
    out.push(logText(report));
  }
  out.push('');
  out.push('The baseline was measured once per run, before Hookline, and every ratio in the tables refers to it.');
  out.push('Latency percentiles are over 2xx responses, timed by autocannon per request (sub-millisecond precision). Requests/s is autocannon\'s mean of per-second response counts.');
  out.push('');
  out.push('## How to run');
  out.push('');
  out.push('```sh');
  out.push('npm run bench                                   # builds, then PGlite, 10 s, 10 connections');
  out.push('npm run bench -- --db both --duration 10        # PGlite, then PostgreSQL');
  out.push('npm run bench -- --db postgres --connections 50 --pg-url postgres://postgres@127.0.0.1:5432/postgres');
  out.push('npm run bench -- --help                         # all options (also settable as BENCH_DB, BENCH_DURATION, ...)');
  out.push('```');
  out.push('');
  out.push('PostgreSQL mode needs a server reachable at `--pg-url` with a role allowed to `CREATE DATABASE`; the bench creates a');
  out.push('temporary database, points Hookline at it and drops it afterwards. Child servers, data directories and the');
  out.push('temporary database are removed also when a step fails. The table is printed to stdout and this file is rewritten');
  out.push('(`--out -` to skip writing). Server logs are kept in a temp directory only with `--keep-logs`.');
  out.push('');
  out.push('## What this measures');
  out.push('');
  out.push('- **Baseline**: a bare `node:http` server (`bench/baseline-server.mjs`) that reads the body, `JSON.parse`s it and answers');
  out.push('  202 with a small JSON. This is the floor any Node.js webhook receiver pays for HTTP, body reading and parsing.');
  out.push('- **Async ingest**: `POST /webhooks/bench/async`. Hookline answers 202 once the message is stored in the database,');
  out.push('  matched to its provider (a match script run in the sandbox) and verified. The function itself runs afterwards from');
  out.push('  the durable queue **in the same server process**, so queue processing competes with ingest for CPU during the');
  out.push('  measurement. The drain figures show how fast that backlog is worked off once the load stops.');
  out.push('- **Sync**: `POST /webhooks/bench/sync` with `flex-sync-webhook: true`; the caller waits until the one function ran');
  out.push('  (sandboxed script reading `request.json`) and the result was stored, then gets 200.');
  out.push('- One provider, one function per URI, no signature verification, no outbound HTTP from the function.');
  out.push('- Non-2xx answers, connection errors and timeouts are counted; a row with any of them is marked not valid.');
  out.push('');
  out.push('## What it does not measure');
  out.push('');
  out.push('- Throughput with the load generator on separate hardware, or with more cores than listed above.');
  out.push('- Many providers or functions, signature verification (HMAC), large bodies, functions that call other services,');
  out.push('  or slow functions; any of these may change the figures.');
  out.push('- Long-run behaviour: a growing messages table, retention, vacuum, memory over hours.');
  out.push('- Several Hookline processes sharing one PostgreSQL database, or a remote database (network round trips).');
  out.push('- Anything about other webhook products; the only comparison made is with the bare baseline above.');
  out.push('');
  return out.join('\n');
}

/** The fuzz and soak section of the report is written by hand from their runs; a bench run keeps it. */
function keptSections(file) {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(`\n${KEPT_HEADING}`);
  return at === -1 ? '' : text.slice(at);
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseOptions();
  workspace.keepLogs = opts.keepLogs;
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing; run \`npm run build\` first (npm run bench does)`);
  const machine = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: (totalmem() / 1024 ** 3).toFixed(1),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAtStart: loadavg().map((n) => n.toFixed(2)).join(', '),
  };
  log(`${machine.cores} cores (${machine.cpu}), Node ${machine.node}, load average ${machine.loadAtStart}; temp dir ${workspace.root}`);
  log(`databases: ${opts.databases.join(', ')}; ${opts.warmup} s warm-up + ${opts.duration} s per target, ${opts.connections} connections; body ${payloadBody.length} bytes`);

  const baseline = await runBaseline(opts);
  const reports = [];
  let failed = false;
  for (const database of opts.databases) {
    try {
      reports.push(await runHookline(database, opts));
    } catch (err) {
      failed = true;
      log(`Hookline on ${database} failed: ${err.stack ?? err}`);
    }
  }

  let anyInvalid = !isValid(baseline);
  for (const report of reports) {
    console.log(`\n### Hookline on ${report.database}\n`);
    console.log(table(baseline, report));
    console.log('');
    console.log(drainText(report));
    console.log('');
    console.log(validityText(baseline, report));
    console.log(logText(report));
    if (!isValid(report.async) || !isValid(report.sync)) anyInvalid = true;
    if (report.logLines.length) workspace.keepLogs = true;
  }
  if (workspace.keepLogs) log(`server logs kept in ${logDir}`);

  if (failed) {
    log(`not writing ${opts.out}: at least one database run failed`);
    process.exitCode = 1;
  } else if (opts.out !== '-') {
    writeFileSync(opts.out, markdown(opts, machine, baseline, reports) + keptSections(opts.out));
    log(`wrote ${opts.out}`);
  }
  if (anyInvalid) {
    log('some figures are NOT valid (non-2xx answers, errors or timeouts); see the tables');
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  log(err.stack ?? String(err));
  process.exitCode = 1;
} finally {
  await workspace.cleanup();
}
