import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764460800000 implements MigrationInterface {
  name = 'InitialSchema1764460800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        description text NOT NULL DEFAULT '',
        priority integer NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        match_script text NOT NULL,
        verification_scheme text NOT NULL DEFAULT 'none',
        secret_sealed text,
        previous_secret_sealed text,
        previous_secret_expires_at timestamptz,
        verification_options jsonb NOT NULL DEFAULT '{}',
        properties jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE functions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        provider_id uuid NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        uri text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        script text NOT NULL DEFAULT '',
        condition text,
        timeout_ms integer NOT NULL DEFAULT 5000,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX functions_provider_uri ON functions (provider_id, uri)`);
    await db.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        received_at timestamptz NOT NULL,
        method text NOT NULL,
        uri text NOT NULL,
        path text NOT NULL,
        query jsonb NOT NULL DEFAULT '{}',
        headers jsonb NOT NULL DEFAULT '{}',
        body bytea NOT NULL,
        content_type text,
        source_address text,
        status text NOT NULL,
        status_reason text,
        provider_id uuid,
        provider_name text,
        event_type text,
        http_status integer,
        sync boolean NOT NULL DEFAULT false,
        triggered_by text NOT NULL DEFAULT 'webhook',
        resubmitted_from uuid,
        trace jsonb NOT NULL DEFAULT '{}',
        attempts integer NOT NULL DEFAULT 0,
        locked_by text,
        locked_until timestamptz,
        finished_at timestamptz
      )`);
    // Newest-first listing and cursor paging walk (received_at, id).
    await db.query(`CREATE INDEX messages_received ON messages (received_at DESC, id DESC)`);
    await db.query(`CREATE INDEX messages_status_received ON messages (status, received_at DESC)`);
    await db.query(`CREATE INDEX messages_provider_received ON messages (provider_id, received_at DESC)`);
    // The queue only ever looks at unfinished messages: keep that index small.
    await db.query(`CREATE INDEX messages_pending ON messages (received_at) WHERE status IN ('queued', 'processing')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE messages`);
    await db.query(`DROP TABLE functions`);
    await db.query(`DROP TABLE providers`);
    await db.query(`DROP TABLE sessions`);
    await db.query(`DROP TABLE users`);
  }
}
