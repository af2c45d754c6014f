#!/usr/bin/env node
// Memory soak. Run with `npm run soak` (builds first), or after a build:
//   node --no-node-snapshot bench/soak.mjs [--minutes 30] [--warmup 5] [--interval 10] [--db pglite|postgres] [--rate 40]
//
// Starts the built server on 127.0.0.1, sends a steady mix of traffic for --minutes (signed GitHub
// pushes async and sync with a function, bad signatures, garbage bodies with no provider, hostile
// headers, broken framing, slow senders), and samples the server's resident memory (VmRSS of the
// process and its children) every --interval seconds. Passes when, after the warm-up, the highest
// sample stays within --tolerance % of the level over the warm-up's last minute; exits 1 otherwise.
// Prints a Markdown table (minute -> RSS MB) ready for docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOptions, sleep } from './lib.mjs';
import { createWorkspace, DEFAULT_PG_URL, startHookline } from './hookline-server.mjs';
import { makeCase } from './fuzz-cases.mjs';
import { ADMIN_PASSWORD, MAX_BODY, prepare, probeOptions, readProbe, rssMb, sendCase } from './fuzz-client.mjs';

// Mostly valid deliveries, a share of invalid ones, and some slow and broken senders.
const MIX = {
  'github-signed': 45,
  'github-bad-signature': 10,
  stripe: 5,
  'json-body': 12,
  'form-body': 5,
  headers: 5,
  'deep-json': 1,
  oversized: 1,
  'slow-sender': 6,
  'broken-framing': 4,
  'admin-unauthenticated': 3,
  'inbound-endpoint': 3,
};

function log(...args) {
  console.error('[soak]', ...args);
}

function parseOptions(argv = process.argv.slice(2)) {
  const opts = { minutes: 30, warmup: 5, interval: 10, db: 'pglite', rate: 40, concurrency: 16, tolerance: 20, seed: 1, probe: false, pgUrl: DEFAULT_PG_URL, out: null };
  const names = { minutes: 'minutes', warmup: 'warmup', interval: 'interval', db: 'db', rate: 'rate', concurrency: 'concurrency', tolerance: 'tolerance', seed: 'seed', 'pg-url': 'pgUrl', out: 'out' };
  readOptions(argv, opts, {
    names,
    flags: { probe: 'probe' },
    help: `Usage: npm run soak -- [options]
  --minutes <n>             length of the run (default 30)
  --warmup <n>              minutes before the RSS level is taken (default 5)
  --interval <s>            seconds between RSS samples (default 10)
  --tolerance <pct>         allowed rise over the warm-up level (default 20)
  --db pglite|postgres      database to run the server on (default pglite)
  --rate <n>                requests started per second (default 40)
  --concurrency <n>         most requests in flight (default 16)
  --seed <n>                seed of the request sequence (default 1)
  --probe                   also sample the server's own heap (gc first) through bench/memory-probe.cjs
  --out <file>              also write the Markdown report to this file
  --pg-url <url>            admin URL on 127.0.0.1 used to create/drop a temporary database`,
  });
  if (!['pglite', 'postgres'].includes(opts.db)) throw new Error(`--db must be pglite or postgres, not "${opts.db}"`);
  for (const key of ['minutes', 'interval', 'rate', 'concurrency', 'tolerance']) {
    if (!Number.isFinite(opts[key]) || opts[key] <= 0) throw new Error(`--${key} must be a positive number`);
  }
  if (!(opts.warmup >= 0 && opts.warmup < opts.minutes)) throw new Error('--warmup must be at least 0 and shorter than --minutes');
  return opts;
}

const mb = (bytes) => (bytes === undefined ? '-' : Math.round(bytes / 1024 / 1024));

function report(opts, samples, counts, server) {
  // The level is the mean over the warm-up's last minute: one sample alone swings by 10 % with GC timing.
  const warmupAt = opts.warmup * 60;
  const lastMinute = samples.filter((s) => s.t <= warmupAt && s.t > warmupAt - 60);
  const levelSamples = lastMinute.length ? lastMinute : samples.slice(0, 1);
  const level = { t: warmupAt, rss: Math.round(levelSamples.reduce((sum, s) => sum + s.rss, 0) / levelSamples.length) };
  const after = samples.filter((s) => s.t > warmupAt);
  const max = after.reduce((m, s) => (s.rss > m.rss ? s : m), level);
  const limit = Math.round(level.rss * (1 + opts.tolerance / 100));
  const pass = max.rss <= limit;
  const lines = [];
  lines.push(`### Soak on ${opts.db === 'pglite' ? 'embedded PGlite' : `PostgreSQL ${server.postgresVersion}`}: ${opts.minutes} min, ${opts.rate} req/s offered, ${pass ? 'PASS' : '**FAIL**'}`);
  lines.push('');
  lines.push(`RSS level over the last minute of the ${opts.warmup}-minute warm-up (mean): ${level.rss} MB; highest after it: ${max.rss} MB at ${(max.t / 60).toFixed(1)} min (${(((max.rss - level.rss) / level.rss) * 100).toFixed(1)} %, limit ${limit} MB = +${opts.tolerance} %).`);
  lines.push(`Requests: ${counts.sent} (${Object.entries(counts.statuses).sort().map(([s, n]) => `${s}: ${n}`).join(', ')}).`);
  lines.push('');
  const probe = samples.some((s) => s.probe);
  lines.push(probe ? '| Minute | RSS MB | Max RSS MB in minute | Requests | JS heap used MB (after GC) | External MB | Sandbox isolates: count, heap MB |' : '| Minute | RSS MB | Max RSS MB in minute | Requests |');
  lines.push(probe ? '|---:|---:|---:|---:|---:|---:|---:|' : '|---:|---:|---:|---:|');
  for (let minute = 0; minute <= Math.ceil(samples[samples.length - 1].t / 60); minute++) {
    const inMinute = samples.filter((s) => s.t > (minute - 1) * 60 && s.t <= minute * 60);
    if (inMinute.length === 0) continue;
    const last = inMinute[inMinute.length - 1];
    const row = [minute, last.rss, Math.max(...inMinute.map((s) => s.rss)), last.sent];
    if (probe) row.push(mb(last.probe?.heapUsed), mb(last.probe?.external), `${last.probe?.isolates ?? '-'}, ${mb(last.probe?.isolateHeapTotal)}`);
    lines.push(`| ${row.join(' | ')} |`);
  }
  return { text: lines.join('\n'), pass };
}

async function main() {
  const opts = parseOptions();
  const workspace = createWorkspace('soak', log);
  const probeFile = join(workspace.root, 'memory-probe.jsonl');
  const { nodeArgs, env: probeEnv } = opts.probe ? probeOptions(probeFile, opts.interval) : { nodeArgs: [], env: {} };
  const env = { HOOKLINE_MAX_BODY: String(MAX_BODY), ...probeEnv };
  try {
    const server = await startHookline({ workspace, database: opts.db, pgUrl: opts.pgUrl, adminPassword: ADMIN_PASSWORD, env, nodeArgs, log });
    let died = null;
    server.child.once('exit', (code, signal) => (died = `server exited (code ${code}, signal ${signal})`));
    try {
      const port = Number(new URL(server.url).port);
      const { ctx } = await prepare(server.url);
      const counts = { sent: 0, statuses: {} };
      const samples = [];
      const started = Date.now();
      const end = started + opts.minutes * 60_000;
      log(`${opts.db}: ${opts.minutes} min at ${opts.rate} req/s, RSS every ${opts.interval} s; server at ${server.url}`);

      const sampler = (async () => {
        while (Date.now() < end + 1 && !died) {
          const t = Math.round((Date.now() - started) / 1000);
          const rss = rssMb(server.child.pid);
          if (rss !== null) samples.push({ t, rss, sent: counts.sent, probe: opts.probe ? readProbe(probeFile) : null });
          if (samples.length % Math.max(1, Math.round(60 / opts.interval)) === 0) log(`${(t / 60).toFixed(1)} min: RSS ${rss} MB, ${counts.sent} requests`);
          await sleep(Math.min(opts.interval * 1000, Math.max(0, end - Date.now())) || opts.interval * 1000);
          if (Date.now() >= end) {
            samples.push({ t: Math.round((Date.now() - started) / 1000), rss: rssMb(server.child.pid) ?? rss, sent: counts.sent, probe: opts.probe ? readProbe(probeFile) : null });
            break;
          }
        }
      })();

      // A steady pace, not as fast as possible: the soak is about memory over time, not throughput.
      let inFlight = 0;
      let index = 0;
      const pending = new Set();
      while (Date.now() < end && !died) {
        const due = Math.floor(((Date.now() - started) / 1000) * opts.rate);
        while (index < due && inFlight < opts.concurrency) {
          const testCase = makeCase(opts.seed, index++, ctx, MIX);
          inFlight++;
          const promise = sendCase(port, testCase).then((result) => {
            inFlight--;
            counts.sent++;
            const key = result.status ?? 'no answer';
            counts.statuses[key] = (counts.statuses[key] ?? 0) + 1;
          });
          pending.add(promise);
          void promise.finally(() => pending.delete(promise));
        }
        if (index < due) index = due; // the server is behind: skip rather than build a backlog in this process
        await sleep(20);
      }
      await Promise.all(pending);
      await sampler;
      if (died) throw new Error(`${died}; see ${server.stderrFile}`);
      const result = report(opts, samples, counts, server);
      console.log(`${result.text}\n`);
      if (opts.out) writeFileSync(opts.out, `${result.text}\n`);
      if (!result.pass) process.exitCode = 1;
    } finally {
      await server.stop();
    }
  } finally {
    await workspace.cleanup();
  }
}

try {
  await main();
} catch (err) {
  log(err.stack ?? String(err));
  process.exitCode = 1;
}
