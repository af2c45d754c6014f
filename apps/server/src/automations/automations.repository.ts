import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { AutomationEntity, type FailureEvent } from '../database/entities/automation.entity';

@Injectable()
export class AutomationsRepository {
  private readonly rows: Repository<AutomationEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.rows = db.getRepository(AutomationEntity);
  }

  list(): Promise<AutomationEntity[]> {
    return this.rows.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<AutomationEntity | null> {
    return this.rows.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<AutomationEntity[]> {
    return ids.length ? this.rows.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  findByName(name: string): Promise<AutomationEntity | null> {
    return this.rows.findOneBy({ name });
  }

  /** Automations linked to a failure event, enabled or not (a disabled one records a skipped run). */
  async findByEvent(event: FailureEvent): Promise<AutomationEntity[]> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM automations WHERE events @> $1::jsonb ORDER BY name`, [JSON.stringify([event])]);
    return this.findByIds(rows.map((row) => row.id));
  }

  /** The names of the automations whose scmPoll asks the Git provider `providerName`. */
  async namesPollingWith(providerName: string): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.db.query(`SELECT name FROM automations WHERE scm_poll->>'providerName' = $1 ORDER BY name`, [providerName]);
    return rows.map((row) => row.name);
  }

  insert(values: Partial<AutomationEntity>): Promise<AutomationEntity> {
    return this.rows.save(this.rows.create(values));
  }

  save(automation: AutomationEntity): Promise<AutomationEntity> {
    return this.rows.save(automation);
  }

  async delete(id: string): Promise<void> {
    await this.rows.delete({ id });
  }

  /**
   * Takes one due scheduled automation and moves its next time on, in one transaction:
   * FOR UPDATE SKIP LOCKED means that with several servers on one database each tick
   * fires once.
   */
  async takeDue(next: (automation: AutomationEntity) => Date | null): Promise<AutomationEntity | null> {
    return this.db.transaction(async (em) => {
      const [row]: Array<{ id: string }> = await em.query(
        `SELECT id FROM automations WHERE next_run_at IS NOT NULL AND next_run_at <= now() ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!row) return null;
      const automation = await em.findOneByOrFail(AutomationEntity, { id: row.id });
      await em.update(AutomationEntity, { id: row.id }, { nextRunAt: next(automation) });
      return automation;
    });
  }
}
