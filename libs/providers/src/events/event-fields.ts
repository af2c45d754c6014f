import type { EventFormat, NormalizedEvent } from './event-types';

/**
 * Safe readers over untrusted payloads. Senders change shapes, admins point the wrong
 * sender at a provider, and a describer must never throw: every reader answers
 * `undefined` rather than failing on a missing or mistyped field.
 */

export type Fields = Record<string, unknown>;

/** Git's all-zero id: the `before` of a new ref, the `after` of a deleted one. */
export function isZeroSha(sha: string | undefined): boolean {
  return sha !== undefined && /^0+$/.test(sha);
}

export function fieldsOf(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

/** The value at a path of property names and array indexes, or undefined. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      const fields = fieldsOf(current);
      if (fields === undefined || !Object.prototype.hasOwnProperty.call(fields, step)) return undefined;
      current = fields[step];
    }
  }
  return current;
}

/** A non-empty string at the path; numbers are accepted and written out (ids). */
export function text(value: unknown, ...path: Array<string | number>): string | undefined {
  const found = at(value, ...path);
  if (typeof found === 'string') return found === '' ? undefined : found;
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return undefined;
}

/** An integer at the path; numeric strings count (Bitbucket and Azure ids come both ways). */
export function integer(value: unknown, ...path: Array<string | number>): number | undefined {
  const found = at(value, ...path);
  const number = typeof found === 'string' && /^\d+$/.test(found) ? Number(found) : found;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/** A table entry by own key only: `constructor` in a payload must not find Object's. */
export function lookup(table: Record<string, string>, key: string | null | undefined): string | undefined {
  return key !== null && key !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export function firstText(...candidates: Array<string | undefined>): string | undefined {
  return candidates.find((candidate) => candidate !== undefined);
}

/** A header value, or null; names are lower-case, and a blank value counts as absent. */
export function header(headers: Record<string, string> | undefined, ...names: string[]): string | null {
  for (const name of names) {
    const value: unknown = headers?.[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

/** Splits a git ref into a branch or a tag. Anything else (notes, PR refs) is neither. */
export function refParts(ref: string | undefined): { branch?: string; tag?: string } {
  if (ref === undefined) return {};
  if (ref.startsWith('refs/heads/')) return { branch: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { tag: ref.slice('refs/tags/'.length) };
  if (ref.startsWith('refs/')) return {};
  return { branch: ref };
}

/** `<type>` or `<type>:<action>`, lower-cased: the key of anything without a mapping of its own. */
export function fallbackKey(type: string, action: string | null | undefined): string {
  return (action ? `${type}:${action}` : type).toLowerCase();
}

/** `open`, `closed` or `merged`, from any sender's own word for a pull request's state. */
export function pullRequestState(raw: string | undefined, merged: boolean): string {
  if (merged) return 'merged';
  switch ((raw ?? '').toLowerCase()) {
    case 'open':
    case 'opened':
    case 'active':
      return 'open';
    case 'merged':
    case 'fulfilled':
    case 'completed':
      return 'merged';
    case '':
      return 'open';
    default:
      // closed, declined, superseded, abandoned, locked
      return 'closed';
  }
}

/** `success`, `failure`, `cancelled`, or the sender's own word in lower case. */
export function buildStatus(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const word = raw.toLowerCase();
  if (['success', 'succeeded', 'successful', 'passed'].includes(word)) return 'success';
  if (['failure', 'failed', 'error', 'errored', 'timed_out'].includes(word)) return 'failure';
  if (['cancelled', 'canceled', 'stopped', 'aborted'].includes(word)) return 'cancelled';
  return word;
}

export interface EventParts extends Omit<NormalizedEvent, 'provider' | 'type' | 'action' | 'key'> {
  key: string;
  action?: string | null;
}

/** Assembles an event, leaving out the fields the sender did not provide. */
export function buildEvent(provider: EventFormat, type: string, parts: EventParts): NormalizedEvent {
  const event: Record<string, unknown> = { provider, type, action: parts.action ?? null };
  for (const [name, value] of Object.entries(parts)) {
    if (name !== 'action' && value !== undefined) event[name] = value;
  }
  return event as unknown as NormalizedEvent;
}

/**
 * The JSON inside a form field: GitHub's form-encoded deliveries and Slack's interactivity
 * posts carry their JSON body in a `payload` field.
 */
export function formJson(payload: unknown, field: string): unknown {
  const value = at(payload, field);
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
