import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Endpoint tokens are shown once: only their hash and a short prefix are kept. The sealed
 * copies of tokens made before cannot be opened here (the master key is not a database
 * matter); the server takes their prefix and clears them when it starts.
 */
export class EndpointTokenPrefix1765000000000 implements MigrationInterface {
  name = 'EndpointTokenPrefix1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints ADD COLUMN token_prefix text NOT NULL DEFAULT ''`);
    await db.query(`ALTER TABLE endpoints ALTER COLUMN token_sealed DROP NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Tokens made since cannot be shown again: those endpoints need a regenerate.
    await db.query(`UPDATE endpoints SET token_sealed = '' WHERE token_sealed IS NULL`);
    await db.query(`ALTER TABLE endpoints ALTER COLUMN token_sealed SET NOT NULL`);
    await db.query(`ALTER TABLE endpoints DROP COLUMN token_prefix`);
  }
}
