// Where the server's time goes: a V8 .cpuprofile (node --cpu-prof) summed by self time, per
// function and per area (Hookline's server and engine, each package under node_modules, Node's
// internals, garbage collection). Pure, apart from reading the file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The area a frame's script belongs to. */
export function areaOf(url, functionName) {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8 and native code';
  if (!url) return 'native';
  // The only WebAssembly in the server is PGlite's PostgreSQL (the sandbox has none).
  if (url.startsWith('wasm://')) return 'PGlite WebAssembly';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'Node.js';
  const own = /\/dist\/(apps\/server|libs\/[^/]+)\//.exec(url);
  if (own) return own[1] === 'apps/server' ? 'Hookline server' : `Hookline ${own[1].replace('libs/', '')}`;
  return 'other';
}

/**
 * {totalMs, byFunction: [{name, where, area, selfMs, share}], byArea: [{area, selfMs, share}]},
 * idle time left out of the total and the shares. `windows` ([{fromMs, toMs}] after the profile
 * started) keeps only the samples inside them, so start-up does not count.
 */
export function summarizeProfile(profile, top = 15, windows = null) {
  const selfUs = new Map();
  const deltas = profile.timeDeltas ?? [];
  // Each sample's time is the delta to the next sample; the last gets the mean.
  const mean = deltas.length ? deltas.reduce((a, b) => a + b, 0) / deltas.length : 0;
  const samples = profile.samples ?? [];
  let at = 0;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    if (windows && !windows.some((w) => at >= w.fromMs * 1000 && at < w.toMs * 1000)) continue;
    const us = i + 1 < deltas.length ? deltas[i + 1] : mean;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, us));
  }
  const byFunction = new Map();
  const byArea = new Map();
  let totalUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    if (area === 'idle') continue;
    totalUs += us;
    const where = url ? `${url.replace(/^.*?\/(node_modules|dist)\//, '$1/').replace(/^file:\/\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName}\u0000${where}`;
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', where, area, selfUs: 0 };
    entry.selfUs += us;
    byFunction.set(key, entry);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const share = (us) => (totalUs ? us / totalUs : 0);
  return {
    totalMs: totalUs / 1000,
    byFunction: [...byFunction.values()]
      .sort((a, b) => b.selfUs - a.selfUs)
      .slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, area: e.area, selfMs: e.selfUs / 1000, share: share(e.selfUs) })),
    byArea: [...byArea.entries()].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, selfMs: us / 1000, share: share(us) })),
  };
}

/** The summary of the one profile a server wrote into `dir`, or null when there is none. */
export function readProfile(dir, top, windows = null) {
  let files;
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return null;
  }
  if (files.length === 0) return null;
  return { file: join(dir, files[0]), ...summarizeProfile(JSON.parse(readFileSync(join(dir, files[0]), 'utf8')), top, windows) };
}
