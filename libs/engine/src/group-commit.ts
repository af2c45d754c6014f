export interface GroupCommitOptions<T, R> {
  /**
   * Writes one batch, in one transaction, and answers one result per item in the same order.
   * A rejection fails exactly the callers of this batch.
   */
  flush(items: T[]): Promise<R[]>;
  /** Items per batch at most; a full batch goes as soon as a flush slot is free. */
  maxBatch: number;
  /**
   * Bytes per batch at most, as `sizeOf` counts them: a batch that reaches it is full, and an item
   * that would take it past starts the next batch (an item larger than this goes alone). Keeps a
   * few large items from making one huge statement that every caller in it waits for.
   */
  maxBatchBytes?: number;
  /** The bytes an item adds to its batch's statement (for `maxBatchBytes`). */
  sizeOf?: (item: T) => number;
  /** How long a batch that is not full waits for more items, from its first item. */
  maxDelayMs: number;
  /** Flushes running at once. */
  maxInFlight: number;
  /** Items waiting for a flush at most; past that, submit waits for room (see `submit`). */
  maxQueued: number;
}

/** Submitted after close(): the writer takes nothing more. */
export class GroupCommitClosedError extends Error {
  constructor() {
    super('the writer is closed and takes no more items');
    this.name = 'GroupCommitClosedError';
  }
}

interface Entry<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

interface Batch<T, R> {
  entries: Array<Entry<T, R>>;
  /** The entries' sizes added up (see `sizeOf`). */
  bytes: number;
  /** The batch has waited maxDelayMs (or the writer is closing): it goes at the next free slot. */
  due: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Group commit: the items of concurrent callers are written together, one flush per batch, so
 * that many requests share one transaction and one commit. A batch goes when it is full or when
 * its first item has waited `maxDelayMs`; while every flush slot is busy a batch that is not full
 * goes on taking items, so a slow database gets bigger batches rather than more of them.
 *
 * Back-pressure: at most `maxInFlight` flushes run and at most `maxQueued` items wait. A caller
 * beyond that waits, in order, until a batch leaves for the database; it is not refused. The
 * callers are requests whose bodies are already in memory, so waiting costs nothing more than a
 * refusal would, and the sender is answered once its item is stored.
 */
export class GroupCommit<T, R> {
  private readonly batches: Array<Batch<T, R>> = [];
  private readonly blocked: Array<Entry<T, R>> = [];
  private queued = 0;
  private inFlight = 0;
  private closing = false;
  private idle?: () => void;

  constructor(private readonly options: GroupCommitOptions<T, R>) {
    for (const name of ['maxBatch', 'maxInFlight', 'maxQueued'] as const) {
      if (!Number.isInteger(options[name]) || options[name] < 1) throw new RangeError(`${name} must be a whole number of at least 1, got ${options[name]}`);
    }
    if (!(options.maxDelayMs >= 0)) throw new RangeError(`maxDelayMs must be 0 or more, got ${options.maxDelayMs}`);
    if (options.maxBatchBytes !== undefined && !(options.maxBatchBytes >= 1)) throw new RangeError(`maxBatchBytes must be at least 1, got ${options.maxBatchBytes}`);
  }

  /** Resolves with this item's result once its batch is written, or rejects with its batch's error. */
  submit(item: T): Promise<R> {
    if (this.closing) return Promise.reject(new GroupCommitClosedError());
    return new Promise<R>((resolve, reject) => {
      const entry = { item, resolve, reject };
      // Behind earlier waiters too, so that items keep the order they were submitted in.
      if (this.blocked.length > 0 || this.queued >= this.options.maxQueued) this.blocked.push(entry);
      else this.enqueue(entry);
      this.dispatch();
    });
  }

  /** Items waiting for a flush, and callers waiting for room. */
  get backlog(): { queued: number; blocked: number; inFlight: number } {
    return { queued: this.queued, blocked: this.blocked.length, inFlight: this.inFlight };
  }

  /** Takes no more items, writes everything submitted so far, and resolves when the last flush ends. */
  async close(): Promise<void> {
    this.closing = true;
    for (const batch of this.batches) this.makeDue(batch);
    this.dispatch();
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private enqueue(entry: Entry<T, R>): void {
    this.queued++;
    const size = this.options.sizeOf?.(entry.item) ?? 0;
    const batch = this.openBatch(size);
    batch.entries.push(entry);
    batch.bytes += size;
  }

  /** The last batch when it has room for an item of `size` bytes, else a new one. */
  private openBatch(size: number): Batch<T, R> {
    const last = this.batches[this.batches.length - 1];
    const maxBytes = this.options.maxBatchBytes ?? Infinity;
    if (last && !this.isFull(last) && (last.entries.length === 0 || last.bytes + size <= maxBytes)) return last;
    // Only the last batch takes items, so one that an item did not fit in can take no more: it goes.
    if (last) this.makeDue(last);
    const batch: Batch<T, R> = { entries: [], bytes: 0, due: this.closing };
    if (!batch.due) {
      batch.timer = setTimeout(() => {
        batch.timer = undefined;
        batch.due = true;
        this.dispatch();
      }, this.options.maxDelayMs);
    }
    this.batches.push(batch);
    return batch;
  }

  private makeDue(batch: Batch<T, R>): void {
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = undefined;
    batch.due = true;
  }

  private dispatch(): void {
    while (this.inFlight < this.options.maxInFlight) {
      const next = this.batches[0];
      if (!next || !(next.due || this.isFull(next))) break;
      this.batches.shift();
      this.makeDue(next);
      this.inFlight++;
      this.queued -= next.entries.length;
      this.admitBlocked();
      void this.flush(next.entries);
    }
  }

  private isFull(batch: Batch<T, R>): boolean {
    return batch.entries.length >= this.options.maxBatch || batch.bytes >= (this.options.maxBatchBytes ?? Infinity);
  }

  private admitBlocked(): void {
    while (this.queued < this.options.maxQueued && this.blocked.length > 0) this.enqueue(this.blocked.shift()!);
  }

  private async flush(entries: Array<Entry<T, R>>): Promise<void> {
    try {
      const results = await this.options.flush(entries.map((entry) => entry.item));
      if (!Array.isArray(results) || results.length !== entries.length) {
        throw new Error(`flush answered ${Array.isArray(results) ? results.length : 'no'} results for ${entries.length} items`);
      }
      entries.forEach((entry, i) => entry.resolve(results[i] as R));
    } catch (err) {
      for (const entry of entries) entry.reject(err);
    } finally {
      this.inFlight--;
      this.dispatch();
      if (this.idle && this.isIdle()) this.idle();
    }
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.batches.length === 0 && this.blocked.length === 0;
  }
}
