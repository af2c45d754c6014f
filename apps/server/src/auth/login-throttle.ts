const MINUTE = 60_000;
// Failures older than this are forgotten: an attempt now and then never builds up a delay.
const FORGET_AFTER_MS = 15 * MINUTE;

// The first wait; each further failure doubles it.
const FIRST_WAIT_SECONDS = 5;

interface Limit {
  /** Failures that cost nothing. */
  free: number;
  /** The longest wait, in seconds. */
  maxSeconds: number;
}

// One address guessing gets slow fast. A user guessed at from many addresses is delayed at
// most a minute, so that an attacker can slow the real admin down but never lock them out.
const PER_ADDRESS: Limit = { free: 5, maxSeconds: 15 * 60 };
const PER_USER: Limit = { free: 10, maxSeconds: 60 };
const MAX_ENTRIES = 10_000;

interface Failures {
  count: number;
  last: number;
}

/**
 * Failed logins counted per address and per user name. Past the free failures, each one
 * doubles the wait before the next try (5 s, 10 s, 20 s, ...) up to a cap. An address the user
 * logged in from is spared the user's wait (not its own).
 */
export class LoginThrottle {
  private readonly byAddress = new Map<string, Failures>();
  private readonly byUser = new Map<string, Failures>();
  private readonly knownAddresses = new Map<string, Set<string>>();

  /** Seconds to wait, or 0 when this user may try again from this address. */
  retryAfterSeconds(username: string, address: string, now = Date.now()): number {
    const forAddress = wait(this.byAddress.get(address), PER_ADDRESS, now);
    const isKnown = this.knownAddresses.get(username)?.has(address) ?? false;
    const forUser = isKnown ? 0 : wait(this.byUser.get(username), PER_USER, now);
    return Math.max(forAddress, forUser);
  }

  recordFailure(username: string, address: string, now = Date.now()): void {
    count(this.byAddress, address, now);
    count(this.byUser, username, now);
  }

  recordSuccess(username: string, address: string): void {
    this.byAddress.delete(address);
    this.byUser.delete(username);
    const known = this.knownAddresses.get(username) ?? new Set<string>();
    if (known.size >= MAX_ENTRIES) known.clear();
    this.knownAddresses.set(username, known.add(address));
  }
}

function wait(failures: Failures | undefined, limit: Limit, now: number): number {
  if (!failures || now - failures.last > FORGET_AFTER_MS || failures.count < limit.free) return 0;
  const seconds = Math.min(limit.maxSeconds, FIRST_WAIT_SECONDS * 2 ** (failures.count - limit.free));
  return Math.max(0, Math.ceil((failures.last + seconds * 1000 - now) / 1000));
}

function count(map: Map<string, Failures>, key: string, now: number): void {
  const previous = map.get(key);
  const fresh = !previous || now - previous.last > FORGET_AFTER_MS;
  map.set(key, { count: fresh ? 1 : previous.count + 1, last: now });
  if (map.size > MAX_ENTRIES) {
    for (const [other, failures] of map) if (now - failures.last > FORGET_AFTER_MS) map.delete(other);
  }
}
