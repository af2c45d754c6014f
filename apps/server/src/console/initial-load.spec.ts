import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// `npm test` builds the console first; this reads what the server will send.
const BUILT = join(__dirname, '..', '..', '..', '..', 'dist', 'console', 'browser');
const BUDGET_BYTES = 400 * 1024;

/** Files index.html loads itself, and every module they import statically; dynamic import() chunks load later. */
function initialScripts(dir: string): string[] {
  const index = readFileSync(join(dir, 'index.html'), 'utf8');
  const pending = [...index.matchAll(/<script[^>]*\bsrc="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!.replace(/^\.?\//, '');
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(join(dir, file), 'utf8');
    // esbuild's output: `import{a as b}from"./chunk-X.js"` and `import"./chunk-Y.js"`, never `import(`.
    for (const m of source.matchAll(/\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.\/[^"']+\.js)["']/g)) pending.push(m[1]);
  }
  return [...seen];
}

describe('the console build', () => {
  it('loads at most 400 KB of compressed JavaScript before the first page shows', () => {
    const files = initialScripts(BUILT);
    expect(files.some((file) => /^main-[A-Z0-9]{8}\.js$/.test(file))).toBe(true);
    const sizes = files.map((file) => ({ file, gzip: gzipSync(readFileSync(join(BUILT, file)), { level: 9 }).length }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    expect({ total, withinBudget: total <= BUDGET_BYTES }).toEqual({ total, withinBudget: true });
  });

  it('leaves lazily loaded pages out of the initial load', () => {
    const initial = new Set(initialScripts(BUILT));
    const main = [...initial].find((file) => file.startsWith('main-'))!;
    const lazy = [...readFileSync(join(BUILT, main), 'utf8').matchAll(/import\(["']\.\/(chunk-[A-Z0-9]{8}\.js)["']\)/g)].map((m) => m[1]);
    expect(lazy.length).toBeGreaterThan(0);
    expect(lazy.filter((file) => initial.has(file))).toEqual([]);
  });
});
