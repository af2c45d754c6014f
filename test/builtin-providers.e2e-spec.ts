import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signDelivery } from './support/signers';
import { given, TestServer } from './support/test-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const GITHUB_EXAMPLES: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples/api.github.com/index.json');

function githubExample(name: string, pick: (example: any) => boolean = () => true): any {
  const example = GITHUB_EXAMPLES.find((e) => e.name === name)?.examples.find(pick);
  if (!example) throw new Error(`no ${name} example`);
  return structuredClone(example);
}

const SYNC = { 'flex-sync-webhook': 'true' };

function fixture(sender: string, file: string): string {
  return readFileSync(join(__dirname, 'fixtures', sender, file), 'utf8');
}
const URI = 'hooks/any';
const REPORT = 'return { provider: provider.name, eventType, key: event && event.key, branch: event && event.branch, sha: event && event.sha, pr: event && event.pullRequest }';

describe('built-in providers over HTTP', () => {
  let server: TestServer;
  let byKey: Record<string, any>;
  const secrets = {
    github: 'gh-secret-7f3a',
    gitlab: 'gl-token-19c2',
    stripe: 'whsec_stripe_test_secret_123',
    slack: '8f742231b10e8888abcd99yyyzzz85a5',
    svix: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    bitbucket: 'bb-secret-5511',
    jira: 'jira-secret-8812',
  };

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_SEED_BUILTINS: 'true' });
    const providers = (await server.get('/api/providers')).body as any[];
    byKey = Object.fromEntries(providers.map((p) => [p.builtin, p]));
    for (const [key, secret] of Object.entries(secrets)) {
      const updated = await server.put(`/api/providers/${byKey[key].id}`, { verification: { secret } });
      expect(updated.status).toBe(200);
    }
    for (const provider of providers) await given(server).fn({ providerId: provider.id, uri: URI, script: REPORT });
  });

  afterAll(async () => {
    await server.close();
  });

  async function deliver(body: string, headers: Record<string, string>, extra: Record<string, string> = SYNC) {
    return server.webhook(URI, body, { ...headers, ...extra });
  }

  it('seeds the built-in providers at first start, in priority order, with their schemes', async () => {
    const providers = (await server.get('/api/providers')).body as any[];
    expect(providers.map((p) => [p.name, p.verification.scheme, p.eventFormat])).toEqual([
      ['GitHub', 'github', 'github'],
      ['GitLab', 'gitlab-token', 'gitlab'],
      ['Bitbucket', 'bitbucket', 'bitbucket'],
      ['Azure DevOps', 'azure-devops', 'azure-devops'],
      ['Jira', 'bitbucket', 'jira'],
      ['Slack', 'slack', 'slack'],
      ['Stripe', 'stripe', 'stripe'],
      ['Svix', 'svix', 'standard-webhooks'],
      ['Generic HMAC', 'generic-hmac', 'generic'],
      ['Generic', 'none', 'generic'],
    ]);
    expect(providers.every((p) => p.builtin !== null)).toBe(true);
  });

  describe('GitHub', () => {
    const push = JSON.stringify(githubExample('push', (e) => e.ref === 'refs/heads/master'));

    function githubHeaders(body: string, event: string, secret = secrets.github, delivery = randomUUID()) {
      return { 'x-github-event': event, 'x-github-delivery': delivery, ...signDelivery('github', { secret, body }) };
    }

    it('accepts a push signed by the official library and names the event', async () => {
      const result = await deliver(push, githubHeaders(push, 'push'));
      expect(result.status).toBe(200);
      expect(result.body.functions).toEqual([
        expect.objectContaining({
          status: 'succeeded',
          result: { provider: 'GitHub', eventType: 'push', key: 'push', branch: 'master', sha: expect.stringMatching(/^6113728/) },
        }),
      ]);
      const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
      expect(message.trace.verification).toEqual({ scheme: 'github', ok: true, matchedSecret: 'current' });
      expect(message).toMatchObject({ eventType: 'push', eventKey: 'push', event: expect.objectContaining({ repository: 'Codertocat/Hello-World' }) });
    });

    it('names a merged pull request and an approving review', async () => {
      const merged = githubExample('pull_request', (e) => e.action === 'closed');
      merged.pull_request.merged = true;
      const mergedBody = JSON.stringify(merged);
      const mergedResult = await deliver(mergedBody, githubHeaders(mergedBody, 'pull_request'));
      expect(mergedResult.body.functions[0].result).toMatchObject({ eventType: 'pull_request', key: 'pull_request:merged', pr: { number: merged.number, merged: true } });

      const review = githubExample('pull_request_review', (e) => e.action === 'submitted');
      review.review.state = 'approved';
      const reviewBody = JSON.stringify(review);
      const reviewResult = await deliver(reviewBody, githubHeaders(reviewBody, 'pull_request_review'));
      expect(reviewResult.body.functions[0].result).toMatchObject({ key: 'pull_request:approved' });
    });

    it('rejects a changed byte, a wrong secret and a missing signature, each with its reason', async () => {
      const headers = githubHeaders(push, 'push');
      const altered = push.replace('"master"', '"masteR"');
      const cases: Array<[string, Record<string, string>]> = [
        [altered, headers],
        [push, githubHeaders(push, 'push', 'not-the-secret')],
        [push, { 'x-github-event': 'push', 'x-github-delivery': randomUUID() }],
      ];
      const reasons: string[] = [];
      for (const [body, h] of cases) {
        const result = await deliver(body, h);
        expect(result.status).toBe(401);
        const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
        expect(message.status).toBe('unauthorized');
        reasons.push(message.statusReason);
      }
      expect(new Set(reasons).size).toBe(2);
      expect(reasons[2]).toMatch(/missing/i);
      expect(reasons[0]).toBe(reasons[1]);
    });

    it('stores a redelivery as a duplicate without running functions again; a resubmit runs them', async () => {
      const delivery = randomUUID();
      const first = await deliver(push, githubHeaders(push, 'push', secrets.github, delivery));
      expect(first.status).toBe(200);
      const again = await deliver(push, githubHeaders(push, 'push', secrets.github, delivery));
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ messageId: expect.any(String), status: 'duplicate', duplicateOf: first.body.messageId });
      const duplicate = (await server.get(`/api/messages/${again.body.messageId}`)).body;
      expect(duplicate).toMatchObject({ status: 'duplicate', deliveryId: delivery });
      expect(duplicate.trace.functions).toEqual([]);

      const resubmitted = await server.post(`/api/messages/${first.body.messageId}/resubmit`, { sync: true });
      expect(resubmitted.status).toBe(200);
      expect(resubmitted.body.status).toBe('processed');
    });

    it('accepts the previous secret until it expires, and says which one matched', async () => {
      const id = byKey.github.id;
      await server.put(`/api/providers/${id}`, {
        verification: { secret: 'gh-new-secret', previousSecret: secrets.github, previousSecretExpiresAt: new Date(Date.now() + 3600_000).toISOString() },
      });
      const old = await deliver(push, githubHeaders(push, 'push', secrets.github));
      expect(old.status).toBe(200);
      expect((await server.get(`/api/messages/${old.body.messageId}`)).body.trace.verification.matchedSecret).toBe('previous');
      const fresh = await deliver(push, githubHeaders(push, 'push', 'gh-new-secret'));
      expect((await server.get(`/api/messages/${fresh.body.messageId}`)).body.trace.verification.matchedSecret).toBe('current');

      await server.put(`/api/providers/${id}`, { verification: { previousSecretExpiresAt: new Date(Date.now() - 1000).toISOString() } });
      expect((await deliver(push, githubHeaders(push, 'push', secrets.github))).status).toBe(401);
      expect((await deliver(push, githubHeaders(push, 'push', 'gh-new-secret'))).status).toBe(200);
      await server.put(`/api/providers/${id}`, { verification: { secret: secrets.github, previousSecret: null, previousSecretExpiresAt: null } });
    });

    it('filters messages by event type', async () => {
      const pushes = (await server.get('/api/messages?eventType=push&limit=500')).body.items as any[];
      expect(pushes.length).toBeGreaterThan(3);
      expect(pushes.every((m) => m.eventType === 'push')).toBe(true);
      const reviews = (await server.get('/api/messages?eventType=pull_request_review')).body.items as any[];
      expect(reviews.map((m) => m.eventKey)).toEqual(['pull_request:approved']);
    });
  });

  describe('Stripe', () => {
    const event = fixture('stripe', 'payment-intent-succeeded.json');

    it('accepts a signature from the stripe library and names the event', async () => {
      const result = await deliver(event, signDelivery('stripe', { secret: secrets.stripe, body: event }));
      expect(result.status).toBe(200);
      expect(result.body.functions[0].result).toMatchObject({ provider: 'Stripe', eventType: 'payment_intent.succeeded', key: 'payment_intent.succeeded' });
    });

    it('rejects a replayed delivery whose timestamp is ten minutes old, but an admin resubmit goes through', async () => {
      const stale = signDelivery('stripe', { secret: secrets.stripe, body: event.replace('evt_3Mtw', 'evt_old'), timestamp: Math.floor(Date.now() / 1000) - 600 });
      const result = await deliver(event.replace('evt_3Mtw', 'evt_old'), stale);
      expect(result.status).toBe(401);
      const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
      expect(message.statusReason).toMatch(/timestamp/i);

      const resubmitted = await server.post(`/api/messages/${result.body.messageId}/resubmit`, { sync: true });
      expect(resubmitted.status).toBe(200);
      const copy = (await server.get(`/api/messages/${resubmitted.body.messageId}`)).body;
      expect(copy.trace.verification).toMatchObject({ ok: false, overridden: true, reason: expect.stringMatching(/timestamp/i) });
    });
  });

  it('Svix: accepts a signature from the svix library', async () => {
    const body = fixture('svix', 'invoice-paid.json');
    const result = await deliver(body, signDelivery('svix', { secret: secrets.svix, body, id: `msg_${randomUUID()}` }));
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toMatchObject({ provider: 'Svix', eventType: 'invoice.paid', key: 'invoice.paid' });
  });

  describe('Slack', () => {
    it('answers url_verification with its challenge in both modes, after the signature check', async () => {
      const body = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
      for (const mode of [SYNC, {}]) {
        const result = await deliver(body, signDelivery('slack', { secret: secrets.slack, body }), mode);
        expect(result.status).toBe(200);
        expect(result.body).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
      }
      const unsigned = await deliver(body, { 'x-slack-signature': 'v0=00', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) });
      expect(unsigned.status).toBe(401);
    });

    it('names an Events API callback', async () => {
      const body = fixture('slack', 'event-callback.json');
      const result = await deliver(body, signDelivery('slack', { secret: secrets.slack, body }));
      expect(result.status).toBe(200);
      expect(result.body.functions[0].result).toMatchObject({ provider: 'Slack', eventType: 'event_callback' });
    });

    it('verifies a form-encoded slash command over its raw body', async () => {
      const body = 'token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&channel_name=ops&user_name=steve&command=%2Fdeploy&text=api+v2&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678';
      const result = await deliver(body, { 'content-type': 'application/x-www-form-urlencoded', ...signDelivery('slack', { secret: secrets.slack, body }) });
      expect(result.status).toBe(200);
      expect(result.body.functions[0].result).toMatchObject({ provider: 'Slack', eventType: 'slash_command' });
    });
  });

  it('GitLab: accepts the secret token and names a push', async () => {
    const body = fixture('gitlab', 'push.json');
    const headers = { 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': randomUUID() };
    const result = await deliver(body, { ...headers, 'x-gitlab-token': secrets.gitlab });
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toMatchObject({ provider: 'GitLab', eventType: 'Push Hook', key: 'push', branch: 'master' });
    expect((await deliver(body, { ...headers, 'x-gitlab-token': 'guess' })).status).toBe(401);
  });

  it.each([
    ['Bitbucket', 'bitbucket', 'repo-push.json', { 'x-event-key': 'repo:push' }, 'repo:push', 'push'],
    ['Bitbucket', 'bitbucket', 'pullrequest-fulfilled.json', { 'x-event-key': 'pullrequest:fulfilled' }, 'pullrequest:fulfilled', 'pull_request:merged'],
    ['Jira', 'jira', 'issue-created.json', {}, 'jira:issue_created', 'issue:created'],
  ])('%s: detects %s/%s signed with X-Hub-Signature and names it', async (name, sender, file, headers, eventType, key) => {
    const body = fixture(sender, file);
    const secret = sender === 'jira' ? secrets.jira : secrets.bitbucket;
    const result = await deliver(body, { ...headers, 'x-request-uuid': randomUUID(), ...signDelivery('bitbucket', { secret, body }) });
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toMatchObject({ provider: name, eventType, key });
  });

  it('Azure DevOps: detects the body, checks basic auth, names a push', async () => {
    const id = byKey['azure-devops'].id;
    await server.put(`/api/providers/${id}`, { verification: { secret: 'ado-password', options: { username: 'hookline' } } });
    const body = fixture('azure-devops', 'git-push.json');
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    const result = await deliver(body, basic('hookline', 'ado-password'));
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toMatchObject({ provider: 'Azure DevOps', eventType: 'git.push', key: 'push' });
    expect((await deliver(body, basic('hookline', 'wrong'))).status).toBe(401);
    expect((await deliver(body, {})).status).toBe(401);
  });

  it('Generic HMAC: accepts the signature in a header or the query string', async () => {
    await server.put(`/api/providers/${byKey['generic-hmac'].id}`, { verification: { secret: 'replace-me' } });
    const body = fixture('generic-hmac', 'nightly-smoke.json');
    const [, hex] = signDelivery('generic-hmac', { secret: 'replace-me', body })['x-signature-256'].split('=');
    const viaHeader = await deliver(body, { 'x-signature-256': `sha256=${hex}` });
    expect(viaHeader.body.functions[0].result).toMatchObject({ provider: 'Generic HMAC' });
    const viaQuery = await server.webhook(`${URI}?signature=${hex}`, body, SYNC);
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.body.functions[0].result).toMatchObject({ provider: 'Generic HMAC' });
    const forged = await server.webhook(`${URI}?signature=${'0'.repeat(64)}`, body, SYNC);
    expect(forged.status).toBe(401);
  });

  it('falls through to Generic for a request no sender claims', async () => {
    const result = await deliver('{"hello":"world"}', {});
    expect(result.status).toBe(200);
    expect(result.body.functions[0].result).toMatchObject({ provider: 'Generic' });
  });

  it('resets a built-in provider to its shipped script and refuses to reset a custom one', async () => {
    const github = byKey.github;
    await server.put(`/api/providers/${github.id}`, { matchScript: 'return false', priority: 15 });
    const reset = await server.post(`/api/providers/${github.id}/reset`);
    expect(reset.status).toBe(200);
    expect(reset.body.matchScript).toBe(github.matchScript);
    expect(reset.body.priority).toBe(15);
    expect(reset.body.verification.secretConfigured).toBe(true);

    const custom = await given(server).provider({ name: 'Mine' });
    const refused = await server.post(`/api/providers/${custom.id}/reset`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/not a built-in provider/);
    await server.delete(`/api/providers/${custom.id}`);
  });

  it('does not bring back a deleted built-in on the next start', async () => {
    await server.delete(`/api/providers/${byKey.generic.id}`);
    await server.stop();
    await server.launch({ HOOKLINE_SEED_BUILTINS: 'true' });
    await server.login();
    const names = ((await server.get('/api/providers')).body as any[]).map((p) => p.name);
    expect(names).not.toContain('Generic');
    expect(names).toContain('GitHub');
  });
});
