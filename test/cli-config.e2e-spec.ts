import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { hookline } from './support/hookline-cli';
import { signDelivery } from './support/signers';
import { TMP } from './support/test-database';
import { TestServer } from './support/test-server';

jest.setTimeout(240_000);

const GITHUB_SECRET = 'github-webhook-secret';
const SHOP_SECRET = 'shop-hmac-secret';
const SECRETS = { GITHUB_SECRET, SHOP_SECRET, SHOP_API_KEY: 'shop-api-key', CI_ENDPOINT_SECRET: 'ci-endpoint-token', GH_GIT_TOKEN: 'ghp_token123' };

let source: TestServer;
let target: TestServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(TMP, 'cli-config-'));
  // The source has the built-in providers and everything a file describes; the target nothing.
  [source, target] = await Promise.all([TestServer.start({ HOOKLINE_SEED_BUILTINS: 'true' }), TestServer.start()]);
  const providers = (await source.get('/api/providers')).body as Array<{ id: string; name: string }>;
  const github = providers.find((provider) => provider.name === 'GitHub')!;
  expect((await source.put(`/api/providers/${github.id}`, { verification: { secret: GITHUB_SECRET } })).status).toBe(200);
  const shop = await source.post('/api/providers', {
    name: 'Shop',
    matchScript: "return request.headers['x-shop-domain'] !== undefined",
    verification: { scheme: 'generic-hmac', secret: SHOP_SECRET },
    properties: { region: 'eu' },
    secretProperties: { apiKey: SECRETS.SHOP_API_KEY },
  });
  expect(shop.status).toBe(201);
  // Shop first: the order is part of the configuration.
  expect((await source.put('/api/providers/order', { ids: [shop.body.id, ...providers.map((provider) => provider.id)] })).status).toBe(200);
  const automation = await source.post('/api/automations', { name: 'deploy', target: { kind: 'task', name: 'deploy', params: { env: 'prod' } }, retry: { attempts: 2 } });
  expect(automation.status).toBe(201);
  for (const fn of [
    { name: 'main pushes', providerId: github.id, uri: 'git/push', condition: "event.branch == 'main'", script: 'return { commits: request.json.commits.length, ref: request.json.ref }', automationIds: [automation.body.id] },
    { name: 'all pushes', providerId: github.id, uri: 'git/push', script: 'return request.json.repository.full_name' },
    { name: 'orders', providerId: shop.body.id, uri: 'shop/orders', script: "return { total: request.json.total, region: provider.properties.region, key: provider.secrets.apiKey === 'shop-api-key' }" },
  ]) {
    expect((await source.post('/api/functions', fn)).status).toBe(201);
  }
  expect((await source.post('/api/webhooks', { name: 'ci', automationIds: [automation.body.id], verification: { scheme: 'bearer', secret: SECRETS.CI_ENDPOINT_SECRET } })).status).toBe(201);
  expect((await source.post('/api/git-providers', { name: 'gh', kind: 'github', token: SECRETS.GH_GIT_TOKEN })).status).toBe(201);
});

afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
});

/** The same deliveries to both servers, each answered while the caller waits. */
async function deliver(server: TestServer) {
  const push = (ref: string) => JSON.stringify({ ref, commits: [{ id: 'a1' }, { id: 'b2' }], repository: { full_name: 'acme/app' } });
  const deliveries: Array<{ uri: string; body: string; headers: Record<string, string> }> = [
    { uri: 'git/push', body: push('refs/heads/main'), headers: { 'x-github-event': 'push', ...signDelivery('github', { secret: GITHUB_SECRET, body: push('refs/heads/main') }) } },
    { uri: 'git/push', body: push('refs/heads/dev'), headers: { 'x-github-event': 'push', ...signDelivery('github', { secret: GITHUB_SECRET, body: push('refs/heads/dev') }) } },
    { uri: 'git/push', body: push('refs/heads/main'), headers: { 'x-github-event': 'push', ...signDelivery('github', { secret: 'not-the-secret', body: push('refs/heads/main') }) } },
    { uri: 'shop/orders', body: '{"total":42}', headers: { 'x-shop-domain': 'acme', ...signDelivery('generic-hmac', { secret: SHOP_SECRET, body: '{"total":42}' }) } },
    { uri: 'shop/orders', body: '{"total":42}', headers: { 'x-shop-domain': 'acme', 'x-signature-256': 'sha256=00' } },
  ];
  const answers = [];
  for (const delivery of deliveries) {
    const answer = await server.webhook(delivery.uri, delivery.body, { ...delivery.headers, 'flex-sync-webhook': 'true' });
    const functions = ((answer.body.functions ?? []) as Array<{ name: string; status: string; result: unknown }>)
      .map(({ name, status, result }) => ({ name, status, result }))
      .sort((a, b) => a.name.localeCompare(b.name));
    answers.push({ status: answer.status, messageStatus: answer.body.status, functions });
  }
  return answers;
}

test('export then import into an empty server reproduces the same behaviour on a set of signed deliveries', async () => {
  const exported = await hookline(source, ['export', '--dir', join(dir, 'export')]);
  expect(exported.code).toBe(0);
  expect(exported.stderr).toContain('set GH_GIT_TOKEN, SHOP_SECRET, SHOP_APIKEY, GITHUB_SECRET, CI_ENDPOINT_SECRET before importing');
  const yaml = readFileSync(join(dir, 'export', 'hookline.yaml'), 'utf8');
  // Secrets are references, never values; scripts are files beside the document.
  for (const secret of Object.values(SECRETS)) expect(yaml).not.toContain(secret);
  expect(yaml).toContain('secret: ${env:GITHUB_SECRET}');
  expect(readFileSync(join(dir, 'export', 'scripts', 'shop.orders.js'), 'utf8')).toContain('request.json.total');
  const document = parse(yaml);
  expect(document.providers.map((provider: { name: string }) => provider.name).slice(0, 3)).toEqual(['Shop', 'GitHub', 'GitLab']);

  const env = { ...SECRETS, SHOP_APIKEY: SECRETS.SHOP_API_KEY };
  const imported = await hookline(target, ['import', join(dir, 'export')], env);
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
  expect(imported.json.changes.filter((change: { action: string }) => change.action === 'create')).toHaveLength(17);
  expect(imported.json.endpointUrls[0].url).toMatch(/\/api\/webhooks\/inbound\/hle_/);

  const [before, after] = [await deliver(source), await deliver(target)];
  expect(after).toEqual(before);
  expect(before.map((answer) => answer.status)).toEqual([200, 200, 401, 200, 401]);
  expect(before[0].functions).toEqual([
    { name: 'all pushes', status: 'succeeded', result: 'acme/app' },
    { name: 'main pushes', status: 'succeeded', result: { commits: 2, ref: 'refs/heads/main' } },
  ]);
  expect(before[3].functions).toEqual([{ name: 'orders', status: 'succeeded', result: { total: 42, region: 'eu', key: true } }]);

  // The same document back out, and a second import changes nothing.
  const again = await hookline(target, ['export']);
  expect(parse(again.stdout)).toEqual(parse((await hookline(source, ['export'])).stdout));
  const second = await hookline(target, ['import', join(dir, 'export')], env);
  expect(second.json).toEqual({ dryRun: false, changes: [], order: null });
});

test('--dry-run prints the plan with the fields that change and changes nothing; --prune deletes what the file lacks', async () => {
  const file = join(dir, 'changed.yaml');
  const document = parse((await hookline(target, ['export'])).stdout);
  document.functions = document.functions.filter((fn: { name: string }) => fn.name !== 'all pushes');
  const orders = document.functions.find((fn: { name: string }) => fn.name === 'orders');
  orders.timeoutMs = 2000;
  orders.enabled = false;
  document.providers = document.providers.filter((provider: { name: string }) => provider.name !== 'Generic');
  document.automations.push({ name: 'notify', target: { kind: 'http', url: 'http://127.0.0.1:9/notify' } });
  writeFileSync(file, stringify(document));
  const env = { ...SECRETS, SHOP_APIKEY: SECRETS.SHOP_API_KEY };
  const before = (await hookline(target, ['export'])).stdout;

  const dryRun = await hookline(target, ['import', file, '--dry-run', '--prune'], env);
  expect(dryRun.code).toBe(0);
  expect(dryRun.json.dryRun).toBe(true);
  expect(dryRun.json.changes).toEqual([
    { action: 'create', section: 'automations', kind: 'automation', key: 'notify', fields: [{ field: 'target', to: { kind: 'http', url: 'http://127.0.0.1:9/notify' } }] },
    {
      action: 'update',
      section: 'functions',
      kind: 'function',
      key: 'Shop / orders',
      fields: [
        { field: 'enabled', from: true, to: false },
        { field: 'timeoutMs', from: 5000, to: 2000 },
      ],
    },
    { action: 'delete', section: 'functions', kind: 'function', key: 'GitHub / all pushes', fields: [] },
    { action: 'delete', section: 'providers', kind: 'provider', key: 'Generic', fields: [] },
  ]);
  expect((await hookline(target, ['export'])).stdout).toBe(before);

  // Without --prune what the file lacks stays.
  const kept = await hookline(target, ['import', file], env);
  expect(kept.json.changes.map((change: { action: string; key: string }) => `${change.action} ${change.key}`)).toEqual(['create notify', 'update Shop / orders']);
  expect((await target.get('/api/functions')).body.map((fn: { name: string }) => fn.name)).toContain('all pushes');

  const pruned = await hookline(target, ['import', file, '--prune'], env);
  expect(pruned.json.changes.map((change: { action: string; key: string }) => `${change.action} ${change.key}`)).toEqual(['delete GitHub / all pushes', 'delete Generic']);
  expect((await target.get('/api/functions')).body.map((fn: { name: string }) => fn.name).sort()).toEqual(['main pushes', 'orders']);
  expect((await hookline(target, ['import', file, '--prune'], env)).json.changes).toEqual([]);
});

test('secrets the server holds are sent again only with --update-secrets, and a file can remove one', async () => {
  const file = join(dir, 'secrets.yaml');
  writeFileSync(file, stringify({ version: 1, providers: [{ name: 'Shop', verification: { scheme: 'generic-hmac', secret: '${env:SHOP_SECRET}' } }] }));
  expect((await hookline(target, ['import', file], { SHOP_SECRET: 'rotated' })).json.changes).toEqual([]);
  const replaced = await hookline(target, ['import', file, '--update-secrets'], { SHOP_SECRET: 'rotated' });
  expect(replaced.json.changes).toEqual([{ action: 'update', section: 'providers', kind: 'provider', key: 'Shop', fields: [{ field: 'verification.secret', secret: 'replaced' }] }]);
  expect(replaced.stdout).not.toContain('rotated');
  const body = '{"total":1}';
  const signed = await target.webhook('shop/orders', body, { 'x-shop-domain': 'acme', ...signDelivery('generic-hmac', { secret: 'rotated', body }) });
  expect(signed.status).toBe(202);

  writeFileSync(file, stringify({ version: 1, providers: [{ name: 'Shop', verification: { scheme: 'generic-hmac', secret: null } }] }));
  const removed = await hookline(target, ['import', file]);
  expect(removed.json.changes[0].fields).toEqual([{ field: 'verification.secret', secret: 'removed' }]);
  expect((await target.get('/api/providers')).body.find((provider: { name: string }) => provider.name === 'Shop').verification.secretConfigured).toBe(false);
});

test('a file that names a missing environment variable or an unknown automation is refused before anything changes', async () => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, stringify({ version: 1, gitProviders: [{ name: 'other', kind: 'github', token: '${env:NOT_SET_ANYWHERE}' }] }));
  const missing = await hookline(target, ['import', file], { NOT_SET_ANYWHERE: undefined });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe(`hookline import: ${file}: environment variable not set: NOT_SET_ANYWHERE (at gitProviders[0].token); set it before importing\n`);

  writeFileSync(file, stringify({ version: 1, endpoints: [{ name: 'x', automations: ['nowhere'] }] }));
  const unknown = await hookline(target, ['import', file]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toBe('hookline import: endpoints[0].automations: no automation named "nowhere" in the file or on the server\n');
  expect((await target.get('/api/git-providers')).body.map((provider: { name: string }) => provider.name)).toEqual(['gh']);
});

test('HOOKLINE_CONFIG applies a file at start with the same planner, logs the plan, and a bad file stops the start naming it', async () => {
  const file = join(dir, 'start.yaml');
  writeFileSync(
    file,
    stringify({
      version: 1,
      providers: [{ name: 'Hooks', matchScript: 'return true', verification: { scheme: 'bearer', secret: '${env:HOOKS_TOKEN}' } }],
      functions: [{ name: 'echo', provider: 'Hooks', uri: 'in', script: 'return request.json' }],
    }),
  );
  const server = await TestServer.start({ HOOKLINE_CONFIG: file, HOOKS_TOKEN: 'hooks-token-1' });
  try {
    expect(server.logs).toContain(`${file}: + create provider "Hooks"`);
    expect(server.logs).toContain(`${file}: applied 2 to create, 0 to update, 0 to delete (HOOKLINE_CONFIG_PRUNE is off`);
    expect(server.logs).not.toContain('order providers');
    expect(server.logs).not.toContain('hooks-token-1');
    const answer = await server.webhook('in', '{"a":1}', { authorization: 'Bearer hooks-token-1', 'flex-sync-webhook': 'true' });
    expect(answer.body.functions[0].result).toEqual({ a: 1 });
    // The audit log names the file, not a person, for what it changed.
    const audit = await server.get('/api/audit?actor=HOOKLINE_CONFIG');
    expect(audit.body.items.map((entry: { action: string }) => entry.action).sort()).toEqual(['function.create', 'provider.create']);
    expect(audit.body.items[0].actor).toMatchObject({ via: 'system', name: 'HOOKLINE_CONFIG', identity: { configFile: file, appliedAs: 'admin' } });
    await server.stop();

    // A second start finds nothing to do; with prune, what the file lacks goes.
    await server.launch({ HOOKLINE_CONFIG: file, HOOKS_TOKEN: 'hooks-token-1' });
    await server.login();
    expect(server.logs).toContain(`${file}: No changes.`);
    expect((await server.post('/api/functions', { name: 'extra', providerId: (await server.get('/api/providers')).body[0].id, uri: 'x', script: '' })).status).toBe(201);
    await server.stop();
    await server.launch({ HOOKLINE_CONFIG: file, HOOKS_TOKEN: 'hooks-token-1', HOOKLINE_CONFIG_PRUNE: 'true' });
    await server.login();
    expect(server.logs).toContain(`${file}: - delete function "Hooks / extra"`);
    expect((await server.get('/api/functions')).body.map((fn: { name: string }) => fn.name)).toEqual(['echo']);
    await server.stop();

    writeFileSync(file, 'version: 1\nproviders:\n  - name: Broken\n    matchScript: "return ("\n');
    await expect(server.launch({ HOOKLINE_CONFIG: file })).rejects.toThrow(
      new RegExp(`Bad setting HOOKLINE_CONFIG: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: POST /api/providers answered 400: invalid input: matchScript`),
    );
    writeFileSync(file, 'version: 2\n');
    await expect(server.launch({ HOOKLINE_CONFIG: file })).rejects.toThrow(`Bad setting HOOKLINE_CONFIG: ${file}: version: must be 1 (found 2)`);
  } finally {
    await server.close();
  }
});
