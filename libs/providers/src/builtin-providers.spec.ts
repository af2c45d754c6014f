import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScriptRequest } from '../../engine/src';
import { typeCheckScript } from '../../engine/src/testing/type-check-script';
import { BUILTIN_PROVIDERS, findBuiltinScriptsDir, readBuiltinScript } from './builtin-providers';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');

type SampleRequest = ScriptRequest;

function request(body: string, headers: Record<string, string>, query: Record<string, string> = {}): SampleRequest {
  const isForm = headers['content-type'] === 'application/x-www-form-urlencoded';
  return {
    method: 'POST',
    uri: 'hooks/any',
    path: '/webhooks/hooks/any',
    headers,
    query,
    body,
    json: isForm ? null : (JSON.parse(body) as unknown),
    form: isForm ? Object.fromEntries(new URLSearchParams(body)) : null,
  };
}

function sample(file: string, headers: Record<string, string>, query: Record<string, string> = {}): SampleRequest {
  return request(readFileSync(join(FIXTURES, file), 'utf8'), headers, query);
}

/** A GitHub push from the octokit examples, compact as GitHub sends it. */
function githubPush(): SampleRequest {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const examples: Array<{ name: string; examples: unknown[] }> = require('@octokit/webhooks-examples/api.github.com/index.json');
  const push = examples.find((e) => e.name === 'push')?.examples[0];
  return request(JSON.stringify(push), {
    ...JSON_TYPE,
    'x-github-event': 'push',
    'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    'x-hub-signature-256': 'sha256=00',
    'user-agent': 'GitHub-Hookshot/044aadd',
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Requests as each sender sends them: its own headers over one of its documented bodies. */
const SAMPLES: Record<string, Array<[string, SampleRequest]>> = {
  github: [['a push', githubPush()]],
  gitlab: [
    ['a push', sample('gitlab/push.json', { ...JSON_TYPE, 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'gl-token', 'x-gitlab-event-uuid': '4c4e1bd8-1f7a-4a2e-9d7c-2b6c1f0e9a11', 'user-agent': 'GitLab/17.5.0' })],
  ],
  bitbucket: [
    ['a Cloud push', sample('bitbucket/repo-push.json', { ...JSON_TYPE, 'x-event-key': 'repo:push', 'x-request-uuid': '{641e2cc8-4a39-4f7e-9a4d-7f1a3b3d9e21}', 'x-hook-uuid': '{0d6b1c3a}', 'x-hub-signature': 'sha256=00', 'user-agent': 'Bitbucket-Webhooks/2.0' })],
    ['a Data Center push', sample('bitbucket/dc-repo-refs-changed.json', { ...JSON_TYPE, 'x-event-key': 'repo:refs_changed', 'x-request-id': 'a6b7c8d9-0e1f-4a2b-8c3d-4e5f6a7b8c9d' })],
  ],
  'azure-devops': [['a git push', sample('azure-devops/git-push.json', { 'content-type': 'application/json; charset=utf-8' })]],
  jira: [['an issue created', sample('jira/issue-created.json', { ...JSON_TYPE, 'x-atlassian-webhook-identifier': '8a1d7a3c', 'x-hub-signature': 'sha256=00', 'user-agent': 'Atlassian Webhook HTTP Client' })]],
  slack: [
    ['a url_verification', sample('slack/url-verification.json', { ...JSON_TYPE, 'x-slack-signature': 'v0=00', 'x-slack-request-timestamp': '1531420618' })],
    ['a slash command', sample('slack/slash-command.txt', { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': 'v0=a2114d57', 'x-slack-request-timestamp': '1531420618' })],
  ],
  stripe: [['an event', sample('stripe/customer-created.json', { ...JSON_TYPE, 'stripe-signature': 't=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7' })]],
  svix: [
    ['a Svix message', sample('svix/invoice-paid.json', { ...JSON_TYPE, 'svix-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'svix-timestamp': '1614265330', 'svix-signature': 'v1,g0hM9SsE' })],
    ['a Standard Webhooks message', sample('svix/invoice-paid.json', { ...JSON_TYPE, 'webhook-id': 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk', 'webhook-timestamp': '1649367553', 'webhook-signature': 'v1,tZ1I4' })],
  ],
  'generic-hmac': [
    ['a signed body', sample('generic-hmac/nightly-smoke.json', { ...JSON_TYPE, 'x-signature-256': 'sha256=19ea43b5ae0e892211c6585ed70f251a3db5db329839f42e9f686339439840f5' })],
    ['a body signed in the query', sample('generic-hmac/nightly-smoke.json', JSON_TYPE, { signature: '19ea43b5ae0e892211c6585ed70f251a3db5db329839f42e9f686339439840f5' })],
  ],
  generic: [
    ['an unsigned JSON body', sample('generic/deploy.json', { ...JSON_TYPE, 'x-event-type': 'deploy' })],
    ['an unsigned form post', sample('slack/slash-command.txt', { 'content-type': 'application/x-www-form-urlencoded' })],
  ],
};

const ALL_SAMPLES = Object.entries(SAMPLES).flatMap(([sender, samples]) => samples.map(([what, request]) => ({ sender, what, request })));

type MatchScript = (request: SampleRequest, provider: { name: string; properties: Record<string, string> }) => unknown;

function compile(key: string): MatchScript {
  return new Function('request', 'provider', readBuiltinScript(key)) as MatchScript;
}

function claims(key: string, request: SampleRequest): boolean {
  const name = BUILTIN_PROVIDERS.find((p) => p.key === key)?.name ?? key;
  return compile(key)(structuredClone(request), { name, properties: {} }) === true;
}

describe('built-in providers', () => {
  it('are the ten shipped senders, in priority order, with their schemes and event formats', () => {
    expect(BUILTIN_PROVIDERS.map((p) => [p.key, p.name, p.priority, p.scheme, p.eventFormat])).toEqual([
      ['github', 'GitHub', 10, 'github', 'github'],
      ['gitlab', 'GitLab', 20, 'gitlab-token', 'gitlab'],
      ['bitbucket', 'Bitbucket', 30, 'bitbucket', 'bitbucket'],
      ['azure-devops', 'Azure DevOps', 40, 'azure-devops', 'azure-devops'],
      ['jira', 'Jira', 50, 'bitbucket', 'jira'],
      ['slack', 'Slack', 60, 'slack', 'slack'],
      ['stripe', 'Stripe', 70, 'stripe', 'stripe'],
      ['svix', 'Svix', 80, 'svix', 'standard-webhooks'],
      ['generic-hmac', 'Generic HMAC', 90, 'generic-hmac', 'generic'],
      ['generic', 'Generic', 1000, 'none', 'generic'],
    ]);
    for (const provider of BUILTIN_PROVIDERS) expect(provider.description.length).toBeGreaterThan(20);
  });

  it('each have a script file, and every script file belongs to one', () => {
    const files = readdirSync(findBuiltinScriptsDir(__dirname)).filter((file) => file.endsWith('.js'));
    expect(files.sort()).toEqual(BUILTIN_PROVIDERS.map((p) => `${p.key}.js`).sort());
    for (const provider of BUILTIN_PROVIDERS) expect(readBuiltinScript(provider.key)).toMatch(/\breturn\b/);
  });

  it('finds the scripts from the compiled output folder too', () => {
    expect(findBuiltinScriptsDir(join(ROOT, 'dist', 'libs', 'providers', 'src'))).toBe(join(ROOT, 'scripts', 'builtin'));
  });

  it('says clearly when a script or the folder is missing, and refuses keys that are not file names', () => {
    expect(() => readBuiltinScript('carrier-pigeon')).toThrow(/"carrier-pigeon" has no script: .*carrier-pigeon\.js does not exist/);
    expect(() => readBuiltinScript('../package')).toThrow(/not a built-in provider key/);
    expect(() => findBuiltinScriptsDir(tmpdir())).toThrow(/Cannot find the scripts\/builtin folder/);
  });

  describe.each(BUILTIN_PROVIDERS.map((p) => [p.key]))('%s.js', (key) => {
    it('type-checks against the match script declaration, as the editor checks it', () => {
      expect(typeCheckScript('match', readBuiltinScript(key))).toEqual([]);
    });

    it("claims its own sender's requests and no other sender's", () => {
      const answers = ALL_SAMPLES.map(({ sender, what, request }) => [`${sender}: ${what}`, claims(key, request)]);
      const expected = ALL_SAMPLES.map(({ sender, what }) => [`${sender}: ${what}`, key === 'generic' || sender === key]);
      expect(answers).toEqual(expected);
    });
  });

  it('the type check can fail: it reports a script that misuses the API', () => {
    expect(typeCheckScript('match', 'return request.headers["x-github-event"].startsWith(1);')).toEqual([expect.stringMatching(/not assignable to parameter of type 'string'/)]);
  });

  it.each(ALL_SAMPLES.map(({ sender, what, request }) => [sender, what, request] as const))(
    'asked in priority order, %s is the first to claim %s',
    (sender, _what, request) => {
      const first = BUILTIN_PROVIDERS.find((provider) => claims(provider.key, request));
      expect(first?.key).toBe(sender);
    },
  );
});
