import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MessageStatus } from '../../../../libs/engine/src';
import { ValidationFailedError } from '../common/errors';
import { DATA_SOURCE } from '../common/tokens';
import { messageConditions, whereSql, type MessageFilter } from './message-filter';
import { SUMMARY_COLUMNS, type MessageSummaryRow } from './messages.repository';

/** A place in the change feed: the writing transaction, then the sequence. */
export interface ChangePosition {
  tx: bigint;
  seq: bigint;
}

export const FEED_START: ChangePosition = { tx: 0n, seq: 0n };

export interface ChangeRow extends MessageSummaryRow {
  change_tx: string;
  change_seq: string;
  change_status: MessageStatus;
  previous_status: MessageStatus | null;
  changed_at: Date;
}

/** How long changes are kept for clients that reconnect. */
export const CHANGE_RETENTION_MS = 24 * 3_600_000;

/** Reads the message change feed that the messages table's triggers write (see the migration). */
@Injectable()
export class MessageChangesRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /**
   * The newest position no later change can come before: only changes of transactions older
   * than every running one are final (a newer sequence number may commit before an older one).
   */
  async head(): Promise<ChangePosition> {
    const rows: Array<{ tx: string; seq: string }> = await this.db.query(
      `SELECT tx::text AS tx, seq::text AS seq FROM message_changes
        WHERE tx < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY tx DESC, seq DESC LIMIT 1`,
    );
    return rows[0] ? { tx: BigInt(rows[0].tx), seq: BigInt(rows[0].seq) } : FEED_START;
  }

  /** Changes after `from` up to `to` (a head) whose message matches the filter, oldest first. */
  async after(filter: MessageFilter, from: ChangePosition, to: ChangePosition, limit: number): Promise<ChangeRow[]> {
    // The status filter selects by the status a change recorded, not the message's status now.
    const { status, ...rest } = filter;
    const conditions = messageConditions(rest);
    const where = [
      `(c.tx, c.seq) > (${conditions.param(from.tx.toString())}::xid8, ${conditions.param(from.seq.toString())}::bigint)`,
      `(c.tx, c.seq) <= (${conditions.param(to.tx.toString())}::xid8, ${conditions.param(to.seq.toString())}::bigint)`,
    ];
    if (status) where.push(`c.status = ${conditions.param(status)}`);
    return this.db.query(
      `SELECT c.tx::text AS change_tx, c.seq::text AS change_seq, c.status AS change_status, c.previous_status, c.at AS changed_at, m.*
         FROM message_changes c
         JOIN LATERAL (SELECT ${SUMMARY_COLUMNS} FROM messages ${whereSql(conditions, ['id = c.message_id'])}) m ON true
        WHERE ${where.join(' AND ')}
        ORDER BY c.tx, c.seq LIMIT ${conditions.param(limit)}`,
      conditions.params,
    );
  }
}

export function positionOf(row: ChangeRow): ChangePosition {
  return { tx: BigInt(row.change_tx), seq: BigInt(row.change_seq) };
}

export function isBefore(a: ChangePosition, b: ChangePosition): boolean {
  return a.tx < b.tx || (a.tx === b.tx && a.seq < b.seq);
}

/** An SSE event id: `<tx>-<seq>`. */
export function encodePosition(position: ChangePosition): string {
  return `${position.tx}-${position.seq}`;
}

export function decodePosition(value: string, field: string): ChangePosition {
  const match = /^(\d{1,20})-(\d{1,20})$/.exec(value.trim());
  if (!match) throw new ValidationFailedError({ [field]: 'is not an event id from this stream (send the id of the last event received)' });
  return { tx: BigInt(match[1]), seq: BigInt(match[2]) };
}
