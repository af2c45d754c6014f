import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { lockDataDir } from './database/data-dir-lock';
import { applyMigrations, openDatabase } from './database/open-database';

/** `npm run migrate`: applies pending migrations to the configured database and exits. */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const release = config.database.kind === 'pglite' ? lockDataDir(config.dataDir) : () => undefined;
  try {
    const database = await openDatabase(config.database, { migrate: false });
    const applied = await applyMigrations(database.dataSource, config.database.kind);
    console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date');
    await database.close();
  } finally {
    release();
  }
}

migrate().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Bad setting ${err.message}` : err);
  process.exit(1);
});
