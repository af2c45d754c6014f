// Helpers for the bench scripts: child servers, HTTP calls, log scanning, option parsing.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, existsSync } from 'node:fs';
import { once } from 'node:events';

/** Child processes still running; killed on exit whatever happens. */
export const children = new Set();

/**
 * Starts `node <args>` and resolves once it prints "Listening on http://host:port".
 * stdout and stderr go to files (stdoutFile / stderrFile) for later inspection. `prefix` runs it
 * through another command that then execs node, such as `taskset -c 1`: the pid stays node's.
 */
export async function startChild({ name, args, env, cwd, stdoutFile, stderrFile, prefix = [], startTimeoutMs = 90_000 }) {
  const argv = [...prefix, process.execPath, ...args];
  const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const out = createWriteStream(stdoutFile);
  const err = createWriteStream(stderrFile);
  child.stdout.pipe(out);
  child.stderr.pipe(err);

  const url = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not print "Listening on" within ${startTimeoutMs / 1000} s`)), startTimeoutMs);
    const onData = (chunk) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      const match = /Listening on (http:\/\/[^\s]+)/.exec(seen);
      if (match) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onExit = (code, signal) => fail(new Error(`${name} exited during start-up (code ${code}, signal ${signal}); see ${stderrFile}:\n${tail(stderrFile)}`));
    const fail = (error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  }).catch(async (error) => {
    await stopChild(child);
    throw error;
  });
  return { child, url, name, stdoutFile, stderrFile };
}

/** SIGTERM, then SIGKILL if it has not exited within graceMs. Resolves once it is gone. */
export async function stopChild(child, graceMs = 15_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Last lines of a file, for error messages. */
export function tail(file, lines = 20) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** JSON over fetch; throws with the status and body on anything but 2xx. */
export async function api(baseUrl, method, path, { token, body, headers = {} } = {}) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return { status: response.status, json, text };
}

/** The p-th percentile (nearest rank) of an ascending array; NaN when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/**
 * Lines worth mentioning in a server log: anything on stderr, and Nest's ERROR/WARN
 * lines on stdout. Returns counts per distinct message (timestamps and pids stripped).
 */
export function notableLogLines(stdoutFile, stderrFile) {
  const counts = new Map();
  const add = (line) => {
    const clean = line
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/^\[Nest\]\s+\d+\s+-\s+.*?\s{2,}/, '')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
      .trim();
    if (!clean) return;
    counts.set(clean, (counts.get(clean) ?? 0) + 1);
  };
  if (existsSync(stderrFile)) for (const line of readFileSync(stderrFile, 'utf8').split('\n')) add(line);
  if (existsSync(stdoutFile)) {
    for (const line of readFileSync(stdoutFile, 'utf8').split('\n')) {
      if (/\b(ERROR|WARN)\b/.test(line.replace(/\u001b\[[0-9;]*m/g, ''))) add(line);
    }
  }
  return [...counts.entries()].map(([line, count]) => ({ line, count })).sort((a, b) => b.count - a.count);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads `--name value`, `--name=value` and bare flags into `opts`, in place. `names` maps each
 * option to its key in `opts`; a key whose default is a number is read as a number. `help` is
 * printed for --help or -h, and the process ends.
 */
export function readOptions(argv, opts, { names, flags = {}, help }) {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(help);
      process.exit(0);
    }
    if (arg.startsWith('--') && arg.slice(2) in flags) {
      opts[flags[arg.slice(2)]] = true;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !(match[1] in names)) throw new Error(`Unknown option ${arg}; see --help`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`${arg} needs a value`);
    const key = names[match[1]];
    opts[key] = typeof opts[key] === 'number' ? Number(value) : value;
  }
  return opts;
}
