import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DATA_SOURCE } from '../common/tokens';
import { RunEntity } from '../database/entities/run.entity';
import { storableColumns } from '../database/storable';

type Writable = QueryDeepPartialEntity<RunEntity>;

@Injectable()
export class RunsRepository {
  private readonly rows: Repository<RunEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.rows = db.getRepository(RunEntity);
  }

  insert(values: Partial<RunEntity>): Promise<RunEntity> {
    return this.rows.save(this.rows.create(storableColumns(this.rows.metadata, values)));
  }

  findById(id: string): Promise<RunEntity | null> {
    return this.rows.findOneBy({ id });
  }

  async update(id: string, changes: Partial<RunEntity>): Promise<void> {
    await this.rows.update({ id }, storableColumns(this.rows.metadata, changes) as Writable);
  }

  listForAutomation(automationId: string, limit: number): Promise<RunEntity[]> {
    return this.rows.find({ where: { automationId }, order: { createdAt: 'DESC' }, take: limit });
  }

  listForMessage(messageId: string): Promise<RunEntity[]> {
    return this.rows.find({ where: { messageId }, order: { createdAt: 'ASC' } });
  }

  /**
   * Claims the oldest pending run, as the message queue does: SKIP LOCKED so that several
   * servers never run one twice, and a running run whose lease ran out (its server died) is
   * taken again. A run waiting for a runner's task holds no lease and is not taken.
   */
  async claimNext(workerId: string, leaseMs: number): Promise<RunEntity | null> {
    const [rows]: [Array<{ id: string }>, number] = await this.db.query(
      `UPDATE runs SET status = 'running', locked_by = $1, locked_until = now() + ($2::integer * interval '1 millisecond'),
              attempts = attempts + 1, started_at = COALESCE(started_at, now())
        WHERE id = (
          SELECT id FROM runs
           WHERE status = 'pending' OR (status = 'running' AND locked_until < now())
           ORDER BY created_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [workerId, leaseMs],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  async expireAllLeases(): Promise<number> {
    const [, count] = await this.db.query(`UPDATE runs SET locked_until = now() - interval '1 second' WHERE status = 'running' AND locked_until IS NOT NULL`);
    return Number(count);
  }
}
