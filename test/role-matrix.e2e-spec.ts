import { hasRole, type Role } from '../apps/server/src/auth/roles';
import { ROUTE_ROLES, type Access } from './support/route-roles';
import { ADMIN_PASSWORD, TestServer } from './support/test-server';

type CallerKind = Role | 'runner' | 'anonymous';
interface Caller {
  name: string;
  kind: CallerKind;
  token?: string;
  /** How a user caller authenticates: a password login, or a personal token. */
  via?: 'session' | 'token';
  /** For a session caller: how to get a fresh session, for routes that end the one they are called with. */
  login?: { username: string; password: string };
}

const PASSWORD = 'role-matrix-password';
// A route's parameters filled with values that name nothing, so that no request can change anything.
const NOTHING = '00000000-0000-4000-8000-000000000000';
const PROBE_BODY = { notAField: true };
// Calling these ends the session they are called with: each call gets a session of its own.
const ENDS_SESSION = new Set(['POST /api/auth/logout']);

function probePath(path: string): string {
  return path
    .replace(/:version\b/g, '1')
    .replace(/:token\b/g, 'no-such-token')
    .replace(/:\w+/g, NOTHING)
    .replace(/\*$/, 'role-matrix');
}

function isAllowed(access: Access, caller: Caller): boolean {
  const { kind } = caller;
  if (access === 'public') return true;
  if (kind === 'anonymous') return false;
  if (kind === 'runner') return access === 'runner' || access === 'viewer+runner';
  if (access === 'runner') return false;
  if (access === 'login') return caller.via === 'session';
  return hasRole(kind, access === 'viewer+runner' ? 'viewer' : access);
}

// The routes come from the running server (the framework logs each one it maps at the debug
// level) and the expectations from ROUTE_ROLES: a new route without an entry fails here.
describe('the role of every route', () => {
  let server: TestServer;
  let served: string[];
  const callers: Caller[] = [];

  async function call(route: string, caller: Caller): Promise<{ status: number; body: any }> {
    const [method, path] = route.split(' ');
    const httpMethod = method === 'ALL' ? 'POST' : method;
    let token = caller.token;
    if (ENDS_SESSION.has(route) && caller.login) token = await login(caller.login.username, caller.login.password);
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    const hasBody = httpMethod !== 'GET';
    if (hasBody) headers['content-type'] = 'application/json';
    const response = await fetch(server.url + probePath(path), { method: httpMethod, headers, body: hasBody ? JSON.stringify(PROBE_BODY) : undefined });
    // Event streams stay open: the status is all this test needs from them.
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      await response.body?.cancel();
      return { status: response.status, body: undefined };
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the text is the body.
    }
    return { status: response.status, body };
  }

  async function login(username: string, password: string): Promise<string> {
    const result = await server.request('POST', '/api/auth/login', { username, password }, { auth: false });
    if (result.status !== 200) throw new Error(`login of ${username}: ${result.status} ${result.text}`);
    return result.body.token;
  }

  async function personalToken(sessionToken: string, name: string): Promise<string> {
    const result = await server.request('POST', '/api/users/me/tokens', { name }, { headers: { authorization: `Bearer ${sessionToken}` }, auth: false });
    if (result.status !== 201) throw new Error(`token ${name}: ${result.status} ${result.text}`);
    return result.body.token;
  }

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_LOG_LEVEL: 'debug' });
    served = [...server.logs.matchAll(/Mapped \{([^,}]+), ([A-Z]+)\} route/g)].map(([, path, method]) => `${method} ${path}`);
    callers.push({ name: 'admin session', kind: 'admin', via: 'session', token: server.token, login: { username: 'admin', password: ADMIN_PASSWORD } });
    for (const role of ['editor', 'viewer'] as const) {
      const created = await server.post('/api/users', { username: `matrix-${role}`, role, password: PASSWORD });
      if (created.status !== 201) throw new Error(`user ${role}: ${created.status} ${created.text}`);
      callers.push({ name: `${role} session`, kind: role, via: 'session', token: await login(`matrix-${role}`, PASSWORD), login: { username: `matrix-${role}`, password: PASSWORD } });
    }
    for (const session of [...callers]) {
      callers.push({ name: `${session.kind} personal token`, kind: session.kind, via: 'token', token: await personalToken(session.token!, `matrix ${session.kind}`) });
    }
    const runner = await server.post('/api/runners', { name: 'matrix runner' });
    if (runner.status !== 201) throw new Error(`runner: ${runner.status} ${runner.text}`);
    callers.push({ name: 'runner token', kind: 'runner', token: runner.body.token }, { name: 'no credentials', kind: 'anonymous' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('has an entry for every route the server serves, and none for a route it does not serve', () => {
    expect(served.length).toBeGreaterThanOrEqual(90);
    expect(served.filter((route) => !(route in ROUTE_ROLES))).toEqual([]);
    expect(Object.keys(ROUTE_ROLES).filter((route) => !served.includes(route))).toEqual([]);
  });

  it('tests six user identities, a runner and no credentials', () => {
    expect(callers.map((caller) => caller.name)).toEqual([
      'admin session',
      'editor session',
      'viewer session',
      'admin personal token',
      'editor personal token',
      'viewer personal token',
      'runner token',
      'no credentials',
    ]);
  });

  it.each(Object.entries(ROUTE_ROLES))('%s is for %s', async (route, access) => {
    const wrong: string[] = [];
    const statuses = new Map<string, number>();
    for (const caller of callers) {
      const { status, body } = await call(route, caller);
      statuses.set(caller.name, status);
      if (access === 'public') continue;
      if (isAllowed(access, caller)) {
        if (status === 401 || status === 403) wrong.push(`${caller.name}: ${status} ${JSON.stringify(body)}, expected to be let in`);
      } else if (caller.kind === 'anonymous' || caller.kind === 'runner' || access === 'runner') {
        if (status !== 401) wrong.push(`${caller.name}: ${status}, expected 401`);
      } else if (access === 'login') {
        const refused = status === 403 && String(body?.message).startsWith('A personal token cannot');
        if (!refused) wrong.push(`${caller.name}: ${status} ${JSON.stringify(body)}, expected 403 refusing a personal token`);
      } else {
        const needed = access === 'viewer+runner' ? 'viewer' : access;
        const named = status === 403 && body?.requiredRole === needed && body?.role === caller.kind && String(body?.message).includes(`needs the ${needed} role`);
        if (!named) wrong.push(`${caller.name}: ${status} ${JSON.stringify(body)}, expected 403 naming the ${needed} role`);
      }
    }
    // A public route answers everyone alike: who calls it does not matter.
    if (access === 'public') expect(new Set(statuses.values()).size).toBe(1);
    expect(wrong).toEqual([]);
  });
});
