#!/usr/bin/env node
// Hostile-request fuzzer. Run with `npm run fuzz` (builds first), or after a build:
//   node --no-node-snapshot bench/fuzz.mjs [--seed 1] [--requests 20000] [--db pglite|postgres|both] [--concurrency 16]
//
// Starts the built server on 127.0.0.1 (PGlite and/or a temporary PostgreSQL database), seeds a
// GitHub and a Stripe secret, a function and a secret-token endpoint, then sends seeded hostile
// requests over raw sockets (broken framing, NULs and invalid UTF-8, prototype keys, oversized and
// deep bodies, slow senders, odd methods, unauthenticated admin calls). The run fails (exit 1) on
// any 5xx, a reset or silent close of a well-formed request, an unexpected status where one is
// required, a 2xx without a stored message, or the server process dying.
// Replay one case: --seed <s> --case <index>.
import { join } from 'node:path';
import { notableLogLines, readOptions } from './lib.mjs';
import { createWorkspace, DEFAULT_PG_URL, startHookline } from './hookline-server.mjs';
import { makeCase } from './fuzz-cases.mjs';
import { ADMIN_PASSWORD, MAX_BODY, prepare, probeOptions, readProbe, rssMb, sendCase } from './fuzz-client.mjs';

const SAMPLE_STORED = 300;

function log(...args) {
  console.error('[fuzz]', ...args);
}

function parseOptions(argv = process.argv.slice(2)) {
  const opts = { seed: 1, requests: 20_000, db: 'pglite', concurrency: 16, case: null, maxMinutes: 60, pgUrl: DEFAULT_PG_URL, keepLogs: false, probe: false };
  const names = { seed: 'seed', requests: 'requests', db: 'db', concurrency: 'concurrency', case: 'case', 'max-minutes': 'maxMinutes', 'pg-url': 'pgUrl' };
  readOptions(argv, opts, {
    names,
    flags: { 'keep-logs': 'keepLogs', probe: 'probe' },
    help: `Usage: npm run fuzz -- [options]
  --seed <n>                 seed of the case sequence (default 1)
  --requests <n>             cases per database (default 20000)
  --db pglite|postgres|both  database(s) to run the server on (default pglite)
  --concurrency <n>          cases in flight at once (default 16)
  --case <index>             run only this case of the seed (replay a failure)
  --max-minutes <n>          stop sending after this long per database (default 60)
  --pg-url <url>             admin URL on 127.0.0.1 used to create/drop a temporary database
  --keep-logs                keep the server logs
  --probe                    also report the server's JS heap after GC and its sandbox isolates' heaps`,
  });
  // --case has no numeric default (null means every case), so it is read as text.
  if (opts.case !== null) opts.case = Number(opts.case);
  if (!['pglite', 'postgres', 'both'].includes(opts.db)) throw new Error(`--db must be pglite, postgres or both, not "${opts.db}"`);
  for (const key of ['seed', 'requests', 'concurrency', 'maxMinutes']) {
    if (!Number.isInteger(opts[key]) || opts[key] < (key === 'seed' ? 0 : 1)) throw new Error(`--${key} must be a whole number${key === 'seed' ? '' : ' above 0'}`);
  }
  if (opts.case !== null && (!Number.isInteger(opts.case) || opts.case < 0)) throw new Error('--case must be a case index');
  opts.databases = opts.db === 'both' ? ['pglite', 'postgres'] : [opts.db];
  return opts;
}

/** Why a case failed, or null when it passed. */
function judge(testCase, result) {
  if (result.status !== null && result.status >= 500) return `answered ${result.status}: ${result.body.slice(0, 200)}`;
  if (testCase.wellFormed && result.status === null) return `no answer to a well-formed request (${result.error ?? 'closed'})`;
  if (result.status !== null && testCase.expect && !testCase.expect.includes(result.status)) return `expected ${testCase.expect.join(' or ')}, got ${result.status}: ${result.body.slice(0, 200)}`;
  if (testCase.stored && result.status >= 200 && result.status < 300 && !result.messageId) return `accepted with ${result.status} but no x-hookline-message-id`;
  return null;
}

// ---------------------------------------------------------------- one database

async function fuzzDatabase(database, opts, workspace) {
  const probeFile = join(workspace.root, `memory-probe-${database}.jsonl`);
  const probe = opts.probe ? probeOptions(probeFile, 5) : { nodeArgs: [], env: {} };
  const env = { HOOKLINE_MAX_BODY: String(MAX_BODY), ...probe.env };
  const server = await startHookline({ workspace, database, pgUrl: opts.pgUrl, adminPassword: ADMIN_PASSWORD, env, nodeArgs: probe.nodeArgs, log });
  const report = { database, sent: 0, statuses: {}, kinds: {}, failures: [], stored: { checked: 0, missing: [] }, rss: { start: rssMb(server.child.pid), end: null, curve: [], heap: [] }, died: null };
  try {
    const port = Number(new URL(server.url).port);
    const { token, ctx } = await prepare(server.url);
    if (!ctx.endpointToken) log(`${database}: the endpoint's token was not in its create answer; inbound cases use unknown tokens only`);
    let exit = null;
    server.child.once('exit', (code, signal) => (exit = `server exited (code ${code}, signal ${signal})`));
    const indices = opts.case !== null ? [opts.case] : Array.from({ length: opts.requests }, (_, i) => i);
    const deadline = Date.now() + opts.maxMinutes * 60_000;
    const storedIds = [];
    let next = 0;
    const startedAt = Date.now();
    log(`${database}: sending ${indices.length} case(s), seed ${opts.seed}, concurrency ${opts.concurrency}, server at ${server.url}`);
    const worker = async () => {
      while (next < indices.length && !exit && Date.now() < deadline) {
        const testCase = makeCase(opts.seed, indices[next++], ctx);
        const result = await sendCase(port, testCase);
        report.sent++;
        const statusKey = result.status ?? `none (${result.error ?? 'closed'})`;
        report.statuses[statusKey] = (report.statuses[statusKey] ?? 0) + 1;
        const kind = (report.kinds[testCase.kind] ??= { sent: 0, failed: 0, statuses: {} });
        kind.sent++;
        kind.statuses[statusKey] = (kind.statuses[statusKey] ?? 0) + 1;
        const reason = judge(testCase, result);
        if (reason) {
          kind.failed++;
          report.failures.push({ index: testCase.index, kind: testCase.kind, method: testCase.method, path: testCase.path.slice(0, 120), status: result.status, reason, messageId: result.messageId });
        }
        if (testCase.stored && result.messageId && result.status < 500) storedIds.push(result.messageId);
        if (report.sent % 1000 === 0) {
          report.rss.curve.push(rssMb(server.child.pid));
          const heap = opts.probe ? readProbe(probeFile) : null;
          if (heap) report.rss.heap.push(`${Math.round(heap.heapUsed / 2 ** 20)}/${Math.round(heap.isolateHeapTotal / 2 ** 20)}`);
          log(`${database}: ${report.sent} sent, ${report.failures.length} failed, server RSS ${report.rss.curve.at(-1)} MB${heap ? `, JS heap after GC ${report.rss.heap.at(-1)} MB (main/isolates)` : ''}`);
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    report.seconds = (Date.now() - startedAt) / 1000;
    report.died = exit;
    if (report.sent < indices.length && !exit) log(`${database}: stopped after ${opts.maxMinutes} min with ${report.sent} of ${indices.length} sent`);
    report.rss.end = rssMb(server.child.pid);
    if (!exit) {
      // Nothing accepted is lost: a sample of the answered message ids must be readable.
      const step = Math.max(1, Math.floor(storedIds.length / SAMPLE_STORED));
      for (let i = 0; i < storedIds.length; i += step) {
        report.stored.checked++;
        const response = await fetch(`${server.url}/api/messages/${encodeURIComponent(storedIds[i])}`, { headers: { authorization: `Bearer ${token}` } });
        if (response.status !== 200) report.stored.missing.push({ id: storedIds[i], status: response.status });
      }
      report.stored.answered = storedIds.length;
      // Why the first stored failures went wrong, from their traces: the provider errors say more than the status.
      for (const failure of report.failures.filter((f) => f.messageId).slice(0, 15)) {
        const response = await fetch(`${server.url}/api/messages/${encodeURIComponent(failure.messageId)}`, { headers: { authorization: `Bearer ${token}` } });
        const trace = response.ok ? (await response.json()).trace : null;
        const errors = (trace?.providers ?? []).filter((p) => p.error).map((p) => `${p.providerName}: ${p.error.message} (${Math.round(p.durationMs)} ms)`);
        const matched = (trace?.providers ?? []).find((p) => p.matched)?.providerName;
        if (trace) failure.trace = `matched ${matched ?? 'no provider'}${errors.length ? `; ${errors.join('; ')}` : ''}`;
      }
    }
  } finally {
    await server.stop();
    report.logLines = notableLogLines(server.stdoutFile, server.stderrFile);
  }
  return report;
}

// ---------------------------------------------------------------- report

function summary(report, opts) {
  const lines = [];
  const failed = report.failures.length + report.stored.missing.length + (report.died ? 1 : 0);
  lines.push(`## Fuzz on ${report.database}: seed ${opts.seed}, ${report.sent} requests in ${report.seconds?.toFixed(0)} s: ${failed === 0 ? 'PASS' : `**FAIL** (${failed})`}`);
  lines.push('');
  lines.push(`Statuses: ${Object.entries(report.statuses).sort().map(([s, n]) => `${s} ${n}`).join(', ')}`);
  lines.push('');
  lines.push('| Case kind | Sent | Failed | Statuses |');
  lines.push('|---|---:|---:|---|');
  for (const [kind, k] of Object.entries(report.kinds).sort()) lines.push(`| ${kind} | ${k.sent} | ${k.failed} | ${Object.entries(k.statuses).sort().map(([s, n]) => `${s}: ${n}`).join(', ')} |`);
  lines.push('');
  lines.push(`Stored: ${report.stored.checked} of ${report.stored.answered ?? 0} answered message ids read back, ${report.stored.missing.length} missing.`);
  lines.push(`Server RSS: ${report.rss.start} MB after start, ${report.rss.end} MB after the run; every 1000 requests: ${report.rss.curve.join(', ') || '-'} MB.`);
  if (report.rss.heap.length) lines.push(`JS heap used after GC, main / sandbox isolates, every 1000 requests: ${report.rss.heap.join(', ')} MB.`);
  if (report.died) lines.push(`**${report.died}**`);
  if (report.failures.length) {
    lines.push('');
    lines.push(`First failures (replay one with \`npm run fuzz -- --seed ${opts.seed} --case <index>\`):`);
    for (const f of report.failures.slice(0, 15)) lines.push(`- case ${f.index} ${f.kind}: ${f.method} ${JSON.stringify(f.path)} -> ${f.reason}${f.trace ? `\n  trace: ${f.trace}` : ''}`);
    const reasons = {};
    for (const f of report.failures) {
      const key = `${f.kind}: ${f.reason.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>').slice(0, 140)}`;
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
    lines.push('');
    lines.push('Failures by reason:');
    for (const [reason, n] of Object.entries(reasons).sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`- ${n}× ${reason}`);
  }
  for (const m of report.stored.missing.slice(0, 5)) lines.push(`- message ${m.id} answered but GET /api/messages/:id gave ${m.status}`);
  if (report.logLines.length) {
    lines.push('');
    lines.push(`Server log: ${report.logLines.reduce((n, l) => n + l.count, 0)} notable line(s); most frequent:`);
    for (const { line, count } of report.logLines.slice(0, 6)) lines.push(`- ${count}× \`${line.slice(0, 160).replace(/`/g, "'")}\``);
  }
  return { text: lines.join('\n'), failed };
}

async function main() {
  const opts = parseOptions();
  const workspace = createWorkspace('fuzz', log);
  workspace.keepLogs = opts.keepLogs;
  let failed = 0;
  try {
    for (const database of opts.databases) {
      const report = await fuzzDatabase(database, opts, workspace);
      const result = summary(report, opts);
      console.log(`${result.text}\n`);
      failed += result.failed;
    }
  } finally {
    await workspace.cleanup();
  }
  if (failed) {
    log(`${failed} failure(s)`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  log(err.stack ?? String(err));
  process.exitCode = 1;
}
