import { mkdirSync } from 'node:fs';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { FunctionEntity } from './entities/function.entity';
import { MessageEntity } from './entities/message.entity';
import { ProviderEntity } from './entities/provider.entity';
import { SessionEntity } from './entities/session.entity';
import { UserEntity } from './entities/user.entity';
import { PersonalTokenEntity } from './entities/personal-token.entity';
import { UsersRolesTokens1766000000000 } from './migrations/1766000000000-users-roles-tokens';
import { InitialSchema1764460800000 } from './migrations/1764460800000-initial-schema';
import { EventsBuiltinsDedup1764547200000 } from './migrations/1764547200000-events-builtins-dedup';
import { AutomationsEndpoints1764633600000 } from './migrations/1764633600000-automations-endpoints';
import { EndpointTokenPrefix1765000000000 } from './migrations/1765000000000-endpoint-token-prefix';
import { MessageCredentials1765000010000 } from './migrations/1765000010000-message-credentials';
import { SecretProperties1765000020000 } from './migrations/1765000020000-secret-properties';
import { RetriesDeadLetter1765100000000 } from './migrations/1765100000000-retries-dead-letter';
import { ScriptVersions1765300010000 } from './migrations/1765300010000-script-versions';
import { MessageChanges1765300020000 } from './migrations/1765300020000-message-changes';
import { ResubmitJobs1765300020001 } from './migrations/1765300020001-resubmit-jobs';
import { Deliveries1765400000000 } from './migrations/1765400000000-deliveries';
import { AnswerModes1765500000000 } from './migrations/1765500000000-answer-modes';
import { GitProviders1765600000000 } from './migrations/1765600000000-git-providers';
import { ScmPolling1765600010000 } from './migrations/1765600010000-scm-polling';
import { PollRuns1765700000000 } from './migrations/1765700000000-poll-runs';
import { ProviderDescriptors1765800050000 } from './migrations/1765800050000-provider-descriptors';
import { EventLog1765900000000 } from './migrations/1765900000000-event-log';
import { RunnerScopes1765900010000 } from './migrations/1765900010000-runner-scopes';
import { TaskParking1765900100000 } from './migrations/1765900100000-task-parking';
import { EventLogHorizon1765900200000 } from './migrations/1765900200000-event-log-horizon';
import { AuditLog1766000100000 } from './migrations/1766000100000-audit-log';
import { RunNotifications1766000300000 } from './migrations/1766000300000-run-notifications';
import { AutomationEntity } from './entities/automation.entity';
import { EndpointEntity } from './entities/endpoint.entity';
import { GitProviderEntity } from './entities/git-provider.entity';
import { RunEntity } from './entities/run.entity';
import { RunnerEntity } from './entities/runner.entity';
import { TaskEntity } from './entities/task.entity';
import { QueueNotifications1765400000100 } from './migrations/1765400000100-queue-notifications';
import { listenOnPglite, NO_NOTIFICATIONS, PgListener, type Notifications } from './notifications';
import { createPgliteDriver } from './pglite-pg-shim';

export const ENTITIES = [
  UserEntity,
  SessionEntity,
  PersonalTokenEntity,
  ProviderEntity,
  FunctionEntity,
  MessageEntity,
  AutomationEntity,
  RunEntity,
  RunnerEntity,
  TaskEntity,
  EndpointEntity,
  GitProviderEntity,
];
export const MIGRATIONS = [
  InitialSchema1764460800000,
  EventsBuiltinsDedup1764547200000,
  AutomationsEndpoints1764633600000,
  EndpointTokenPrefix1765000000000,
  MessageCredentials1765000010000,
  SecretProperties1765000020000,
  RetriesDeadLetter1765100000000,
  ScriptVersions1765300010000,
  MessageChanges1765300020000,
  ResubmitJobs1765300020001,
  Deliveries1765400000000,
  QueueNotifications1765400000100,
  AnswerModes1765500000000,
  GitProviders1765600000000,
  ScmPolling1765600010000,
  PollRuns1765700000000,
  ProviderDescriptors1765800050000,
  EventLog1765900000000,
  RunnerScopes1765900010000,
  TaskParking1765900100000,
  EventLogHorizon1765900200000,
  UsersRolesTokens1766000000000,
  AuditLog1766000100000,
  RunNotifications1766000300000,
];

export interface OpenDatabase {
  dataSource: DataSource;
  kind: DatabaseConfig['kind'];
  /** Silent unless opened with `listen`. */
  notifications: Notifications;
  close(): Promise<void>;
}

const INT8 = 20;
const BYTEA = 17;

/**
 * Opens PostgreSQL or embedded PGlite behind one TypeORM DataSource and applies migrations; with
 * `listen`, also listens for the database's notifications (a server does, tools do not).
 */
/** The advisory lock migrating processes take turns under; a fixed number of its own ('hkl' + 'mig'). */
const MIGRATION_LOCK = 0x686b6c_6d6967;

/**
 * Applies pending migrations. On PostgreSQL, processes started together (a deployment's replicas,
 * every role at once) take turns under an advisory lock: the first applies them, the others then
 * find nothing to do, instead of racing to create the same tables and failing.
 */
export async function applyMigrations(dataSource: DataSource, kind: DatabaseConfig['kind']): Promise<string[]> {
  if (kind === 'pglite') return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  // A session lock, on a connection of its own for the whole run: the migrations use others.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  } finally {
    await runner.release();
  }
}

export async function openDatabase(config: DatabaseConfig, options: { migrate: boolean; listen?: boolean }): Promise<OpenDatabase> {
  const common = {
    type: 'postgres',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'hookline_migrations',
    synchronize: false,
    // gen_random_uuid() is core since PostgreSQL 13 and present in PGlite: no extension needed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
  } as const;
  let close: () => Promise<void> = async () => undefined;
  let dataSourceOptions: DataSourceOptions;
  let notifications: Notifications = NO_NOTIFICATIONS;
  if (config.kind === 'postgres') {
    dataSourceOptions = { ...common, url: config.url, poolSize: 10, applicationName: 'hookline' };
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(config.dataDir, {
      // Match node-postgres: int8 as a string, bytea as a Buffer.
      parsers: {
        [INT8]: (value: string) => value,
        [BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
      },
      // bytea goes as it is, in binary: PGlite's own serialiser makes hex text a string per byte
      // (seconds for a body of a few MB), and its protocol writer measures text in a JS loop.
      serializers: { [BYTEA]: (value: Uint8Array) => value as unknown as string },
    });
    close = () => pglite.close();
    if (options.listen) notifications = await listenOnPglite(pglite);
    dataSourceOptions = { ...common, database: 'postgres', driver: createPgliteDriver(pglite), poolSize: 1 };
  }
  const dataSource = new DataSource(dataSourceOptions);
  await dataSource.initialize();
  if (options.migrate) await applyMigrations(dataSource, config.kind);
  if (options.listen && config.kind === 'postgres') {
    const listener = new PgListener(config.url);
    await listener.start();
    notifications = listener;
  }
  return {
    dataSource,
    kind: config.kind,
    notifications,
    close: async () => {
      await notifications.close();
      await dataSource.destroy();
      await close();
    },
  };
}
