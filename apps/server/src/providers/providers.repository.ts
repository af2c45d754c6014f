import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
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

  async insert(values: Partial<ProviderEntity>): Promise<ProviderEntity> {
    const saved = await this.rows.save(this.rows.create(values));
    return saved;
  }

  save(provider: ProviderEntity): Promise<ProviderEntity> {
    return this.rows.save(provider);
  }

  async delete(id: string): Promise<void> {
    await this.rows.delete({ id });
  }

  /** Priorities 10, 20, 30… in the given order, in one transaction. */
  async reorder(ids: string[]): Promise<void> {
    await this.db.transaction(async (em) => {
      for (const [index, id] of ids.entries()) {
        await em.update(ProviderEntity, { id }, { priority: (index + 1) * 10 });
      }
    });
  }
}
