// Pure parts of the benchmark report: medians over interleaved rounds, ratios to the baseline,
// and the Markdown tables. No I/O here, so a test can check every figure's arithmetic.

export const TARGETS = [
  { key: 'baseline', label: 'bare `node:http` (read + `JSON.parse`)' },
  { key: 'async', label: 'Hookline async (202)' },
  { key: 'sync', label: 'Hookline sync (200, one function)' },
];

/** Median of finite numbers (mean of the middle two for an even count); NaN when there are none. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Rounds -> one row per target: medians of req/s, p50, p99 and CPU per request, the ratio of the
 * median req/s to the baseline's median of the same run, and whether every round was clean.
 * A round is {target, requestsPerSecond, p50, p99, requests, ok2xx, non2xx, errors, timeouts,
 * serverCpuSeconds, dbCpuSeconds}.
 */
export function summarizeRounds(rounds) {
  const rows = [];
  for (const { key, label } of TARGETS) {
    const mine = rounds.filter((r) => r.target === key);
    if (mine.length === 0) continue;
    const perRequest = (field) => median(mine.map((r) => (r.requests > 0 && Number.isFinite(r[field]) ? (r[field] * 1e6) / r.requests : NaN)));
    rows.push({
      key,
      label,
      rounds: mine.length,
      requestsPerSecond: median(mine.map((r) => r.requestsPerSecond)),
      p50: median(mine.map((r) => r.p50)),
      p99: median(mine.map((r) => r.p99)),
      serverCpuUs: perRequest('serverCpuSeconds'),
      dbCpuUs: perRequest('dbCpuSeconds'),
      // Async only: the queue's work on the window's messages after the window ended.
      drainServerCpuUs: perRequest('drainServerCpuSeconds'),
      drainDbCpuUs: perRequest('drainDbCpuSeconds'),
      requests: mine.reduce((sum, r) => sum + r.requests, 0),
      bad: mine.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
      perRound: mine.map((r) => r.requestsPerSecond),
    });
  }
  const baseline = rows.find((r) => r.key === 'baseline');
  for (const row of rows) row.ratio = baseline ? row.requestsPerSecond / baseline.requestsPerSecond : NaN;
  return rows;
}

export const fmt = {
  int: (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-'),
  ms: (n) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '-'),
  ratio: (n) => (n === Infinity ? '∞' : Number.isFinite(n) ? (n >= 0.1 || n === 0 ? n.toFixed(2) : n.toPrecision(2)) : '-'),
  us: (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-'),
  bytes: (n) => {
    if (!Number.isFinite(n)) return '-';
    const units = ['B', 'KB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return `${n < 10 && i > 0 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
  },
};

/** The ingest table for one database; `dbCpu` adds the PostgreSQL backends' column. */
export function ingestTable(rows, { dbCpu }) {
  const head = ['Target', 'Req/s (median)', 'Ratio to bare', 'p50 ms', 'p99 ms', 'Server CPU µs/req'];
  if (dbCpu) head.push('PostgreSQL CPU µs/req', 'Total CPU µs/req');
  head.push('Rounds (req/s each)', 'Non-2xx / errors');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const cells = [r.label, fmt.int(r.requestsPerSecond), r.key === 'baseline' ? '1.00' : fmt.ratio(r.ratio), fmt.ms(r.p50), fmt.ms(r.p99), fmt.us(r.serverCpuUs)];
    if (dbCpu) {
      const db = r.key === 'baseline' ? 0 : r.dbCpuUs;
      cells.push(r.key === 'baseline' ? '-' : fmt.us(db), fmt.us(r.serverCpuUs + (Number.isFinite(db) ? db : 0)));
    }
    cells.push(r.perRound.map(fmt.int).join(', '), r.bad ? `**${fmt.int(r.bad)}**` : '0');
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Payload-size series: bytes/s per size and the spread (max/min) the goal bounds at 2. */
export function sizeSeries(results) {
  const rows = results.map((r) => ({ ...r, bytesPerSecond: r.requestsPerSecond * r.bytes }));
  const rates = rows.map((r) => r.bytesPerSecond).filter(Number.isFinite);
  // A size that got no answer at all makes the spread unbounded, not smaller.
  const spread = rates.length < 2 ? NaN : Math.min(...rates) > 0 ? Math.max(...rates) / Math.min(...rates) : Infinity;
  return { rows, spread };
}

export function sizeTable({ rows, spread }) {
  const lines = ['| Body | Req/s | Bytes/s | p50 ms | p99 ms | Server CPU µs/req | Non-2xx / errors |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    lines.push(
      `| ${fmt.bytes(r.bytes)} | ${fmt.int(r.requestsPerSecond)} | ${fmt.bytes(r.bytesPerSecond)}/s | ${fmt.ms(r.p50)} | ${fmt.ms(r.p99)} | ${fmt.us(r.serverCpuUs)} | ${r.bad ? `**${fmt.int(r.bad)}**` : '0'} |`,
    );
  }
  lines.push('', `Spread of bytes/s, largest over smallest: **${fmt.ratio(spread)}×** (goal: at most 2×).`);
  return lines.join('\n');
}

/**
 * Queue keep-up over one async run: accepted/s (2xx answers), processed/s (messages finished
 * inside the window), and the backlog left when the load stopped, in seconds of ingest.
 */
export function keepUp({ seconds, accepted, finishedInWindow, backlogAtEnd }) {
  const acceptedPerSecond = accepted / seconds;
  const processedPerSecond = finishedInWindow / seconds;
  return {
    acceptedPerSecond,
    processedPerSecond,
    share: acceptedPerSecond > 0 ? processedPerSecond / acceptedPerSecond : NaN,
    backlogAtEnd,
    backlogSeconds: acceptedPerSecond > 0 ? backlogAtEnd / acceptedPerSecond : NaN,
  };
}

/**
 * The answered messages against the database: `recorded` ids (from the 2xx answers' message id
 * header) looked up there, by status. `missing` were answered 2xx and are not stored.
 */
export function deliveryCheck({ answered2xx, recorded, byStatus }) {
  const stored = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
  const processed = byStatus.processed ?? 0;
  return { answered2xx, recorded, stored, processed, notProcessed: stored - processed, missing: recorded - stored };
}
