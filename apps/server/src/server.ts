import 'reflect-metadata';
import type { LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ScriptSandbox } from '../../../libs/engine/src';
import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import { BuiltinProvidersService } from './providers/builtin-providers.service';
import { startListener } from './listener';
import { PublicUrl } from './public-url';
import { RunnersService } from './tasks/runners.service';
import type { AppConfig } from './config';
import { lockDataDir } from './database/data-dir-lock';
import { openDatabase } from './database/open-database';
import { configureBodies, configureSecurityHeaders } from './http-setup';
import { createScriptFetch } from './scripting/script-fetch';
import { loadMasterKey, SecretBox } from './security/secret-box';

export interface RunningServer {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

const LEVELS: Record<AppConfig['logLevel'], NestLogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Opens the database (migrating it), builds the sandbox and starts listening. */
export async function startServer(config: AppConfig): Promise<RunningServer> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step();
    cleanups.length = 0;
  };
  try {
    if (config.database.kind === 'pglite') cleanups.push(lockDataDir(config.dataDir));
    const database = await openDatabase(config.database, { migrate: true });
    cleanups.push(() => database.close());
    const secretBox = new SecretBox(loadMasterKey(config.masterKey, config.dataDir));
    const scripts = new ScriptSandbox({
      poolSize: config.sandboxPoolSize,
      memoryLimitMb: config.scriptMemoryMb,
      fetch: createScriptFetch(config.scriptHttpAllow),
    });
    cleanups.push(() => scripts.dispose());

    const adapter = new FastifyAdapter({ bodyLimit: config.maxBodyBytes, trustProxy: false });
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register({ config, dataSource: database.dataSource, scripts, secretBox }),
      adapter,
      { bodyParser: false, logger: LEVELS[config.logLevel] },
    );
    cleanups.push(() => app.close());
    const fastify = app.getHttpAdapter().getInstance();
    configureBodies(fastify, config.maxBodyBytes);
    configureSecurityHeaders(fastify);
    await app.init();
    await app.get(AuthService).ensureAdmin();
    await app.get(BuiltinProvidersService).seed();
    await app.get(RunnersService).ensurePreconfigured();
    await app.listen(config.port, config.host);
    const address = fastify.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    app.get(PublicUrl).setListening(url);
    if (config.listener) {
      const listener = await startListener(fastify, config.listener, config.maxBodyBytes);
      cleanups.push(() => listener.close());
      console.log(`Webhook listener on ${listener.url} (only /health, /webhooks/* and POST /api/webhooks/inbound/<token>)`);
    }
    // Printed whatever the log level: it is the line operators and scripts wait for.
    console.log(`Listening on ${url} (database: ${config.database.kind === 'pglite' ? `embedded, ${config.database.dataDir}` : 'PostgreSQL'})`);
    return { app, url, close: cleanup };
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
}
