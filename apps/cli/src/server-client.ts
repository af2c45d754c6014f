import { ApiError, type ApiTransport, call } from '../../../libs/config-as-code/src/api';
import { CliError } from './cli-error';
import { readLogin } from './credentials';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** The server a command talks to and the token it sends. */
export interface ServerClient extends ApiTransport {
  url: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  /** A raw request: for streams. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * `--url`, else HOOKLINE_URL, else the server of the stored login, else 127.0.0.1:8080; the token
 * from HOOKLINE_TOKEN, else the stored login's when it is for that server.
 */
export function resolveServer(urlOption: string | undefined, env: NodeJS.ProcessEnv = process.env): { url: string; token: string | undefined } {
  const stored = readLogin(env);
  const url = normaliseUrl(urlOption ?? env.HOOKLINE_URL ?? stored?.url ?? DEFAULT_URL);
  const token = env.HOOKLINE_TOKEN || (stored && normaliseUrl(stored.url) === url ? stored.token : undefined);
  return { url, token };
}

export function normaliseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`"${text}" is not a URL; give the server's address, e.g. --url http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`"${text}" is not an http or https URL; e.g. --url https://hookline.example.com`);
  return url.toString().replace(/\/+$/, '');
}

export function connect(urlOption: string | undefined, env: NodeJS.ProcessEnv = process.env): ServerClient {
  const { url, token } = resolveServer(urlOption, env);
  if (!token) throw new CliError(`not logged in to ${url}: run hookline login --url ${url}, or set HOOKLINE_TOKEN`);
  return clientFor(url, token);
}

/** A client for `url`; `token` may be undefined for the routes that need none. */
export function clientFor(url: string, token: string | undefined): ServerClient {
  const send = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    try {
      return await fetch(url + path, { ...init, headers });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach ${url} (${cause?.code ?? cause?.message ?? (error as Error).message}); check --url and that the server runs`);
    }
  };
  const client: ServerClient = {
    url,
    async request(method, path, body) {
      const response = await send(path, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON (a proxy's error page, say): the text is the body.
      }
      return { status: response.status, body: parsed };
    },
    get: (path) => call(client, 'GET', path),
    post: (path, body) => call(client, 'POST', path, body ?? {}),
    fetch: send,
  };
  return client;
}

/** An ApiError as the one line a user reads. */
export function describeFailure(error: unknown): string | undefined {
  if (error instanceof ApiError) {
    if (error.status === 404 && typeof (error.body as { message?: unknown })?.message !== 'string') return `${error.path} was not found: is --url a Hookline server?`;
    return error.message;
  }
  return undefined;
}
