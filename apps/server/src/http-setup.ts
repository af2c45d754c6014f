import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Webhook signatures are computed over the exact bytes sent, so every body is kept
 * as a Buffer; JSON is parsed afterwards, and only for the admin API.
 */
export function configureBodies(fastify: FastifyInstance, maxBodyBytes: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => done(null, body));
  fastify.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    // Deliveries to secret-token endpoints keep their raw bytes, like /webhooks.
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/webhooks/inbound/')) return;
    if (!Buffer.isBuffer(request.body)) return;
    const raw = request.body;
    if (raw.length === 0) {
      request.body = undefined;
      return;
    }
    const type = (request.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && !type.endsWith('+json')) {
      return reply.status(415).send({ statusCode: 415, error: 'Unsupported Media Type', message: `Send the request body as JSON (Content-Type: application/json), not ${type}` });
    }
    try {
      request.body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      return badRequest(reply, `The request body is not valid JSON: ${(err as Error).message}`);
    }
  });
}

/** What a process without the ingress role serves: the probes and the metrics, for orchestrators and scrapers. */
export const PROBE_PATHS: readonly string[] = ['/health', '/ready', '/metrics'];

/**
 * A process without the ingress role accepts no webhook and serves no API or console: every other
 * path is a 404 that says which role serves it, before any route (or its auth) is looked at.
 */
export function refuseAllButProbes(fastify: FastifyInstance, roles: readonly string[]): void {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    if (PROBE_PATHS.includes(path)) return;
    return reply.status(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `This process has the role ${roles.join(',')} (HOOKLINE_ROLE) and serves only ${PROBE_PATHS.join(', ')}; webhooks, the API and the console are served by processes with the ingress role`,
    });
  });
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message });
}

// JSON needs no script, style or frame: the admin API forbids them all.
const ADMIN_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

// The console loads only its own files and talks only to this server. Monaco's workers are
// files of the console (or blob: URLs); Angular and Monaco set inline styles on elements.
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CONSOLE_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': CONSOLE_CSP,
};

/**
 * Security headers on every answer; a route may still replace one (the raw body's CSP).
 * Webhook answers are the functions' own and get nothing beyond nosniff.
 */
export function configureSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/api/')) void reply.headers(ADMIN_HEADERS);
    else if (!request.url.startsWith('/webhooks/')) void reply.headers(CONSOLE_HEADERS);
  });
}
