import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DATA_SOURCE } from '../common/tokens';
import { TaskEntity } from '../database/entities/task.entity';
import { storableColumns } from '../database/storable';

@Injectable()
export class TasksRepository {
  private readonly rows: Repository<TaskEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.rows = db.getRepository(TaskEntity);
  }

  insert(values: Partial<TaskEntity>): Promise<TaskEntity> {
    return this.rows.save(this.rows.create(storableColumns(this.rows.metadata, values)));
  }

  findById(id: string): Promise<TaskEntity | null> {
    return this.rows.findOneBy({ id });
  }

  async update(id: string, changes: Partial<TaskEntity>): Promise<void> {
    await this.rows.update({ id }, storableColumns(this.rows.metadata, changes) as QueryDeepPartialEntity<TaskEntity>);
  }

  /** The oldest pending task, claimed once however many runners poll at the same moment. */
  async claimOldest(runnerId: string): Promise<TaskEntity | null> {
    const [rows]: [Array<{ id: string }>, number] = await this.db.query(
      `UPDATE tasks SET status = 'claimed', runner_id = $1, claimed_at = now()
        WHERE id = (SELECT id FROM tasks WHERE status = 'pending' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [runnerId],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }
}
