import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ListenerConfig } from './config';
import type { MetricsReply } from './metrics/metrics-endpoint';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * A second listener that serves only the routes senders need (GET /health and /ready, /webhooks/*,
 * POST /api/webhooks/inbound/:token) and hands each request to the main server in-process, and
 * GET /metrics, answered here by `metrics` (which knows it is this port asking, see MetricsEndpoint).
 * It separates routes and ports, not privileges: it runs in the same process as the admin API.
 */
export async function startListener(
  main: FastifyInstance,
  config: ListenerConfig,
  maxBodyBytes: number,
  metrics: (authorization: string | undefined) => Promise<MetricsReply>,
): Promise<{ url: string; close(): Promise<void> }> {
  const listener = Fastify({ bodyLimit: maxBodyBytes });
  listener.removeAllContentTypeParsers();
  listener.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    const response = await main.inject({
      method: request.method as 'POST',
      url: request.url,
      headers: request.headers,
      ...(Buffer.isBuffer(request.body) ? { payload: request.body } : {}),
      remoteAddress: request.ip,
    });
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) void reply.header(name, value);
    }
    return reply.status(response.statusCode).send(response.rawPayload);
  };

  listener.get('/health', forward);
  listener.get('/ready', forward);
  listener.get('/metrics', async (request, reply) => {
    const answer = await metrics(request.headers.authorization);
    return reply.status(answer.status).headers(answer.headers).send(answer.body);
  });
  listener.all('/webhooks/*', forward);
  listener.post('/api/webhooks/inbound/:token', forward);
  listener.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `This listener serves only /health, /ready, /metrics, /webhooks/* and POST /api/webhooks/inbound/<token>, not ${request.method} ${request.url.split('?')[0]}` }),
  );

  await listener.listen({ port: config.port, host: config.host });
  const address = listener.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`, close: () => listener.close() };
}
