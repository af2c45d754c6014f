/**
 * How the planner reaches a Hookline server's admin API: the command line over HTTP, the server
 * itself (HOOKLINE_CONFIG) through its own request pipeline. Either way every change goes through
 * the same routes, validation and versioning as the console's.
 */
export interface ApiTransport {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** A non-2xx answer, with the server's message and the fields it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly body: unknown,
  ) {
    super(describeApiError(status, method, path, body));
  }
}

/** Sends a request and returns the body of a 2xx answer; anything else throws an ApiError. */
export async function call<T>(transport: ApiTransport, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await transport.request(method, path, body);
  if (answer.status < 200 || answer.status > 299) throw new ApiError(answer.status, method, path, answer.body);
  return answer.body as T;
}

function describeApiError(status: number, method: string, path: string, body: unknown): string {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const message = typeof record.message === 'string' ? record.message : typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`;
  const fields = typeof record.fields === 'object' && record.fields !== null ? Object.entries(record.fields as Record<string, unknown>) : [];
  const detail = fields.length > 0 ? `: ${fields.map(([field, problem]) => `${field} ${String(problem)}`).join('; ')}` : '';
  const hint = status === 401 ? ' (hookline login, or set HOOKLINE_TOKEN)' : status === 403 ? ' (this token may not do that; use an admin token)' : '';
  return `${method} ${path} answered ${status}: ${fields.length > 0 ? 'invalid input' : message}${detail}${hint}`;
}
