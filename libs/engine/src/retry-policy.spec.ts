import { canRetry, resolveRetryPolicy, retryDelay } from './retry-policy';

describe('retryDelay', () => {
  const policy = { delayMs: 1000, maxDelayMs: 30_000 };

  it('waits at least the delay, in a window that triples with each retry', () => {
    expect([0, 1, 2].map((index) => retryDelay(policy, index, () => 0))).toEqual([1000, 1000, 1000]);
    expect([0, 1, 2].map((index) => retryDelay(policy, index, () => 0.5))).toEqual([2000, 5000, 14_000]);
  });

  it('never waits longer than the maximum delay, however many retries came before', () => {
    expect(retryDelay(policy, 10, () => 0.999)).toBe(29_971);
    expect(retryDelay(policy, 5000, () => 0.5)).toBe(15_500);
    expect(retryDelay({ delayMs: 5000, maxDelayMs: 2000 }, 0, () => 0.7)).toBe(2000);
  });

  it('treats a negative index as the first retry and a negative delay as none', () => {
    expect(retryDelay(policy, -3, () => 0.5)).toBe(2000);
    expect(retryDelay({ delayMs: -5, maxDelayMs: 100 }, 1, () => 0.5)).toBe(0);
  });
});

describe('canRetry', () => {
  it('allows as many retries as the policy names, then stops', () => {
    const policy = { attempts: 2 };
    expect([1, 2, 3].map((failures) => canRetry(policy, failures))).toEqual([true, true, false]);
    expect(canRetry({ attempts: 0 }, 1)).toBe(false);
  });
});

describe('resolveRetryPolicy', () => {
  it('fills fields a stored policy leaves out from the defaults', () => {
    expect(resolveRetryPolicy({ attempts: 4 }, { attempts: 0, delayMs: 1000, maxDelayMs: 60_000 })).toEqual({ attempts: 4, delayMs: 1000, maxDelayMs: 60_000 });
    expect(resolveRetryPolicy(null, { attempts: 5, delayMs: 10, maxDelayMs: 20 })).toEqual({ attempts: 5, delayMs: 10, maxDelayMs: 20 });
  });
});
