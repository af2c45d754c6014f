import type { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = `
  version integer NOT NULL CHECK (version > 0),
  content jsonb NOT NULL,
  comment text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now()`;

/**
 * Versions of provider scripts, function scripts and the provider order. A provider's or
 * function's versions go with it when it is deleted (ON DELETE CASCADE). What exists at upgrade
 * becomes version 1 of each provider and function, written by no one (created_by NULL).
 */
export class ScriptVersions1765300010000 implements MigrationInterface {
  name = 'ScriptVersions1765300010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE provider_versions (
      provider_id uuid NOT NULL REFERENCES providers(id) ON DELETE CASCADE,${COLUMNS},
      PRIMARY KEY (provider_id, version))`);
    await db.query(`CREATE TABLE function_versions (
      function_id uuid NOT NULL REFERENCES functions(id) ON DELETE CASCADE,${COLUMNS},
      PRIMARY KEY (function_id, version))`);
    await db.query(`CREATE TABLE provider_order_versions (${COLUMNS},
      PRIMARY KEY (version))`);
    // The content shapes here must stay those of providerContent and functionContent.
    await db.query(`
      INSERT INTO provider_versions (provider_id, version, content, comment, created_at)
      SELECT id, 1,
        jsonb_build_object('matchScript', match_script,
          'verification', jsonb_build_object('scheme', verification_scheme, 'options', verification_options),
          'eventFormat', event_format),
        'as it was when versions began', updated_at
      FROM providers`);
    await db.query(`
      INSERT INTO function_versions (function_id, version, content, comment, created_at)
      SELECT id, 1, jsonb_build_object('script', script, 'condition', condition, 'timeoutMs', timeout_ms),
        'as it was when versions began', updated_at
      FROM functions`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE provider_order_versions`);
    await db.query(`DROP TABLE function_versions`);
    await db.query(`DROP TABLE provider_versions`);
  }
}
