import { Injectable } from '@nestjs/common';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { parseLimit } from '../common/list-filter';
import { validate } from '../common/validate';
import { CommentOnlyInput } from './version-input';
import type { VersionPage, VersionSummaryView, VersionView } from './version-view';
import { VersionsRepository, type Authorship, type StoredVersion, type VersionSubject } from './versions.repository';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const LIST_KEYS = ['limit', 'cursor'];

class VersionNotFoundError extends NotFoundError {
  constructor(subject: VersionSubject, version: number) {
    super('version', String(version));
    this.message = `${describe(subject)} has no version ${version}`;
  }
}

/** A provider or a function, seen by the routes its versions share. */
export interface VersionedTarget {
  kind: 'provider' | 'function';
  /** Throws a NotFoundError for an unknown id. */
  get(id: string): Promise<unknown>;
  /** An ordinary save of the fields in `body`, checks included; it makes the version. */
  update(id: string, body: Record<string, unknown>, by: Authorship): Promise<unknown>;
}

/** Reading versions for the API: pages, one version, and the number in a path checked. */
@Injectable()
export class VersionsService {
  constructor(private readonly versions: VersionsRepository) {}

  /** Newest first; `cursor` is the `nextCursor` of the page before. */
  async page(subject: VersionSubject, query: Record<string, string | undefined>): Promise<VersionPage> {
    const unknown = Object.keys(query).filter((key) => !LIST_KEYS.includes(key));
    if (unknown.length) throw new ValidationFailedError(Object.fromEntries(unknown.map((key) => [key, `is not a parameter here; use ${LIST_KEYS.join(', ')}`])));
    const limit = parseLimit(query.limit, DEFAULT_LIMIT, MAX_LIMIT);
    const before = query.cursor ? parseCursor(query.cursor) : undefined;
    const rows = await this.versions.list(subject, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toSummaryView), nextCursor: rows.length > limit && last ? String(last.version) : null };
  }

  async get(subject: VersionSubject, version: string): Promise<VersionView> {
    const stored = await this.require(subject, version);
    return { ...toSummaryView(stored), content: stored.content };
  }

  async listOf(target: VersionedTarget, id: string, query: Record<string, string | undefined>): Promise<VersionPage> {
    await target.get(id);
    return this.page({ kind: target.kind, id }, query);
  }

  async getOf(target: VersionedTarget, id: string, version: string): Promise<VersionView> {
    await target.get(id);
    return this.get({ kind: target.kind, id }, version);
  }

  /** Saves the version's content again as a new version; what it does not hold (secrets, name and the rest) stays as it is. */
  async restore(target: VersionedTarget, id: string, version: string, body: unknown, author: string | null): Promise<unknown> {
    const { comment } = validate(CommentOnlyInput, body);
    await target.get(id);
    const stored = await this.require({ kind: target.kind, id }, version);
    return target.update(id, { ...stored.content, comment }, { author, forced: { comment: restoredFrom(stored.version) } });
  }

  /** The stored version named by a path parameter, or a 400 for a bad number and a 404 for an unknown one. */
  async require(subject: VersionSubject, version: string): Promise<StoredVersion> {
    const number = versionNumber(version);
    if (number === undefined) throw new ValidationFailedError({ version: 'must be a version number such as 3' });
    const stored = await this.versions.find(subject, number);
    if (!stored) throw new VersionNotFoundError(subject, number);
    return stored;
  }
}

export function restoredFrom(version: number): string {
  return `restored from v${version}`;
}

/** Version numbers, and the cursors made of them, are whole numbers from 1. */
function versionNumber(value: string): number | undefined {
  return /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : undefined;
}

function parseCursor(value: string): number {
  const before = versionNumber(value);
  if (before === undefined) throw new ValidationFailedError({ cursor: 'is not a cursor from a previous page (use nextCursor as given)' });
  return before;
}

function toSummaryView(stored: Omit<StoredVersion, 'content'>): VersionSummaryView {
  return { version: stored.version, comment: stored.comment, createdBy: stored.createdBy, createdAt: stored.createdAt.toISOString() };
}

function describe(subject: VersionSubject): string {
  switch (subject.kind) {
    case 'provider':
      return `Provider ${subject.id}`;
    case 'function':
      return `Function ${subject.id}`;
    case 'provider-order':
      return 'The provider order';
  }
}
