import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SqlConditions } from '../common/list-filter';
import { DATA_SOURCE } from '../common/tokens';
import type { AuditActorKind, AuditEntityType } from './audited-routes';
import type { AuditEntryView } from './audit-view';

/** An entry as it is written; the database gives it its id, sequence number and time. */
export type NewAuditEntry = Omit<AuditEntryView, 'id' | 'at'>;

export interface AuditFilter {
  /** A user name or id, or a runner's. */
  actor?: string;
  entity?: AuditEntityType;
  entityId?: string;
  action?: string;
  since?: Date;
  until?: Date;
  /** Entries older than this sequence number only (the cursor). */
  beforeSeq?: string;
}

export interface AuditRow {
  seq: string;
  id: string;
  at: Date;
  actor_via: AuditActorKind;
  actor_id: string | null;
  actor_name: string | null;
  actor: Record<string, unknown> | null;
  address: string | null;
  user_agent: string | null;
  action: string;
  entity_type: AuditEntityType | null;
  entity_id: string | null;
  entity_name: string | null;
  before: unknown;
  after: unknown;
  details: Record<string, unknown>;
}

/** The audit table: appended to, read newest first, never changed (its trigger refuses UPDATE and DELETE). */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async append(entry: NewAuditEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_log (actor_via, actor_id, actor_name, actor, address, user_agent, action, entity_type, entity_id, entity_name, before, after, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        entry.actor.via,
        entry.actor.id,
        entry.actor.name,
        jsonOrNull(entry.actor.identity),
        entry.address,
        entry.userAgent,
        entry.action,
        entry.entity?.type ?? null,
        entry.entity?.id ?? null,
        entry.entity?.name ?? null,
        jsonOrNull(entry.before),
        jsonOrNull(entry.after),
        JSON.stringify(entry.details),
      ],
    );
  }

  /**
   * Newest first by sequence number, `limit` rows from below the cursor. The sequence rather than
   * the time orders the page: entries of one millisecond keep their order and none is skipped.
   */
  async list(filter: AuditFilter, limit: number): Promise<AuditRow[]> {
    const sql = new SqlConditions();
    if (filter.actor !== undefined) {
      const value = sql.param(filter.actor);
      sql.where.push(`(actor_name = ${value} OR actor_id = ${value})`);
    }
    if (filter.entity !== undefined) sql.add('entity_type = ?', filter.entity);
    if (filter.entityId !== undefined) sql.add('entity_id = ?', filter.entityId);
    if (filter.action !== undefined) sql.add('action = ?', filter.action);
    if (filter.since !== undefined) sql.add('at >= ?', filter.since);
    if (filter.until !== undefined) sql.add('at < ?', filter.until);
    if (filter.beforeSeq !== undefined) sql.add('seq < ?::bigint', filter.beforeSeq);
    const where = sql.where.length ? `WHERE ${sql.where.join(' AND ')}` : '';
    return this.db.query(`SELECT * FROM audit_log ${where} ORDER BY seq DESC LIMIT ${sql.param(limit)}`, sql.params);
  }
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
