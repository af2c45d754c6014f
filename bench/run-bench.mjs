#!/usr/bin/env node
// Hookline ingest benchmark. Run with `npm run bench` (builds first), or after a build:
//   node --no-node-snapshot bench/run-bench.mjs [--db pglite|postgres|both] [--duration 10] [--rounds 3] ...
// (--help lists every option). The load generator (wrk, else autocannon) runs as its own process
// pinned to one core; the server under test and its PostgreSQL backends to the other. Measures:
//   1. interleaved rounds of bare node:http, Hookline async (202) and Hookline sync (200), with
//      medians of req/s, p50, p99 and the server's (and PostgreSQL's) CPU per request;
//   2. queue keep-up over a long async run, and that every 2xx message is stored and processed;
//   3. a payload-size series (1 KB to 10 MB), bytes per second each;
//   4. on PostgreSQL, GET /api/messages with 1,000,000 stored messages, and ingest p99 while
//      retention deletes the older half.
// Writes docs/benchmarks.md (see --out) and the chart docs/bench-ingest.svg. With --processes 1,2,4
// it runs only the scale-out series instead (bench/processes.mjs) and rewrites only its section.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { notableLogLines, startChild, stopChild } from './lib.mjs';
import { parseOptions, SIZES } from './bench-options.mjs';
import { createWorkspace, REPO, SERVER_MAIN, startHookline } from './hookline-server.mjs';
import { payloadBody, signGithub, sizedPushBody } from './payload.mjs';
import { chooseLoadTool, readIds, runLoad } from './load.mjs';
import { openDatabase, statusesOf } from './deliveries.mjs';
import { cpuMeter, planCores, pinPrefix, pinProcess, waitForQuiet } from './cpu.mjs';
import { ADMIN_PASSWORD, GITHUB_SECRET, countMessages, countUnfinished, login, setUpBench, waitForDrain } from './hookline-target.mjs';
import { runListing } from './listing.mjs';
import { readProfile } from './cpu-profile.mjs';
import { deliveryCheck, keepUp, sizeSeries, summarizeRounds } from './report.mjs';
import { machineInfo, writeProcessesSection, writeReport } from './bench-doc.mjs';
import { runProcesses } from './processes.mjs';

const URIS = { async: 'bench/async', sync: 'bench/sync', keepup: 'bench/keepup' };

const log = (...args) => console.error('[bench]', ...args);
const workspace = createWorkspace('bench', log);
mkdirSync(join(workspace.root, 'ids'));

/** Body files (wrk and autocannon read them) with their signatures. */
function writeBody(name, body) {
  const file = join(workspace.root, `${name}.json`);
  writeFileSync(file, body);
  return { file, bytes: Buffer.byteLength(body), signature: signGithub(body, GITHUB_SECRET) };
}

function headersFor(body, sync) {
  return {
    'Content-Type': 'application/json',
    'X-GitHub-Event': 'push',
    'X-Hub-Signature-256': body.signature,
    'User-Agent': 'GitHub-Hookshot/bench',
    ...(sync && { 'flex-sync-webhook': 'true' }),
  };
}

/** Bench state shared by the phases. */
const state = { plan: null, tool: null, pinNotes: new Set(), admin: null, run: Date.now().toString(36), masterKey: randomBytes(32).toString('hex') };
let deliverySerial = 0;

/** PostgreSQL backends of one database, pinned to the server's core; returns their pids. */
async function backendPids(databaseName) {
  if (!state.admin || !databaseName) return [];
  const { rows } = await state.admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName]);
  const pids = rows.map((r) => r.pid);
  if (state.plan.pinned) {
    for (const pid of pids) {
      const error = pinProcess(pid, state.plan.serverCore);
      state.pinNotes.add(error ? `pinning PostgreSQL backends failed: ${error}` : `PostgreSQL backends of the bench database pinned to core ${state.plan.serverCore} with taskset -cp`);
    }
  }
  return pids;
}

/**
 * One load run against `url` with CPU meters around it: the server process, and the PostgreSQL
 * backends of its database when there is one.
 */
async function measure({ label, url, body, sync = false, seconds, connections, server, idFiles = null }) {
  // A set of processes (the scale-out series) is metered as one server.
  const serverMeter = cpuMeter(async () => server.pids ?? [server.child.pid]);
  const dbMeter = cpuMeter(() => backendPids(server.tempDb?.name));
  await serverMeter.start();
  await dbMeter.start();
  const result = await runLoad({
    tool: state.tool,
    prefix: pinPrefix(state.plan, 'load'),
    url,
    bodyFile: body.file,
    headers: headersFor(body, sync),
    connections,
    duration: seconds,
    deliveryPrefix: `${state.run}-${++deliverySerial}`,
    idsFile: idFiles ? idFiles.next() : null,
  });
  const serverCpu = await serverMeter.stop();
  const dbCpu = await dbMeter.stop();
  // The profile (--cpu-prof) counts only measured windows: not start-up, set-up or warm-ups.
  if (server.profileWindows && !label.endsWith('(warm-up)')) server.profileWindows.push({ fromMs: result.startedAt - server.spawnedAt, toMs: result.endedAt - server.spawnedAt });
  log(
    `${label}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
      `non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}; server CPU ${((serverCpu.seconds * 1e6) / Math.max(1, result.requests)).toFixed(0)} µs/req` +
      (server.tempDb ? `, PostgreSQL ${((dbCpu.seconds * 1e6) / Math.max(1, result.requests)).toFixed(0)} µs/req` : '') +
      ` (load average ${loadavg()[0].toFixed(2)})`,
  );
  return { ...result, serverCpuSeconds: serverCpu.seconds, dbCpuSeconds: server.tempDb ? dbCpu.seconds : NaN };
}

async function warmUp(args) {
  if (state.opts.warmup > 0) return measure({ ...args, label: `${args.label} (warm-up)`, seconds: state.opts.warmup });
  return null;
}

async function startBaseline() {
  const server = await startChild({
    name: 'baseline server',
    args: [join(REPO, 'bench', 'baseline-server.mjs')],
    prefix: pinPrefix(state.plan, 'server'),
    cwd: REPO,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdoutFile: join(workspace.logDir, 'baseline.stdout.log'),
    stderrFile: join(workspace.logDir, 'baseline.stderr.log'),
  });
  return { ...server, tempDb: null };
}

function startServer(database, env = {}, reuse = null, nodeArgs = []) {
  return startHookline({
    workspace,
    database,
    nodeArgs,
    pgUrl: state.opts.pgUrl,
    adminPassword: ADMIN_PASSWORD,
    prefix: pinPrefix(state.plan, 'server'),
    reuse,
    // Bodies up to the 10 MB of the size series; no per-request log lines at info. One master key
    // for the run, so a restarted server (the retention phase) can open the secrets it sealed.
    env: { HOOKLINE_MAX_BODY: '16mb', HOOKLINE_LOG_LEVEL: 'info', HOOKLINE_MASTER_KEY: state.masterKey, ...env },
    log,
  });
}

/** Where a run on `uri` records the message ids of its 2xx answers; the report keeps the list per uri. */
function idFilesFor(report, uri) {
  return {
    next() {
      const file = join(workspace.root, 'ids', `${uri.replace(/\W+/g, '_')}-${deliverySerial}`);
      (report.idFiles[uri] ??= []).push(file);
      return file;
    },
  };
}

/** Answers counted per uri, to check later that each is stored. */
function countAnswers(answered, uri, result) {
  if (result) answered[uri] = (answered[uri] ?? 0) + result.ok2xx;
}

/** Reads the stopped server's database: is every message answered 2xx there, and processed? */
async function checkDeliveries(server, report) {
  const checks = {};
  const db = await openDatabase(server);
  try {
    for (const [uri, files] of Object.entries(report.idFiles)) {
      const ids = files.flatMap(readIds);
      const { byStatus } = await statusesOf(db, ids);
      checks[uri] = { ...deliveryCheck({ answered2xx: report.answered[uri] ?? 0, recorded: ids.length, byStatus }), byStatus };
      log(`deliveries on ${uri}: ${checks[uri].answered2xx} answered 2xx, ${ids.length} ids recorded, ${checks[uri].stored} stored, by status ${JSON.stringify(byStatus)}`);
    }
  } finally {
    await db.close();
  }
  return checks;
}

async function settleAfterWarmUp(label, server, token, uri) {
  const drained = await waitForDrain(server.url, token, uri, state.opts.drainTimeout);
  const quiet = await waitForQuiet(async () => [server.child.pid, ...(await backendPids(server.tempDb?.name))]);
  if (!drained || !quiet) log(`${label}: the server was still busy with the warm-up when the measurement began`);
}

async function drainAfter(label, server, token, uri) {
  const meter = cpuMeter(async () => [server.child.pid]);
  const dbMeter = cpuMeter(() => backendPids(server.tempDb?.name));
  await meter.start();
  await dbMeter.start();
  const started = Date.now();
  const drainedAt = await waitForDrain(server.url, token, uri, state.opts.drainTimeout);
  const cpu = await meter.stop();
  const dbCpu = await dbMeter.stop();
  if (!drainedAt) log(`${label}: the queue did NOT drain within ${state.opts.drainTimeout} s`);
  return { drained: drainedAt !== null, seconds: ((drainedAt ?? Date.now()) - started) / 1000, serverCpuSeconds: cpu.seconds, dbCpuSeconds: server.tempDb ? dbCpu.seconds : NaN };
}

async function runDatabase(database, baseline, bodies) {
  const opts = state.opts;
  const profileDir = join(workspace.root, 'profiles', database);
  if (opts.cpuProf) mkdirSync(profileDir, { recursive: true });
  const server = await startServer(database, {}, null, opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  server.profileWindows = opts.cpuProf ? [] : null;
  const report = { database, postgresVersion: server.postgresVersion, rounds: [], drains: [], answered: {}, idFiles: {} };
  try {
    log(`Hookline (${database}) at ${server.url}, started in ${server.startSeconds.toFixed(1)} s`);
    const token = await login(server.url);
    const sizeUris = opts.skipSizes ? [] : opts.sizeList.map((s) => `bench/size-${s}`);
    await setUpBench(server.url, token, [URIS.async, URIS.sync, URIS.keepup, ...sizeUris]);
    await backendPids(server.tempDb?.name);

    const targets = {
      baseline: { server: baseline, url: `${baseline.url}/webhooks/${URIS.async}`, sync: false },
      async: { server, url: `${server.url}/webhooks/${URIS.async}`, sync: false, uri: URIS.async, idFiles: idFilesFor(report, URIS.async) },
      sync: { server, url: `${server.url}/webhooks/${URIS.sync}`, sync: true, uri: URIS.sync, idFiles: idFilesFor(report, URIS.sync) },
    };
    for (let round = 1; round <= opts.rounds; round++) {
      for (const [key, t] of Object.entries(targets)) {
        const label = `${database} round ${round} ${key}`;
        const args = { label, url: t.url, body: bodies.push, sync: t.sync, connections: opts.connections, server: t.server, idFiles: t.idFiles };
        countAnswers(report.answered, t.uri ?? 'baseline', await warmUp(args));
        const result = await measure({ ...args, seconds: opts.duration });
        countAnswers(report.answered, t.uri ?? 'baseline', result);
        const entry = { target: key, round, ...result };
        report.rounds.push(entry);
        // The next target is measured with no backlog of this one's functions.
        if (key === 'async') {
          const drain = await drainAfter(label, server, token, URIS.async);
          report.drains.push(drain);
          Object.assign(entry, { drainServerCpuSeconds: drain.serverCpuSeconds, drainDbCpuSeconds: drain.dbCpuSeconds });
        }
      }
    }
    delete report.answered.baseline;
    report.summary = summarizeRounds(report.rounds);

    if (!opts.skipKeepup) {
      log(`${database} keep-up: ${opts.keepupSeconds} s of async load`);
      const result = await measure({ label: `${database} keep-up`, url: `${server.url}/webhooks/${URIS.keepup}`, body: bodies.push, connections: opts.connections, server, seconds: opts.keepupSeconds, idFiles: idFilesFor(report, URIS.keepup) });
      const unfinished = await countUnfinished(server.url, token, URIS.keepup);
      const stored = await countMessages(server.url, token, URIS.keepup);
      countAnswers(report.answered, URIS.keepup, result);
      // Accepted: every message stored, including those whose 2xx was on its way when the load stopped.
      report.keepup = { ...keepUp({ seconds: result.seconds, accepted: stored, finishedInWindow: stored - unfinished, backlogAtEnd: unfinished }), result, drain: await drainAfter(`${database} keep-up`, server, token, URIS.keepup) };
      log(`${database} keep-up: accepted ${report.keepup.acceptedPerSecond.toFixed(0)}/s, processed ${report.keepup.processedPerSecond.toFixed(0)}/s, backlog ${unfinished} (${report.keepup.backlogSeconds.toFixed(2)} s of ingest)`);
    }

    if (!opts.skipSizes) {
      const results = [];
      for (const size of opts.sizeList) {
        const uri = `bench/size-${size}`;
        const args = { label: `${database} size ${size}`, url: `${server.url}/webhooks/${uri}`, body: bodies[size], connections: opts.sizeConnections, server, idFiles: idFilesFor(report, uri) };
        countAnswers(report.answered, uri, await warmUp(args));
        // Bodies the warm-up sent in full are still taken in, and queued, after it stops: at 10 MB that
        // is seconds of work, which would land in the measured window.
        if (opts.warmup > 0) await settleAfterWarmUp(`${database} size ${size}`, server, token, uri);
        const result = await measure({ ...args, seconds: opts.sizeDuration });
        countAnswers(report.answered, uri, result);
        results.push({ size, bytes: bodies[size].bytes, ...result, serverCpuUs: (result.serverCpuSeconds * 1e6) / Math.max(1, result.requests), bad: result.non2xx + result.errors + result.timeouts });
        await drainAfter(`${database} size ${size}`, server, token, uri);
      }
      report.sizes = sizeSeries(results);
    }
  } finally {
    // The database stays for the check below; the workspace removes it at the end.
    await server.stop({ keepDatabase: true, keepData: true });
    report.logLines = notableLogLines(server.stdoutFile, server.stderrFile);
  }
  if (opts.cpuProf) {
    report.profile = readProfile(profileDir, 20, server.profileWindows);
    log(report.profile ? `${database}: CPU profile ${report.profile.file}` : `${database}: the server wrote no CPU profile`);
  }
  report.deliveries = await checkDeliveries(server, report);
  return report;
}

async function main() {
  let opts;
  try {
    opts = parseOptions();
  } catch (err) {
    err.isUsage = true;
    throw err;
  }
  state.opts = opts;
  workspace.keepLogs = opts.keepLogs || opts.cpuProf;
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing; run \`npm run build\` first (npm run bench does)`);
  state.plan = planCores();
  if (state.plan.pinned) {
    const error = pinProcess(process.pid, state.plan.loadCore);
    if (error) log(`could not pin the bench process to core ${state.plan.loadCore}: ${error}`);
    log(`cores: load generator and this script on core ${state.plan.loadCore}, server under test on core ${state.plan.serverCore}`);
  } else {
    log(`NOT pinning: ${state.plan.reason}; load generator and server share the cores`);
  }
  state.tool = chooseLoadTool(opts.loadTool);
  log(`load generator: ${state.tool.name} ${state.tool.version}${state.tool.name === 'autocannon' && opts.loadTool === 'auto' ? ' (wrk is not installed: apt-get install -y wrk)' : ''}`);
  if (opts.databases.includes('postgres')) {
    state.admin = new pg.Client({ connectionString: opts.pgUrl });
    await state.admin.connect();
  }
  const machine = await machineInfo(state);
  const bodies = { push: writeBody('push', payloadBody) };
  if (!opts.skipSizes) for (const size of opts.sizeList) bodies[size] = writeBody(`size-${size}`, sizedPushBody(SIZES[size]));
  log(`body ${bodies.push.bytes} bytes; ${opts.rounds} rounds of ${opts.warmup} s warm-up + ${opts.duration} s per target, ${opts.connections} connections; databases ${opts.databases.join(', ')}`);

  if (opts.processList) {
    await processesMode(opts, machine);
    return;
  }

  const baseline = await startBaseline();
  const reports = [];
  let failed = false;
  try {
    for (const database of opts.databases) {
      try {
        reports.push(await runDatabase(database, baseline, bodies));
      } catch (err) {
        failed = true;
        log(`Hookline on ${database} failed: ${err.stack ?? err}`);
      }
    }
  } finally {
    await stopChild(baseline.child);
  }

  let listing = null;
  if (!opts.skipListing && opts.databases.includes('postgres')) {
    try {
      listing = await runListing({
        opts,
        log,
        startServer: (env, reuse) => startServer('postgres', env, reuse),
        pinBackends: (server) => backendPids(server.tempDb?.name),
        measureIngest: (server, _token, uri, seconds, label) =>
          measure({ label, url: `${server.url}/webhooks/${uri}`, body: bodies.push, connections: opts.connections, server, seconds }),
      });
    } catch (err) {
      failed = true;
      log(`listing phase failed: ${err.stack ?? err}`);
    }
  } else if (!opts.skipListing) {
    log('listing phase skipped: it runs on PostgreSQL only (--db postgres or both)');
  }

  const result = { opts, machine, plan: state.plan, pinNotes: [...state.pinNotes], tool: state.tool, bodyBytes: bodies.push.bytes, reports, listing };
  writeReport(result, { write: !failed && opts.out !== '-' }, log);
  if (failed) {
    log('at least one phase failed: nothing written');
    process.exitCode = 1;
  }
  const windows = [
    ...reports.flatMap((r) => [...r.rounds, ...(r.keepup ? [r.keepup.result] : []), ...(r.sizes?.rows ?? [])]),
    ...(listing?.retention ? [listing.retention.before, ...listing.retention.during] : []),
  ];
  const bad = windows.reduce((sum, w) => sum + w.non2xx + w.errors + w.timeouts, 0);
  if (bad) {
    log(`${bad} request(s) in measured windows got no 2xx answer (non-2xx, errors or timeouts); see the tables`);
    process.exitCode = 1;
  }
  const lost = reports.flatMap((r) => Object.values(r.deliveries ?? {})).reduce((sum, d) => sum + d.missing, 0);
  if (lost) {
    log(`${lost} message(s) answered 2xx are not stored`);
    process.exitCode = 1;
  }
}

/** The scale-out series alone, on PostgreSQL: its section of the report, nothing else. */
async function processesMode(opts, machine) {
  if (!state.admin) {
    state.admin = new pg.Client({ connectionString: opts.pgUrl });
    await state.admin.connect();
    machine.postgres ??= (await state.admin.query('SHOW server_version')).rows[0].server_version;
  }
  log(`processes: ${opts.processList.join(', ')} on one PostgreSQL database; ${opts.rounds} rounds of ${opts.warmup} s warm-up + ${opts.duration} s async load, ${opts.connections} connections`);
  const body = writeBody('push', payloadBody);
  const series = await runProcesses({
    opts,
    log,
    startServer: (database, env, reuse) => startServer(database, env, reuse),
    pinBackends: (group) => backendPids(group.tempDb?.name),
    measure: ({ label, url, server, seconds }) => measure({ label, url, body, server, seconds, connections: opts.connections }),
  });
  writeProcessesSection({ ...series, opts, machine, plan: state.plan }, { write: opts.out !== '-' }, log);
  const bad = series.rows.reduce((sum, r) => sum + r.bad, 0);
  const lost = series.rows.reduce((sum, r) => sum + r.lost, 0);
  if (bad || lost) {
    log(`${bad} request(s) got no 2xx answer and ${lost} stored message(s) were not processed; see the table`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  // A bad option is the caller's to fix: its message says how, a stack would only hide it.
  log(err.isUsage ? err.message : (err.stack ?? String(err)));
  process.exitCode = 1;
} finally {
  await state.admin?.end().catch(() => {});
  await workspace.cleanup();
}
