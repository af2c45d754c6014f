import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per sender delivery id a provider has accepted, claimed in the transaction that writes
 * the message: the primary key makes two copies of one delivery arriving together impossible to
 * both accept, which a lookup before the insert could not. The messages index that served that
 * lookup goes; recent accepted deliveries are copied in so that an upgrade keeps recognising them.
 */
export class Deliveries1765400000000 implements MigrationInterface {
  name = 'Deliveries1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE deliveries (
        provider_id uuid NOT NULL,
        delivery_id text NOT NULL,
        message_id uuid NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (provider_id, delivery_id)
      )`);
    await db.query(`
      INSERT INTO deliveries (provider_id, delivery_id, message_id, received_at)
      SELECT DISTINCT ON (provider_id, delivery_id) provider_id, delivery_id, id, received_at
        FROM messages
       WHERE provider_id IS NOT NULL AND delivery_id IS NOT NULL AND triggered_by = 'webhook'
         AND status IN ('queued', 'processing', 'processed', 'no_function')
       ORDER BY provider_id, delivery_id, received_at`);
    await db.query(`DROP INDEX messages_delivery`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX messages_delivery ON messages (provider_id, delivery_id, received_at DESC) WHERE delivery_id IS NOT NULL`);
    await db.query(`DROP TABLE deliveries`);
  }
}
