import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiError, type ApiTransport, ConfigFileError, formatPlan, importConfig, loadConfigFile, summarisePlan } from '../../../../libs/config-as-code/src';
import { ADMIN_USERNAME } from '../auth/admin-user';
import { tokenHash } from '../common/ids';
import { DATA_SOURCE } from '../common/tokens';
import { type ConfigFileSettings, ConfigError } from '../config';
import { SessionEntity } from '../database/entities/session.entity';
import { beginConfigSession, endConfigSession } from './config-sessions';

/** A session only this start holds, for as long as applying the file takes at most. */
const SESSION_MS = 10 * 60_000;

/**
 * Applies HOOKLINE_CONFIG as `hookline import` would, with the same planner, through the
 * server's own routes (so validation, versions and notifications are the API's), as the admin
 * user (or the first admin, if `admin` was demoted or removed) with a session that ends when it
 * is done; the audit log records the changes as `system`, naming the file and that user. Only a process with the ingress role applies it. Logs
 * the plan; a file that cannot be read or applied stops the start with a ConfigError naming the
 * file and the problem.
 */
export async function applyConfigFile(app: NestFastifyApplication, settings: ConfigFileSettings): Promise<void> {
  const logger = new Logger('Config');
  const fail = (detail: string) => new ConfigError('HOOKLINE_CONFIG', detail);
  let document;
  try {
    document = loadConfigFile(settings.path);
  } catch (error) {
    if (error instanceof ConfigFileError) throw fail(error.message);
    throw error;
  }
  const db = app.get<symbol, DataSource>(DATA_SOURCE);
  // An admin acts for the file: `admin` where it still is one, else the first admin by name.
  const [admin] = (await db.query(`SELECT id FROM users WHERE role = 'admin' ORDER BY username = $1 DESC, username LIMIT 1`, [ADMIN_USERNAME])) as Array<{ id: string }>;
  if (!admin) throw fail('no user has the admin role to apply the file as; run npm run admin -- reset-password');
  const token = randomBytes(32).toString('base64url');
  await db.getRepository(SessionEntity).insert({ userId: admin.id, tokenHash: tokenHash(token), expiresAt: new Date(Date.now() + SESSION_MS) });
  beginConfigSession(token, settings.path);
  try {
    const plan = await importConfig(injectTransport(app, token), document, { dryRun: false, prune: settings.prune, updateSecrets: settings.updateSecrets });
    for (const line of formatPlan(plan)) logger.log(`${settings.path}: ${line}`);
    if (plan.changes.length > 0 || plan.order) logger.log(`${settings.path}: applied ${summarisePlan(plan)}${settings.prune ? '' : ' (HOOKLINE_CONFIG_PRUNE is off: nothing the file lacks was deleted)'}`);
  } catch (error) {
    if (error instanceof ConfigFileError || error instanceof ApiError) throw fail(`${settings.path}: ${error.message}`);
    throw error;
  } finally {
    endConfigSession(token);
    await db.getRepository(SessionEntity).delete({ tokenHash: tokenHash(token) });
  }
}

/** Requests through the server's whole pipeline (guards, validation, error mapping) without a socket. */
function injectTransport(app: NestFastifyApplication, token: string): ApiTransport {
  const fastify = app.getHttpAdapter().getInstance();
  return {
    async request(method, path, body) {
      const response = await fastify.inject({
        method: method as 'GET',
        url: path,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      let parsed: unknown = response.body;
      try {
        parsed = response.body ? JSON.parse(response.body) : undefined;
      } catch {
        // Not JSON: keep the text for the error message.
      }
      return { status: response.statusCode, body: parsed };
    },
  };
}
