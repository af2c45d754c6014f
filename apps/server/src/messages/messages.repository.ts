import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { MessageStatus, TriggeredBy } from '../../../../libs/engine/src';
import { DATA_SOURCE } from '../common/tokens';
import { MessageEntity } from '../database/entities/message.entity';
import { storableColumns } from '../database/storable';
import type { PageCursor } from '../common/cursor';
import { messageConditions, searchSql, whereSql, type MessageFilter } from './message-filter';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

// The trace is opaque JSON to the database; TypeORM's deep-partial type cannot follow `unknown` inside it.
type Writable = QueryDeepPartialEntity<MessageEntity>;

export const DELIVERY_PREVIEW_BYTES = 4096;


export interface DeliveryRow {
  id: string;
  received_at: Date;
  status: MessageStatus;
  status_reason: string | null;
  http_status: number | null;
  triggered_by: string;
  automations: unknown;
  body_size: number | string;
  preview: Buffer;
}

/** Columns for lists: everything but the body, headers and trace. */
export const SUMMARY_COLUMNS = `id, received_at, method, uri, status, status_reason, provider_id, provider_name, event_type,
  http_status, sync, triggered_by, delivery_id, event->>'key' AS event_key, resubmitted_from, next_attempt_at, finished_at, octet_length(body) AS body_size`;

export interface MessageSummaryRow {
  id: string;
  received_at: Date;
  method: string;
  uri: string;
  status: MessageStatus;
  status_reason: string | null;
  provider_id: string | null;
  provider_name: string | null;
  event_type: string | null;
  delivery_id: string | null;
  event_key: string | null;
  http_status: number | null;
  sync: boolean;
  triggered_by: TriggeredBy;
  resubmitted_from: string | null;
  next_attempt_at: Date | null;
  finished_at: Date | null;
  body_size: number | string;
}

@Injectable()
export class MessagesRepository {
  private readonly rows: Repository<MessageEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.rows = db.getRepository(MessageEntity);
  }

  findById(id: string): Promise<MessageEntity | null> {
    return this.rows.findOneBy({ id });
  }

  /**
   * The newest messages that came in at `/webhooks` (endpoint deliveries meet no provider), whole,
   * one page before `before`: a preview replays them a page at a time, so large bodies are never
   * all held at once. Keyset paging as in `list`.
   */
  async latestWebhooks(limit: number, before?: PageCursor): Promise<MessageEntity[]> {
    const params: unknown[] = [limit];
    let older = '';
    if (before) {
      params.push(before.receivedAt, before.id);
      older = 'AND (received_at, id) < ($2, $3)';
    }
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT * FROM messages WHERE endpoint_id IS NULL ${older} ORDER BY received_at DESC, id DESC LIMIT $1`,
      params,
    );
    return rows.map((row) => this.fromRow(row));
  }

  async update(id: string, changes: Partial<MessageEntity>): Promise<void> {
    await this.rows.update({ id }, storableColumns(this.rows.metadata, changes) as Writable);
  }

  /**
   * Newest first. Paging is by keyset on (received_at, id) rather than OFFSET, so
   * a page stays stable while new messages arrive and deep pages cost the same.
   * A search reads bodies, which no index here serves: it looks at no more than `scanLimit`
   * rows past the cursor (in page order), so one request costs at most that many body reads.
   * `scanEnd` is the last row of that window when the window was used up, for the next page.
   */
  async list(filter: MessageFilter, limit: number, cursor: PageCursor | undefined, scanLimit: number): Promise<{ rows: MessageSummaryRow[]; scanEnd?: PageCursor }> {
    const { q, ...rest } = filter;
    const conditions = messageConditions(rest);
    if (cursor) conditions.where.push(`(received_at, id) < (${conditions.param(cursor.receivedAt)}, ${conditions.param(cursor.id)})`);
    const window = { where: whereSql(conditions), params: [...conditions.params] };
    if (!q) {
      const rows: MessageSummaryRow[] = await this.db.query(
        `SELECT ${SUMMARY_COLUMNS} FROM messages ${window.where} ORDER BY received_at DESC, id DESC LIMIT ${conditions.param(limit)}`,
        conditions.params,
      );
      return { rows };
    }
    const scanned = conditions.param(scanLimit);
    const rows: MessageSummaryRow[] = await this.db.query(
      `SELECT ${SUMMARY_COLUMNS} FROM (
          SELECT * FROM messages ${window.where} ORDER BY received_at DESC, id DESC LIMIT ${scanned}
        ) scanned
        WHERE ${searchSql(conditions, q)}
        ORDER BY received_at DESC, id DESC LIMIT ${conditions.param(limit)}`,
      conditions.params,
    );
    if (rows.length >= limit) return { rows };
    // A short page: either the messages ran out, or the scan window did.
    const ends: Array<{ received_at: Date; id: string }> = await this.db.query(
      `SELECT received_at, id FROM messages ${window.where} ORDER BY received_at DESC, id DESC OFFSET $${window.params.length + 1} LIMIT 1`,
      [...window.params, scanLimit - 1],
    );
    const end = ends[0];
    return { rows, scanEnd: end ? { receivedAt: new Date(end.received_at), id: end.id } : undefined };
  }

  /** These messages as list items, oldest first. */
  async summaries(ids: string[]): Promise<MessageSummaryRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(`SELECT ${SUMMARY_COLUMNS} FROM messages WHERE id = ANY($1::uuid[]) ORDER BY received_at, id`, [ids]);
  }

  /** How many messages match: for a bulk action's dry run. */
  async count(filter: MessageFilter): Promise<number> {
    const conditions = messageConditions(filter);
    const rows: Array<{ n: string }> = await this.db.query(`SELECT count(*) AS n FROM messages ${whereSql(conditions)}`, conditions.params);
    return Number(rows[0]?.n ?? 0);
  }

  async listIds(filter: MessageFilter, limit: number): Promise<string[]> {
    const conditions = messageConditions(filter);
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM messages ${whereSql(conditions)} ORDER BY received_at ASC, id ASC LIMIT $${conditions.params.length + 1}`,
      [...conditions.params, limit],
    );
    return rows.map((row) => row.id);
  }

  /** One endpoint's deliveries, newest first, with the first 4 KB of each body. */
  async listDeliveries(endpointId: string, limit: number, cursor?: PageCursor): Promise<DeliveryRow[]> {
    const params: unknown[] = [endpointId, limit];
    let after = '';
    if (cursor) {
      params.push(cursor.receivedAt, cursor.id);
      after = 'AND (received_at, id) < ($3, $4)';
    }
    return this.db.query(
      `SELECT id, received_at, status, status_reason, http_status, triggered_by, trace->'automations' AS automations,
              octet_length(body) AS body_size, substring(body from 1 for ${DELIVERY_PREVIEW_BYTES}) AS preview
         FROM messages WHERE endpoint_id = $1 ${after}
        ORDER BY received_at DESC, id DESC LIMIT $2`,
      params,
    );
  }

  /**
   * Claims up to `limit` of the oldest unfinished messages for this worker, in one statement.
   * FOR UPDATE SKIP LOCKED lets several server processes claim from one database without taking
   * the same message; the rows are picked in a CTE so that the LIMIT is applied once, to the rows
   * this statement locked. A `processing` message whose lease ran out belonged to a process that
   * died, so it is taken again. A message queued for a retry waits for its next_attempt_at, which
   * lives in the database so that the retry survives a restart and any server may make it.
   * Oldest first.
   */
  async claimBatch(workerId: string, leaseMs: number, limit: number): Promise<MessageEntity[]> {
    // An UPDATE answers [rows, affected] through TypeORM.
    const [rows]: [Array<Record<string, unknown>>, number] = await this.db.query(
      `WITH picked AS (
          SELECT id FROM messages
           WHERE (status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now()))
              OR (status = 'processing' AND locked_until < now())
           ORDER BY received_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
       UPDATE messages m SET status = 'processing', locked_by = $1,
              locked_until = now() + ($2::integer * interval '1 millisecond'), attempts = m.attempts + 1
         FROM picked WHERE m.id = picked.id
       RETURNING m.*`,
      [workerId, leaseMs, limit],
    );
    return rows.map((row) => this.fromRow(row)).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  }

  /**
   * Writes each message's own changes, all in one statement (one round trip, one commit), and
   * releases the delivery ids of those that end failed or dead. The
   * changes travel as one JSON array; a column is set only on the rows whose changes name it. The
   * whole statement fails if the database refuses any one row: callers that must not fail the
   * others write that batch again one message at a time.
   */
  async updateEach(updates: ReadonlyArray<{ id: string; changes: Partial<MessageEntity> }>): Promise<void> {
    if (updates.length === 0) return;
    const metadata = this.rows.metadata;
    const columns = new Map<string, ColumnMetadata>();
    const docs = updates.map(({ id, changes }) => {
      const doc: Record<string, unknown> = { id };
      for (const [property, value] of Object.entries(storableColumns(metadata, changes))) {
        if (value === undefined) continue;
        const column = metadata.findColumnWithPropertyName(property);
        if (!column || column.isPrimary || column.type === 'bytea') throw new Error(`updateEach cannot set the message property "${property}"`);
        columns.set(column.databaseName, column);
        doc[column.databaseName] = value;
      }
      return doc;
    });
    const sets = [...columns.values()].map((column) => {
      const name = column.databaseName;
      // JSON null is SQL NULL here, as TypeORM writes a null property.
      const value = column.type === 'jsonb' ? `NULLIF(v.doc->'${name}', 'null'::jsonb)` : `(v.doc->>'${name}')::${String(column.type)}`;
      return `${name} = CASE WHEN v.doc ? '${name}' THEN ${value} ELSE m.${name} END`;
    });
    // A message that ends failed or dead gives its delivery id back in the same statement, so the
    // sender's redelivery runs again; no crash can come between the two.
    await this.db.query(
      `WITH updated AS (
          UPDATE messages m SET ${sets.join(', ')}
            FROM jsonb_array_elements($1::jsonb) AS v(doc)
           WHERE m.id = (v.doc->>'id')::uuid
          RETURNING m.id, m.status, m.provider_id, m.delivery_id)
       DELETE FROM deliveries d USING updated u
        WHERE u.status IN ('failed', 'dead') AND d.provider_id = u.provider_id AND d.delivery_id = u.delivery_id AND d.message_id = u.id`,
      [JSON.stringify(docs)],
    );
  }

  /** An entity from a raw row, by the entity's own column mapping. */
  private fromRow(row: Record<string, unknown>): MessageEntity {
    const entity = this.rows.create();
    for (const column of this.rows.metadata.columns) {
      (entity as unknown as Record<string, unknown>)[column.propertyName] = row[column.databaseName];
    }
    return entity;
  }

  /** Notes on a message that it was resubmitted as another one. */
  async addResubmission(id: string, copyId: string): Promise<void> {
    await this.db.query(
      `UPDATE messages SET trace = jsonb_set(trace, '{resubmittedAs}', COALESCE(trace->'resubmittedAs', '[]'::jsonb) || to_jsonb($2::text)) WHERE id = $1`,
      [id, copyId],
    );
  }

  /** Keeps this worker's leases alive while its functions run. */
  async extendLeases(workerId: string, ids: string[], leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE messages SET locked_until = now() + ($2::integer * interval '1 millisecond')
        WHERE locked_by = $1 AND status = 'processing' AND id = ANY($3::uuid[])`,
      [workerId, leaseMs, ids],
    );
  }

  /** Gives messages this worker holds and has not started back to the shared queue, as if never claimed. */
  async requeue(workerId: string, ids: string[]): Promise<void> {
    await this.db.query(
      `UPDATE messages SET status = 'queued', locked_by = NULL, locked_until = NULL, attempts = GREATEST(attempts - 1, 0)
        WHERE locked_by = $1 AND status = 'processing' AND id = ANY($2::uuid[])`,
      [workerId, ids],
    );
  }

  /** Embedded mode only: the data-directory lock proves no other process holds a lease. */
  async expireAllLeases(): Promise<number> {
    const [, count] = await this.db.query(`UPDATE messages SET locked_until = now() - interval '1 second' WHERE status = 'processing'`);
    return Number(count);
  }
}
