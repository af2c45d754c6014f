import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { ProviderEntity } from '../database/entities/provider.entity';

@Injectable()
export class ProvidersRepository {
  private readonly rows: Repository<ProviderEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.rows = db.getRepository(ProviderEntity);
  }

  list(): Promise<ProviderEntity[]> {
    return this.rows.find({ order: { priority: 'ASC', name: 'ASC' } });
  }

  findById(id: string): Promise<ProviderEntity | null> {
    return this.rows.findOneBy({ id });
  }

  /** Which of `ids` name a provider. */
  async existingIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM providers WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((row) => row.id);
  }

  findByBuiltinKey(builtinKey: string): Promise<ProviderEntity | null> {
    return this.rows.findOneBy({ builtinKey });
  }

  findByName(name: string): Promise<ProviderEntity | null> {
    return this.rows.findOneBy({ name });
  }

  async nextPriority(): Promise<number> {
    const [row] = await this.db.query(`SELECT COALESCE(MAX(priority), 0) + 10 AS next FROM providers`);
    return Number(row.next);
  }

  /** A priority below every provider's: asked first. */
  async firstPriority(): Promise<number> {
    const [row] = await this.db.query(`SELECT COALESCE(MIN(priority), 10) - 10 AS first FROM providers`);
    return Number(row.first);
  }

  /** `em` puts the write in a transaction, beside the version it records. */
  insert(values: Partial<ProviderEntity>, em: EntityManager): Promise<ProviderEntity> {
    const rows = em.getRepository(ProviderEntity);
    return rows.save(rows.create(values));
  }

  save(provider: ProviderEntity, em: EntityManager): Promise<ProviderEntity> {
    return em.getRepository(ProviderEntity).save(provider);
  }

  async delete(id: string): Promise<void> {
    await this.rows.delete({ id });
  }

  /** Priorities 10, 20, 30… in the given order, inside the caller's transaction. */
  async reorder(ids: string[], em: EntityManager): Promise<void> {
    for (const [index, id] of ids.entries()) {
      await em.update(ProviderEntity, { id }, { priority: (index + 1) * 10 });
    }
  }
}
