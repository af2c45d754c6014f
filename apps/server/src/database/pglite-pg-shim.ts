import { EventEmitter } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';

/**
 * A `pg`-shaped module over one embedded PGlite session, handed to TypeORM as its
 * `driver`. PGlite has a single session, so every "connection" is that session and
 * callers take turns through a FIFO mutex: the semantics of a pg pool of size 1.
 * A transaction therefore owns the database until it commits or rolls back; code
 * must never query outside its EntityManager while holding one.
 */
export function createPgliteDriver(db: PGlite): unknown {
  const mutex = new FifoMutex();

  class PgliteClient extends EventEmitter {
    query(
      sql: string,
      paramsOrCallback?: unknown[] | ((err: Error | null, result?: unknown) => void),
      callback?: (err: Error | null, result?: unknown) => void,
    ): Promise<unknown> | void {
      const params = Array.isArray(paramsOrCallback) ? paramsOrCallback : undefined;
      const cb = typeof paramsOrCallback === 'function' ? paramsOrCallback : callback;
      const done = runQuery(db, sql, params);
      if (!cb) return done;
      done.then((result) => cb(null, result), (err: Error) => cb(err));
    }
  }

  class Pool extends EventEmitter {
    private closed = false;

    connect(callback?: (err: Error | null, client?: PgliteClient, release?: (err?: unknown) => void) => void): Promise<PgliteClient> | void {
      const acquired = this.closed
        ? Promise.reject(new Error('The embedded database is closed'))
        : mutex.acquire().then((unlock) => {
            const client = new PgliteClient();
            let released = false;
            const release = () => {
              if (released) return;
              released = true;
              unlock();
            };
            return { client, release };
          });
      if (!callback) return acquired.then(({ client }) => client);
      acquired.then(({ client, release }) => callback(null, client, release), (err: Error) => callback(err));
    }

    end(callback?: (err?: Error) => void): Promise<void> | void {
      this.closed = true;
      if (!callback) return Promise.resolve();
      callback();
    }
  }

  return { Pool, Client: PgliteClient, defaults: {} };
}

async function runQuery(db: PGlite, sql: string, params?: unknown[]): Promise<unknown> {
  if (params && params.length > 0) return db.query(sql, params.map(toPgliteParam));
  try {
    return await db.query(sql);
  } catch (err) {
    // Migrations and schema tools may send several statements at once; the
    // extended protocol refuses that, the simple protocol does not.
    if (!/multiple commands/i.test(String((err as Error).message))) throw err;
    const results = await db.exec(sql);
    return results[results.length - 1] ?? { rows: [], rowCount: 0, command: 'EXEC' };
  }
}

function toPgliteParam(value: unknown): unknown {
  // pg serialises plain objects as JSON; PGlite would otherwise reject them for json columns.
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !ArrayBuffer.isView(value) && !Array.isArray(value)) {
    return JSON.stringify(value);
  }
  return value;
}

class FifoMutex {
  private locked = false;
  private readonly waiters: Array<() => void> = [];

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.locked = true;
        resolve(() => this.release());
      };
      if (this.locked) this.waiters.push(grant);
      else grant();
    });
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}
