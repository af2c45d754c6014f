// One load run in a process of its own: wrk (with bench/wrk-signed.lua) when it is installed, else
// autocannon (bench/autocannon-load.mjs). Both send one signed body with a unique
// X-GitHub-Delivery per request and are started with the plan's taskset prefix.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** 'wrk' when `wrk` runs here, else 'autocannon'; `prefer` forces one. */
export function chooseLoadTool(prefer = 'auto') {
  const wrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  // wrk --version prints its banner and exits 1.
  const version = `${wrk.stdout ?? ''}${wrk.stderr ?? ''}`.match(/wrk\s+(\S+)/)?.[1] ?? null;
  if (prefer === 'wrk' && !version) throw new Error('--load-tool wrk: wrk is not installed (Debian: apt-get install -y wrk)');
  if (prefer === 'autocannon' || !version) return { name: 'autocannon', version: autocannonVersion() };
  return { name: 'wrk', version };
}

function autocannonVersion() {
  const result = spawnSync(process.execPath, ['-p', 'require("autocannon/package.json").version'], { encoding: 'utf8', cwd: HERE });
  return result.stdout.trim() || 'unknown';
}

/**
 * Runs the load and resolves with {requests, ok2xx, non2xx, errors, timeouts, seconds, requestsPerSecond,
 * p50, p99 (ms), startedAt, endedAt}. `headers` is an object; the delivery id header is added per request.
 * With `idsFile`, the message ids of the 2xx answers go to files starting with that path (see readIds).
 */
export function runLoad({ tool, prefix = [], url, bodyFile, headers, connections, duration, deliveryPrefix, idsFile = null }) {
  let command;
  let args;
  if (tool.name === 'wrk') {
    const headerArgs = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
    const ids = idsFile ? [`ids=${idsFile}`] : [];
    args = ['-t1', `-c${connections}`, `-d${duration}s`, '--timeout', '30s', '-s', join(HERE, 'wrk-signed.lua'), url, '--', bodyFile, deliveryPrefix, ...ids, ...headerArgs];
    command = 'wrk';
  } else {
    args = ['--no-node-snapshot', join(HERE, 'autocannon-load.mjs'), JSON.stringify({ url, bodyFile, headers, connections, duration, deliveryPrefix, idsFile })];
    command = process.execPath;
  }
  const argv = [...prefix, command, ...args];
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const endedAt = Date.now();
      try {
        resolve({ ...parseLoadOutput(tool.name, stdout), startedAt, endedAt, tool: tool.name });
      } catch (err) {
        reject(new Error(`${argv.join(' ').slice(0, 300)} exited with ${code}: ${err.message}\n${stderr.slice(-2000)}`));
      }
    });
  });
}

/** The result line of wrk-signed.lua or autocannon-load.mjs, as one shape. */
export function parseLoadOutput(toolName, stdout) {
  const marker = toolName === 'wrk' ? 'WRK_RESULT ' : 'AUTOCANNON_RESULT ';
  const line = stdout.split('\n').find((l) => l.startsWith(marker));
  if (!line) throw new Error(`no ${marker.trim()} line in its output:\n${stdout.slice(-2000)}`);
  const raw = JSON.parse(line.slice(marker.length));
  if (toolName === 'wrk') {
    const seconds = raw.durationUs / 1e6;
    const errors = raw.connectErrors + raw.readErrors + raw.writeErrors;
    return {
      requests: raw.requests,
      // wrk counts answers with a status of 400 or more; none of the targets answers 3xx.
      ok2xx: raw.requests - raw.statusErrors,
      non2xx: raw.statusErrors,
      errors,
      timeouts: raw.timeouts,
      seconds,
      requestsPerSecond: raw.requests / seconds,
      p50: raw.p50Us / 1000,
      p99: raw.p99Us / 1000,
    };
  }
  return {
    requests: raw.requests,
    ok2xx: raw.ok2xx,
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    seconds: raw.seconds,
    requestsPerSecond: raw.requests / raw.seconds,
    p50: raw.p50Ms,
    p99: raw.p99Ms,
    statusCodes: raw.statusCodes,
  };
}

/** The message ids a run with `idsFile` recorded: wrk writes one file per thread (<path>-<n>), autocannon one. */
export function readIds(idsFile) {
  const dir = dirname(idsFile);
  const name = basename(idsFile);
  const ids = [];
  for (const file of readdirSync(dir)) {
    if (file === name || file.startsWith(`${name}-`)) ids.push(...readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean));
  }
  return ids;
}
