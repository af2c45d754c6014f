import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MessageStatus } from '../../../../libs/engine/src';
import { DATA_SOURCE } from '../common/tokens';
import type { FunctionTiming, QueueDepth } from './overview-view';

export interface BucketCount {
  bucket: Date;
  status: MessageStatus;
  count: number;
}

/** The aggregates behind the console's overview, all computed in the database. */
@Injectable()
export class OverviewRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** Messages received since `since`, counted per bucket of `bucketSeconds` and status. */
  async countsByBucket(since: Date, bucketSeconds: number): Promise<BucketCount[]> {
    // Buckets are whole multiples of their width since the epoch, so the same minute is the
    // same bucket in every request; date_bin needs PostgreSQL 14, this works everywhere.
    const rows: Array<{ bucket: Date; status: MessageStatus; count: string }> = await this.db.query(
      `SELECT to_timestamp(floor(extract(epoch FROM received_at) / $2) * $2) AS bucket, status, count(*) AS count
         FROM messages WHERE received_at >= $1
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [since, bucketSeconds],
    );
    return rows.map((row) => ({ bucket: new Date(row.bucket), status: row.status, count: Number(row.count) }));
  }

  /** Function runs recorded in the traces of messages received since `since`, slowest first by p95. */
  async slowestFunctions(since: Date, limit: number): Promise<FunctionTiming[]> {
    const rows: Array<Record<string, string>> = await this.db.query(
      `SELECT f->>'functionId' AS function_id, max(f->>'functionName') AS function_name, count(*) AS runs,
              count(*) FILTER (WHERE f->>'status' IN ('failed', 'timed_out')) AS failures,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY (f->>'durationMs')::double precision) AS p95,
              max((f->>'durationMs')::double precision) AS max, avg((f->>'durationMs')::double precision) AS avg
         FROM messages m, jsonb_array_elements(m.trace->'functions') f
        WHERE m.received_at >= $1 AND jsonb_typeof(m.trace->'functions') = 'array' AND f->>'status' <> 'skipped'
        GROUP BY 1 ORDER BY p95 DESC, max DESC LIMIT $2`,
      [since, limit],
    );
    return rows.map((row) => ({
      functionId: row.function_id,
      functionName: row.function_name,
      runs: Number(row.runs),
      failures: Number(row.failures),
      p95Ms: round(Number(row.p95)),
      maxMs: round(Number(row.max)),
      avgMs: round(Number(row.avg)),
    }));
  }

  async queueDepth(): Promise<QueueDepth> {
    const rows: Array<Record<string, string>> = await this.db.query(
      `SELECT count(*) FILTER (WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now())) AS queued,
              count(*) FILTER (WHERE status = 'processing') AS processing,
              count(*) FILTER (WHERE status = 'queued' AND next_attempt_at > now()) AS waiting
         FROM messages WHERE status IN ('queued', 'processing')`,
    );
    const row = rows[0] ?? {};
    return { queued: Number(row.queued ?? 0), processing: Number(row.processing ?? 0), waitingForRetry: Number(row.waiting ?? 0) };
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
