// The bench's scale-out series (`--processes 1,2,4`): async ingest and processing with N server
// processes on one PostgreSQL database. One process takes every role; N > 1 is one ingress (the
// only address the load generator sends to, as behind one proxy) and N - 1 workers, the first of
// which also takes the scheduler role. The pure parts (plan, medians, the report section) are
// exported for the harness test.
import { countMessages, countUnfinished, login, setUpBench, waitForDrain } from './hookline-target.mjs';
import { loadavg } from 'node:os';
import { fmt, median } from './report.mjs';

export const PROCESSES_HEADING = '## Scale-out: server processes on one PostgreSQL';
const URI = 'bench/processes';

/** "1,2,4" -> [1, 2, 4]: whole numbers from 1 to 16, each once, in the order given. */
export function parseProcessCounts(text) {
  const counts = String(text)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      if (!/^\d+$/.test(item) || Number(item) < 1 || Number(item) > 16) throw new Error(`--processes: "${item}" is not a whole number from 1 to 16; e.g. --processes 1,2,4`);
      return Number(item);
    });
  if (counts.length === 0) throw new Error('--processes needs at least one count, e.g. --processes 1,2,4');
  if (new Set(counts).size !== counts.length) throw new Error(`--processes: "${text}" names a count twice`);
  return counts;
}

/** HOOKLINE_ROLE of each process of a set of `n`, the ingress first. */
export function processRoles(n) {
  if (n === 1) return ['all'];
  return ['ingress', ...Array.from({ length: n - 1 }, (_, i) => (i === 0 ? 'worker,scheduler' : 'worker'))];
}

/**
 * Rounds -> one row per process count: medians of accepted/s, processed/s (finished within the
 * window), backlog at the end (messages and seconds of ingest), p99, drain time and CPU per
 * message. A round is {processes, seconds, accepted, finishedInWindow, backlogAtEnd, p99, drainSeconds,
 * serverCpuSeconds, dbCpuSeconds, bad}.
 */
export function summarizeProcessRounds(rounds) {
  const counts = [...new Set(rounds.map((r) => r.processes))];
  return counts.map((processes) => {
    const mine = rounds.filter((r) => r.processes === processes);
    const perMessage = (field) => median(mine.map((r) => (r.accepted > 0 ? (r[field] * 1e6) / r.accepted : NaN)));
    return {
      processes,
      roles: processRoles(processes),
      rounds: mine.length,
      acceptedPerSecond: median(mine.map((r) => r.accepted / r.seconds)),
      processedPerSecond: median(mine.map((r) => r.finishedInWindow / r.seconds)),
      backlogAtEnd: median(mine.map((r) => r.backlogAtEnd)),
      backlogSeconds: median(mine.map((r) => (r.accepted > 0 ? r.backlogAtEnd / (r.accepted / r.seconds) : NaN))),
      p99: median(mine.map((r) => r.p99)),
      drainSeconds: median(mine.map((r) => r.drainSeconds)),
      serverCpuUs: perMessage('serverCpuSeconds'),
      dbCpuUs: perMessage('dbCpuSeconds'),
      bad: mine.reduce((sum, r) => sum + r.bad, 0),
      lost: mine.reduce((sum, r) => sum + (r.lost ?? 0), 0),
      perRound: mine.map((r) => Math.round(r.accepted / r.seconds)),
    };
  });
}

/** The report's section: the table, then what the run was. `notes` are the lines on what limits the figures. */
export function processesSection({ rows, opts, machine, plan, notes = [] }) {
  const out = [PROCESSES_HEADING, ''];
  out.push(
    `\`npm run bench -- --processes ${opts.processList.join(',')}\` on ${machine.date} (commit \`${machine.commit}\`, ${machine.cores} cores, PostgreSQL ${machine.postgres ?? '?'}; ` +
      `load average ${machine.loadAtStart} at start, ${(machine.loadAtEnd ?? loadavg()).map((n) => n.toFixed(2)).join(', ')} at end). ` +
      `${opts.rounds} interleaved rounds of ${opts.warmup} s warm-up + ${opts.duration} s async load at ${opts.connections} connections per process count; medians. ` +
      (plan.pinned ? `Load generator on core ${plan.loadCore}; every server process and the database's backends on core ${plan.serverCore}.` : `No pinning: ${plan.reason}.`),
    '',
  );
  out.push('| Processes | Roles | Accepted/s | Processed/s | Backlog at end (msgs / s of ingest) | p99 ms | Drain s | Server CPU µs/msg | PostgreSQL CPU µs/msg | Rounds (accepted/s) | Non-2xx / lost |');
  out.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    out.push(
      `| ${r.processes} | ${r.roles.join(' + ')} | ${fmt.int(r.acceptedPerSecond)} | ${fmt.int(r.processedPerSecond)} | ${fmt.int(r.backlogAtEnd)} / ${fmt.ms(r.backlogSeconds)} | ${fmt.ms(r.p99)} | ${fmt.ms(r.drainSeconds)} | ` +
        `${fmt.us(r.serverCpuUs)} | ${fmt.us(r.dbCpuUs)} | ${r.perRound.map(fmt.int).join(', ')} | ${fmt.int(r.bad)} / ${fmt.int(r.lost)} |`,
    );
  }
  out.push('');
  if (notes.length) out.push(...notes, '');
  return out.join('\n');
}

/**
 * Runs the series. ctx: {opts, log, startServer(database, env, reuse) -> server, pinBackends(server),
 * measure({label, url, server, seconds}) -> load result with serverCpuSeconds and dbCpuSeconds}.
 */
export async function runProcesses(ctx) {
  const { opts, log } = ctx;
  const rounds = [];
  for (let round = 1; round <= opts.rounds; round++) {
    for (const processes of opts.processList) rounds.push({ round, ...(await measureSet(ctx, processes, `processes ${processes} round ${round}`)) });
  }
  return { rounds, rows: summarizeProcessRounds(rounds) };
}

async function measureSet(ctx, processes, label) {
  const { opts, log } = ctx;
  const roles = processRoles(processes);
  const started = [];
  try {
    // The ingress (or the single process) first: it migrates the fresh database and creates the admin.
    const ingress = await ctx.startServer('postgres', { HOOKLINE_ROLE: roles[0] });
    started.push(ingress);
    for (const role of roles.slice(1)) started.push(await ctx.startServer('postgres', { HOOKLINE_ROLE: role }, ingress.tempDb));
    const token = await login(ingress.url);
    await setUpBench(ingress.url, token, [URI]);
    // A group the meters read as one server: every process, and the database's backends.
    const group = { child: ingress.child, pids: started.map((s) => s.child.pid), tempDb: ingress.tempDb, profileWindows: null };
    await ctx.pinBackends(group);
    const url = `${ingress.url}/webhooks/${URI}`;
    if (opts.warmup > 0) {
      await ctx.measure({ label: `${label} (warm-up)`, url, server: group, seconds: opts.warmup });
      await waitForDrain(ingress.url, token, URI, opts.drainTimeout);
    }
    const before = await countMessages(ingress.url, token, URI);
    const result = await ctx.measure({ label, url, server: group, seconds: opts.duration });
    const stored = (await countMessages(ingress.url, token, URI)) - before;
    const backlogAtEnd = await countUnfinished(ingress.url, token, URI);
    const drainStarted = Date.now();
    const drainedAt = await waitForDrain(ingress.url, token, URI, opts.drainTimeout);
    const processed = await countMessages(ingress.url, token, URI, 'processed');
    const total = await countMessages(ingress.url, token, URI);
    const entry = {
      processes,
      seconds: result.seconds,
      accepted: stored,
      finishedInWindow: stored - backlogAtEnd,
      backlogAtEnd,
      p99: result.p99,
      drainSeconds: ((drainedAt ?? Date.now()) - drainStarted) / 1000,
      serverCpuSeconds: result.serverCpuSeconds,
      dbCpuSeconds: result.dbCpuSeconds,
      bad: result.non2xx + result.errors + result.timeouts,
      // Stored but never processed (the window's and the warm-up's), or still unfinished after the drain timeout.
      lost: total - processed,
    };
    log(
      `${label}: accepted ${(entry.accepted / entry.seconds).toFixed(0)}/s, processed ${(entry.finishedInWindow / entry.seconds).toFixed(0)}/s, ` +
        `backlog ${backlogAtEnd}, drained in ${entry.drainSeconds.toFixed(1)} s${drainedAt ? '' : ' (NOT drained)'}, ${entry.lost} not processed`,
    );
    return entry;
  } finally {
    // Workers first, so that none is left claiming from a database being dropped.
    for (const server of started.slice(1).reverse()) await server.stop({ keepDatabase: true });
    if (started[0]) await started[0].stop();
  }
}
