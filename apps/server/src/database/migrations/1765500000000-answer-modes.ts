import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A provider's answer mode (async, respond, sync), its respond timeout and its fixed async answer;
 * a function's override of the mode. Every existing provider keeps answering as before: async.
 */
export class AnswerModes1765500000000 implements MigrationInterface {
  name = 'AnswerModes1765500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE providers
        ADD COLUMN answer_mode text NOT NULL DEFAULT 'async' CHECK (answer_mode IN ('async', 'respond', 'sync')),
        ADD COLUMN respond_timeout_ms integer NOT NULL DEFAULT 3000 CHECK (respond_timeout_ms > 0),
        ADD COLUMN fixed_answer jsonb`);
    await db.query(`ALTER TABLE functions ADD COLUMN answer_mode text CHECK (answer_mode IN ('async', 'respond', 'sync'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE functions DROP COLUMN answer_mode`);
    await db.query(`ALTER TABLE providers DROP COLUMN answer_mode, DROP COLUMN respond_timeout_ms, DROP COLUMN fixed_answer`);
  }
}
