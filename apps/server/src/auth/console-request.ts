import { ForbiddenError } from '../common/errors';

/**
 * The header the console adds to every request. A page on another site cannot send a custom
 * header cross-site without a CORS preflight, which this server never grants; so a write that
 * carries the session cookie and this header came from the console itself. With the
 * SameSite=Strict cookie this is the second, independent defence against cross-site requests.
 */
export const CONSOLE_REQUEST_HEADER = 'x-hookline-request';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Refuses a write authenticated by the session cookie alone; bearer tokens are not sent by browsers on their own. */
export function checkCookieWrite(method: string, headers: Record<string, string | string[] | undefined>): void {
  if (!WRITES.has(method.toUpperCase()) || headers[CONSOLE_REQUEST_HEADER] === '1') return;
  throw new ForbiddenError(
    `A ${method.toUpperCase()} authenticated by the session cookie must carry the header X-Hookline-Request: 1 (the console sends it). API clients send Authorization: Bearer <token> instead.`,
  );
}
