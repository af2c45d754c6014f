/**
 * A bound on the work a process has taken on and not finished. `enter` takes a place when one is
 * free; when none is, the caller waits, in order, for one to be given back, up to `waitMs`. A
 * caller that waited that long is told no and goes on another way (the shared queue in the
 * database), so a burst larger than the bound is slowed, never refused.
 */
export class Backlog {
  private taken = 0;
  private readonly waiting: Array<(entered: boolean) => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number of at least 1, got ${limit}`);
  }

  /** Places taken now. */
  get size(): number {
    return this.taken;
  }

  /** Callers waiting for a place. */
  get waiters(): number {
    return this.waiting.length;
  }

  /** Takes a place if one is free now and nobody waits for one; true when it did. */
  enterNow(): boolean {
    if (this.taken >= this.limit || this.waiting.length > 0) return false;
    this.taken++;
    return true;
  }

  /** Resolves true once a place is taken for the caller, or false after `waitMs` without one. */
  enter(waitMs: number): Promise<boolean> {
    if (this.enterNow()) return Promise.resolve(true);
    if (waitMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (entered: boolean) => {
        clearTimeout(timer);
        resolve(entered);
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(wake);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(false);
      }, waitMs);
      this.waiting.push(wake);
    });
  }

  /** Gives a place back: to the longest waiting caller, if any. */
  leave(): void {
    if (this.taken === 0) throw new Error('leave() without a place taken');
    const next = this.waiting.shift();
    if (next) next(true);
    else this.taken--;
  }
}
