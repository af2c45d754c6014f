import { ValidationFailedError } from '../common/errors';
import { isUuid } from '../common/ids';
import { FILTER_NAMES, parseFilter, type MessageFilter } from './message-filter';

/** Which messages a bulk action takes: a filter (or ids), oldest first, up to `limit`. */
export interface BulkSelection {
  filter: MessageFilter;
  limit: number;
}

/** Reads a bulk request's filters, ids and limit; `options` names the other fields it may have. */
export function parseBulkSelection(body: unknown, maxLimit: number, options: readonly string[] = []): BulkSelection {
  const input = (body ?? {}) as Record<string, unknown>;
  const allowed = [...FILTER_NAMES, 'ids', 'limit'];
  const unknown = Object.keys(input).filter((key) => !allowed.includes(key) && !options.includes(key));
  if (unknown.length) throw new ValidationFailedError(Object.fromEntries(unknown.map((key) => [key, `is not a filter; use ${allowed.join(', ')}`])));
  const filters = Object.entries(input).filter(([key]) => (FILTER_NAMES as readonly string[]).includes(key));
  const filter = parseFilter(Object.fromEntries(filters.map(([key, value]) => [key, value === undefined ? undefined : String(value)])));
  if (input.ids !== undefined) {
    if (!Array.isArray(input.ids) || input.ids.some((value) => typeof value !== 'string' || !isUuid(value))) {
      throw new ValidationFailedError({ ids: 'must be a list of message ids' });
    }
    filter.ids = input.ids as string[];
  }
  if (Object.keys(filter).length === 0) {
    throw new ValidationFailedError({ body: 'name ids or at least one filter (status, providerId, uri, since, until); resubmitting everything is not allowed' });
  }
  const limit = input.limit === undefined ? maxLimit : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new ValidationFailedError({ limit: `must be a whole number from 1 to ${maxLimit}` });
  return { filter, limit };
}
