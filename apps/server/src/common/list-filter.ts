import { ValidationFailedError } from './errors';

/** SQL conditions with numbered parameters; `?` in each condition stands for its value. */
export class SqlConditions {
  readonly where: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, value: unknown): void {
    this.where.push(sql.replace('?', this.param(value)));
  }

  /** A parameter for SQL outside the conditions (a limit, a condition kept apart): its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/** `since` and `until` of a list query as times; a bad one is named in `fields`. */
export function parseTimeBounds(query: Record<string, string | undefined>, fields: Record<string, string>): { since?: Date; until?: Date } {
  const bounds: { since?: Date; until?: Date } = {};
  for (const key of ['since', 'until'] as const) {
    const value = query[key];
    if (!value) continue;
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) fields[key] = 'must be an ISO 8601 time, e.g. 2026-11-30T00:00:00Z';
    else bounds[key] = time;
  }
  return bounds;
}

export function parseLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new ValidationFailedError({ limit: `must be a whole number from 1 to ${max}` });
  return limit;
}
