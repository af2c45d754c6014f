import { GroupCommit, GroupCommitClosedError, type GroupCommitOptions } from './group-commit';

/** A flush the test answers by hand: every call is recorded with the means to end it. */
function controlledFlush() {
  const calls: Array<{ items: number[]; resolve(results: string[]): void; reject(error: Error): void }> = [];
  const flush = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ items, resolve, reject });
    });
  /** Answers call `index` with one result per item. */
  const succeed = (index: number) => calls[index].resolve(calls[index].items.map((item) => `stored ${item}`));
  return { calls, flush, succeed };
}

function writer(flush: GroupCommitOptions<number, string>['flush'], options: Partial<GroupCommitOptions<number, string>> = {}) {
  return new GroupCommit<number, string>({ flush, maxBatch: 3, maxDelayMs: 10, maxInFlight: 1, maxQueued: 100, ...options });
}

/** Lets every settled promise run its callbacks. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** How a promise ended, for asserting on promises that must stay pending too. */
function outcome<T>(promise: Promise<T>) {
  const state: { value?: T; error?: unknown; done: boolean } = { done: false };
  promise.then(
    (value) => Object.assign(state, { value, done: true }),
    (error: unknown) => Object.assign(state, { error, done: true }),
  );
  return state;
}

describe('GroupCommit', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('flushes a full batch at once, without waiting for the timer', async () => {
    const { calls, flush, succeed } = controlledFlush();
    const commit = writer(flush, { maxBatch: 3, maxDelayMs: 1000 });
    const results = [1, 2, 3].map((item) => commit.submit(item));
    const fourth = outcome(commit.submit(4));
    expect(calls.map((call) => call.items)).toEqual([[1, 2, 3]]);
    succeed(0);
    expect(await Promise.all(results)).toEqual(['stored 1', 'stored 2', 'stored 3']);
    await settle();
    // The fourth item began a new batch that is neither full nor due.
    expect(calls).toHaveLength(1);
    expect(fourth.done).toBe(false);
  });

  it('ends a batch at maxBatchBytes: an item that would pass it starts the next, and one larger than it goes alone', async () => {
    const { calls, flush, succeed } = controlledFlush();
    // Each item weighs its own value in bytes.
    const commit = writer(flush, { maxBatch: 10, maxDelayMs: 1000, maxInFlight: 3, maxBatchBytes: 100, sizeOf: (item) => item });
    const results = [30, 50, 40, 250, 20, 80].map((item) => commit.submit(item));
    // 30 + 50 leaves no room for 40; 40 alone has none for 250; 250 is over the limit, so full at once.
    expect(calls.map((call) => call.items)).toEqual([[30, 50], [40], [250]]);
    succeed(0);
    succeed(1);
    succeed(2);
    await settle();
    // 20 + 80 reached the limit: full, it went without waiting for the timer.
    expect(calls.map((call) => call.items)).toEqual([[30, 50], [40], [250], [20, 80]]);
    succeed(3);
    expect(await Promise.all(results)).toEqual(['stored 30', 'stored 50', 'stored 40', 'stored 250', 'stored 20', 'stored 80']);
  });

  it('flushes a batch that is not full once its first item has waited maxDelayMs', async () => {
    const { calls, flush, succeed } = controlledFlush();
    const commit = writer(flush, { maxBatch: 10, maxDelayMs: 10 });
    const first = commit.submit(1);
    jest.advanceTimersByTime(6);
    const second = commit.submit(2);
    jest.advanceTimersByTime(3);
    expect(calls).toHaveLength(0);
    // 10 ms after the first item, not after the second.
    jest.advanceTimersByTime(1);
    expect(calls.map((call) => call.items)).toEqual([[1, 2]]);
    succeed(0);
    expect(await Promise.all([first, second])).toEqual(['stored 1', 'stored 2']);
  });

  it('answers each caller with its own result, in submit order, whichever batch commits first', async () => {
    const { calls, flush, succeed } = controlledFlush();
    const commit = writer(flush, { maxBatch: 2, maxInFlight: 2 });
    const results = [1, 2, 3, 4, 5].map((item) => commit.submit(item));
    jest.advanceTimersByTime(10);
    expect(calls.map((call) => call.items)).toEqual([[1, 2], [3, 4]]);
    succeed(1);
    succeed(0);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([[1, 2], [3, 4], [5]]);
    succeed(2);
    expect(await Promise.all(results)).toEqual(['stored 1', 'stored 2', 'stored 3', 'stored 4', 'stored 5']);
  });

  it('fails exactly the callers of a failed batch with its error, and later batches go on', async () => {
    const { calls, flush, succeed } = controlledFlush();
    const commit = writer(flush, { maxBatch: 2 });
    const results = [1, 2, 3, 4].map((item) => outcome(commit.submit(item)));
    const refused = new Error('value too long for type character varying(2000)');
    calls[0].reject(refused);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([[1, 2], [3, 4]]);
    succeed(1);
    await settle();
    expect(results.map((result) => result.error ?? result.value)).toEqual([refused, refused, 'stored 3', 'stored 4']);
  });

  it('fails a batch whose flush answers a different number of results than items', async () => {
    const commit = writer(async (items) => items.slice(1).map(String), { maxBatch: 2 });
    const results = await Promise.allSettled([commit.submit(1), commit.submit(2)]);
    expect(results.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : result.value))).toEqual([
      'flush answered 1 results for 2 items',
      'flush answered 1 results for 2 items',
    ]);
  });

  it('fails only that batch when flush throws before returning a promise', async () => {
    let calls = 0;
    const commit = writer((items) => {
      calls++;
      if (calls === 1) throw new Error('no connection');
      return Promise.resolve(items.map((item) => `stored ${item}`));
    }, { maxBatch: 1 });
    const results = await Promise.allSettled([commit.submit(1), commit.submit(2)]);
    expect(results).toEqual([
      { status: 'rejected', reason: new Error('no connection') },
      { status: 'fulfilled', value: 'stored 2' },
    ]);
  });

  it('runs at most maxInFlight flushes and holds callers past maxQueued until a batch leaves', async () => {
    const { calls, flush, succeed } = controlledFlush();
    const commit = writer(flush, { maxBatch: 2, maxInFlight: 1, maxQueued: 4 });
    const results = [1, 2, 3, 4, 5, 6, 7, 8].map((item) => outcome(commit.submit(item)));
    // 1 and 2 are being written; 3 to 6 fill the queue; 7 and 8 wait for room.
    expect(calls.map((call) => call.items)).toEqual([[1, 2]]);
    expect(commit.backlog).toEqual({ queued: 4, blocked: 2, inFlight: 1 });
    jest.advanceTimersByTime(1000);
    expect(calls).toHaveLength(1);
    succeed(0);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([[1, 2], [3, 4]]);
    expect(commit.backlog).toEqual({ queued: 4, blocked: 0, inFlight: 1 });
    for (const index of [1, 2, 3]) {
      succeed(index);
      await settle();
    }
    expect(calls.map((call) => call.items)).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);
    expect(results.map((result) => result.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((item) => `stored ${item}`));
  });

  it('lets a due batch keep taking items while the database is busy, so a slow flush gets bigger batches', async () => {
    const { calls, flush, succeed } = controlledFlush();
    const commit = writer(flush, { maxBatch: 10, maxDelayMs: 1 });
    const results = [commit.submit(1)];
    jest.advanceTimersByTime(1);
    expect(calls.map((call) => call.items)).toEqual([[1]]);
    results.push(commit.submit(2));
    jest.advanceTimersByTime(1);
    results.push(commit.submit(3), commit.submit(4));
    expect(calls).toHaveLength(1);
    succeed(0);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([[1], [2, 3, 4]]);
    succeed(1);
    expect(await Promise.all(results)).toEqual(['stored 1', 'stored 2', 'stored 3', 'stored 4']);
  });

  it('writes what is pending on close without waiting for the timer, then refuses new items', async () => {
    const { calls, flush, succeed } = controlledFlush();
    const commit = writer(flush, { maxBatch: 2, maxDelayMs: 60_000, maxQueued: 2 });
    const results = [1, 2, 3, 4, 5].map((item) => outcome(commit.submit(item)));
    const closed = outcome(commit.close());
    await settle();
    expect(calls.map((call) => call.items)).toEqual([[1, 2]]);
    await expect(commit.submit(6)).rejects.toThrow(GroupCommitClosedError);
    for (const index of [0, 1, 2]) {
      expect(closed.done).toBe(false);
      succeed(index);
      await settle();
    }
    expect(calls.map((call) => call.items)).toEqual([[1, 2], [3, 4], [5]]);
    expect(closed).toEqual({ done: true, value: undefined });
    expect(results.map((result) => result.value)).toEqual(['stored 1', 'stored 2', 'stored 3', 'stored 4', 'stored 5']);
  });

  it('closes at once when nothing is pending', async () => {
    const commit = writer(() => Promise.reject(new Error('never called')));
    await expect(commit.close()).resolves.toBeUndefined();
    await expect(commit.submit(1)).rejects.toThrow('the writer is closed and takes no more items');
  });

  it('refuses settings that could never flush', () => {
    const flush = () => Promise.resolve([]);
    expect(() => writer(flush, { maxBatch: 0 })).toThrow('maxBatch must be a whole number of at least 1, got 0');
    expect(() => writer(flush, { maxInFlight: 1.5 })).toThrow('maxInFlight must be a whole number of at least 1, got 1.5');
    expect(() => writer(flush, { maxDelayMs: -1 })).toThrow('maxDelayMs must be 0 or more, got -1');
  });
});
