import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users get a role (the users that exist, all admins until now, stay admins), and personal API
 * tokens for scripts and CI: only each token's SHA-256 is kept. A user's tokens go with the user.
 */
export class UsersRolesTokens1766000000000 implements MigrationInterface {
  name = 'UsersRolesTokens1766000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'editor', 'viewer'))`);
    // Every later insert names its role; the default existed only to fill the rows above.
    await db.query(`ALTER TABLE users ALTER COLUMN role DROP DEFAULT`);
    await db.query(`
      CREATE TABLE personal_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX personal_tokens_user ON personal_tokens (user_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE personal_tokens`);
    await db.query(`ALTER TABLE users DROP COLUMN role`);
  }
}
