import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change feed for the live message list: one row per new message and per status change,
 * written by a trigger so that every writer (ingress, queue, retries, resubmits) is covered
 * at the cost of one small insert. Rows are ordered by (tx, seq): the writing transaction's
 * id, then a sequence. A reader takes only rows whose transaction is older than every
 * transaction still running (`pg_snapshot_xmin`), so no row can later appear behind a
 * position it has passed, even with several server processes writing concurrently.
 */
export class MessageChanges1765300020000 implements MigrationInterface {
  name = 'MessageChanges1765300020000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE message_changes (
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        message_id uuid NOT NULL,
        status text NOT NULL,
        previous_status text,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (tx, seq)
      )`);
    // Pruning by age.
    await db.query(`CREATE INDEX message_changes_at ON message_changes (at)`);
    await db.query(`
      CREATE FUNCTION record_message_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO message_changes (message_id, status) VALUES (NEW.id, NEW.status);
        ELSE
          INSERT INTO message_changes (message_id, status, previous_status) VALUES (NEW.id, NEW.status, OLD.status);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER messages_created AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION record_message_change()`);
    await db.query(`
      CREATE TRIGGER messages_status_changed AFTER UPDATE OF status ON messages
        FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION record_message_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER messages_status_changed ON messages`);
    await db.query(`DROP TRIGGER messages_created ON messages`);
    await db.query(`DROP FUNCTION record_message_change()`);
    await db.query(`DROP TABLE message_changes`);
  }
}
