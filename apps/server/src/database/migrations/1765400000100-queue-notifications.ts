import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * NOTIFY from triggers, so that every writer is covered and a notification goes out only when its
 * transaction commits: `hookline_queue` when a message becomes `queued` (idle workers of every
 * server wake at once instead of at their next poll), `hookline_catalog` when providers or
 * functions change (every server drops its cached catalog). PostgreSQL folds identical
 * notifications of one transaction into one, so a batch of queued messages sends a single one.
 */
export class QueueNotifications1765400000100 implements MigrationInterface {
  name = 'QueueNotifications1765400000100';

  async up(db: QueryRunner): Promise<void> {
    for (const [fn, channel] of [
      ['notify_message_queued', 'hookline_queue'],
      ['notify_catalog_changed', 'hookline_catalog'],
    ]) {
      await db.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('${channel}', ''); RETURN NULL; END $$`);
    }
    await db.query(`
      CREATE TRIGGER messages_queued AFTER INSERT OR UPDATE OF status ON messages
        FOR EACH ROW WHEN (NEW.status = 'queued') EXECUTE FUNCTION notify_message_queued()`);
    for (const table of ['providers', 'functions']) {
      await db.query(`CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['providers', 'functions']) await db.query(`DROP TRIGGER ${table}_changed ON ${table}`);
    await db.query(`DROP FUNCTION notify_catalog_changed()`);
    await db.query(`DROP TRIGGER messages_queued ON messages`);
    await db.query(`DROP FUNCTION notify_message_queued()`);
  }
}
