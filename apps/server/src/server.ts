import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { sandboxModule, ScriptSandbox } from '../../../libs/engine/src';
import { AppModule } from './app.module';
import { ADMIN_USERNAME } from './auth/admin-user';
import { AuthService } from './auth/auth.service';
import { textBox } from './common/text-box';
import { fastifyStatic } from '@fastify/static';
import { applyConfigFile } from './config-file/apply-config-file';
import { ConsoleSite } from './console/console-site';
import { BuiltinProvidersService } from './providers/builtin-providers.service';
import { startListener } from './listener';
import { MetricsEndpoint } from './metrics/metrics-endpoint';
import { PublicUrl } from './public-url';
import { RunnersService } from './tasks/runners.service';
import { takesRole, PROCESS_ROLES, type AppConfig } from './config';
import { lockDataDir } from './database/data-dir-lock';
import { openDatabase } from './database/open-database';
import { configureBodies, configureSecurityHeaders, PROBE_PATHS, refuseAllButProbes } from './http-setup';
import { createScriptFetch } from './scripting/script-fetch';
import { loadMasterKey, SecretBox } from './security/secret-box';
import type { Logger } from 'pino';
import { announce, createRootLogger } from './logging/root-logger';
import { NestLogger } from './logging/nest-logger';
import { logRequests } from './logging/request-log';
import { checkAnswers } from './docs/contract-check';
import { CONTRACT_ROUTES } from './docs/openapi';

export interface RunningServer {
  app: NestFastifyApplication;
  url: string;
  /** The root logger, for the process's last lines. */
  logger: Logger;
  close(): Promise<void>;
}

/** Opens the database (migrating it), builds the sandbox and starts listening. */
export async function startServer(config: AppConfig, logger: Logger = createRootLogger({ level: config.logLevel, format: config.logFormat })): Promise<RunningServer> {
  const say = (text: string) => announce(logger, config.logFormat, text);
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step();
    cleanups.length = 0;
  };
  try {
    if (config.ignoredRole !== undefined) {
      // One process owns the embedded database (its lock file says so): it takes every role.
      logger.warn(`HOOKLINE_ROLE=${config.ignoredRole} is ignored: the embedded database is one process, which takes every role (${PROCESS_ROLES.join(', ')}). Set DATABASE_URL to a PostgreSQL database to split roles across processes.`);
    }
    if (config.database.kind === 'pglite') cleanups.push(lockDataDir(config.dataDir));
    const database = await openDatabase(config.database, { migrate: true, listen: true });
    cleanups.push(() => database.close());
    const secretBox = new SecretBox(loadMasterKey(config.masterKey, config.dataDir));
    const scripts = new ScriptSandbox({
      functionPoolSize: config.functionPoolSize,
      maxFunctionIsolates: config.maxFunctionIsolates,
      matchPoolSize: config.matchPoolSize,
      memoryLimitMb: config.scriptMemoryMb,
      fetch: createScriptFetch(config.scriptHttpAllow),
    });
    cleanups.push(() => scripts.dispose());

    // request.ip is then the rightmost X-Forwarded-For entry that is not a trusted proxy: the
    // address login delays count and messages record. With no proxy listed, the peer's address.
    // Fastify writes its warnings and errors through the same logger; its per-request lines are
    // replaced by logRequests' debug line, which leaves out query strings and tokens, and its
    // "Server listening" by our own "Listening on".
    const adapter = new FastifyAdapter({
      bodyLimit: config.maxBodyBytes,
      trustProxy: config.trustProxy,
      loggerInstance: logger.child({ context: 'HTTP' }, { level: 'warn' }),
      logController: new LogController({ disableRequestLogging: true }),
    });
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register({ config, dataSource: database.dataSource, notifications: database.notifications, scripts, sandbox: scripts, secretBox }),
      adapter,
      { bodyParser: false, logger: new NestLogger(logger) },
    );
    cleanups.push(() => app.close());
    const fastify = app.getHttpAdapter().getInstance();
    const isIngress = takesRole(config, 'ingress');
    configureBodies(fastify, config.maxBodyBytes);
    configureSecurityHeaders(fastify);
    logRequests(fastify, logger);
    // A process without the ingress role answers 404 to all but the probes, before any route.
    const served = isIngress ? CONTRACT_ROUTES : Object.fromEntries(PROBE_PATHS.filter((path) => CONTRACT_ROUTES[path]).map((path) => [path, CONTRACT_ROUTES[path]]));
    if (config.checkResponses) checkAnswers(fastify, logger.child({ context: 'Contract' }), served);
    if (isIngress) await serveConsole(app, logger);
    else refuseAllButProbes(fastify, config.roles);
    await app.init();
    // What users and senders meet first is set up by the processes that serve them.
    if (isIngress) {
      await app.get(BuiltinProvidersService).seed();
      await app.get(RunnersService).ensurePreconfigured();
    }
    await app.listen(config.port, config.host);
    const address = fastify.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    app.get(PublicUrl).setListening(url);
    if (config.listener) {
      const metrics = app.get(MetricsEndpoint);
      const listener = await startListener(fastify, config.listener, config.maxBodyBytes, (authorization) => metrics.answer('listener', authorization));
      cleanups.push(() => listener.close());
      say(`Webhook listener on ${listener.url} (only /health, /ready, /metrics, /webhooks/* and POST /api/webhooks/inbound/<token>)`);
    }
    // Once the ports are ours: a generated password from a start that then failed would be lost.
    // Only an ingress process prints it: that is where the operator logs in.
    const admin = isIngress ? await app.get(AuthService).ensureAdmin() : { generatedPassword: undefined };
    // The file is applied through the admin API, which only an ingress process serves.
    if (config.configFile && isIngress) {
      try {
        await applyConfigFile(app, config.configFile);
      } catch (err) {
        // The password of a first start must not be lost with the start.
        if (admin.generatedPassword) say(firstStartBox(config.publicUrl ?? url, admin.generatedPassword));
        throw err;
      }
    }
    // Printed whatever the log level: it is the line operators and scripts wait for.
    say(
      `Listening on ${url} (roles: ${config.roles.join(', ')}${isIngress ? '' : `, serving only ${PROBE_PATHS.join(', ')}`}; ` +
        `database: ${config.database.kind === 'pglite' ? `embedded, ${config.database.dataDir}` : 'PostgreSQL'}; sandbox: ${sandboxModule.name} on Node ${process.version})`,
    );
    // Last, so that a first start ends with the one thing the operator needs next.
    if (admin.generatedPassword) say(firstStartBox(config.publicUrl ?? url, admin.generatedPassword));
    return { app, url, logger, close: cleanup };
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
}

/** The built console's files at /, sent precompressed; page addresses fall back to index.html in HttpErrorFilter. */
async function serveConsole(app: NestFastifyApplication, logger: Logger): Promise<void> {
  const site = app.get(ConsoleSite);
  if (!site.isBuilt()) {
    logger.warn({ context: 'Console' }, `The console is not built (no ${site.dir}); / explains how to build it. Run npm run build.`);
    return;
  }
  // Registered on Fastify itself: Nest's useStaticAssets types setHeaders for an older @fastify/static.
  await app.register(fastifyStatic, {
    root: site.dir,
    prefix: '/',
    preCompressed: true,
    // No reply.sendFile: nothing else serves files.
    decorateReply: false,
    setHeaders: (reply, path) => site.setAssetHeaders(reply, path),
  });
}

function firstStartBox(baseUrl: string, password: string): string {
  // A server listening on every interface is reached from this host through loopback.
  const consoleUrl = baseUrl.replace(/^http:\/\/(0\.0\.0\.0|\[::\])(?=:)/, 'http://127.0.0.1');
  return textBox([
    'Hookline is ready. Open the console and log in:',
    '',
    `  Console   ${consoleUrl}/`,
    `  User      ${ADMIN_USERNAME}`,
    `  Password  ${password}`,
    '',
    'This password is shown only this once. Change it with',
    'POST /api/auth/password, or reset it from this host with',
    'npm run admin -- reset-password (with the server stopped).',
  ]);
}
