// The benchmark's options: defaults for the full run, and the flags that shorten it.
import { join } from 'node:path';
import { readOptions } from './lib.mjs';
import { parseProcessCounts } from './processes.mjs';
import { DEFAULT_PG_URL, REPO } from './hookline-server.mjs';

export const SIZES = { '1kb': 1024, '100kb': 100 * 1024, '1mb': 1024 * 1024, '10mb': 10 * 1024 * 1024 };

export function parseOptions(argv = process.argv.slice(2)) {
  const opts = {
    db: 'both',
    duration: 10,
    warmup: 2,
    rounds: 3,
    connections: 64,
    keepupSeconds: 60,
    sizes: '1kb,100kb,1mb,10mb',
    sizeDuration: 10,
    sizeConnections: 16,
    listingMessages: 1_000_000,
    listingRequests: 200,
    retentionShare: 0.5,
    retentionWindow: 10,
    retentionMaxWindows: 6,
    drainTimeout: 300,
    loadTool: 'auto',
    pgUrl: DEFAULT_PG_URL,
    out: join(REPO, 'docs', 'benchmarks.md'),
    chart: join(REPO, 'docs', 'bench-ingest.svg'),
    skipSizes: false,
    skipListing: false,
    skipKeepup: false,
    skipRetention: false,
    cpuProf: false,
    keepLogs: false,
    processes: null,
  };
  const names = {
    db: 'db', duration: 'duration', warmup: 'warmup', rounds: 'rounds', connections: 'connections', 'keepup-seconds': 'keepupSeconds',
    sizes: 'sizes', 'size-duration': 'sizeDuration', 'size-connections': 'sizeConnections', 'listing-messages': 'listingMessages',
    'listing-requests': 'listingRequests', 'retention-share': 'retentionShare', 'retention-window': 'retentionWindow',
    'retention-max-windows': 'retentionMaxWindows', 'drain-timeout': 'drainTimeout', 'load-tool': 'loadTool', 'pg-url': 'pgUrl', out: 'out', chart: 'chart', processes: 'processes',
  };
  readOptions(argv, opts, {
    names,
    flags: { 'skip-sizes': 'skipSizes', 'skip-listing': 'skipListing', 'skip-keepup': 'skipKeepup', 'skip-retention': 'skipRetention', 'cpu-prof': 'cpuProf', 'keep-logs': 'keepLogs' },
    help: `Usage: npm run bench -- [options]
  --db pglite|postgres|both     database(s) for Hookline (default both)
  --rounds <n>                  interleaved rounds of baseline, async, sync (default 3)
  --duration <s>                measured seconds per round and target (default 10)
  --warmup <s>                  unmeasured seconds before each measurement (default 2; 0 for none)
  --connections <n>             connections of the load generator (default 64)
  --keepup-seconds <s>          the long async run for queue keep-up (default 60)
  --skip-keepup                 leave out the keep-up run
  --sizes <list>                payload sizes, of ${Object.keys(SIZES).join(', ')} (default all)
  --size-duration <s>           seconds per size (default 10)
  --size-connections <n>        connections for the size series (default 16)
  --skip-sizes                  leave out the payload-size series
  --listing-messages <n>        messages seeded for the listing phase, PostgreSQL only (default 1000000)
  --listing-requests <n>        sequential GET /api/messages per page kind (default 200)
  --retention-share <0..1>      share of the seeded messages that retention deletes (default 0.5)
  --retention-window <s>        ingest window before and during retention (default 10)
  --retention-max-windows <n>   most windows measured while retention deletes (default 6)
  --skip-listing                leave out the listing and retention phase
  --skip-retention              time the listing but leave out retention
  --drain-timeout <s>           longest wait for the async queue to drain (default 300)
  --load-tool auto|wrk|autocannon  load generator (default auto: wrk if installed)
  --pg-url <url>                admin URL to create and drop temporary databases (default ${DEFAULT_PG_URL})
  --out <file>                  the report (default docs/benchmarks.md; "-" = print only, write nothing)
  --chart <file>                the SVG chart (default docs/bench-ingest.svg)
  --cpu-prof                    profile each Hookline server (node --cpu-prof) and report its top frames;
                                the .cpuprofile files stay in the temp directory (implies --keep-logs)
  --keep-logs                   keep the servers' logs in the temp directory
  --processes <list>            instead of the phases above: async ingest and processing with each number
                                of server processes on one PostgreSQL (e.g. 1,2,4: one process with every
                                role, or one ingress and the rest workers); uses --rounds, --duration,
                                --warmup and --connections, and writes only its section of --out

A quick try: npm run bench -- --db postgres --rounds 1 --duration 3 --warmup 1 --keepup-seconds 5 --skip-sizes --skip-listing --out -`,
  });
  if (!['pglite', 'postgres', 'both'].includes(opts.db)) throw new Error(`--db must be pglite, postgres or both, not "${opts.db}"`);
  if (!['auto', 'wrk', 'autocannon'].includes(opts.loadTool)) throw new Error(`--load-tool must be auto, wrk or autocannon, not "${opts.loadTool}"`);
  for (const key of ['duration', 'rounds', 'connections', 'keepupSeconds', 'sizeDuration', 'sizeConnections', 'listingMessages', 'listingRequests', 'retentionWindow', 'retentionMaxWindows', 'drainTimeout']) {
    if (!Number.isFinite(opts[key]) || opts[key] < 1) throw new Error(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a number of at least 1, not ${opts[key]}`);
  }
  if (!Number.isFinite(opts.warmup) || opts.warmup < 0) throw new Error(`--warmup must be 0 or more, not ${opts.warmup}`);
  if (!(opts.retentionShare > 0 && opts.retentionShare < 1)) throw new Error('--retention-share must be between 0 and 1');
  opts.sizeList = opts.sizes.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const size of opts.sizeList) if (!(size in SIZES)) throw new Error(`--sizes: "${size}" is not one of ${Object.keys(SIZES).join(', ')}`);
  opts.databases = opts.db === 'both' ? ['pglite', 'postgres'] : [opts.db];
  opts.processList = opts.processes === null ? null : parseProcessCounts(opts.processes);
  return opts;
}
