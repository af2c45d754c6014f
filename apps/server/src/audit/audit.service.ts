import { Injectable } from '@nestjs/common';
import { ForbiddenError, ValidationFailedError } from '../common/errors';
import { parseLimit, parseTimeBounds } from '../common/list-filter';
import { AuditLogRepository, type AuditFilter, type AuditRow } from './audit-log.repository';
import type { AuditEntryView, AuditPageView } from './audit-view';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, type AuditEntityType } from './audited-routes';

const LIST_KEYS = ['actor', 'entity', 'entityId', 'action', 'since', 'until', 'cursor', 'limit'];
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const MAX_FILTER_LENGTH = 200;

/** Reading the audit log: admins only, newest first, filtered and paged. Nothing here writes. */
@Injectable()
export class AuditService {
  constructor(private readonly log: AuditLogRepository) {}

  async list(user: { role?: unknown } | undefined, query: Record<string, string | undefined>): Promise<AuditPageView> {
    // Today every login is the admin; once users have roles, only an admin reads the log.
    if (user?.role !== undefined && user.role !== 'admin') throw new ForbiddenError('Only an admin can read the audit log');
    const filter = parseFilter(query);
    const limit = parseLimit(query.limit, DEFAULT_LIMIT, MAX_LIMIT);
    const rows = await this.log.list(filter, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toView), nextCursor: rows.length > limit && last ? encodeAuditCursor(last.seq) : null };
  }
}

function parseFilter(query: Record<string, string | undefined>): AuditFilter {
  const fields: Record<string, string> = {};
  for (const key of Object.keys(query)) if (!LIST_KEYS.includes(key)) fields[key] = `is not a filter; use ${LIST_KEYS.join(', ')}`;
  const filter: AuditFilter = {};
  for (const key of ['actor', 'entityId'] as const) {
    const value = query[key];
    if (value === undefined || value === '') continue;
    if (value.length > MAX_FILTER_LENGTH) fields[key] = `must be at most ${MAX_FILTER_LENGTH} characters`;
    else filter[key] = value;
  }
  if (query.entity) {
    if ((AUDIT_ENTITY_TYPES as readonly string[]).includes(query.entity)) filter.entity = query.entity as AuditEntityType;
    else fields.entity = `must be one of ${AUDIT_ENTITY_TYPES.join(', ')}`;
  }
  if (query.action) {
    if (AUDIT_ACTIONS.includes(query.action)) filter.action = query.action;
    else fields.action = `must be one of ${AUDIT_ACTIONS.join(', ')}`;
  }
  Object.assign(filter, parseTimeBounds(query, fields));
  if (query.cursor) {
    const seq = decodeAuditCursor(query.cursor);
    if (seq === null) fields.cursor = 'is not a cursor from a previous page (use nextCursor as given)';
    else filter.beforeSeq = seq;
  }
  if (Object.keys(fields).length) throw new ValidationFailedError(fields);
  return filter;
}

function encodeAuditCursor(seq: string): string {
  return Buffer.from(`audit:${seq}`).toString('base64url');
}

function decodeAuditCursor(cursor: string): string | null {
  const match = /^audit:([1-9][0-9]{0,17})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match?.[1] ?? null;
}

function toView(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { via: row.actor_via, id: row.actor_id, name: row.actor_name, identity: row.actor },
    address: row.address,
    userAgent: row.user_agent,
    action: row.action,
    entity: row.entity_type ? { type: row.entity_type, id: row.entity_id, name: row.entity_name } : null,
    before: row.before,
    after: row.after,
    details: row.details,
  };
}
