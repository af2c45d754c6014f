import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, type TestDatabase } from './test-database';

const HOST = join(ROOT, 'test', 'support', 'repository-host.mjs');

/** The repositories repository-host.mjs serves, by the names calls use. */
export type RepositoryName = 'automations' | 'pollState' | 'claims' | 'scmPollSetting';

const revive = (_key: string, value: any) => (value && typeof value === 'object' && typeof value.$date === 'string' ? new Date(value.$date) : value);
function replace(this: any, key: string, value: unknown) {
  const original = this[key];
  return original instanceof Date ? { $date: original.toISOString() } : value;
}

/**
 * Hookline's compiled repositories in a process of their own on a test database: what a server
 * would run, called directly. Two of them on one PostgreSQL database act as two servers.
 */
export class RepositoryProcess {
  private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private next = 0;
  private output = '';

  private constructor(private readonly child: ChildProcess) {}

  static async open(database: TestDatabase): Promise<RepositoryProcess> {
    const config =
      database.kind === 'postgres' ? { kind: 'postgres', url: database.env.DATABASE_URL } : { kind: 'pglite', dataDir: join(database.env.HOOKLINE_DATA_DIR, 'pglite') };
    const child = spawn(process.execPath, [HOST], { cwd: ROOT, env: { ...process.env, HOOKLINE_TEST_DB_CONFIG: JSON.stringify(config) }, stdio: ['pipe', 'pipe', 'pipe'] });
    const host = new RepositoryProcess(child);
    child.stderr!.on('data', (chunk: Buffer) => (host.output += chunk.toString()));
    child.on('exit', (code) => {
      for (const call of host.pending.values()) call.reject(new Error(`repository-host exited with ${code}:\n${host.output}`));
      host.pending.clear();
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`repository-host exited with ${code}:\n${host.output}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = JSON.parse(line, revive);
        if (message.ready) return resolve();
        const call = host.pending.get(message.id);
        host.pending.delete(message.id);
        if (message.error !== undefined) call?.reject(new Error(message.error));
        else call?.resolve(message.result);
      });
    });
    return host;
  }

  /** Calls a repository method in the other process; resolves with its answer, rejects with its error. */
  call<T = any>(repo: RepositoryName, method: string, ...args: unknown[]): Promise<T> {
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, repo, method, args }, replace)}\n`);
    });
  }

  /** Closes the database and ends the process. */
  async close(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.stdin!.end();
    });
  }
}
