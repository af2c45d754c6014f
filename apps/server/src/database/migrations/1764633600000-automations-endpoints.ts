import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Automations with their runs and runner tasks, and secret-token webhook endpoints. */
export class AutomationsEndpoints1764633600000 implements MigrationInterface {
  name = 'AutomationsEndpoints1764633600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE automations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        description text NOT NULL DEFAULT '',
        enabled boolean NOT NULL DEFAULT true,
        schedule text,
        time_zone text NOT NULL DEFAULT 'UTC',
        target jsonb NOT NULL,
        next_run_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The scheduler only looks at automations that are due.
    await db.query(`CREATE INDEX automations_due ON automations (next_run_at) WHERE next_run_at IS NOT NULL`);
    await db.query(`
      CREATE TABLE runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        automation_id uuid NOT NULL REFERENCES automations(id) ON DELETE CASCADE,
        automation_name text NOT NULL,
        trigger text NOT NULL,
        message_id uuid,
        function_id uuid,
        endpoint_id uuid,
        vars jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL,
        status_reason text,
        rendered jsonb NOT NULL DEFAULT '{}',
        warnings jsonb NOT NULL DEFAULT '[]',
        output jsonb,
        attempts integer NOT NULL DEFAULT 0,
        locked_by text,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX runs_automation ON runs (automation_id, created_at DESC)`);
    await db.query(`CREATE INDEX runs_message ON runs (message_id)`);
    await db.query(`CREATE INDEX runs_pending ON runs (created_at) WHERE status IN ('pending', 'running')`);
    await db.query(`
      CREATE TABLE runners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        automation_id uuid NOT NULL,
        message_id uuid,
        name text NOT NULL,
        instructions text NOT NULL DEFAULT '',
        params jsonb NOT NULL DEFAULT '{}',
        payload jsonb,
        status text NOT NULL DEFAULT 'pending',
        runner_id uuid,
        claimed_at timestamptz,
        completed_at timestamptz,
        output jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX tasks_pending ON tasks (created_at) WHERE status = 'pending'`);
    await db.query(`
      CREATE TABLE endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        description text NOT NULL DEFAULT '',
        enabled boolean NOT NULL DEFAULT true,
        token_hash text NOT NULL UNIQUE,
        token_sealed text NOT NULL,
        verification_scheme text NOT NULL DEFAULT 'none',
        secret_sealed text,
        verification_options jsonb NOT NULL DEFAULT '{}',
        automation_ids jsonb NOT NULL DEFAULT '[]',
        cooldown_seconds integer NOT NULL DEFAULT 0,
        last_accepted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`ALTER TABLE functions ADD COLUMN automation_ids jsonb NOT NULL DEFAULT '[]'`);
    await db.query(`ALTER TABLE messages ADD COLUMN endpoint_id uuid`);
    await db.query(`CREATE INDEX messages_endpoint ON messages (endpoint_id, received_at DESC) WHERE endpoint_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX messages_endpoint`);
    await db.query(`ALTER TABLE messages DROP COLUMN endpoint_id`);
    await db.query(`ALTER TABLE functions DROP COLUMN automation_ids`);
    await db.query(`DROP TABLE endpoints`);
    await db.query(`DROP TABLE tasks`);
    await db.query(`DROP TABLE runners`);
    await db.query(`DROP TABLE runs`);
    await db.query(`DROP TABLE automations`);
  }
}
