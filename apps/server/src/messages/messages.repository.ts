import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import type { MessageStatus } from '../../../../libs/engine/src';
import { DATA_SOURCE } from '../common/tokens';
import { MessageEntity } from '../database/entities/message.entity';
import { storableColumns } from '../database/storable';
import type { PageCursor } from '../common/cursor';
import { SqlConditions } from '../common/list-filter';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

// The trace is opaque JSON to the database; TypeORM's deep-partial type cannot follow `unknown` inside it.
type Writable = QueryDeepPartialEntity<MessageEntity>;

export interface MessageFilter {
  status?: MessageStatus;
  providerId?: string;
  uri?: string;
  eventType?: string;
  since?: Date;
  until?: Date;
  ids?: string[];
}

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
const SUMMARY_COLUMNS = `id, received_at, method, uri, status, status_reason, provider_id, provider_name, event_type,
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
  triggered_by: string;
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

  async insert(message: Partial<MessageEntity>): Promise<void> {
    await this.rows.insert(storableColumns(this.rows.metadata, message) as Writable);
  }

  findById(id: string): Promise<MessageEntity | null> {
    return this.rows.findOneBy({ id });
  }

  async update(id: string, changes: Partial<MessageEntity>): Promise<void> {
    await this.rows.update({ id }, storableColumns(this.rows.metadata, changes) as Writable);
  }

  /**
   * Newest first. Paging is by keyset on (received_at, id) rather than OFFSET, so
   * a page stays stable while new messages arrive and deep pages cost the same.
   */
  async list(filter: MessageFilter, limit: number, cursor?: PageCursor): Promise<MessageSummaryRow[]> {
    const { where, params } = whereClause(filter);
    if (cursor) {
      params.push(cursor.receivedAt, cursor.id);
      where.push(`(received_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit);
    return this.db.query(
      `SELECT ${SUMMARY_COLUMNS} FROM messages ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY received_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }

  async listIds(filter: MessageFilter, limit: number): Promise<string[]> {
    const { where, params } = whereClause(filter);
    params.push(limit);
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM messages ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY received_at ASC, id ASC LIMIT $${params.length}`,
      params,
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

  /** An earlier message of the provider with this delivery id that was accepted for processing. */
  async findAcceptedDelivery(providerId: string, deliveryId: string, since: Date, excludeId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM messages
        WHERE provider_id = $1 AND delivery_id = $2 AND received_at >= $3 AND id <> $4
          AND status IN ('queued', 'processing', 'processed', 'no_function')
        ORDER BY received_at LIMIT 1`,
      [providerId, deliveryId, since, excludeId],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Claims the oldest unfinished message for this worker. FOR UPDATE SKIP LOCKED lets
   * several server processes poll one database without claiming the same message; a
   * `processing` message whose lease ran out belonged to a process that died, so it is
   * taken again. A message queued for a retry waits for its next_attempt_at, which lives in the
   * database so that the retry survives a restart and any server may make it.
   */
  async claimNext(workerId: string, leaseMs: number): Promise<MessageEntity | null> {
    // An UPDATE answers [rows, affected] through TypeORM.
    const [rows]: [Array<Record<string, unknown>>, number] = await this.db.query(
      `UPDATE messages SET status = 'processing', locked_by = $1,
              locked_until = now() + ($2::integer * interval '1 millisecond'), attempts = attempts + 1
        WHERE id = (
          SELECT id FROM messages
           WHERE (status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now()))
              OR (status = 'processing' AND locked_until < now())
           ORDER BY received_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [workerId, leaseMs],
    );
    return rows[0] ? this.fromRow(rows[0]) : null;
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

  /** Embedded mode only: the data-directory lock proves no other process holds a lease. */
  async expireAllLeases(): Promise<number> {
    const [, count] = await this.db.query(`UPDATE messages SET locked_until = now() - interval '1 second' WHERE status = 'processing'`);
    return Number(count);
  }
}

function whereClause(filter: MessageFilter): SqlConditions {
  const conditions = new SqlConditions();
  if (filter.status) conditions.add('status = ?', filter.status);
  if (filter.providerId) conditions.add('provider_id = ?', filter.providerId);
  if (filter.uri) conditions.add('uri = ?', filter.uri);
  if (filter.eventType) conditions.add('event_type = ?', filter.eventType);
  if (filter.since) conditions.add('received_at >= ?', filter.since);
  if (filter.until) conditions.add('received_at < ?', filter.until);
  if (filter.ids) conditions.add('id = ANY(?::uuid[])', filter.ids);
  return conditions;
}
