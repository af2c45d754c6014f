import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { lockDataDir } from './database/data-dir-lock';
import { applyMigrations, openDatabase } from './database/open-database';
import { createRootLogger } from './logging/root-logger';

/**
 * `npm run migrate`: applies pending migrations to the configured database and exits. It logs as
 * the server does (HOOKLINE_LOG_FORMAT), so a job that runs it before the servers logs alike.
 */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const logger = createRootLogger({ level: config.logLevel, format: config.logFormat }).child({ context: 'Migrations' });
  const release = config.database.kind === 'pglite' ? lockDataDir(config.dataDir) : () => undefined;
  try {
    const database = await openDatabase(config.database, { migrate: false });
    const applied = await applyMigrations(database.dataSource, config.database.kind);
    if (applied.length) logger.info({ applied }, `Applied ${applied.join(', ')}`);
    else logger.info('The database is up to date');
    await database.close();
  } finally {
    release();
  }
}

migrate().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Bad setting ${err.message}` : err);
  process.exit(1);
});
