import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { repositoryPin, type TaskWait } from '../../../../libs/engine/src';
import { DATA_SOURCE } from '../common/tokens';
import { TaskEntity, type InboxMessage, type ResumedBy, type TaskHistoryEntry, type TaskStatus } from '../database/entities/task.entity';
import { storableColumns, storableJsonText } from '../database/storable';

/** A stored wait of a parked task, with what the matcher needs to know of the task. */
export interface StoredWait extends TaskWait {
  taskId: string;
  parkedBy: string | null;
  /** The parking runner's providers; null for every provider. */
  providerIds: string[] | null;
}

/** The essentials of a task that was just resumed or timed out. */
export interface ChangedTask {
  id: string;
  name: string;
  runId: string;
  status: TaskStatus;
  parkedBy: string | null;
  runnerId: string | null;
  waitFor: TaskWait[] | null;
  onTimeout: 'fail' | 'resume' | null;
  resumedBy: ResumedBy | null;
}

interface WaitRow {
  task_id: string;
  key_pattern: string;
  repository: string | null;
  branch: string | null;
  pull_request: number | null;
  issue: string | null;
  where_expression: string | null;
  parked_by: string | null;
  provider_ids: string[] | null;
}

interface ChangedRow {
  id: string;
  name: string;
  run_id: string;
  status: TaskStatus;
  parked_by: string | null;
  runner_id: string | null;
  wait_for: TaskWait[] | null;
  on_timeout: 'fail' | 'resume' | null;
  resumed_by: ResumedBy | null;
}

const CHANGED = 'id, name, run_id, status, parked_by, runner_id, wait_for, on_timeout, resumed_by';

function toChanged(row: ChangedRow): ChangedTask {
  return {
    id: row.id,
    name: row.name,
    runId: row.run_id,
    status: row.status,
    parkedBy: row.parked_by,
    runnerId: row.runner_id,
    waitFor: row.wait_for,
    onTimeout: row.on_timeout,
    resumedBy: row.resumed_by,
  };
}

const json = (value: unknown) => storableJsonText(value);

@Injectable()
export class TasksRepository {
  private readonly rows: Repository<TaskEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.rows = db.getRepository(TaskEntity);
  }

  insert(values: Partial<TaskEntity>): Promise<TaskEntity> {
    return this.rows.save(this.rows.create(storableColumns(this.rows.metadata, values)));
  }

  findById(id: string): Promise<TaskEntity | null> {
    return this.rows.findOneBy({ id });
  }

  async update(id: string, changes: Partial<TaskEntity>): Promise<void> {
    await this.rows.update({ id }, storableColumns(this.rows.metadata, changes) as QueryDeepPartialEntity<TaskEntity>);
  }

  /** Tasks in one state, oldest first; parked ones by when they were parked. */
  list(status: TaskStatus, limit: number): Promise<TaskEntity[]> {
    return this.rows.find({ where: { status }, order: status === 'parked' ? { parkedAt: 'ASC' } : { createdAt: 'ASC' }, take: limit });
  }

  /** Tasks a message resumed, for its trace. */
  async resumedByMessage(messageId: string): Promise<Array<{ taskId: string; name: string }>> {
    const rows: Array<{ id: string; name: string }> = await this.db.query(`SELECT id, name FROM tasks WHERE resumed_by_message_id = $1 ORDER BY created_at`, [messageId]);
    return rows.map((r) => ({ taskId: r.id, name: r.name }));
  }

  /** The oldest queued task, claimed once however many runners poll at the same moment. */
  async claimOldest(runnerId: string, entry: TaskHistoryEntry): Promise<TaskEntity | null> {
    const [rows]: [Array<{ id: string }>, number] = await this.db.query(
      `UPDATE tasks SET status = 'claimed', runner_id = $1, claimed_at = now(), history = history || $2::jsonb
        WHERE id = (SELECT id FROM tasks WHERE status = 'queued' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [runnerId, json([entry])],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  /**
   * Parks a task its runner still holds, and stores one wait row per condition. False when the
   * task was no longer claimed by that runner (it completed or parked it meanwhile).
   */
  async park(id: string, runnerId: string, park: { waitFor: TaskWait[]; waitUntil: Date; onTimeout: 'fail' | 'resume' }, entry: TaskHistoryEntry): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [rows]: [Array<{ id: string }>, number] = await tx.query(
        `UPDATE tasks SET status = 'parked', runner_id = NULL, parked_by = $2, parked_at = now(), wait_for = $3::jsonb, wait_until = $4,
                on_timeout = $5, resumed_by = NULL, history = history || $6::jsonb
          WHERE id = $1 AND status = 'claimed' AND runner_id = $2
          RETURNING id`,
        [id, runnerId, json(park.waitFor), park.waitUntil, park.onTimeout, json([entry])],
      );
      if (rows.length === 0) return false;
      await tx.query(
        `INSERT INTO task_waits (task_id, position, key_pattern, repository, branch, pull_request, issue, where_expression)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])`,
        [
          id,
          park.waitFor.map((_, i) => i),
          park.waitFor.map((w) => w.key),
          park.waitFor.map((w) => (w.repository == null ? null : repositoryPin(w.repository))),
          park.waitFor.map((w) => w.branch ?? null),
          park.waitFor.map((w) => w.pullRequest ?? null),
          park.waitFor.map((w) => (w.issue == null ? null : String(w.issue))),
          park.waitFor.map((w) => w.where ?? null),
        ],
      );
      return true;
    });
  }

  /**
   * The waits of parked tasks whose key pattern is one of `patterns` and whose repository pin is
   * empty or one of `repositories`: an index lookup on (key_pattern, repository), oldest task first.
   */
  async findWaits(patterns: string[], repositories: string[], tx: EntityManager): Promise<StoredWait[]> {
    const rows: WaitRow[] = await tx.query(
      `SELECT w.task_id, w.key_pattern, w.repository, w.branch, w.pull_request, w.issue, w.where_expression, t.parked_by, r.provider_ids
         FROM task_waits w
         JOIN tasks t ON t.id = w.task_id AND t.status = 'parked'
         LEFT JOIN runners r ON r.id = t.parked_by
        WHERE w.key_pattern = ANY($1::text[]) AND (w.repository IS NULL OR w.repository = ANY($2::text[]))
        ORDER BY t.parked_at, t.id, w.position`,
      [patterns, repositories],
    );
    return rows.map((r) => ({
      taskId: r.task_id,
      key: r.key_pattern,
      repository: r.repository,
      branch: r.branch,
      pullRequest: r.pull_request,
      issue: r.issue,
      where: r.where_expression,
      parkedBy: r.parked_by,
      providerIds: r.provider_ids,
    }));
  }

  /**
   * Moves a parked task back to the queue. The status check is in the UPDATE itself, so a task
   * resumes once however many servers (an event, an operator, the deadline) try at the same time.
   * Null when it was not parked any more.
   */
  async resumeIfParked(
    id: string,
    change: { resumedBy: ResumedBy; messageId: string | null; entry: TaskHistoryEntry; inbox?: InboxMessage },
    tx?: EntityManager,
  ): Promise<ChangedTask | null> {
    const run = async (m: EntityManager) => {
      const [rows]: [ChangedRow[], number] = await m.query(
        `UPDATE tasks SET status = 'queued', resumed_by = $2::jsonb, resumed_by_message_id = COALESCE($3, resumed_by_message_id), wait_until = NULL,
                history = history || $4::jsonb, inbox = inbox || $5::jsonb
          WHERE id = $1 AND status = 'parked'
          RETURNING ${CHANGED}`,
        [id, json(change.resumedBy), change.messageId, json([change.entry]), json(change.inbox ? [change.inbox] : [])],
      );
      if (rows.length === 0) return null;
      await m.query(`DELETE FROM task_waits WHERE task_id = $1`, [id]);
      return toChanged(rows[0]);
    };
    return tx ? run(tx) : this.db.transaction(run);
  }

  /** Adds a message to a task's inbox unless the task is finished; null when it is (or is gone). */
  async addToInbox(id: string, message: InboxMessage, tx: EntityManager): Promise<ChangedTask | null> {
    const [rows]: [ChangedRow[], number] = await tx.query(
      `UPDATE tasks SET inbox = inbox || $2::jsonb WHERE id = $1 AND status IN ('queued', 'claimed', 'parked') RETURNING ${CHANGED}`,
      [id, json([message])],
    );
    return rows[0] ? toChanged(rows[0]) : null;
  }

  /**
   * Parked tasks past their deadline, each taken by one server (SKIP LOCKED) and changed as its
   * `on_timeout` says: failed, or queued again with `resumed_by` naming the timeout.
   */
  async expireDeadlines(limit: number, now: Date, tx: EntityManager): Promise<ChangedTask[]> {
    const at = now.toISOString();
    const [rows]: [ChangedRow[], number] = await tx.query(
      `UPDATE tasks SET
              status = CASE WHEN on_timeout = 'resume' THEN 'queued' ELSE 'failed' END,
              completed_at = CASE WHEN on_timeout = 'resume' THEN NULL ELSE $2::timestamptz END,
              resumed_by = CASE WHEN on_timeout = 'resume' THEN jsonb_build_object('timeout', true, 'waitedFor', wait_for, 'at', $3::text) ELSE resumed_by END,
              wait_until = NULL,
              history = history || jsonb_build_array(jsonb_build_object(
                'status', CASE WHEN on_timeout = 'resume' THEN 'queued' ELSE 'failed' END,
                'cause', 'timeout', 'onTimeout', on_timeout, 'at', $3::text))
        WHERE id IN (SELECT id FROM tasks WHERE status = 'parked' AND wait_until <= $2 ORDER BY wait_until LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING ${CHANGED}`,
      [limit, now, at],
    );
    if (rows.length > 0) await tx.query(`DELETE FROM task_waits WHERE task_id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
    return rows.map(toChanged);
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
