import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { GitProviderEntity } from '../database/entities/git-provider.entity';

@Injectable()
export class GitProvidersRepository {
  private readonly rows: Repository<GitProviderEntity>;

  constructor(@Inject(DATA_SOURCE) db: DataSource) {
    this.rows = db.getRepository(GitProviderEntity);
  }

  list(): Promise<GitProviderEntity[]> {
    return this.rows.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<GitProviderEntity | null> {
    return this.rows.findOneBy({ id });
  }

  findByName(name: string): Promise<GitProviderEntity | null> {
    return this.rows.findOneBy({ name });
  }

  insert(values: Partial<GitProviderEntity>): Promise<GitProviderEntity> {
    return this.rows.save(this.rows.create(values));
  }

  save(provider: GitProviderEntity): Promise<GitProviderEntity> {
    return this.rows.save(provider);
  }

  async delete(id: string): Promise<void> {
    await this.rows.delete({ id });
  }
}
