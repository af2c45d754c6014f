import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Git providers: the hosts that SCM polling asks for branch heads, each with its kind, where it
 * is (an API base, an organisation URL or a remote) and its token sealed like provider secrets.
 * Automations refer to one by name, so the name is unique.
 */
export class GitProviders1765600000000 implements MigrationInterface {
  name = 'GitProviders1765600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE git_providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('github', 'azure-devops', 'git')),
        base_url text,
        remote_url text,
        username text,
        token_sealed text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind <> 'git' OR remote_url IS NOT NULL),
        CHECK (kind <> 'azure-devops' OR base_url IS NOT NULL)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE git_providers`);
  }
}
