import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs started by SCM polling: what the poll saw (provider, repository, branch, old and new SHA,
 * commit message, author, link, latency), and the commit a run is for (a poll's new SHA, or the
 * commit a webhook delivery announced to an automation that polls). A task gets the environment
 * its runner should set (the `<REPO>_SHA` variables of a poll-triggered run).
 */
export class PollRuns1765700000000 implements MigrationInterface {
  name = 'PollRuns1765700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE runs ADD COLUMN scm_poll jsonb`);
    await db.query(`ALTER TABLE runs ADD COLUMN commit_sha text`);
    await db.query(`ALTER TABLE tasks ADD COLUMN env jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tasks DROP COLUMN env`);
    await db.query(`ALTER TABLE runs DROP COLUMN commit_sha`);
    await db.query(`ALTER TABLE runs DROP COLUMN scm_poll`);
  }
}
