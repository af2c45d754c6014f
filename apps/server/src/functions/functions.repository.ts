import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { FunctionEntity } from '../database/entities/function.entity';

@Injectable()
export class FunctionsRepository {
  private readonly rows: Repository<FunctionEntity>;

  constructor(@Inject(DATA_SOURCE) db: DataSource) {
    this.rows = db.getRepository(FunctionEntity);
  }

  list(filter: { providerId?: string; uri?: string }): Promise<FunctionEntity[]> {
    return this.rows.find({ where: { ...filter }, order: { name: 'ASC' } });
  }

  findById(id: string): Promise<FunctionEntity | null> {
    return this.rows.findOneBy({ id });
  }

  /** `em` puts the write in a transaction, beside the version it records. */
  insert(values: Partial<FunctionEntity>, em: EntityManager): Promise<FunctionEntity> {
    const rows = em.getRepository(FunctionEntity);
    return rows.save(rows.create(values));
  }

  save(fn: FunctionEntity, em: EntityManager): Promise<FunctionEntity> {
    return em.getRepository(FunctionEntity).save(fn);
  }

  async delete(id: string): Promise<void> {
    await this.rows.delete({ id });
  }
}
