import 'reflect-metadata';
import { ADMIN_USERNAME, generatePassword, resetAdminPassword } from './auth/admin-user';
import { textBox } from './common/text-box';
import { ConfigError, loadConfig } from './config';
import { DataDirLockedError, lockDataDir } from './database/data-dir-lock';
import { openDatabase } from './database/open-database';

const USAGE = `Usage: npm run admin -- <command>

Commands:
  reset-password   Sets the password of user "${ADMIN_USERNAME}" to HOOKLINE_ADMIN_PASSWORD, or to a
                   generated one it prints, makes it an admin, and ends that user's sessions. On the embedded
                   database, stop the server first; on PostgreSQL (DATABASE_URL) it may run.

Example:
  HOOKLINE_ADMIN_PASSWORD='a-new-password' npm run admin -- reset-password`;

/** A mistake on the command line: usage goes with it, and the exit code is 2. */
class UsageError extends Error {}

/** `npm run admin -- <command>`: host-side administration, for when the API cannot be reached. */
async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined) throw new UsageError('No command given.');
  if (command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  if (command !== 'reset-password') throw new UsageError(`Unknown command "${command}".`);
  if (rest.length > 0) throw new UsageError(`reset-password takes no arguments; it reads HOOKLINE_ADMIN_PASSWORD (got "${rest.join(' ')}").`);
  await resetPassword();
}

async function resetPassword(): Promise<void> {
  const config = loadConfig();
  let release: () => void = () => undefined;
  if (config.database.kind === 'pglite') {
    try {
      release = lockDataDir(config.dataDir);
    } catch (err) {
      if (!(err instanceof DataDirLockedError)) throw err;
      throw new Error(`Cannot reset the password while the server runs on the embedded database. ${err.message}`);
    }
  }
  try {
    const database = await openDatabase(config.database, { migrate: true });
    try {
      const password = config.adminPassword ?? generatePassword();
      const outcome = await resetAdminPassword(database.dataSource, password);
      const source = config.adminPassword ? ' from HOOKLINE_ADMIN_PASSWORD' : '';
      if (outcome.created) console.log(`Created user "${ADMIN_USERNAME}"${source}.`);
      else console.log(`Set the password of user "${ADMIN_USERNAME}"${source} and ended its ${outcome.sessionsEnded} session${outcome.sessionsEnded === 1 ? '' : 's'}.`);
      if (!config.adminPassword) console.log(textBox([`New password of user "${ADMIN_USERNAME}" (shown once):`, `  ${password}`]));
    } finally {
      await database.close();
    }
  } finally {
    release();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (err instanceof ConfigError) console.error(`Bad setting ${err.message}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
