const WINDOW_MS = 60_000;
const MAX_FAILURES = 10;

/** Counts failed logins per address over a sliding minute. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  /** Seconds to wait, or 0 when the address may try again. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const recent = this.recent(address, now);
    if (recent.length < MAX_FAILURES) return 0;
    return Math.max(1, Math.ceil((recent[0] + WINDOW_MS - now) / 1000));
  }

  recordFailure(address: string, now = Date.now()): void {
    const recent = this.recent(address, now);
    recent.push(now);
    this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.prune(now);
  }

  private recent(address: string, now: number): number[] {
    return (this.failures.get(address) ?? []).filter((at) => at > now - WINDOW_MS);
  }

  private prune(now: number): void {
    for (const [address, times] of this.failures) {
      if (times.every((at) => at <= now - WINDOW_MS)) this.failures.delete(address);
    }
  }
}
