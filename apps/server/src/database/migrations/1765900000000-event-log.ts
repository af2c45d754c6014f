import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log: one row per accepted message that has a normalized event (and, later, other
 * frames such as a task being resumed), in the order runners see them.
 *
 * A trigger on `messages` appends the rows, so every writer is covered and the ingest path makes
 * no extra round trip: one INSERT ... SELECT per statement, from its transition table. Rows are
 * appended without a `seq`; the sequencer (EventSequencer) numbers them under an advisory lock, so
 * that a frame with a higher `seq` is never visible before one with a lower `seq`. A reader that
 * has seen up to N can therefore ask for `seq > N` and miss nothing.
 */
export class EventLog1765900000000 implements MigrationInterface {
  name = 'EventLog1765900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE event_log_seq`);
    await db.query(`
      CREATE TABLE event_log (
        id bigserial PRIMARY KEY,
        seq bigint UNIQUE,
        kind text NOT NULL,
        message_id uuid,
        provider_id uuid,
        provider_name text,
        runner_id uuid,
        task_id uuid,
        key text,
        repository text,
        event jsonb NOT NULL DEFAULT '{}',
        received_at timestamptz NOT NULL DEFAULT now(),
        sequenced_at timestamptz
      )`);
    await db.query(`CREATE INDEX event_log_unsequenced ON event_log (id) WHERE seq IS NULL`);
    await db.query(`CREATE INDEX event_log_sequenced_at ON event_log (sequenced_at)`);
    await db.query(`
      CREATE FUNCTION log_message_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO event_log (kind, message_id, provider_id, provider_name, key, repository, event, received_at)
          SELECT 'pluginWebhook', m.id, m.provider_id, m.provider_name, m.event->>'key', m.event->>'repository', m.event, m.received_at
            FROM new_messages m
           WHERE m.event IS NOT NULL AND jsonb_typeof(m.event) = 'object' AND m.event ? 'key'
             AND m.status NOT IN ('unauthorized', 'duplicate', 'no_provider');
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER messages_events AFTER INSERT ON messages
        REFERENCING NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION log_message_events()`);
    await db.query(`
      CREATE FUNCTION notify_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM appended) THEN PERFORM pg_notify('hookline_events', ''); END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER event_log_appended AFTER INSERT ON event_log
        REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION notify_events_appended()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER event_log_appended ON event_log`);
    await db.query(`DROP FUNCTION notify_events_appended()`);
    await db.query(`DROP TRIGGER messages_events ON messages`);
    await db.query(`DROP FUNCTION log_message_events()`);
    await db.query(`DROP TABLE event_log`);
    await db.query(`DROP SEQUENCE event_log_seq`);
  }
}
