// Cores for the benchmark: which core the load generator and which the server under test get
// (taskset), and the CPU time a process has used (/proc/<pid>/stat), so the bench can report
// CPU per request for the server and for its PostgreSQL backends.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** "0-2,5" -> [0, 1, 2, 5] */
export function parseCpuList(text) {
  const cores = [];
  for (const part of text.trim().split(',')) {
    if (!part) continue;
    const [from, to] = part.split('-').map(Number);
    for (let core = from; core <= (to ?? from); core++) cores.push(core);
  }
  return cores;
}

function hasTaskset() {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The core plan: with taskset and at least two usable cores, the load generator (and this script)
 * on the first and the server under test on the second. Otherwise no pinning, and `reason` says why.
 */
export function planCores() {
  if (!hasTaskset()) return { pinned: false, reason: 'taskset is not installed (Debian package util-linux)', cores: [] };
  let cores;
  try {
    const out = execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
    cores = parseCpuList(out.slice(out.lastIndexOf(':') + 1));
  } catch (err) {
    return { pinned: false, reason: `taskset -pc failed: ${err.message}`, cores: [] };
  }
  if (cores.length < 2) return { pinned: false, reason: `only ${cores.length} core is available to this process (${cores.join(',')})`, cores };
  return { pinned: true, loadCore: cores[0], serverCore: cores[1], cores, reason: null };
}

/** The command prefix that starts a program on one core, or nothing when not pinning. */
export function pinPrefix(plan, role) {
  if (!plan.pinned) return [];
  return ['taskset', '-c', String(role === 'load' ? plan.loadCore : plan.serverCore)];
}

/** Moves a running process, all its threads, to a core. Returns an error text, or null. */
export function pinProcess(pid, core) {
  const result = spawnSync('taskset', ['-a', '-cp', String(core), String(pid)], { encoding: 'utf8' });
  return result.status === 0 ? null : (result.stderr || result.stdout || `exit ${result.status}`).trim();
}

let ticksPerSecond = null;

/** Clock ticks per second for /proc/<pid>/stat times (CLK_TCK, 100 on Linux almost always). */
export function clockTicks() {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of a process, in seconds, or null when it is gone. */
export function cpuSeconds(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return parseStatCpu(stat) / clockTicks();
}

/** utime + stime in ticks from a /proc/<pid>/stat line (the command name may hold spaces and parentheses). */
export function parseStatCpu(stat) {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, utime field 14 and stime field 15 of the whole line.
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * A CPU meter over a set of processes whose members can change (PostgreSQL backends come and go
 * with the pool): `start()` reads every pid, `stop()` reads them again and sums the differences;
 * a pid seen only at the stop counts from zero, since it was started inside the window.
 */
export function cpuMeter(listPids) {
  let before = new Map();
  return {
    async start() {
      before = new Map();
      for (const pid of await listPids()) before.set(pid, cpuSeconds(pid) ?? 0);
    },
    async stop() {
      let total = 0;
      const pids = new Set([...before.keys(), ...(await listPids())]);
      for (const pid of pids) {
        const now = cpuSeconds(pid);
        if (now === null) continue;
        total += now - (before.get(pid) ?? 0);
      }
      return { seconds: total, processes: pids.size };
    },
  };
}

/**
 * Resolves once the processes have used less than `share` of one core over two windows in a row
 * (false at the timeout): requests a load run left behind, and their queue work, are over.
 */
export async function waitForQuiet(listPids, { windowMs = 300, share = 0.05, timeoutMs = 120_000 } = {}) {
  const meter = cpuMeter(listPids);
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    await meter.start();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const { seconds } = await meter.stop();
    quiet = seconds < (share * windowMs) / 1000 ? quiet + 1 : 0;
    if (quiet >= 2) return true;
  }
  return false;
}
