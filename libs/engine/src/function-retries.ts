import type { FunctionRunRecord } from './message';
import { canRetry, retryDelay, type RetryPolicy } from './retry-policy';

/** What comes after an attempt at a message's functions. */
export type FunctionRetryPlan =
  | { outcome: 'retry'; functionIds: string[]; delayMs: number }
  | { outcome: 'processed' | 'no_function' | 'failed' | 'dead'; reason?: string };

interface FunctionHistory {
  name: string;
  latest: FunctionRunRecord;
  failures: number;
}

/**
 * Decides from every attempt's records (oldest first) whether the message is done, or which of
 * its functions run again and after how long. Only a function whose latest run failed and whose
 * policy allows another attempt runs again; one that succeeded never does (its side effects
 * happened). A function absent from `policies` (deleted, disabled) is not retried. A message
 * whose failed functions were retried before and ran out of attempts is `dead`; one whose
 * functions had no retries is `failed`, as before retry policies existed.
 */
export function planFunctionRetry(
  records: readonly FunctionRunRecord[],
  policies: ReadonlyMap<string, RetryPolicy>,
  random: () => number = Math.random,
): FunctionRetryPlan {
  const histories = new Map<string, FunctionHistory>();
  for (const record of records) {
    const history = histories.get(record.functionId) ?? { name: record.functionName, latest: record, failures: 0 };
    history.latest = record;
    if (isFailure(record)) history.failures++;
    histories.set(record.functionId, history);
  }
  const failed = [...histories.entries()].filter(([, history]) => isFailure(history.latest));
  if (failed.length === 0) {
    const ran = [...histories.values()].some((history) => history.latest.status !== 'skipped');
    return { outcome: ran ? 'processed' : 'no_function' };
  }
  const retryable = failed.filter(([id, history]) => {
    const policy = policies.get(id);
    return policy !== undefined && canRetry(policy, history.failures);
  });
  if (retryable.length > 0) {
    // One wait for the message: the longest any of its functions asks for, so none is retried early.
    const delays = retryable.map(([id, history]) => retryDelay(policies.get(id) as RetryPolicy, history.failures - 1, random));
    return { outcome: 'retry', functionIds: retryable.map(([id]) => id), delayMs: Math.max(...delays) };
  }
  const exhausted = failed.filter(([, history]) => history.failures > 1);
  if (exhausted.length === 0) return { outcome: 'failed' };
  const reason = exhausted.map(([, h]) => `${h.name} failed ${h.failures} times: ${h.latest.error?.message ?? h.latest.status}`).join('; ');
  return { outcome: 'dead', reason };
}

/** Each record's attempt number, counting the runs of its function in `earlier`. */
export function numberAttempts(earlier: readonly FunctionRunRecord[], records: readonly FunctionRunRecord[]): FunctionRunRecord[] {
  return records.map((record) => ({ ...record, attempt: earlier.filter((r) => r.functionId === record.functionId).length + 1 }));
}

function isFailure(record: FunctionRunRecord): boolean {
  return record.status === 'failed' || record.status === 'timed_out';
}
