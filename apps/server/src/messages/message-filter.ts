import { MESSAGE_STATUSES, type MessageStatus } from '../../../../libs/engine/src';
import { ValidationFailedError } from '../common/errors';
import { isUuid } from '../common/ids';
import { parseTimeBounds, SqlConditions } from '../common/list-filter';

/** What the message list, the live stream and bulk resubmit select by. */
export interface MessageFilter {
  status?: MessageStatus;
  providerId?: string;
  /** Exact uri. */
  uri?: string;
  /** Uri starting with this text. */
  uriPrefix?: string;
  eventType?: string;
  since?: Date;
  until?: Date;
  ids?: string[];
  /** Free text looked for in the body, case-insensitive for ASCII letters. */
  q?: string;
}

export type FilterQuery = Record<string, string | undefined>;

export const FILTER_NAMES = ['status', 'providerId', 'uri', 'uriPrefix', 'eventType', 'since', 'until', 'q'] as const;

/** Bytes of each body the search looks at: a bound on the cost of every row scanned. */
export const SEARCH_BODY_BYTES = 65_536;
const MAX_SEARCH_LENGTH = 200;

export function parseFilter(query: FilterQuery): MessageFilter {
  const filter: MessageFilter = {};
  const fields: Record<string, string> = {};
  if (query.status) {
    if ((MESSAGE_STATUSES as readonly string[]).includes(query.status)) filter.status = query.status as MessageStatus;
    else fields.status = `must be one of ${MESSAGE_STATUSES.join(', ')}`;
  }
  if (query.providerId) {
    if (isUuid(query.providerId)) filter.providerId = query.providerId;
    else fields.providerId = 'must be a provider id';
  }
  if (query.uri) filter.uri = trimSlashes(query.uri);
  if (query.uriPrefix) filter.uriPrefix = query.uriPrefix.replace(/^\/+/, '');
  if (query.eventType) filter.eventType = query.eventType;
  if (query.q !== undefined && query.q !== '') {
    if (query.q.length > MAX_SEARCH_LENGTH) fields.q = `must be at most ${MAX_SEARCH_LENGTH} characters`;
    else filter.q = query.q;
  }
  Object.assign(filter, parseTimeBounds(query, fields));
  if (Object.keys(fields).length) throw new ValidationFailedError(fields);
  return filter;
}

/** SQL conditions on the messages table. */
export function messageConditions(filter: MessageFilter): SqlConditions {
  const conditions = new SqlConditions();
  if (filter.status) conditions.add('status = ?', filter.status);
  if (filter.providerId) conditions.add('provider_id = ?', filter.providerId);
  if (filter.uri) conditions.add('uri = ?', filter.uri);
  if (filter.uriPrefix) conditions.add('starts_with(uri, ?)', filter.uriPrefix);
  if (filter.eventType) conditions.add('event_type = ?', filter.eventType);
  if (filter.since) conditions.add('received_at >= ?', filter.since);
  if (filter.until) conditions.add('received_at < ?', filter.until);
  if (filter.ids) conditions.add('id = ANY(?::uuid[])', filter.ids);
  // The body is bytea and may not be text at all: the 'escape' encoding turns any bytes into
  // ASCII text (bytes over 127 as \ooo), the same on both sides, so lower() folds ASCII letters.
  if (filter.q) conditions.where.push(searchSql(conditions, filter.q));
  return conditions;
}

/** The body search condition, its text passed as a parameter of `conditions`. */
export function searchSql(conditions: SqlConditions, q: string): string {
  const text = conditions.param(q);
  return `strpos(lower(encode(substring(body from 1 for ${SEARCH_BODY_BYTES}), 'escape')), lower(encode(convert_to(${text}::text, 'UTF8'), 'escape'))) > 0`;
}

export function whereSql(conditions: SqlConditions, extra: string[] = []): string {
  const all = [...conditions.where, ...extra];
  return all.length ? `WHERE ${all.join(' AND ')}` : '';
}

function trimSlashes(uri: string): string {
  return uri.replace(/^\/+|\/+$/g, '');
}
