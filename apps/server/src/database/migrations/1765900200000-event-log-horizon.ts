import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The highest event log number retention has removed. A stream client that asks to resume after
 * a lower number has missed frames that are gone, and is told so with a gap frame. Numbers alone
 * cannot say it: a numbering transaction that rolls back leaves a hole in the sequence too.
 */
export class EventLogHorizon1765900200000 implements MigrationInterface {
  name = 'EventLogHorizon1765900200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE event_log_horizon (id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), removed_through bigint NOT NULL DEFAULT 0)`);
    await db.query(`INSERT INTO event_log_horizon (id, removed_through) VALUES (1, 0)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE event_log_horizon`);
  }
}
