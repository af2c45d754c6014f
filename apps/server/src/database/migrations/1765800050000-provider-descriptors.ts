import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The descriptor a provider was made from (signature, uris, event source), kept beside the
 * settings it generated; null for every provider made by hand, which is all of them until now.
 */
export class ProviderDescriptors1765800050000 implements MigrationInterface {
  name = 'ProviderDescriptors1765800050000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE providers ADD COLUMN descriptor jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE providers DROP COLUMN descriptor`);
  }
}
