import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: who changed what, when and from where. `seq` orders and pages it (two entries
 * in one millisecond still have an order). A trigger refuses UPDATE, DELETE and TRUNCATE, so the
 * log is append-only for the server itself and for anyone with its database role; only an
 * operator who drops the trigger can remove entries.
 */
export class AuditLog1766000100000 implements MigrationInterface {
  name = 'AuditLog1766000100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_log (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT now(),
        actor_via text NOT NULL,
        actor_id text,
        actor_name text,
        actor jsonb,
        address text,
        user_agent text,
        action text NOT NULL,
        entity_type text,
        entity_id text,
        entity_name text,
        before jsonb,
        after jsonb,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, seq DESC)`);
    await db.query(`CREATE INDEX audit_log_actor ON audit_log (actor_name, seq DESC)`);
    await db.query(`CREATE INDEX audit_log_action ON audit_log (action, seq DESC)`);
    await db.query(`CREATE INDEX audit_log_at ON audit_log (at)`);
    await db.query(`
      CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
      END $$`);
    await db.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()`);
    await db.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP FUNCTION refuse_audit_change()`);
  }
}
