import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { takesRole, type AppConfig } from '../config';
import { CONFIG, DATA_SOURCE } from '../common/tokens';
import { CHANGE_RETENTION_MS } from '../messages/message-changes.repository';
import { MAX_DEDUP_WINDOW_SECONDS } from '../automations/scm-poll-input';
import { ShaClaimsRepository } from '../scm-polling/sha-claims.repository';
import { EventLogRepository } from '../events/event-log';

/** Rows removed per statement: small enough that ingest never waits long behind a delete. */
const BATCH = 500;

/**
 * Removes messages (endpoint deliveries included) and runs older than HOOKLINE_RETENTION_DAYS,
 * the delivery ids kept for duplicate detection once past the dedup window, and the commits
 * automations ran for once past the longest webhook/poll dedup window, and event stream frames
 * older than HOOKLINE_EVENT_RETENTION. It runs on its interval in processes with the worker role;
 * its deletes are idempotent, so several workers running it at once only repeat each other.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly claims: ShaClaimsRepository,
    private readonly events: EventLogRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (!takesRole(this.config, 'worker')) return;
    this.timer = setInterval(() => void this.run(), this.config.retentionIntervalMs);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(): Promise<{ messages: number; runs: number }> {
    if (this.running) return { messages: 0, runs: 0 };
    this.running = true;
    try {
      const cutoff = new Date(Date.now() - this.config.retentionDays * 86_400_000);
      // Unfinished work is never removed, whatever its age.
      const messages = await this.deleteInBatches(
        `DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE received_at < $1 AND status NOT IN ('queued', 'processing') LIMIT ${BATCH}) RETURNING id`,
        cutoff,
      );
      const runIds = await this.deleteInBatches(
        `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE created_at < $1 AND status NOT IN ('pending', 'running') LIMIT ${BATCH}) RETURNING id`,
        cutoff,
      );
      // A delivery id is looked for only within the dedup window, and never once its message is gone.
      const deliveriesBefore = Math.max(cutoff.getTime(), Date.now() - this.config.dedupWindowMs);
      await this.deleteInBatches(
        `DELETE FROM deliveries WHERE (provider_id, delivery_id) IN (SELECT provider_id, delivery_id FROM deliveries WHERE received_at < $1 LIMIT ${BATCH}) RETURNING message_id AS id`,
        new Date(deliveriesBefore),
      );
      // The live stream's change feed only serves clients catching up after a disconnect.
      await this.deleteInBatches(
        `DELETE FROM message_changes WHERE (tx, seq) IN (SELECT tx, seq FROM message_changes WHERE at < $1 LIMIT ${BATCH}) RETURNING seq AS id`,
        new Date(Date.now() - CHANGE_RETENTION_MS),
      );
      // No automation's window is longer: an older claim can no longer hold anything back.
      const claims = await this.claims.pruneClaims(new Date(Date.now() - MAX_DEDUP_WINDOW_SECONDS * 1000));
      if (claims) this.logger.log(`Removed ${claims} commit claim(s) of the webhook/poll dedup, older than its longest window`);
      // Frames are kept for runners that reconnect; one asking for an older one is told of the gap.
      const frames = await this.events.prune(new Date(Date.now() - this.config.eventRetentionMs), BATCH);
      if (frames) this.logger.log(`Removed ${frames} event stream frame(s) older than HOOKLINE_EVENT_RETENTION`);
      await Promise.all(runIds.map((id) => rm(join(this.config.dataDir, 'runs', id), { recursive: true, force: true })));
      if (messages.length || runIds.length) {
        this.logger.log(`Removed ${messages.length} message(s) and ${runIds.length} run(s) older than ${this.config.retentionDays} day(s)`);
      }
      return { messages: messages.length, runs: runIds.length };
    } catch (err) {
      this.logger.error(`Retention failed: ${(err as Error).message}`);
      return { messages: 0, runs: 0 };
    } finally {
      this.running = false;
    }
  }

  private async deleteInBatches(sql: string, cutoff: Date): Promise<string[]> {
    const removed: string[] = [];
    for (;;) {
      const [rows]: [Array<{ id: string }>, number] = await this.db.query(sql, [cutoff]);
      removed.push(...rows.map((row) => row.id));
      if (rows.length < BATCH) return removed;
      // Let queued ingest queries in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
