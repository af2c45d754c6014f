import type { Logger } from '@nestjs/common';
import type { QueueSignal } from './queue-signal';

/** How long a stopping server waits for the work in progress to end and be recorded before it closes the database. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface WorkLoopOptions<T> {
  name: string;
  concurrency: () => number;
  pollMs: () => number;
  signal: QueueSignal;
  logger: Logger;
  /** Claims up to `limit` items in one go; fewer (or none) when there is no more to do. */
  claim(limit: number): Promise<T[]>;
  process(item: T): Promise<void>;
}

/**
 * Claims and processes items until stopped, as many at once as there are free slots; wakes on the
 * signal (work queued here or, through the database's notifications, anywhere) or every poll interval.
 */
export class WorkLoop<T> {
  private running = false;
  private active = 0;
  private loop?: Promise<void>;

  constructor(private readonly options: WorkLoopOptions<T>) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming and waits (up to `graceMs`) for what is in progress. */
  async stop(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    this.running = false;
    this.options.signal.notify();
    await this.loop;
    const deadline = Date.now() + graceMs;
    while (this.active > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private begin(item: T): void {
    const { options } = this;
    this.active++;
    void options
      .process(item)
      .catch((err: unknown) => options.logger.error(`${options.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`))
      .finally(() => {
        this.active--;
        options.signal.notify();
      });
  }

  private async run(): Promise<void> {
    const { options } = this;
    while (this.running) {
      try {
        while (this.running && this.active < options.concurrency()) {
          const free = options.concurrency() - this.active;
          const items = await options.claim(free);
          for (const item of items) this.begin(item);
          // A short answer means the queue is empty for now.
          if (items.length < free) break;
        }
      } catch (err) {
        options.logger.error(`${options.name}: could not claim work: ${(err as Error).message}`);
      }
      if (this.running) await options.signal.wait(options.pollMs());
    }
  }
}
