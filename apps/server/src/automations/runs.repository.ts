import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DATA_SOURCE } from '../common/tokens';
import type { PageCursor } from '../common/cursor';
import { SqlConditions } from '../common/list-filter';
import { RunEntity, type EarlierAttempt, type RunStatus } from '../database/entities/run.entity';
import { storableColumns } from '../database/storable';

export interface RunFilter {
  status?: RunStatus;
  automationId?: string;
  since?: Date;
  until?: Date;
  ids?: string[];
}

type Writable = QueryDeepPartialEntity<RunEntity>;

@Injectable()
export class RunsRepository {
  private readonly rows: Repository<RunEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.rows = db.getRepository(RunEntity);
  }

  insert(values: Partial<RunEntity>): Promise<RunEntity> {
    return this.rows.save(this.rows.create(storableColumns(this.rows.metadata, values)));
  }

  findById(id: string): Promise<RunEntity | null> {
    return this.rows.findOneBy({ id });
  }

  async update(id: string, changes: Partial<RunEntity>): Promise<void> {
    await this.rows.update({ id }, storableColumns(this.rows.metadata, changes) as Writable);
  }

  listForAutomation(automationId: string, limit: number): Promise<RunEntity[]> {
    return this.rows.find({ where: { automationId }, order: { createdAt: 'DESC' }, take: limit });
  }

  listForMessage(messageId: string): Promise<RunEntity[]> {
    return this.rows.find({ where: { messageId }, order: { createdAt: 'ASC' } });
  }

  /** Newest first, keyset-paged on (created_at, id) as the message list is. */
  async list(filter: RunFilter, limit: number, cursor?: PageCursor): Promise<RunEntity[]> {
    const { where, params } = whereClause(filter);
    if (cursor) {
      params.push(cursor.receivedAt, cursor.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit);
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM runs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const found = new Map((await this.rows.findBy({ id: In(rows.map((row) => row.id)) })).map((run) => [run.id, run]));
    return rows.map((row) => found.get(row.id)).filter((run): run is RunEntity => run !== undefined);
  }

  /** Failed or dead runs matching the filter, oldest first. */
  async listRetryableIds(filter: RunFilter, limit: number): Promise<string[]> {
    const { where, params } = whereClause(filter);
    params.push(limit);
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM runs WHERE status IN ('failed', 'dead') ${where.length ? 'AND ' + where.join(' AND ') : ''}
        ORDER BY created_at ASC, id ASC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => row.id);
  }

  /** How many failed or dead runs match the filter. */
  async countRetryable(filter: RunFilter): Promise<number> {
    const { where, params } = whereClause(filter);
    const rows: Array<{ count: string | number }> = await this.db.query(
      `SELECT count(*) AS count FROM runs WHERE status IN ('failed', 'dead') ${where.length ? 'AND ' + where.join(' AND ') : ''}`,
      params,
    );
    return Number(rows[0]?.count ?? 0);
  }

  /**
   * Puts a failed or dead run back to pending with a fresh set of retries, and answers it as
   * requeued (null when it was not failed or dead). The status check is in the UPDATE so that two
   * retries of one run at once make one. The run is read back in the same transaction: a worker,
   * woken by the commit's notification, may take it the moment it commits.
   */
  async requeue(id: string, earlier: EarlierAttempt): Promise<RunEntity | null> {
    return this.db.transaction(async (tx) => {
      const [, count] = await tx.query(
        `UPDATE runs SET status = 'pending', status_reason = 'retried on request', retries = 0, attempts = 0, next_attempt_at = NULL,
                finished_at = NULL, locked_by = NULL, locked_until = NULL, earlier_attempts = earlier_attempts || $2::jsonb
          WHERE id = $1 AND status IN ('failed', 'dead')`,
        [id, JSON.stringify([earlier])],
      );
      return Number(count) > 0 ? tx.getRepository(RunEntity).findOneBy({ id }) : null;
    });
  }

  /**
   * Claims the oldest pending run, as the message queue does: SKIP LOCKED so that several
   * servers never run one twice, and a running run whose lease ran out (its server died) is
   * taken again. A run waiting for a runner's task holds no lease and is not taken; one pending
   * for a retry waits for its next_attempt_at.
   */
  async claimNext(workerId: string, leaseMs: number): Promise<RunEntity | null> {
    const [rows]: [Array<{ id: string }>, number] = await this.db.query(
      `UPDATE runs SET status = 'running', locked_by = $1, locked_until = now() + ($2::integer * interval '1 millisecond'),
              attempts = attempts + 1, started_at = COALESCE(started_at, now())
        WHERE id = (
          SELECT id FROM runs
           WHERE (status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= now()))
              OR (status = 'running' AND locked_until < now())
           ORDER BY created_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [workerId, leaseMs],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  /** Moves on the leases `workerId` holds on these runs, while they are still running under it. */
  async extendLeases(workerId: string, ids: string[], leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE runs SET locked_until = now() + ($3::integer * interval '1 millisecond')
        WHERE id = ANY($2::uuid[]) AND locked_by = $1 AND status = 'running'`,
      [workerId, ids, leaseMs],
    );
  }

  async expireAllLeases(): Promise<number> {
    const [, count] = await this.db.query(`UPDATE runs SET locked_until = now() - interval '1 second' WHERE status = 'running' AND locked_until IS NOT NULL`);
    return Number(count);
  }
}

function whereClause(filter: RunFilter): SqlConditions {
  const conditions = new SqlConditions();
  if (filter.status) conditions.add('status = ?', filter.status);
  if (filter.automationId) conditions.add('automation_id = ?', filter.automationId);
  if (filter.since) conditions.add('created_at >= ?', filter.since);
  if (filter.until) conditions.add('created_at < ?', filter.until);
  if (filter.ids) conditions.add('id = ANY(?::uuid[])', filter.ids);
  return conditions;
}
