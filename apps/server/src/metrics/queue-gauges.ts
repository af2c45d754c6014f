import { Inject, Injectable, Logger } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';

interface QueueState {
  ready: number;
  retryWait: number;
  processing: number;
  oldestReadySeconds: number;
}

/** Scrapes this close together share one query. */
const FRESH_MS = 1000;

/**
 * The shared queue's depth and the wait of its oldest ready message, read from the database
 * when scraped: one query over the partial index of unfinished messages (messages_pending),
 * kept for a second so that frequent scrapes, or several scrapers, cost one query.
 */
@Injectable()
export class QueueGauges {
  private readonly logger = new Logger('Metrics');
  private cached: { at: number; state: Promise<QueueState | null> } | undefined;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  register(registers: Registry[]): void {
    const read = () => this.read();
    new Gauge({
      name: 'hookline_queue_messages',
      help: 'Unfinished messages by state: queued (ready for a worker), retry_wait (queued for a retry not yet due), processing.',
      labelNames: ['state'],
      registers,
      async collect() {
        const state = await read();
        this.reset();
        if (!state) return;
        this.set({ state: 'queued' }, state.ready);
        this.set({ state: 'retry_wait' }, state.retryWait);
        this.set({ state: 'processing' }, state.processing);
      },
    });
    new Gauge({
      name: 'hookline_queue_oldest_age_seconds',
      help: 'How long the oldest message ready for a worker has waited (since it arrived, or since its retry came due); 0 when none waits.',
      registers,
      async collect() {
        const state = await read();
        this.reset();
        if (state) this.set(state.oldestReadySeconds);
      },
    });
  }

  /** The state at most a second old; null (the gauges left empty) when the database did not answer. */
  private read(): Promise<QueueState | null> {
    if (this.cached && Date.now() - this.cached.at < FRESH_MS) return this.cached.state;
    const state = this.query().catch((err: unknown) => {
      this.logger.warn(`Queue metrics: the database did not answer: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    this.cached = { at: Date.now(), state };
    return state;
  }

  private async query(): Promise<QueueState> {
    // The WHERE matches the partial index's predicate, so only unfinished rows are read.
    const rows: Array<Record<string, string | number | null>> = await this.db.query(
      `SELECT count(*) FILTER (WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now())) AS ready,
              count(*) FILTER (WHERE status = 'queued' AND next_attempt_at > now()) AS retry_wait,
              count(*) FILTER (WHERE status = 'processing') AS processing,
              extract(epoch FROM now() - min(COALESCE(next_attempt_at, received_at))
                FILTER (WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now()))) AS oldest
         FROM messages WHERE status IN ('queued', 'processing')`,
    );
    const row = rows[0] ?? {};
    return {
      ready: Number(row.ready ?? 0),
      retryWait: Number(row.retry_wait ?? 0),
      processing: Number(row.processing ?? 0),
      oldestReadySeconds: Math.max(0, Number(row.oldest ?? 0)),
    };
  }
}
