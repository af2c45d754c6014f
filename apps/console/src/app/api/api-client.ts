import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import { ApiError } from './api-error';

/**
 * The header every console request carries. The server refuses cookie-authenticated writes
 * without it: a page on another site cannot add it to a cross-site request without a CORS
 * preflight, which the server never grants (see docs/console.md).
 */
export const CONSOLE_REQUEST_HEADER = 'X-Hookline-Request';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The one way the console talks to the server: `/api` over fetch with the session cookie. A 401
 * sends the user to the login page, which brings them back to where they were.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly router = inject(Router);

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { [CONSOLE_REQUEST_HEADER]: '1', accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`/api${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'The server could not be reached. Check that Hookline is running, then try again.');
    }
    const data = parseBody(await response.text());
    if (response.ok) return data as T;
    const answer = (data ?? {}) as { message?: unknown; fields?: unknown };
    const error = new ApiError(
      response.status,
      typeof answer.message === 'string' ? answer.message : `${method} /api${path} failed with ${response.status} ${response.statusText}`,
      isStringRecord(answer.fields) ? answer.fields : {},
    );
    if (response.status === 401 && path !== '/auth/login') await this.toLogin();
    throw error;
  }

  /** To the login page, remembering the page to come back to. */
  async toLogin(): Promise<void> {
    const current = this.router.url;
    if (current.startsWith('/login')) return;
    await this.router.navigate(['/login'], { queryParams: current === '/' ? {} : { returnUrl: current } });
  }
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
