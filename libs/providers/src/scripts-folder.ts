import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The nearest `<relative>` folder (such as `scripts/builtin`) at or above `from`. Walking up
 * finds the repository's scripts from the sources (tests) and from `dist/` alike.
 */
export function findScriptsFolder(from: string, relative: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`Cannot find the ${relative} folder in ${from} or any folder above it`);
}
