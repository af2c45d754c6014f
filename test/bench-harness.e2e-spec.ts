import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The benchmark harness (bench/*.mjs): its arithmetic and report, its chart, its bodies and
 * signatures, and both load generators against a real HTTP server. The harness is plain ES modules
 * run by Node, so each check runs in a child Node process and prints JSON.
 */
const REPO = join(__dirname, '..');
const run = promisify(execFile);

async function evaluate<T>(code: string): Promise<T> {
  const { stdout } = await run(process.execPath, ['--no-node-snapshot', '--input-type=module', '-e', code], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}

const round = (target: string, requestsPerSecond: number, p99: number, extra: Record<string, number> = {}) => ({
  target,
  requestsPerSecond,
  p50: p99 / 4,
  p99,
  requests: requestsPerSecond * 10,
  ok2xx: requestsPerSecond * 10,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  serverCpuSeconds: requestsPerSecond * 10 * 0.0001,
  dbCpuSeconds: requestsPerSecond * 10 * 0.00005,
  ...extra,
});

describe('benchmark report', () => {
  it('takes medians over interleaved rounds and the ratio of medians to the bare server', async () => {
    const rounds = [
      round('baseline', 20000, 8),
      round('async', 600, 150),
      round('sync', 400, 230),
      round('baseline', 22000, 9),
      round('async', 700, 170, { non2xx: 3 }),
      round('sync', 380, 240),
      round('baseline', 18000, 10),
      round('async', 650, 160),
      round('sync', 420, 220),
    ];
    const rows = await evaluate<Array<Record<string, number | string | number[]>>>(
      `import { summarizeRounds } from './bench/report.mjs'; console.log(JSON.stringify(summarizeRounds(${JSON.stringify(rounds)})));`,
    );
    expect(rows.map((r) => r.key)).toEqual(['baseline', 'async', 'sync']);
    expect(rows[0]).toMatchObject({ requestsPerSecond: 20000, p99: 9, ratio: 1, rounds: 3, bad: 0 });
    expect(rows[1]).toMatchObject({ requestsPerSecond: 650, p99: 160, ratio: 650 / 20000, bad: 3, perRound: [600, 700, 650] });
    expect(rows[2]).toMatchObject({ requestsPerSecond: 400, p99: 230 });
    // 0.1 ms of server CPU and 0.05 ms of PostgreSQL CPU per request in every round.
    expect(rows[1].serverCpuUs).toBeCloseTo(100, 6);
    expect(rows[1].dbCpuUs).toBeCloseTo(50, 6);
  });

  it('renders the ingest table with the ratio and CPU columns, and flags rounds with failed requests', async () => {
    const rounds = [round('baseline', 20000, 8), round('async', 650, 160, { errors: 2 }), round('sync', 400, 230)];
    const table = await evaluate<string>(
      `import { ingestTable, summarizeRounds } from './bench/report.mjs'; console.log(JSON.stringify(ingestTable(summarizeRounds(${JSON.stringify(rounds)}), { dbCpu: true })));`,
    );
    const lines = table.split('\n');
    expect(lines[0]).toBe('| Target | Req/s (median) | Ratio to bare | p50 ms | p99 ms | Server CPU µs/req | PostgreSQL CPU µs/req | Total CPU µs/req | Rounds (req/s each) | Non-2xx / errors |');
    expect(lines[2]).toBe('| bare `node:http` (read + `JSON.parse`) | 20,000 | 1.00 | 2.00 | 8.00 | 100 | - | 100 | 20,000 | 0 |');
    expect(lines[3]).toBe('| Hookline async (202) | 650 | 0.033 | 40.0 | 160.0 | 100 | 50 | 150 | 650 | **2** |');
  });

  it('computes queue keep-up, the payload spread and lost deliveries', async () => {
    const result = await evaluate<{ keep: Record<string, number>; spread: number; stalled: number | null; check: Record<string, number> }>(`
      import { deliveryCheck, keepUp, sizeSeries } from './bench/report.mjs';
      const keep = keepUp({ seconds: 60, accepted: 60000, finishedInWindow: 57000, backlogAtEnd: 1500 });
      const spread = sizeSeries([{ bytes: 1024, requestsPerSecond: 1000 }, { bytes: 1048576, requestsPerSecond: 2 }]).spread;
      const stalled = sizeSeries([{ bytes: 1024, requestsPerSecond: 1000 }, { bytes: 10485760, requestsPerSecond: 0 }]).spread;
      const check = deliveryCheck({ answered2xx: 100, recorded: 100, byStatus: { processed: 97, failed: 1 } });
      console.log(JSON.stringify({ keep, spread, stalled: stalled === Infinity ? null : stalled, check }));`);
    expect(result.keep).toMatchObject({ acceptedPerSecond: 1000, processedPerSecond: 950, share: 0.95, backlogAtEnd: 1500, backlogSeconds: 1.5 });
    // 1,024,000 B/s against 2,097,152 B/s.
    expect(result.spread).toBeCloseTo(2097152 / 1024000, 9);
    expect(result.stalled).toBeNull();
    expect(result.check).toEqual({ answered2xx: 100, recorded: 100, stored: 98, processed: 97, notProcessed: 1, missing: 2 });
  });

  it('draws one bar per target in each panel of the chart, with labels escaped', async () => {
    const { svg, nice } = await evaluate<{ svg: string; nice: number[] }>(`
      import { ingestChartSvg, niceMax } from './bench/svg-chart.mjs';
      const svg = ingestChartSvg([
        { label: 'bare node:http (postgres)', requestsPerSecond: 20303, p99: 8.7 },
        { label: 'Hookline async <postgres>', requestsPerSecond: 647, p99: 160 },
        { label: 'Hookline sync (postgres)', requestsPerSecond: NaN, p99: 231 },
      ]);
      console.log(JSON.stringify({ svg, nice: [niceMax(20303), niceMax(231), niceMax(0.7), niceMax(0)] }));`);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    // A background and 3 bars in each of the two panels.
    expect(svg.match(/<rect /g)).toHaveLength(7);
    expect(svg).toContain('Hookline async &lt;postgres&gt;');
    expect(svg).not.toContain('<postgres>');
    expect(svg).toContain('>20,303<');
    expect(svg).toContain('>160<');
    expect(svg).toContain('>8.70<');
    expect(nice).toEqual([50000, 500, 1, 1]);
  });
});

describe('benchmark CPU profile', () => {
  // Samples every 1 ms: nodes 2 (engine), 3 (pg-protocol), 4 (GC), 5 (idle).
  const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url, lineNumber: 9, columnNumber: 0, scriptId: '1' } });
  const profile = {
    nodes: [
      frame(1, '(root)', ''),
      frame(2, 'runScript', 'file:///srv/hookline/dist/libs/engine/src/sandbox/script-sandbox.js'),
      frame(3, 'serialize', 'file:///srv/hookline/node_modules/pg-protocol/dist/serializer.js'),
      frame(4, '(garbage collector)', ''),
      frame(5, '(idle)', ''),
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [2, 2, 3, 5, 5, 2, 4, 3, 2, 2],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  };

  it('sums self time by function and by area, leaving idle out', async () => {
    const summary = await evaluate<{ totalMs: number; byFunction: Array<Record<string, unknown>>; byArea: Array<Record<string, unknown>> }>(
      `import { summarizeProfile } from './bench/cpu-profile.mjs'; console.log(JSON.stringify(summarizeProfile(${JSON.stringify(profile)}, 2)));`,
    );
    expect(summary.totalMs).toBe(8);
    expect(summary.byFunction).toEqual([
      { name: 'runScript', where: 'dist/libs/engine/src/sandbox/script-sandbox.js:10', area: 'Hookline engine', selfMs: 5, share: 5 / 8 },
      { name: 'serialize', where: 'node_modules/pg-protocol/dist/serializer.js:10', area: 'pg-protocol', selfMs: 2, share: 2 / 8 },
    ]);
    expect(summary.byArea.map((a) => [a.area, a.selfMs])).toEqual([['Hookline engine', 5], ['pg-protocol', 2], ['garbage collection', 1]]);
  });

  it('names the area of a frame: Hookline, a package, Node.js, PGlite\'s WebAssembly', async () => {
    const areas = await evaluate<string[]>(`
      import { areaOf } from './bench/cpu-profile.mjs';
      console.log(JSON.stringify([
        areaOf('file:///srv/hookline/dist/apps/server/src/ingress/ingress.controller.js', 'receive'),
        areaOf('file:///srv/hookline/dist/libs/providers/src/github.js', 'verifyGithub'),
        areaOf('file:///srv/hookline/node_modules/@nestjs/core/router/router-proxy.js', ''),
        areaOf('node:internal/stream_base_commons', 'writevGeneric'),
        areaOf('wasm://wasm/022a9842', 'wasm-function[13376]'),
        areaOf('', '(garbage collector)'),
      ]));`);
    expect(areas).toEqual(['Hookline server', 'Hookline providers', '@nestjs/core', 'Node.js', 'PGlite WebAssembly', 'garbage collection']);
  });

  it('counts only the samples inside the measured windows', async () => {
    const summary = await evaluate<{ totalMs: number; byArea: Array<Record<string, unknown>> }>(
      `import { summarizeProfile } from './bench/cpu-profile.mjs'; console.log(JSON.stringify(summarizeProfile(${JSON.stringify(profile)}, 5, [{ fromMs: 6, toMs: 8.5 }])));`,
    );
    // Samples at 6, 7 and 8 ms: the engine, GC and pg-protocol.
    expect(summary.totalMs).toBe(3);
    expect(summary.byArea.map((a) => a.area).sort()).toEqual(['Hookline engine', 'garbage collection', 'pg-protocol']);
  });
});

describe('benchmark scale-out series', () => {
  it('reads --processes as a list of counts and gives each set one ingress and the rest workers', async () => {
    const result = await evaluate<{ counts: number[]; roles: string[][]; errors: string[] }>(`
      import { parseProcessCounts, processRoles } from './bench/processes.mjs';
      const errors = [];
      for (const bad of ['1,x', '0', '1,1', '', '17']) {
        try { parseProcessCounts(bad); errors.push('accepted ' + bad); } catch (err) { errors.push(err.message); }
      }
      console.log(JSON.stringify({ counts: parseProcessCounts(' 1, 2,4 '), roles: [1, 2, 4].map(processRoles), errors }));`);
    expect(result.counts).toEqual([1, 2, 4]);
    expect(result.roles).toEqual([['all'], ['ingress', 'worker,scheduler'], ['ingress', 'worker,scheduler', 'worker', 'worker']]);
    expect(result.errors).toEqual([
      '--processes: "x" is not a whole number from 1 to 16; e.g. --processes 1,2,4',
      '--processes: "0" is not a whole number from 1 to 16; e.g. --processes 1,2,4',
      '--processes: "1,1" names a count twice',
      '--processes needs at least one count, e.g. --processes 1,2,4',
      '--processes: "17" is not a whole number from 1 to 16; e.g. --processes 1,2,4',
    ]);
  });

  it('takes medians per process count of accepted/s, processed/s and backlog, and renders them', async () => {
    const entry = (processes: number, accepted: number, finished: number, extra: Record<string, number> = {}) => ({
      processes,
      seconds: 10,
      accepted,
      finishedInWindow: finished,
      backlogAtEnd: accepted - finished,
      p99: 100 * processes,
      drainSeconds: 1,
      serverCpuSeconds: accepted * 0.002,
      dbCpuSeconds: accepted * 0.001,
      bad: 0,
      lost: 0,
      ...extra,
    });
    const rounds = [entry(1, 3000, 3000), entry(2, 2500, 2400), entry(1, 3200, 3100), entry(2, 2700, 2700, { bad: 2 }), entry(1, 2800, 2800), entry(2, 2600, 2500, { lost: 1 })];
    const out = await evaluate<{ rows: Array<Record<string, unknown>>; section: string }>(`
      import { summarizeProcessRounds, processesSection } from './bench/processes.mjs';
      const rows = summarizeProcessRounds(${JSON.stringify(rounds)});
      const section = processesSection({ rows, opts: { processList: [1, 2], rounds: 3, warmup: 2, duration: 10, connections: 64 }, machine: { date: 'D', commit: 'abc1234', cores: 2, postgres: '15', loadAtStart: '1.00', loadAtEnd: [2, 2, 2] }, plan: { pinned: true, loadCore: 0, serverCore: 1 } });
      console.log(JSON.stringify({ rows, section }));`);
    expect(out.rows.map((r) => r.processes)).toEqual([1, 2]);
    expect(out.rows[0]).toMatchObject({ acceptedPerSecond: 300, processedPerSecond: 300, backlogAtEnd: 0, p99: 100, serverCpuUs: 2000, dbCpuUs: 1000, bad: 0, lost: 0, perRound: [300, 320, 280] });
    expect(out.rows[1]).toMatchObject({ acceptedPerSecond: 260, processedPerSecond: 250, backlogAtEnd: 100, bad: 2, lost: 1 });
    // Backlogs of 100, 0 and 100 messages at 250, 270 and 260 accepted/s: the middle one is 100 / 260.
    expect(out.rows[1].backlogSeconds).toBeCloseTo(100 / 260, 6);
    const lines = out.section.split('\n');
    expect(lines[0]).toBe('## Scale-out: server processes on one PostgreSQL');
    expect(lines).toContain('| 2 | ingress + worker,scheduler | 260 | 250 | 100 / 0.38 | 200.0 | 1.00 | 2,000 | 1,000 | 250, 270, 260 | 2 / 1 |');
  });
});

describe('benchmark workload', () => {
  it('builds signed push bodies of exactly the asked size that GitHub signature verification accepts', async () => {
    const result = await evaluate<Array<{ bytes: number; ref: string; commits: number; valid: boolean }>>(`
      import { verify } from '@octokit/webhooks-methods';
      import { payloadBody, signGithub, sizedPushBody } from './bench/payload.mjs';
      const out = [];
      for (const size of [payloadBody.length, 1024, 100 * 1024, 1024 * 1024]) {
        const body = size === payloadBody.length ? payloadBody : sizedPushBody(size);
        const json = JSON.parse(body);
        out.push({ bytes: Buffer.byteLength(body), ref: json.ref, commits: json.commits.length, valid: await verify('s3cret', body, signGithub(body, 's3cret')) });
      }
      console.log(JSON.stringify(out));`);
    expect(result.map((r) => r.bytes)).toEqual([7678, 1024, 102400, 1048576]);
    expect(result.every((r) => r.ref === 'refs/heads/master' && r.valid)).toBe(true);
    expect(result[0].commits).toBe(1);
    expect(result[3].commits).toBeGreaterThan(500);
  });

  it('reads CPU lists, /proc stat lines and the load generators\' result lines', async () => {
    const result = await evaluate<{ cores: number[]; ticks: number; wrk: Record<string, number> }>(`
      import { parseCpuList, parseStatCpu } from './bench/cpu.mjs';
      import { parseLoadOutput } from './bench/load.mjs';
      const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 11 0 100 0 0';
      const wrk = parseLoadOutput('wrk', 'Running 10s test\\nWRK_RESULT {"requests":6500,"durationUs":10000000,"bytes":1,"connectErrors":0,"readErrors":1,"writeErrors":0,"statusErrors":5,"timeouts":2,"p50Us":9000,"p99Us":25000,"meanUs":9500.0,"maxUs":40000}\\n');
      console.log(JSON.stringify({ cores: parseCpuList('0-2,5\\n'), ticks: parseStatCpu(stat), wrk }));`);
    expect(result.cores).toEqual([0, 1, 2, 5]);
    expect(result.ticks).toBe(1234 + 567);
    expect(result.wrk).toEqual({ requests: 6500, ok2xx: 6495, non2xx: 5, errors: 1, timeouts: 2, seconds: 10, requestsPerSecond: 650, p50: 9, p99: 25 });
  });

  describe.each(['wrk', 'autocannon'])('the %s load generator', (tool) => {
    let server: Server;
    let url: string;
    let dir: string;
    const seen: Array<{ delivery: string; signature: string; event: string; bytes: number }> = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hookline-bench-test-'));
      let next = 0;
      server = createServer((req, res) => {
        let bytes = 0;
        req.on('data', (chunk: Buffer) => (bytes += chunk.length));
        req.on('end', () => {
          seen.push({ delivery: String(req.headers['x-github-delivery']), signature: String(req.headers['x-hub-signature-256']), event: String(req.headers['x-github-event']), bytes });
          // Every tenth answer is a 500, whose id must not be recorded.
          next++;
          res.writeHead(next % 10 === 0 ? 500 : 202, { 'x-hookline-message-id': `00000000-0000-4000-8000-${String(next).padStart(12, '0')}` });
          res.end('{}');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address() as { port: number };
      url = `http://127.0.0.1:${address.port}/webhooks/bench/async`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    });

    it('sends the signed body with a unique delivery id per request and records the ids of 2xx answers', async () => {
      const result = await evaluate<{ requests: number; ok2xx: number; non2xx: number; ids: string[]; tool: string }>(`
        import { writeFileSync } from 'node:fs';
        import { chooseLoadTool, readIds, runLoad } from './bench/load.mjs';
        import { payloadBody, signGithub } from './bench/payload.mjs';
        const bodyFile = ${JSON.stringify(join(dir, 'body.json'))};
        writeFileSync(bodyFile, payloadBody);
        const idsFile = ${JSON.stringify(join(dir, 'ids'))};
        const result = await runLoad({
          tool: chooseLoadTool(${JSON.stringify(tool)}), url: ${JSON.stringify(url)}, bodyFile, connections: 4, duration: 1, deliveryPrefix: 'run7', idsFile,
          headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': signGithub(payloadBody, 'bench') },
        });
        console.log(JSON.stringify({ ...result, ids: readIds(idsFile) }));`);
      expect(result.tool).toBe(tool);
      expect(result.requests).toBeGreaterThan(20);
      // The server may have answered a few requests the generator stopped waiting for.
      expect(seen.length).toBeGreaterThanOrEqual(result.requests);
      const deliveries = new Set(seen.map((s) => s.delivery));
      expect(deliveries.size).toBe(seen.length);
      expect([...deliveries].every((d) => d.startsWith('run7-'))).toBe(true);
      expect(new Set(seen.map((s) => s.signature)).size).toBe(1);
      expect(seen[0].signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(seen.every((s) => s.event === 'push' && s.bytes === 7678)).toBe(true);
      expect(result.non2xx).toBeGreaterThan(0);
      expect(result.ok2xx + result.non2xx).toBe(result.requests);
      expect(result.ids).toHaveLength(result.ok2xx);
      expect(result.ids.every((id) => Number(id.slice(-12)) % 10 !== 0)).toBe(true);
    });
  });
});
