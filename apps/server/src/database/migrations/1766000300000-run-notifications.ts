import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `hookline_runs` when a run becomes `pending` (created, retried, or resumed from a task): the
 * workers of every server wake at once. Without it, a run created on an ingress or scheduler
 * process waited for a worker's next poll (HOOKLINE_QUEUE_POLL).
 */
export class RunNotifications1766000300000 implements MigrationInterface {
  name = 'RunNotifications1766000300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE FUNCTION notify_run_pending() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('hookline_runs', ''); RETURN NULL; END $$`);
    await db.query(`
      CREATE TRIGGER runs_pending AFTER INSERT OR UPDATE OF status ON runs
        FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION notify_run_pending()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER runs_pending ON runs`);
    await db.query(`DROP FUNCTION notify_run_pending()`);
  }
}
