// Writes the benchmark's results: docs/benchmarks.md (keeping the hand-written sections at its end)
// and the SVG chart beside it, and prints the same Markdown to stdout.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { basename } from 'node:path';
import { REPO } from './hookline-server.mjs';
import { fmt, ingestTable, sizeTable } from './report.mjs';
import { ingestChartSvg } from './svg-chart.mjs';
import { PROCESSES_HEADING, processesSection } from './processes.mjs';

/**
 * Sections written by hand (the method, how to run, other scripts' runs): a bench run rewrites the
 * file above the first of them and keeps the rest.
 */
const KEPT_HEADINGS = [PROCESSES_HEADING, '## Goals measured', '## Sandbox cost per message', '## Message list and search', '## Fuzzing and memory soak'];

export async function machineInfo(state) {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  let postgres = null;
  if (state.admin) postgres = (await state.admin.query('SHOW server_version')).rows[0].server_version;
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit,
    cpu: cpus()[0]?.model ?? 'unknown',
    // All the machine's cores: this process may already be pinned to one.
    cores: cpus().length,
    memoryGb: (totalmem() / 1024 ** 3).toFixed(1),
    os: `${platform()} ${release()}`,
    node: process.version,
    postgres,
    loadAtStart: loadavg().map((n) => n.toFixed(2)).join(', '),
  };
}

function dbName(database) {
  return database === 'pglite' ? 'embedded PGlite' : 'PostgreSQL';
}

function goalsTable(reports, listing) {
  const lines = ['| Goal (issue 10) | Measured | Target | |', '|---|---:|---:|---|'];
  const row = (text, value, shown, limit, atMost) => {
    const measured = typeof value === 'number' && !Number.isNaN(value);
    const met = measured && (atMost ? value <= limit : value >= limit);
    lines.push(`| ${text} | ${measured ? shown : '-'} | ${atMost ? '≤' : '≥'} ${limit} | ${measured ? (met ? 'met' : '**not met**') : 'not measured'} |`);
  };
  for (const r of reports) {
    const pg = r.database === 'postgres';
    const async = r.summary?.find((s) => s.key === 'async');
    const sync = r.summary?.find((s) => s.key === 'sync');
    row(`${dbName(r.database)}: async req/s ÷ bare`, async?.ratio, fmt.ratio(async?.ratio), pg ? 0.4 : 0.1, false);
    if (pg) row('PostgreSQL: async p99 (ms)', async?.p99, fmt.ms(async?.p99), 25, true);
    row(`${dbName(r.database)}: sync req/s ÷ bare`, sync?.ratio, fmt.ratio(sync?.ratio), pg ? 0.33 : 0.08, false);
    if (pg) row('PostgreSQL: sync p99 (ms)', sync?.p99, fmt.ms(sync?.p99), 40, true);
    if (r.keepup) {
      row(`${dbName(r.database)}: processed/s ÷ accepted/s over the keep-up run`, r.keepup.share, fmt.ratio(r.keepup.share), 0.95, false);
      row(`${dbName(r.database)}: backlog at the end, seconds of ingest`, r.keepup.backlogSeconds, fmt.ms(r.keepup.backlogSeconds), 2, true);
    }
    if (r.sizes) row(`${dbName(r.database)}: bytes/s spread across payload sizes`, r.sizes.spread, fmt.ratio(r.sizes.spread), 2, true);
  }
  for (const page of listing?.pages ?? []) row(`PostgreSQL, ${fmt.int(listing.messages)} messages: GET /api/messages ${page.name}, p99 (ms)`, page.p99, fmt.ms(page.p99), 50, true);
  const ret = listing?.retention;
  if (ret) {
    const ratio = retentionRatio(ret);
    row('PostgreSQL: ingest p99 while retention deletes ÷ before', ratio, fmt.ratio(ratio), 2, true);
  }
  return lines.join('\n');
}

function retentionRatio(ret) {
  const worst = Math.max(...ret.during.map((d) => d.p99));
  return ret.during.length ? worst / ret.before.p99 : NaN;
}

function databaseSection(r, opts) {
  const out = [`## ${dbName(r.database)}${r.postgresVersion ? ` ${r.postgresVersion}` : ''}`, ''];
  out.push(ingestTable(r.summary, { dbCpu: r.database === 'postgres' }), '');
  const drains = r.drains.filter((d) => d.drained);
  const async = r.summary.find((s) => s.key === 'async');
  const pg = r.database === 'postgres';
  out.push(
    `After each async round the bench waited for the queue to finish that round's messages before the next target ` +
      `(${drains.length} of ${r.drains.length} drained; ${r.drains.map((d) => `${d.seconds.toFixed(1)} s`).join(', ')}). ` +
      `That queue work cost another ${fmt.us(async?.drainServerCpuUs)} µs of server CPU${pg ? ` and ${fmt.us(async?.drainDbCpuUs)} µs of PostgreSQL CPU` : ''} per async request (median over the rounds), ` +
      'on top of the window\'s own figures above, which include whatever the queue did during the window.',
    '',
  );
  if (r.keepup) {
    const k = r.keepup;
    out.push(`### Queue keep-up (${dbName(r.database)})`, '');
    out.push(
      `${opts.keepupSeconds} s of async load, ${opts.connections} connections: **${fmt.int(k.acceptedPerSecond)} accepted/s** (messages stored), ` +
        `**${fmt.int(k.processedPerSecond)} processed/s** (messages whose functions had finished by the end of the run), ` +
        `${fmt.ratio(k.share)} of the accepted rate. Backlog when the load stopped: ${fmt.int(k.backlogAtEnd)} messages, ` +
        `**${fmt.ms(k.backlogSeconds)} s of ingest**; it ${k.drain.drained ? `drained in ${k.drain.seconds.toFixed(1)} s` : '**did not drain** within the time limit'}. ` +
        `p99 during the run ${fmt.ms(k.result.p99)} ms.`,
      '',
    );
  }
  if (r.sizes) {
    out.push(`### Payload sizes, async (${dbName(r.database)})`, '');
    out.push(`${opts.sizeConnections} connections, ${opts.sizeDuration} s per size; the push grown to each size by repeating its commit, signed.`, '');
    out.push(sizeTable(r.sizes), '');
  }
  out.push(`### Every 2xx stored and processed (${dbName(r.database)})`, '');
  out.push('| Uri | Answered 2xx | Message ids recorded | Stored | Processed | Other statuses | Missing |', '|---|---:|---:|---:|---:|---|---:|');
  for (const [uri, d] of Object.entries(r.deliveries ?? {})) {
    const other = Object.entries(d.byStatus).filter(([s]) => s !== 'processed').map(([s, n]) => `${s} ${n}`).join(', ');
    out.push(`| \`${uri}\` | ${fmt.int(d.answered2xx)} | ${fmt.int(d.recorded)} | ${fmt.int(d.stored)} | ${fmt.int(d.processed)} | ${other || '-'} | ${d.missing ? `**${fmt.int(d.missing)}**` : '0'} |`);
  }
  out.push(
    '',
    'Warm-ups included. The load generator records the `X-Hookline-Message-Id` of every 2xx answer; after the server stopped, the bench looks each id up in its database (PostgreSQL, or the PGlite data directory opened directly). Missing: answered 2xx, not stored.',
    '',
  );
  if (r.profile) out.push(profileSection(r), '');
  const notable = r.logLines ?? [];
  out.push(notable.length ? `Server log: ${notable.slice(0, 5).map((l) => `\`${l.line.slice(0, 160)}\` (${l.count}×)`).join('; ')}.` : 'Server log: no errors or warnings.', '');
  return out.join('\n');
}

/** The server's CPU profile over the whole run on one database (--cpu-prof). */
function profileSection(r) {
  const p = r.profile;
  const pct = (n) => `${(n * 100).toFixed(1)} %`;
  const out = [`### Where the server's time goes (${dbName(r.database)}, \`--cpu-prof\`)`, ''];
  out.push(`Self time in the measured windows on this database (rounds, keep-up, sizes; not start-up, set-up, warm-ups or queue drains), ${fmt.int(p.totalMs)} ms of CPU outside idle.`, '');
  out.push('| Area | Self ms | Share |', '|---|---:|---:|');
  for (const a of p.byArea.slice(0, 12)) out.push(`| ${a.area} | ${fmt.int(a.selfMs)} | ${pct(a.share)} |`);
  out.push('', '| Function | Where | Self ms | Share |', '|---|---|---:|---:|');
  for (const f of p.byFunction) out.push(`| \`${f.name.replace(/\|/g, '\\|')}\` | ${f.where ? `\`${f.where}\`` : '-'} | ${fmt.int(f.selfMs)} | ${pct(f.share)} |`);
  return out.join('\n');
}

function listingSection(listing, opts) {
  const out = [`## ${fmt.int(listing.messages)} stored messages (PostgreSQL)`, ''];
  out.push(
    `${fmt.int(listing.messages)} messages seeded with SQL by \`bench/seed-messages.mjs\` in ${listing.seedSeconds.toFixed(0)} s, then ` +
      `${opts.listingRequests} sequential requests per page (limit 50) from the bench process.`,
    '',
  );
  out.push('| Page | p50 ms | p99 ms | max ms | Items |', '|---|---:|---:|---:|---:|');
  for (const p of listing.pages) out.push(`| ${p.name} | ${fmt.ms(p.p50)} | ${fmt.ms(p.p99)} | ${fmt.ms(p.max)} | ${p.items} |`);
  const ret = listing.retention;
  if (ret) {
    out.push('', '### Ingest while retention deletes', '');
    out.push(
      `The server restarted with \`HOOKLINE_RETENTION_DAYS=30\` and \`HOOKLINE_RETENTION_INTERVAL=${ret.intervalSeconds}s\`; ` +
        `${fmt.int(ret.oldBefore)} messages were older than 30 days. Its retention job deleted ${fmt.int(ret.deleted)} ` +
        `${ret.deleteSeconds ? `in ${ret.deleteSeconds.toFixed(0)} s` : '(not finished within 10 minutes)'}. Async ingest, ${opts.connections} connections, ${opts.retentionWindow} s windows:`,
      '',
    );
    const bad = (r) => r.non2xx + r.errors + r.timeouts;
    out.push('| Window | Req/s | p50 ms | p99 ms | Non-2xx / errors | Old messages left at its start |', '|---|---:|---:|---:|---:|---:|');
    out.push(`| before | ${fmt.int(ret.before.requestsPerSecond)} | ${fmt.ms(ret.before.p50)} | ${fmt.ms(ret.before.p99)} | ${fmt.int(bad(ret.before))} | ${fmt.int(ret.oldBefore)} |`);
    ret.during.forEach((d, i) => out.push(`| during ${i + 1} | ${fmt.int(d.requestsPerSecond)} | ${fmt.ms(d.p50)} | ${fmt.ms(d.p99)} | ${fmt.int(bad(d))} | ${fmt.int(d.oldLeftAtStart)} |`));
    out.push('', `Worst p99 during ÷ p99 before: **${fmt.ratio(retentionRatio(ret))}×** (goal: at most 2×).`);
  }
  out.push('');
  return out.join('\n');
}

function keptSections(file) {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  const at = Math.min(...KEPT_HEADINGS.map((h) => text.indexOf(`\n${h}`)).filter((i) => i !== -1));
  return Number.isFinite(at) ? text.slice(at) : '';
}

export function markdown(result, chartName) {
  const { machine, opts, plan, pinNotes, tool, reports, listing } = result;
  const out = ['# Benchmarks', ''];
  out.push(
    'Figures from `npm run bench` (`bench/run-bench.mjs`). A run rewrites this file down to the "Goals measured" section, and writes',
    `the chart [${chartName}](${chartName}). They describe one run on the machine below and nothing else; how it measures is under [Method](#method).`,
    '',
  );
  out.push('## Run', '', '| | |', '|---|---|');
  out.push(`| Date | ${machine.date} |`, `| Commit | \`${machine.commit}\` |`, `| CPU | ${machine.cpu} |`, `| Cores | ${machine.cores} |`, `| Memory | ${machine.memoryGb} GB |`);
  out.push(`| OS | ${machine.os} |`, `| Node.js | ${machine.node} |`, `| PostgreSQL | ${machine.postgres ?? '-'} |`, `| Load generator | ${tool.name} ${tool.version}, ${opts.connections} connections |`);
  out.push(`| Pinning | ${plan.pinned ? `load on core ${plan.loadCore}, server on core ${plan.serverCore}${pinNotes.length ? `; ${pinNotes.join('; ')}` : ''}` : `none: ${plan.reason}`} |`);
  out.push(
    `| Options | ${opts.rounds} rounds of ${opts.warmup} s warm-up + ${opts.duration} s per target; keep-up ${opts.skipKeepup ? 'skipped' : `${opts.keepupSeconds} s`}; ` +
      `sizes ${opts.skipSizes ? 'skipped' : `${opts.sizeList.join(', ')} at ${opts.sizeConnections} connections, ${opts.sizeDuration} s each`}; ` +
      `listing ${opts.skipListing ? 'skipped' : !opts.databases.includes('postgres') ? 'skipped (PostgreSQL only)' : `${fmt.int(opts.listingMessages)} messages, ${opts.listingRequests} requests per page${opts.skipRetention ? ', no retention' : ''}`} |`,
  );
  out.push(`| Load average (1, 5, 15 min) at start / end | ${machine.loadAtStart} / ${loadavg().map((n) => n.toFixed(2)).join(', ')} |`, '');
  out.push(`![Requests/s and p99 per target](${chartName})`, '');
  out.push('## Goals', '', goalsTable(reports, listing), '');
  for (const r of reports) out.push(databaseSection(r, opts));
  if (listing) out.push(listingSection(listing, opts));
  return out.join('\n');
}

export function chartBars(reports) {
  const bars = [];
  for (const r of reports) for (const s of r.summary ?? []) bars.push({ label: `${s.key === 'baseline' ? 'bare node:http' : `Hookline ${s.key}`} (${r.database})`, requestsPerSecond: s.requestsPerSecond, p99: s.p99 });
  return bars;
}

/** Marks the end of the figures --processes writes; what follows (up to the next section) is kept. */
const PROCESSES_END = '<!-- end of the figures npm run bench -- --processes writes -->';

/**
 * Writes the scale-out section into the report: in place of its figures when the report has the
 * section, else before "Goals measured" (kept by full runs), else at the end.
 */
export function writeProcessesSection(series, { write }, log) {
  const section = `${processesSection(series)}\n${PROCESSES_END}\n`;
  console.log(section);
  if (!write) return;
  const file = series.opts.out;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(`\n${PROCESSES_HEADING}`);
  let next;
  if (start !== -1) {
    const end = text.indexOf(PROCESSES_END, start);
    const after = end !== -1 ? end + PROCESSES_END.length + 1 : text.indexOf('\n## ', start + 1);
    next = `${text.slice(0, start + 1)}${section}${after === -1 || after === 0 ? '' : text.slice(after)}`;
  } else {
    const at = text.indexOf('\n## Goals measured');
    next = at === -1 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, at + 1)}${section}\n${text.slice(at + 1)}`;
  }
  writeFileSync(file, next);
  log(`wrote the scale-out section of ${file}`);
}

export function writeReport(result, { write }, log) {
  const chartName = basename(result.opts.chart);
  const text = markdown(result, chartName);
  console.log(text);
  if (!write) return;
  writeFileSync(result.opts.chart, ingestChartSvg(chartBars(result.reports)));
  writeFileSync(result.opts.out, `${text}\n${keptSections(result.opts.out)}`);
  log(`wrote ${result.opts.out} and ${result.opts.chart}`);
}
