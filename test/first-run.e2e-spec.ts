import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './support/test-database';
import { ADMIN_PASSWORD, TestServer } from './support/test-server';

// Most tests here start a server two or three times; on a loaded machine that outlasts jest's minute.
jest.setTimeout(240_000);

const ADMIN_CLI = join(ROOT, 'dist', 'apps', 'server', 'src', 'admin-cli.js');
const BOX_END = /└─+┘\n/;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `npm run admin` entry against a server's database. */
async function runAdminCli(server: TestServer, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, ['--no-node-snapshot', ADMIN_CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, HOOKLINE_ADMIN_PASSWORD: '', NO_COLOR: '1', ...server.database.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

function login(server: TestServer, password: string) {
  return server.request('POST', '/api/auth/login', { username: 'admin', password }, { auth: false });
}

function me(server: TestServer, token: string) {
  return server.request('GET', '/api/auth/me', undefined, { auth: false, headers: { authorization: `Bearer ${token}` } });
}

describe('first start', () => {
  it('ends its output with a box holding the console URL and the one-time admin password', async () => {
    const server = await TestServer.launch({ HOOKLINE_ADMIN_PASSWORD: '' });
    try {
      await server.waitForLog(BOX_END);
      expect((await server.get('/health')).status).toBe(200);
      const afterListening = server.logs.slice(server.logs.indexOf('Listening on'));
      const lines = afterListening.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^Listening on /);
      // Everything after "Listening on" is the box, and the box is the end of the output.
      expect(lines[1]).toMatch(/^┌─+┐$/);
      expect(lines[lines.length - 1]).toMatch(/^└─+┘$/);
      expect(lines.slice(2, -1).every((line) => /^│ .* │$/.test(line))).toBe(true);
      expect(afterListening).toContain(`Console   ${server.url}/`);
      const password = /Password {2}(\S+)/.exec(afterListening)?.[1] ?? '';
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
      // The password is not also written through the logger further up.
      expect(server.logs.split(password).length).toBe(2);

      const result = await login(server, password);
      expect(result.status).toBe(200);
      expect(result.body.user.username).toBe('admin');

      await server.stop();
      await server.launch({ HOOKLINE_ADMIN_PASSWORD: '' });
      expect(server.logs).not.toContain('┌');
      expect(server.logs).not.toContain('Password');
      expect((await login(server, password)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('prints no box when HOOKLINE_ADMIN_PASSWORD set the password', async () => {
    const server = await TestServer.start();
    try {
      expect(server.logs).toMatch(/Created user "admin" with the password from HOOKLINE_ADMIN_PASSWORD/);
      expect(server.logs).not.toContain('┌');
      expect(server.logs).not.toContain(ADMIN_PASSWORD);
    } finally {
      await server.close();
    }
  });

  it('says so in the log when HOOKLINE_ADMIN_PASSWORD is ignored because admin exists', async () => {
    const server = await TestServer.start();
    try {
      await server.stop();
      await server.launch({ HOOKLINE_ADMIN_PASSWORD: 'another-password-1' });
      expect(server.logs).toMatch(
        /WARN: .*HOOKLINE_ADMIN_PASSWORD is ignored: user "admin" already exists with another password\. To set this one, stop the server and run: npm run admin -- reset-password/,
      );
      expect(server.logs).not.toContain('another-password-1');
      expect((await login(server, 'another-password-1')).status).toBe(401);
      expect((await login(server, ADMIN_PASSWORD)).status).toBe(200);

      await server.stop();
      await server.launch();
      expect(server.logs).toMatch(/HOOKLINE_ADMIN_PASSWORD is ignored: user "admin" already exists \(with this same password\)/);
      expect(server.logs).not.toMatch(/WARN: .*HOOKLINE_ADMIN_PASSWORD/);
    } finally {
      await server.close();
    }
  });

  it('prints no route-mapping lines at the default log level, and prints them at debug', async () => {
    const server = await TestServer.start();
    try {
      expect(server.logs).toMatch(/Listening on/);
      expect(server.logs).not.toMatch(/Mapped \{|RoutesResolver|RouterExplorer/);
      await server.stop();
      await server.launch({ HOOKLINE_LOG_LEVEL: 'debug' });
      expect(server.logs).toMatch(/DEBUG: \[RouterExplorer\] Mapped \{\/api\/auth\/login, POST\} route/);
      expect(server.logs).toMatch(/DEBUG: \[RoutesResolver\] AuthController \{\/api\/auth\}/);
    } finally {
      await server.close();
    }
  });
});

describe('npm run admin -- reset-password', () => {
  it('sets the password from HOOKLINE_ADMIN_PASSWORD on a stopped server and ends its sessions', async () => {
    const server = await TestServer.start();
    try {
      const oldToken = server.token;
      expect((await me(server, oldToken)).status).toBe(200);
      await server.stop();

      const reset = await runAdminCli(server, ['reset-password'], { HOOKLINE_ADMIN_PASSWORD: 'reset-password-99' });
      expect(reset.stderr).toBe('');
      expect(reset.code).toBe(0);
      expect(reset.stdout).toMatch(/Set the password of user "admin" from HOOKLINE_ADMIN_PASSWORD and ended its 1 session\./);
      expect(reset.stdout).not.toContain('reset-password-99');

      await server.launch({ HOOKLINE_ADMIN_PASSWORD: 'reset-password-99' });
      expect(server.logs).toMatch(/HOOKLINE_ADMIN_PASSWORD is ignored: user "admin" already exists \(with this same password\)/);
      expect((await me(server, oldToken)).status).toBe(401);
      expect((await login(server, ADMIN_PASSWORD)).status).toBe(401);
      const fresh = await login(server, 'reset-password-99');
      expect(fresh.status).toBe(200);
      expect((await me(server, fresh.body.token)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('makes a demoted admin an admin again: the way back in when no admin can log in', async () => {
    const server = await TestServer.start();
    try {
      expect((await server.post('/api/users', { username: 'keeper', role: 'admin', password: 'keeper-password' })).status).toBe(201);
      const keeper = await server.request('POST', '/api/auth/login', { username: 'keeper', password: 'keeper-password' }, { auth: false });
      const adminId = (await me(server, server.token)).body.user.id;
      const demoted = await server.request('PUT', `/api/users/${adminId}`, { role: 'viewer' }, { auth: false, headers: { authorization: `Bearer ${keeper.body.token}` } });
      expect(demoted.body.role).toBe('viewer');
      await server.stop();

      const reset = await runAdminCli(server, ['reset-password'], { HOOKLINE_ADMIN_PASSWORD: 'reset-password-98' });
      expect(reset.code).toBe(0);
      await server.launch();
      const fresh = await login(server, 'reset-password-98');
      expect(fresh.body.user).toEqual({ id: adminId, username: 'admin', role: 'admin' });
    } finally {
      await server.close();
    }
  });

  it('prints a generated password, boxed, when HOOKLINE_ADMIN_PASSWORD is not set', async () => {
    const server = await TestServer.start();
    try {
      await server.stop();
      const reset = await runAdminCli(server, ['reset-password']);
      expect(reset.code).toBe(0);
      expect(reset.stdout).toMatch(/┌─+┐\n│ New password of user "admin" \(shown once\): +│\n│ +[A-Za-z0-9_-]{16} +│\n└─+┘/);
      const password = /│ +([A-Za-z0-9_-]{16}) +│/.exec(reset.stdout)?.[1] ?? '';

      await server.launch();
      expect((await login(server, ADMIN_PASSWORD)).status).toBe(401);
      expect((await login(server, password)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers an unknown command or a short password with what to do, and changes nothing', async () => {
    const server = await TestServer.start();
    try {
      await server.stop();
      const unknown = await runAdminCli(server, ['reset-pasword']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/Unknown command "reset-pasword"/);
      expect(unknown.stderr).toMatch(/npm run admin -- reset-password/);

      const none = await runAdminCli(server, []);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/Usage: npm run admin -- <command>/);

      const short = await runAdminCli(server, ['reset-password'], { HOOKLINE_ADMIN_PASSWORD: 'short' });
      expect(short.code).toBe(1);
      expect(short.stderr).toMatch(/HOOKLINE_ADMIN_PASSWORD: must be at least 8 characters/);

      await server.launch();
      expect((await login(server, ADMIN_PASSWORD)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses to touch the embedded database of a running server, or resets at once on PostgreSQL', async () => {
    const server = await TestServer.start();
    try {
      const reset = await runAdminCli(server, ['reset-password'], { HOOKLINE_ADMIN_PASSWORD: 'while-running-1' });
      if (server.database.kind === 'pglite') {
        expect(reset.code).toBe(1);
        expect(reset.stderr).toMatch(/Cannot reset the password while the server runs on the embedded database\. The data directory .* is in use by process \d+/);
        expect(reset.stderr).toMatch(/Stop that server first/);
        expect((await me(server, server.token)).status).toBe(200);
        expect((await login(server, ADMIN_PASSWORD)).status).toBe(200);
      } else {
        expect(reset.code).toBe(0);
        expect((await me(server, server.token)).status).toBe(401);
        expect((await login(server, 'while-running-1')).status).toBe(200);
      }
    } finally {
      await server.close();
    }
  });
});
