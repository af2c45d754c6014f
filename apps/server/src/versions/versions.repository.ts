import { Inject, Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';

/** What has versions: one provider, one function, or the provider order (there is one). */
export type VersionSubject = { kind: 'provider'; id: string } | { kind: 'function'; id: string } | { kind: 'provider-order' };

export interface StoredVersion {
  version: number;
  content: Record<string, unknown>;
  comment: string | null;
  /** The user who saved it; null when the server did (built-in seeding, upgrade, the order before its first change). */
  createdBy: string | null;
  createdAt: Date;
}

export interface NewVersion {
  subject: VersionSubject;
  content: Record<string, unknown>;
  comment: string | null;
  createdBy: string | null;
  /** Record even when the content equals the latest version's (a restore or a reset always makes one). */
  always?: boolean;
}

/** Who saves; a restore or a reset also names the comment to keep when none is given, and always makes a version. */
export interface Authorship {
  author: string | null;
  forced?: { comment: string };
}

interface Row {
  version: number;
  content: Record<string, unknown>;
  comment: string | null;
  created_by: string | null;
  created_at: Date;
}

interface Table {
  table: string;
  /** The subject's id column and table, and its condition and parameter; the order has none. */
  column: string | null;
  parent: string | null;
  where: string;
  params: unknown[];
}

/** The three version tables share their columns; only the subject column differs. */
function tableOf(subject: VersionSubject): Table {
  switch (subject.kind) {
    case 'provider':
      return { table: 'provider_versions', column: 'provider_id', parent: 'providers', where: 'provider_id = $1', params: [subject.id] };
    case 'function':
      return { table: 'function_versions', column: 'function_id', parent: 'functions', where: 'function_id = $1', params: [subject.id] };
    case 'provider-order':
      return { table: 'provider_order_versions', column: null, parent: null, where: 'TRUE', params: [] };
  }
}

@Injectable()
export class VersionsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** Runs `work` in one transaction, so that a change and its version commit or roll back together. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Runs `save` and records the content of what it saved as the next version, in one transaction. */
  saveVersioned<T>(
    save: (em: EntityManager) => Promise<T>,
    versionOf: (saved: T) => Pick<NewVersion, 'subject' | 'content'>,
    comment: string | undefined,
    by: Authorship,
  ): Promise<T> {
    return this.transaction(async (em) => {
      const saved = await save(em);
      await this.recordSave(em, versionOf(saved), comment, by);
      return saved;
    });
  }

  /** `record` for a save by `by`, with the comment given or else the forced one. */
  recordSave(em: EntityManager, version: Pick<NewVersion, 'subject' | 'content'>, comment: string | undefined, by: Authorship): Promise<number | null> {
    return this.record(em, { ...version, comment: comment ?? by.forced?.comment ?? null, createdBy: by.author, always: by.forced !== undefined });
  }

  /**
   * Adds the next version, unless the content is unchanged and `always` is not set; returns its
   * number, or null when nothing was added. Call it inside the change's transaction. Locking the
   * subject's row makes concurrent saves of one subject number in turn, even a save that changed
   * no column; the order's versions rely on the reorder having updated every provider row.
   */
  async record(em: EntityManager, entry: NewVersion): Promise<number | null> {
    const { table, column, parent, where, params } = tableOf(entry.subject);
    if (parent) await em.query(`SELECT 1 FROM ${parent} WHERE id = $1 FOR UPDATE`, params);
    const [latest] = (await em.query(`SELECT version, content FROM ${table} WHERE ${where} ORDER BY version DESC LIMIT 1`, params)) as Row[];
    if (latest && !entry.always && isDeepStrictEqual(latest.content, entry.content)) return null;
    const version = (latest?.version ?? 0) + 1;
    const columns = [...(column ? [column] : []), 'version', 'content', 'comment', 'created_by'];
    const values = [...params, version, JSON.stringify(entry.content), entry.comment, entry.createdBy];
    await em.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`, values);
    return version;
  }

  async hasAny(em: EntityManager, subject: VersionSubject): Promise<boolean> {
    const { table, where, params } = tableOf(subject);
    const rows = (await em.query(`SELECT 1 FROM ${table} WHERE ${where} LIMIT 1`, params)) as unknown[];
    return rows.length > 0;
  }

  /** Newest first, without content; `before` is the version number the previous page ended at. */
  async list(subject: VersionSubject, limit: number, before?: number): Promise<Omit<StoredVersion, 'content'>[]> {
    const { table, where, params } = tableOf(subject);
    const conditions = [where, ...(before === undefined ? [] : [`version < $${params.length + 1}`])];
    const values = [...params, ...(before === undefined ? [] : [before]), limit];
    const rows = (await this.db.query(
      `SELECT version, comment, created_by, created_at FROM ${table} WHERE ${conditions.join(' AND ')} ORDER BY version DESC LIMIT $${values.length}`,
      values,
    )) as Row[];
    return rows.map((row) => ({ version: Number(row.version), comment: row.comment, createdBy: row.created_by, createdAt: new Date(row.created_at) }));
  }

  async find(subject: VersionSubject, version: number): Promise<StoredVersion | null> {
    const { table, where, params } = tableOf(subject);
    const [row] = (await this.db.query(
      `SELECT version, content, comment, created_by, created_at FROM ${table} WHERE ${where} AND version = $${params.length + 1}`,
      [...params, version],
    )) as Row[];
    return row ? fromRow(row) : null;
  }
}

function fromRow(row: Row): StoredVersion {
  return { version: Number(row.version), content: row.content, comment: row.comment, createdBy: row.created_by, createdAt: new Date(row.created_at) };
}
