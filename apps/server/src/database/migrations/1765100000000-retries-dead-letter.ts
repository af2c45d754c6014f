import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Durable retry policies, the time of a message's or run's next attempt, and failure-event links. */
export class RetriesDeadLetter1765100000000 implements MigrationInterface {
  name = 'RetriesDeadLetter1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE functions ADD COLUMN retry jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE automations ADD COLUMN retry jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE automations ADD COLUMN events jsonb NOT NULL DEFAULT '[]'`);
    await db.query(`ALTER TABLE messages ADD COLUMN next_attempt_at timestamptz`);
    await db.query(`ALTER TABLE runs ADD COLUMN next_attempt_at timestamptz`);
    await db.query(`ALTER TABLE runs ADD COLUMN retries integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE runs ADD COLUMN earlier_attempts jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE runs DROP COLUMN earlier_attempts`);
    await db.query(`ALTER TABLE runs DROP COLUMN retries`);
    await db.query(`ALTER TABLE runs DROP COLUMN next_attempt_at`);
    await db.query(`ALTER TABLE messages DROP COLUMN next_attempt_at`);
    await db.query(`ALTER TABLE automations DROP COLUMN events`);
    await db.query(`ALTER TABLE automations DROP COLUMN retry`);
    await db.query(`ALTER TABLE functions DROP COLUMN retry`);
  }
}
