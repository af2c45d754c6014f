import type { Logger } from 'pino';
import { ConfigError, loadConfig } from './config';
import { DataDirLockedError } from './database/data-dir-lock';
import { createRootLogger, formatted } from './logging/root-logger';
import { startServer } from './server';

/** Set once the settings are read: from then on a failed start is a record in the chosen format, on standard error. */
let failures: Logger | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  failures = createRootLogger({ level: config.logLevel, format: config.logFormat }, formatted(config.logFormat, 2));
  const server = await startServer(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info(`${signal}: stopping`);
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`Bad setting ${err.message}`);
  else if (!failures) console.error(err);
  else if (err instanceof DataDirLockedError) failures.fatal(err.message);
  else failures.fatal({ err }, `Could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
