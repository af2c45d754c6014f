import type { FunctionRunRecord } from './message';
import { numberAttempts, planFunctionRetry } from './function-retries';

const record = (functionId: string, status: FunctionRunRecord['status'], message?: string): FunctionRunRecord => ({
  functionId,
  functionName: `fn-${functionId}`,
  status,
  startedAt: '2026-12-06T00:00:00.000Z',
  durationMs: 1,
  logs: [],
  ...(message && { error: { kind: 'error', message } }),
});
const policy = (attempts: number) => ({ attempts, delayMs: 100, maxDelayMs: 1000 });

describe('planFunctionRetry', () => {
  it('retries only the failed function whose policy allows it, after the longest wait any of them asks', () => {
    const plan = planFunctionRetry(
      [record('a', 'succeeded'), record('b', 'failed', 'boom'), record('c', 'timed_out'), record('d', 'failed')],
      new Map([
        ['a', policy(3)],
        ['b', policy(3)],
        ['c', { attempts: 1, delayMs: 500, maxDelayMs: 500 }],
        ['d', policy(0)],
      ]),
      () => 0,
    );
    expect(plan).toEqual({ outcome: 'retry', functionIds: ['b', 'c'], delayMs: 500 });
  });

  it('is processed when each function succeeded in its latest attempt', () => {
    const plan = planFunctionRetry([record('a', 'failed'), record('b', 'succeeded'), record('a', 'succeeded')], new Map([['a', policy(1)]]));
    expect(plan).toEqual({ outcome: 'processed' });
  });

  it('is dead, naming each function and its last error, when retries ran out', () => {
    const records = [record('a', 'failed', 'first'), record('a', 'failed', 'second')];
    expect(planFunctionRetry(records, new Map([['a', policy(1)]]))).toEqual({ outcome: 'dead', reason: 'fn-a failed 2 times: second' });
  });

  it('is failed, as without policies, when the failed function had no retries', () => {
    expect(planFunctionRetry([record('a', 'failed')], new Map([['a', policy(0)]]))).toEqual({ outcome: 'failed' });
  });

  it('does not retry a function that is gone from the catalog', () => {
    expect(planFunctionRetry([record('a', 'failed')], new Map())).toEqual({ outcome: 'failed' });
  });

  it('is no_function when every function was skipped by its condition', () => {
    expect(planFunctionRetry([record('a', 'skipped')], new Map())).toEqual({ outcome: 'no_function' });
  });
});

describe('numberAttempts', () => {
  it('numbers each record after the earlier runs of the same function', () => {
    const numbered = numberAttempts([record('a', 'failed'), record('b', 'succeeded'), record('a', 'failed')], [record('a', 'succeeded')]);
    expect(numbered.map((r) => r.attempt)).toEqual([3]);
  });
});
