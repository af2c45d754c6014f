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
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/webhooks/inbound/') || !Buffer.isBuffer(request.body)) return;
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
      return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: `The request body is not valid JSON: ${(err as Error).message}` });
    }
  });
}
