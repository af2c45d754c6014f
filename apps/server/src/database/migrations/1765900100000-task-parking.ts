import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parked tasks. A runner parks a task it holds until an event (or an operator, or a deadline)
 * resumes it. The task state `pending` becomes `queued`, beside the new `parked`.
 *
 * What a parked task waits for is kept twice: as the runner sent it (`tasks.wait_for`, for views
 * and reasons) and as one `task_waits` row per condition, indexed by (key_pattern, repository), so
 * that an event finds its candidate waits by equality on its possible key patterns instead of a
 * scan of every parked task. A wait row lives only while its task is parked.
 */
export class TaskParking1765900100000 implements MigrationInterface {
  name = 'TaskParking1765900100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE tasks SET status = 'queued' WHERE status = 'pending'`);
    await db.query(`ALTER TABLE tasks ALTER COLUMN status SET DEFAULT 'queued'`);
    await db.query(`DROP INDEX tasks_pending`);
    await db.query(`CREATE INDEX tasks_queued ON tasks (created_at) WHERE status = 'queued'`);
    await db.query(`
      ALTER TABLE tasks
        ADD COLUMN parked_by uuid,
        ADD COLUMN parked_at timestamptz,
        ADD COLUMN wait_for jsonb,
        ADD COLUMN wait_until timestamptz,
        ADD COLUMN on_timeout text,
        ADD COLUMN resumed_by jsonb,
        ADD COLUMN resumed_by_message_id uuid,
        ADD COLUMN inbox jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN history jsonb NOT NULL DEFAULT '[]'`);
    await db.query(`CREATE INDEX tasks_parked_until ON tasks (wait_until) WHERE status = 'parked'`);
    // A message's trace lists the tasks it resumed, read when the message is.
    await db.query(`CREATE INDEX tasks_resumed_by_message ON tasks (resumed_by_message_id) WHERE resumed_by_message_id IS NOT NULL`);
    await db.query(`
      CREATE TABLE task_waits (
        id bigserial PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        position integer NOT NULL,
        key_pattern text NOT NULL,
        repository text,
        branch text,
        pull_request integer,
        issue text,
        where_expression text
      )`);
    await db.query(`CREATE INDEX task_waits_lookup ON task_waits (key_pattern, repository)`);
    await db.query(`CREATE INDEX task_waits_task ON task_waits (task_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE task_waits`);
    await db.query(`DROP INDEX tasks_resumed_by_message`);
    await db.query(`DROP INDEX tasks_parked_until`);
    await db.query(`
      ALTER TABLE tasks
        DROP COLUMN parked_by, DROP COLUMN parked_at, DROP COLUMN wait_for, DROP COLUMN wait_until, DROP COLUMN on_timeout,
        DROP COLUMN resumed_by, DROP COLUMN resumed_by_message_id, DROP COLUMN inbox, DROP COLUMN history`);
    await db.query(`DROP INDEX tasks_queued`);
    await db.query(`UPDATE tasks SET status = 'pending' WHERE status IN ('queued', 'parked')`);
    await db.query(`ALTER TABLE tasks ALTER COLUMN status SET DEFAULT 'pending'`);
    await db.query(`CREATE INDEX tasks_pending ON tasks (created_at) WHERE status = 'pending'`);
  }
}
