import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { CENSOR } from './redaction';

/**
 * One debug line per answered request: method, path, status and time. The query string is left
 * out (it may hold a token) and so is the token of an inbound webhook's address.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('debug')) return;
  const http = logger.child({ context: 'HTTP' });
  fastify.addHook('onResponse', async (request, reply) => {
    http.debug(
      { method: request.method, path: loggedPath(request.url), status: reply.statusCode, durationMs: Math.round(reply.elapsedTime) },
      `${request.method} ${loggedPath(request.url)} ${reply.statusCode}`,
    );
  });
}

export function loggedPath(url: string): string {
  return url.split('?')[0].replace(/^(\/api\/webhooks\/inbound\/)[^/]+/, `$1${CENSOR}`);
}
