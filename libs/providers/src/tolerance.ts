import type { SchemeInput, SchemeResult } from './scheme';
import { type OptionValue, firstOptionProblem } from './verification';

/** Every timestamped sender's own libraries default to five minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `options.toleranceSeconds`: a positive number (or numeric string) of seconds, 300 when unset. */
export function readToleranceSeconds(options: SchemeInput['options']): OptionValue<number> {
  const raw = options.toleranceSeconds;
  if (raw === undefined || raw === null) return { ok: true, value: DEFAULT_TOLERANCE_SECONDS };
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value <= 0) {
    return { ok: false, reason: 'invalid toleranceSeconds option (expected a positive number of seconds)' };
  }
  return { ok: true, value };
}

/** `checkOptions` of a scheme whose only option is `toleranceSeconds`. */
export function checkToleranceOption(options: SchemeInput['options']): string | undefined {
  return firstOptionProblem(readToleranceSeconds(options));
}

/**
 * Unix seconds as the sender wrote them: digits only. More than 12 digits (beyond year 33000)
 * is not a time and would lose precision as a number.
 */
export function parseUnixSeconds(text: string): number | undefined {
  return /^\d{1,12}$/.test(text) ? Number(text) : undefined;
}

/**
 * Undefined when the timestamp is within `toleranceSeconds` of now in either direction, else the
 * failure. Call it only after the signature matched: a stale timestamp is then the only fault,
 * which `staleOnly` tells the engine (an admin's resubmit may go through). A timestamp too far in the future is not staleness: a resubmit never
 * produces one, so it gets no override.
 */
export function checkTimestamp(timestamp: number, now: Date, toleranceSeconds: number): SchemeResult | undefined {
  const age = Math.floor(now.getTime() / 1000) - timestamp;
  // An invalid clock would make every comparison false, i.e. accept: fail closed instead.
  if (!Number.isFinite(age)) return { ok: false, reason: 'invalid clock: cannot check the timestamp' };
  if (age > toleranceSeconds) return { ok: false, reason: `timestamp outside tolerance (${age} s old, ${toleranceSeconds} s allowed)`, staleOnly: true };
  if (-age > toleranceSeconds) {
    return { ok: false, reason: `timestamp outside tolerance (${-age} s in the future, ${toleranceSeconds} s allowed)` };
  }
  return undefined;
}
