import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A runner token may be scoped to a list of providers: its stream and its parked tasks see only their events. */
export class RunnerScopes1765900010000 implements MigrationInterface {
  name = 'RunnerScopes1765900010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE runners ADD COLUMN provider_ids jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE runners DROP COLUMN provider_ids`);
  }
}
