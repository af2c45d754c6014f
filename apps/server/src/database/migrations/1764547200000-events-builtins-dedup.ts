import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Event naming, built-in providers and duplicate deliveries. */
export class EventsBuiltinsDedup1764547200000 implements MigrationInterface {
  name = 'EventsBuiltinsDedup1764547200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE providers ADD COLUMN builtin_key text UNIQUE`);
    await db.query(`ALTER TABLE providers ADD COLUMN event_format text NOT NULL DEFAULT 'none'`);
    await db.query(`ALTER TABLE messages ADD COLUMN event jsonb`);
    await db.query(`ALTER TABLE messages ADD COLUMN delivery_id text`);
    // Duplicate detection looks up one provider's recent deliveries by id.
    await db.query(`CREATE INDEX messages_delivery ON messages (provider_id, delivery_id, received_at DESC) WHERE delivery_id IS NOT NULL`);
    await db.query(`CREATE INDEX messages_event_type ON messages (event_type, received_at DESC)`);
    await db.query(`
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE settings`);
    await db.query(`DROP INDEX messages_event_type`);
    await db.query(`DROP INDEX messages_delivery`);
    await db.query(`ALTER TABLE messages DROP COLUMN delivery_id`);
    await db.query(`ALTER TABLE messages DROP COLUMN event`);
    await db.query(`ALTER TABLE providers DROP COLUMN event_format`);
    await db.query(`ALTER TABLE providers DROP COLUMN builtin_key`);
  }
}
