import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, ROOT, type TestDatabase } from './test-database';
import { readableLogs, SentSecrets } from './server-logs';

export const ADMIN_PASSWORD = 'test-admin-password';
const MAIN = join(ROOT, 'dist', 'apps', 'server', 'src', 'main.js');

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A started Hookline process on its own database, reached over real HTTP. */
export class TestServer {
  url = '';
  token = '';
  private child?: ChildProcess;
  private output = '';
  /** Everything printed since the first launch, for the check at close(). */
  private allOutput = '';
  private readonly secrets = new SentSecrets();

  private constructor(
    readonly database: TestDatabase,
    private readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string> = {}, database?: TestDatabase): Promise<TestServer> {
    const server = new TestServer(database ?? (await createTestDatabase()), env);
    await server.launch();
    await server.login();
    return server;
  }

  /** A started server that has not logged in: for tests of the first start itself. */
  static async launch(env: Record<string, string> = {}, database?: TestDatabase): Promise<TestServer> {
    const server = new TestServer(database ?? (await createTestDatabase()), env);
    await server.launch();
    return server;
  }

  /** The server process's id, as it appears in the leases it takes (host:pid:random). */
  get pid(): number {
    if (this.child?.pid === undefined) throw new Error('the server is not started');
    return this.child.pid;
  }

  /** What the server printed since the last launch, as a person reads it (see readableLogs), for assertions on its log. */
  get logs(): string {
    return readableLogs(this.output);
  }

  /** What the server printed since the last launch, byte for byte. */
  get rawLogs(): string {
    return this.output;
  }

  /** Starts the server process and waits for its "Listening on" line. */
  async launch(extraEnv: Record<string, string> = {}): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, ['--no-node-snapshot', MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        HOOKLINE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        HOOKLINE_QUEUE_POLL: '200ms',
        HOOKLINE_QUEUE_LEASE: '3s',
        // Most files build their own providers; the built-ins' tests turn seeding back on.
        HOOKLINE_SEED_BUILTINS: 'false',
        NO_COLOR: '1',
        // What a server gets in a container or under a supervisor; HOOKLINE_TEST_LOG_FORMAT=pretty runs the suite on the other.
        HOOKLINE_LOG_FORMAT: process.env.HOOKLINE_TEST_LOG_FORMAT ?? 'json',
        // Every answer of every test is checked against the API contract (close() fails on a breach).
        HOOKLINE_CHECK_RESPONSES: 'true',
        ...this.database.env,
        ...this.env,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${this.output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        this.allOutput += chunk.toString();
        const match = /Listening on (http:\/\/[^\s]+)/.exec(this.output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code} before listening:\n${this.output}`));
      });
    });
  }

  /** Waits until the output since the last launch matches `pattern`; returns the match. */
  async waitForLog(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.logs);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`the server never printed ${pattern}:\n${this.logs}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async login(): Promise<void> {
    const result = await this.request('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, { auth: false });
    if (result.status !== 200) throw new Error(`login failed: ${result.status} ${result.text}`);
    this.token = result.body.token;
    this.secrets.add(this.token);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options: { auth?: boolean; headers?: Record<string, string>; raw?: string | Buffer } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.auth !== false && this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: string | Buffer | undefined = options.raw;
    if (body !== undefined && payload === undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    this.secrets.headers(headers);
    const response = await fetch(this.url + path, { method, headers, body: payload as RequestInit['body'] });
    for (const cookie of response.headers.getSetCookie()) this.secrets.add(/^[^=]+=([^;]*)/.exec(cookie)?.[1]);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the text is the body.
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }

  put<T = any>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }

  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Sends a webhook the way a sender would: no admin token. */
  webhook(uri: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') {
    const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return this.request(method, `/webhooks/${uri}`, undefined, {
      auth: false,
      raw,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }

  /** Polls a message until its status is one of `statuses`. */
  async waitForMessage(id: string, statuses: string[], timeoutMs = 20_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      last = (await this.get(`/api/messages/${id}`)).body;
      if (statuses.includes(last?.status)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`message ${id} stayed ${last?.status}, expected ${statuses.join(' or ')}`);
  }

  /** SIGKILL: no shutdown hooks, no lock release. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /**
   * Stops the server and fails when any line it ever printed holds a credential the test sent or
   * received, or says that an answer broke the API contract.
   */
  async close(): Promise<void> {
    await this.stop();
    await this.database.drop();
    const leaks = this.secrets.leaks(this.allOutput);
    if (leaks.length > 0) throw new Error(`The server logged a credential or signature:\n${leaks.join('\n')}`);
    const breaches = this.contractBreaches();
    if (breaches.length > 0) throw new Error(`Answers broke the API contract (apps/server/src/docs):\n${breaches.join('\n')}`);
  }

  /** Each answer the server logged as breaking the API contract, once. */
  contractBreaches(): string[] {
    const lines = this.allOutput.split('\n').filter((line) => line.includes('contractViolation'));
    return [...new Set(lines.map((line) => /"msg":"([^"]*)"/.exec(line)?.[1] ?? line))];
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

/** Given-style builders that go through the real API. */
export function given(server: TestServer) {
  return {
    async provider(fields: Record<string, unknown> = {}) {
      const result = await server.post('/api/providers', { name: `provider-${Math.random().toString(36).slice(2, 8)}`, matchScript: 'return true', ...fields });
      if (result.status !== 201) throw new Error(`provider: ${result.status} ${result.text}`);
      return result.body;
    },
    async fn(fields: Record<string, unknown>) {
      const result = await server.post('/api/functions', { name: `fn-${Math.random().toString(36).slice(2, 8)}`, uri: 'git/push', script: 'return "ok"', ...fields });
      if (result.status !== 201) throw new Error(`function: ${result.status} ${result.text}`);
      return result.body;
    },
  };
}
