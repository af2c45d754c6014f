import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Another live process holds the embedded data directory. */
export class DataDirLockedError extends Error {}

/**
 * PGlite has no guard against two processes opening one data directory, and two
 * writers would corrupt it. A lock file holding our pid keeps it to one; a lock
 * left by a process that no longer runs (killed, crashed) is taken over.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'hookline.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      return () => releaseLock(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (holder && holder.host === hostname() && isRunning(holder.pid) && holder.pid !== process.pid) {
        throw new DataDirLockedError(
          `The data directory ${dir} is in use by process ${holder.pid} (since ${holder.since}). ` +
            `Stop that server first, or set HOOKLINE_DATA_DIR to another directory.`,
        );
      }
      if (holder && holder.host !== hostname()) {
        throw new DataDirLockedError(
          `The data directory ${dir} is locked by process ${holder.pid} on host ${holder.host}. ` +
            `If that server is gone, delete ${path}.`,
        );
      }
      unlinkSync(path);
    }
  }
  throw new DataDirLockedError(`Could not lock the data directory ${dir}: another server is starting on it.`);
}

interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number') return undefined;
    return { pid: parsed.pid, host: String(parsed.host ?? ''), since: String(parsed.since ?? 'unknown') };
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(path: string): void {
  try {
    const holder = readHolder(path);
    if (holder?.pid === process.pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}
