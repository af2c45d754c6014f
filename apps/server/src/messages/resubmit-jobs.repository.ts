import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';

export type ResubmitJobStatus = 'running' | 'done' | 'interrupted';

export interface ResubmitJobRow {
  id: string;
  selection: Record<string, unknown>;
  status: ResubmitJobStatus;
  total: number;
  done: number;
  failed: number;
  errors: Array<{ from: string; error: string }>;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/**
 * A running job touches its row after every message; one not touched for this long belonged to
 * a process that stopped, and is reported as interrupted.
 */
export const JOB_STALE_MS = 60_000;
const MAX_ERRORS = 50;

@Injectable()
export class ResubmitJobsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async create(selection: Record<string, unknown>, total: number): Promise<ResubmitJobRow> {
    const [row]: ResubmitJobRow[] = await this.db.query(`INSERT INTO resubmit_jobs (selection, total, status) VALUES ($1, $2, $3) RETURNING *`, [
      JSON.stringify(selection),
      total,
      total === 0 ? 'done' : 'running',
    ]);
    return row;
  }

  async find(id: string): Promise<ResubmitJobRow | null> {
    const rows: ResubmitJobRow[] = await this.db.query(
      `SELECT id, selection, total, done, failed, errors, created_at, updated_at, finished_at,
              CASE WHEN status = 'running' AND updated_at < now() - ($2::integer * interval '1 millisecond') THEN 'interrupted' ELSE status END AS status
         FROM resubmit_jobs WHERE id = $1`,
      [id, JOB_STALE_MS],
    );
    return rows[0] ?? null;
  }

  /**
   * Records one message's outcome (`error` when it could not go again); `finished` ends the job.
   * The copies themselves are found from their originals (`resubmissions`), not kept here.
   */
  async record(id: string, outcome: { from: string; error?: string }, finished: boolean): Promise<void> {
    await this.db.query(
      `UPDATE resubmit_jobs SET
          done = done + 1,
          failed = failed + CASE WHEN $2::text IS NULL THEN 0 ELSE 1 END,
          errors = CASE WHEN $2::text IS NULL OR jsonb_array_length(errors) >= ${MAX_ERRORS} THEN errors
                        ELSE errors || jsonb_build_array(jsonb_build_object('from', $3::text, 'error', $2::text)) END,
          updated_at = now(),
          status = CASE WHEN $4::boolean THEN 'done' ELSE status END,
          finished_at = CASE WHEN $4::boolean THEN now() ELSE finished_at END
        WHERE id = $1`,
      [id, outcome.error ?? null, outcome.from, finished],
    );
  }
}
