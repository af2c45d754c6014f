import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Secret provider properties: name → value sealed with the master key, readable by scripts only. */
export class SecretProperties1765000020000 implements MigrationInterface {
  name = 'SecretProperties1765000020000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE providers ADD COLUMN secret_properties jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE providers DROP COLUMN secret_properties`);
  }
}
