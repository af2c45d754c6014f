import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Answer, Method, Operation, Routes } from './contract';
import { answersOf } from './contract-document';

/** `GET /api/users/:param`: a route as Fastify names it and as the document does, alike. */
function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{\w+\}|:\w+/g, ':param')}`;
}

/** What is wrong with an answer by the contract of its route, or undefined when nothing is. */
export function contractProblem(operation: Operation, status: number, contentType: string | undefined, payload: unknown): string | undefined {
  const answers = answersOf(operation);
  const answer: Answer | string | undefined = answers[status];
  if (answer === undefined) return `status ${status} is not among the route's answers (${Object.keys(answers).join(', ')})`;
  // A body described by `content` is not checked, whatever its type says: raw bytes stored as sent.
  if (typeof answer !== 'string' && answer.content && !answer.body) return undefined;
  const isJson = contentType?.startsWith('application/json') ?? false;
  if (!isJson || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return undefined;
  const schema = typeof answer === 'string' ? undefined : answer.body;
  if (!schema) return `a JSON body the contract does not describe for status ${status}`;
  let body: unknown;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    return 'a body labelled JSON that does not parse';
  }
  const result = schema.safeParse(body);
  if (result.success) return undefined;
  return result.error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Checks every answer of a route in the contract against it, and logs each that breaks it (the
 * route, the status and what is wrong: field names, never values). The test suite turns this on
 * for every server it starts and fails a test whose server logged one.
 */
export function checkAnswers(fastify: FastifyInstance, logger: Logger, routes: Routes): void {
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries(routes)) {
    for (const [method, operation] of Object.entries(item) as [Method, Operation][]) operations.set(routeKey(method, path), operation);
  }
  fastify.addHook('onSend', async (request, reply, payload) => {
    const pattern = request.routeOptions.url;
    const operation = pattern === undefined ? undefined : operations.get(routeKey(request.method, pattern));
    if (!operation) return payload;
    const contentType = reply.getHeader('content-type');
    const problem = contractProblem(operation, reply.statusCode, typeof contentType === 'string' ? contentType : undefined, payload);
    if (problem) logger.error({ contractViolation: { route: `${request.method} ${pattern}`, status: reply.statusCode, problem } }, `An answer breaks the API contract: ${request.method} ${pattern} ${reply.statusCode}: ${problem}`);
    return payload;
  });
}
