import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SCM polling: an automation's `scmPoll` setting; the poll state of each watched branch (its last
 * SHA, errors and next attempt), shared by every server on the database; and the commits each
 * automation ran for, one row per automation and SHA, so that a webhook and a poll of the same
 * push run once. Both go with their automation.
 */
export class ScmPolling1765600010000 implements MigrationInterface {
  name = 'ScmPolling1765600010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE automations ADD COLUMN scm_poll jsonb`);
    await db.query(`
      CREATE TABLE scm_poll_state (
        automation_id uuid NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
        branch text NOT NULL,
        last_sha text,
        last_poll_at timestamptz,
        last_error text,
        consecutive_errors integer NOT NULL DEFAULT 0 CHECK (consecutive_errors >= 0),
        next_attempt_at timestamptz,
        baseline_at timestamptz,
        recent_errors jsonb NOT NULL DEFAULT '[]',
        PRIMARY KEY (automation_id, branch)
      )`);
    await db.query(`
      CREATE TABLE scm_seen_shas (
        automation_id uuid NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
        sha text NOT NULL,
        source text NOT NULL CHECK (source IN ('webhook', 'poll')),
        run_id uuid NOT NULL,
        seen_at timestamptz NOT NULL,
        PRIMARY KEY (automation_id, sha)
      )`);
    await db.query(`CREATE INDEX scm_seen_shas_seen_at ON scm_seen_shas (seen_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE scm_seen_shas`);
    await db.query(`DROP TABLE scm_poll_state`);
    await db.query(`ALTER TABLE automations DROP COLUMN scm_poll`);
  }
}
