import { errorMessage } from './error-message';

export interface Poolable {
  readonly isUsable: boolean;
  /** True while its holder only waits on the host (an awaited fetch or trigger), running nothing. */
  readonly isParked?: boolean;
  dispose(): void;
}

interface Waiter<T> {
  resolve(item: T): void;
  reject(error: Error): void;
}

export class PoolClosedError extends Error {
  constructor() {
    super('the script sandbox has been disposed');
    this.name = 'PoolClosedError';
  }
}

/**
 * Hands out up to `size` items, each to one holder at a time; later callers queue in order.
 * Items are created on first need and reused. An item that is no longer usable (an isolate
 * disposed on a deadline or by its memory limit) is dropped on return and a fresh one is
 * created when next needed.
 *
 * A holder that only waits on the host (parked) does not count against `size`: the pool may
 * then create more items, up to `maxSize` in all, so runs awaiting slow I/O do not hold up runs
 * with work to do. Items beyond `size` that are not parked are disposed as they come back.
 */
export class IsolatePool<T extends Poolable> {
  private readonly idle: T[] = [];
  private readonly all = new Set<T>();
  private readonly waiters: Waiter<T>[] = [];
  private isClosed = false;

  constructor(
    private readonly size: number,
    private readonly create: () => T,
    private readonly maxSize: number = size,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer, got ${size}`);
    if (!Number.isInteger(maxSize) || maxSize < size) throw new RangeError(`maximum pool size must be a whole number of at least ${size}, got ${maxSize}`);
  }

  acquire(): Promise<T> {
    if (this.isClosed) return Promise.reject(new PoolClosedError());
    for (let item = this.idle.pop(); item !== undefined; item = this.idle.pop()) {
      if (item.isUsable) return Promise.resolve(item);
      this.forget(item);
    }
    if (this.canGrow()) {
      try {
        return Promise.resolve(this.add());
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(errorMessage(error)));
      }
    }
    return new Promise<T>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Items held by callers now (parked ones included), and all items, idle ones included. */
  usage(): { inUse: number; total: number } {
    return { inUse: this.all.size - this.idle.length, total: this.all.size };
  }

  /** A holder has just parked: callers waiting for an item may now get a new one. */
  notifyParked(): void {
    while (!this.isClosed && this.waiters.length > 0 && this.canGrow()) this.serveWaiter();
  }

  /** Gives the item back; an unusable one is replaced for the next waiter. */
  release(item: T): void {
    if (this.isClosed || !item.isUsable) {
      this.discard(item);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter.resolve(item);
    else if (this.unparkedCount() > this.size) this.forget(item);
    else this.idle.push(item);
  }

  /** Disposes the item and frees its place in the pool. */
  discard(item: T): void {
    this.forget(item);
    if (!this.isClosed && this.waiters.length > 0 && this.canGrow()) this.serveWaiter();
  }

  /** Disposes every item, including those in use, and fails everyone still waiting. */
  close(): void {
    this.isClosed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new PoolClosedError());
    for (const item of [...this.all]) this.forget(item);
    this.idle.length = 0;
  }

  private canGrow(): boolean {
    return this.all.size < this.size || (this.all.size < this.maxSize && this.unparkedCount() < this.size);
  }

  /** Items idle or held by a run with work to do: the ones `size` limits. */
  private unparkedCount(): number {
    let count = 0;
    for (const item of this.all) if (item.isParked !== true) count++;
    return count;
  }

  private serveWaiter(): void {
    const waiter = this.waiters.shift();
    if (waiter === undefined) return;
    try {
      waiter.resolve(this.add());
    } catch (error) {
      waiter.reject(error instanceof Error ? error : new Error(errorMessage(error)));
    }
  }

  private add(): T {
    const item = this.create();
    this.all.add(item);
    return item;
  }

  private forget(item: T): void {
    this.all.delete(item);
    item.dispose();
  }
}
