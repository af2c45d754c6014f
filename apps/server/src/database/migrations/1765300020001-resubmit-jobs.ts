import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Bulk resubmits run as jobs whose progress any server process can read. */
export class ResubmitJobs1765300020001 implements MigrationInterface {
  name = 'ResubmitJobs1765300020001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE resubmit_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        selection jsonb NOT NULL,
        status text NOT NULL DEFAULT 'running',
        total integer NOT NULL,
        done integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        -- The first messages that could not go again, with the reason (a bounded list).
        errors jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE resubmit_jobs`);
  }
}
