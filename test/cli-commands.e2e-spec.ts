import { mkdtempSync, statSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { hookline } from './support/hookline-cli';
import { TMP } from './support/test-database';
import { ADMIN_PASSWORD, TestServer } from './support/test-server';

jest.setTimeout(240_000);

const WHSEC = `whsec_${Buffer.from('a 32-byte standard webhooks key!').toString('base64')}`;

/** Each scheme, the secret its provider holds, its options, and the sample `hookline send` picks. */
const SCHEMES: Array<{ scheme: string; secret?: string; options?: Record<string, string>; sample: string }> = [
  { scheme: 'none', sample: 'deploy' },
  { scheme: 'bearer', secret: 'bearer-token', sample: 'deploy' },
  { scheme: 'basic', secret: 'hook:pass-word', sample: 'deploy' },
  { scheme: 'github', secret: 'gh-secret', sample: 'push' },
  { scheme: 'github-sha1', secret: 'gh-sha1-secret', sample: 'pull_request.opened' },
  { scheme: 'gitlab-token', secret: 'gl-token', sample: 'push' },
  { scheme: 'gitlab-signing', secret: WHSEC, sample: 'merge-request' },
  { scheme: 'bitbucket', secret: 'bb-secret', sample: 'repo-push' },
  { scheme: 'azure-devops', secret: 'ado-password', options: { username: 'hooks' }, sample: 'git-push' },
  { scheme: 'slack', secret: 'slack-signing', sample: 'event-callback' },
  { scheme: 'stripe', secret: 'whsec_stripe', sample: 'payment-intent-succeeded' },
  { scheme: 'svix', secret: WHSEC, sample: 'invoice-paid' },
  { scheme: 'standard-webhooks', secret: WHSEC, sample: 'svix/invoice-paid' },
  { scheme: 'generic-hmac', secret: 'hmac-secret', sample: 'nightly-smoke' },
  {
    scheme: 'custom-hmac',
    secret: 'shopify-secret',
    options: { header: 'X-Shop-Hmac', format: 'base64', signedContent: '{timestamp}.{body}', timestampHeader: 'X-Shop-Time' },
    sample: 'nightly-smoke',
  },
];

let server: TestServer;
let config: string;

beforeAll(async () => {
  config = mkdtempSync(join(TMP, 'cli-home-'));
  server = await TestServer.start();
  // One provider per scheme, each owning the uri named after it.
  for (const { scheme, secret, options } of SCHEMES) {
    const created = await server.post('/api/providers', {
      name: `p-${scheme}`,
      matchScript: `return request.uri === 'send/${scheme}'`,
      verification: { scheme, ...(secret ? { secret } : {}), ...(options ? { options } : {}) },
    });
    expect(created.status).toBe(201);
  }
});

afterAll(async () => {
  await server?.close();
});

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

test.each(SCHEMES)('send signs a $scheme delivery that the server verifies, and a wrong secret is refused', async ({ scheme, secret, options, sample }) => {
  const optionArgs = Object.entries(options ?? {}).flatMap(([name, value]) => ['--option', `${name}=${value}`]);
  const sent = await hookline(server, ['send', scheme, sample, '--uri', `send/${scheme}`, ...(secret ? ['--secret', secret] : []), ...optionArgs], { HOOKLINE_TOKEN: undefined });
  expect(sent.stderr).toBe('');
  expect(sent.code).toBe(0);
  expect(sent.json.status).toBe(202);
  const message = await server.get(`/api/messages/${sent.json.messageId}`);
  expect(message.body.providerName).toBe(`p-${scheme}`);
  expect(message.body.trace.verification).toMatchObject({ scheme, ok: true });
  if (!secret) return;

  const wrong = secret.startsWith('whsec_') ? `whsec_${Buffer.from('another key, just as long as it').toString('base64')}` : `${secret}-wrong`;
  const refused = await hookline(server, ['send', scheme, sample, '--uri', `send/${scheme}`, '--secret', wrong, ...optionArgs]);
  expect(refused.code).toBe(1);
  expect(refused.json.status).toBe(401);
  expect(refused.stderr).toMatch(/^hookline send: the server refused the delivery: Verification failed: .+; check --secret and the provider's scheme\n$/);
});

test('send takes a body from a file, extra headers, and lists the sample payloads', async () => {
  const listed = await hookline(server, ['send', 'github', '--list']);
  expect(listed.json).toEqual(expect.arrayContaining(['push', 'pull_request', 'gitlab/push', 'stripe/customer-created']));
  const sent = await hookline(server, ['send', 'bearer', '--body', join(__dirname, 'fixtures', 'generic', 'deploy.json'), '--uri', 'send/bearer', '--secret', 'bearer-token', '-H', 'X-Trace: 7']);
  expect(sent.code).toBe(0);
  const message = await server.get(`/api/messages/${sent.json.messageId}`);
  expect(message.body.headers['x-trace']).toBe('7');
  const unknown = await hookline(server, ['send', 'github', 'no-such-event', '--uri', 'x', '--secret', 's']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toBe('hookline send: no GitHub sample "no-such-event"; use an event name such as push or pull_request.opened (hookline send github --list)\n');
});

test('login keeps the token in a file only the user can read, and logout ends the session and removes it', async () => {
  const env = { XDG_CONFIG_HOME: config, HOOKLINE_TOKEN: undefined, HOOKLINE_URL: undefined };
  const wrong = await hookline(undefined, ['login', '--url', server.url], env, 'not-the-password\n');
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toBe(`hookline login: wrong username or password for ${server.url}\n`);

  const login = await hookline(undefined, ['login', '--url', server.url], env, `${ADMIN_PASSWORD}\n`);
  expect(login.code).toBe(0);
  const file = join(config, 'hookline', 'credentials.json');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  // No --url and no HOOKLINE_TOKEN: the stored login's server and token.
  const listed = await hookline(undefined, ['messages', '--status', 'unauthorized', '--provider', 'p-github'], env);
  expect(listed.code).toBe(0);
  expect(listed.json.items.map((item: { status: string; providerName: string }) => `${item.providerName} ${item.status}`)).toEqual(['p-github unauthorized']);

  const logout = await hookline(undefined, ['logout'], env);
  expect(logout.code).toBe(0);
  expect(() => statSync(file)).toThrow();
  const after = await hookline(undefined, ['messages', '--url', server.url], env);
  expect(after.code).toBe(1);
  expect(after.stderr).toBe(`hookline messages: not logged in to ${server.url}: run hookline login --url ${server.url}, or set HOOKLINE_TOKEN\n`);
});

test('errors exit 1 with one line saying what to fix', async () => {
  expect((await hookline(server, ['messages'], { HOOKLINE_TOKEN: 'expired-token' })).stderr).toBe(
    'hookline messages: GET /api/messages answered 401: The token is invalid or has expired; log in again (hookline login, or set HOOKLINE_TOKEN)\n',
  );
  expect((await hookline(server, ['messages', '--url', 'ftp://x'])).stderr).toBe('hookline messages: "ftp://x" is not an http or https URL; e.g. --url https://hookline.example.com\n');
  const closed = await closedPort();
  expect((await hookline(server, ['messages', '--url', `http://127.0.0.1:${closed}`])).stderr).toBe(
    `hookline messages: cannot reach http://127.0.0.1:${closed} (ECONNREFUSED); check --url and that the server runs\n`,
  );
  const missing = await hookline(server, ['tasks', 'resume', '6a1f0c8e-1d7e-4f55-9d55-7b1b0f3f0000']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe('hookline tasks: POST /api/tasks/6a1f0c8e-1d7e-4f55-9d55-7b1b0f3f0000/resume answered 404: No task with id 6a1f0c8e-1d7e-4f55-9d55-7b1b0f3f0000\n');
  const badOption = await hookline(server, ['messages', '--colour']);
  expect(badOption.code).toBe(1);
  expect(badOption.stderr).toMatch(/^hookline messages: Unknown option '--colour'.*; see hookline help messages\n$/);
});

test('resubmit by filter follows the job to the end; runs and tasks list as JSON', async () => {
  const counted = await hookline(server, ['resubmit', '--provider', 'p-bearer', '--dry-run']);
  // The signed and the refused delivery of the bearer test, and the one sent with --body.
  expect(counted.json).toMatchObject({ matching: 3, count: 3 });
  const resubmitted = await hookline(server, ['resubmit', '--provider', 'p-bearer', '--status', 'no_function']);
  expect(resubmitted.code).toBe(0);
  expect(resubmitted.json).toMatchObject({ status: 'done', total: 2, done: 2, failed: 0 });
  const list = await hookline(server, ['messages', '--provider', 'p-bearer', '--limit', '10']);
  expect(list.json.items.filter((item: { triggeredBy: string }) => item.triggeredBy === 'resubmit')).toHaveLength(2);

  expect((await hookline(server, ['runs', '--status', 'dead'])).json).toEqual({ items: [], nextCursor: null });
  expect((await hookline(server, ['tasks', '--state', 'parked'])).json).toEqual([]);
});
