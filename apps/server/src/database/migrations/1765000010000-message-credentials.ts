import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credential headers (a bearer token, GitLab's X-Gitlab-Token) are stored sealed, apart from
 * the headers shown. Messages stored before keep their headers as they are: retention
 * removes them, and rewriting them would need the master key, which the database never sees.
 */
export class MessageCredentials1765000010000 implements MigrationInterface {
  name = 'MessageCredentials1765000010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE messages ADD COLUMN credentials_sealed text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE messages DROP COLUMN credentials_sealed`);
  }
}
