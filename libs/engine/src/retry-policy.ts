/** How often, and how far apart, a failed function or automation run is tried again. */
export interface RetryPolicy {
  /** Further attempts after the first one fails; 0 never retries. */
  attempts: number;
  /** The ceiling of the first retry's wait; it doubles for each retry after. */
  delayMs: number;
  /** No wait is ever longer than this. */
  maxDelayMs: number;
}

/** A stored policy may leave fields out; the defaults fill them in. */
export type StoredRetryPolicy = Partial<RetryPolicy>;

export function resolveRetryPolicy(stored: StoredRetryPolicy | null | undefined, defaults: RetryPolicy): RetryPolicy {
  return {
    attempts: stored?.attempts ?? defaults.attempts,
    delayMs: stored?.delayMs ?? defaults.delayMs,
    maxDelayMs: stored?.maxDelayMs ?? defaults.maxDelayMs,
  };
}

/**
 * The wait before retry number `retryIndex` (0 for the first retry): exponential backoff with
 * jitter, a uniform draw between `delayMs` and min(maxDelayMs, delayMs × 3^(retryIndex+1)), the
 * window of decorrelated jitter. The jitter spreads the retries of many items that failed together
 * (a receiver that was down) instead of sending them back in one wave; the floor keeps a retry
 * from following its failure at once. `random` returns a number in [0, 1).
 */
export function retryDelay(policy: Pick<RetryPolicy, 'delayMs' | 'maxDelayMs'>, retryIndex: number, random: () => number = Math.random): number {
  const max = Math.max(0, policy.maxDelayMs);
  const floor = Math.min(max, Math.max(0, policy.delayMs));
  // 3^index overflows to Infinity for huge indexes; the cap keeps the result finite.
  const ceiling = Math.min(max, floor * 3 ** (Math.max(0, retryIndex) + 1));
  return Math.floor(floor + random() * (ceiling - floor));
}

/** Whether an item that has failed `failures` times may be tried again under the policy. */
export function canRetry(policy: Pick<RetryPolicy, 'attempts'>, failures: number): boolean {
  return failures <= policy.attempts;
}
