import type { Params } from '@angular/router';

/**
 * The list's filters, named as the API names them, so the page's query string, the list call,
 * the live stream and bulk resubmit all take the same object.
 */
export interface MessageFilter {
  status?: string;
  providerId?: string;
  uriPrefix?: string;
  eventType?: string;
  /** ISO 8601 times. */
  since?: string;
  until?: string;
  q?: string;
}

export const FILTER_KEYS = ['status', 'providerId', 'uriPrefix', 'eventType', 'since', 'until', 'q'] as const satisfies ReadonlyArray<keyof MessageFilter>;

/** The filters in a page's query parameters; anything else there is ignored. */
export function filterFromParams(params: Params): MessageFilter {
  const filter: MessageFilter = {};
  for (const key of FILTER_KEYS) {
    const value: unknown = params[key];
    if (typeof value === 'string' && value !== '') filter[key] = value;
  }
  return filter;
}

/** `?status=failed&q=...` for the API; empty filters left out. */
export function filterQuery(filter: MessageFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function hasFilter(filter: MessageFilter): boolean {
  return FILTER_KEYS.some((key) => !!filter[key]);
}

/** A `datetime-local` input's value (local time, no zone) as an ISO time; '' stays ''. */
export function localToIso(local: string): string {
  if (!local) return '';
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString();
}

/** An ISO time as a `datetime-local` input shows it, in the browser's zone. */
export function isoToLocal(iso: string | undefined): string {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}
