import { randomUUID } from 'node:crypto';
import { FakeScmHost } from '../support/fake-scm-host';
import { makePollsDue, runsOf, waitFor, waitForPoll } from '../support/scm-polling';
import { TestServer } from '../support/test-server';

const TOKEN = 'ghp_multiServerPolling0123456789';

// Two server processes on one PostgreSQL database (embedded PGlite allows only one) polling the same automations.
describe('SCM polling with several servers on one PostgreSQL database', () => {
  let first: TestServer;
  let second: TestServer;
  let github: FakeScmHost;

  beforeAll(async () => {
    github = await FakeScmHost.start({ kind: 'github', token: TOKEN });
    const env = { HOOKLINE_SCHEDULER_TICK: '100ms' };
    first = await TestServer.start(env);
    second = await TestServer.start(env, first.database);
    expect((await first.post('/api/git-providers', { name: 'github-multi', kind: 'github', baseUrl: github.baseUrl, token: TOKEN })).status).toBe(201);
  });

  afterAll(async () => {
    await second.stop();
    await first.close();
    await github.close();
  });

  /** Automations polling `acme/<prefix>-<i>`, each repository given a first commit on `seed` before its automation exists, so no tick can poll it empty. */
  async function pollingAutomations(prefix: string, count: number, scmPoll: Record<string, unknown>, seed: string[]) {
    const automations = [];
    for (let i = 0; i < count; i++) {
      const repo = `acme/${prefix}-${i}`;
      for (const branch of seed) github.commit(repo, branch);
      const created = await (i % 2 ? second : first).post('/api/automations', {
        name: `${prefix}-${i}-${randomUUID().slice(0, 6)}`,
        schedule: '* * * * * *',
        target: { kind: 'command', command: 'true' },
        scmPoll: { providerName: 'github-multi', repo, ...scmPoll },
      });
      expect(created.status).toBe(201);
      automations.push({ ...created.body, repo });
    }
    return automations;
  }

  const requestsFor = (from: number, path: RegExp) => github.requests.slice(from).filter((request) => path.test(request.url)).length;

  it('polls each branch once per tick and runs each new SHA once, whichever server takes the tick', async () => {
    const automations = await pollingAutomations('multi', 6, { branches: ['main', 'release/*'] }, ['main', 'release/1']);
    const since = Date.now() - 5_000;
    for (const { id } of automations) await waitForPoll(first, id, since, ['main', 'release/*', 'release/1']);

    for (let round = 1; round <= 3; round++) {
      const moved = automations.map(({ repo }) => ({ main: github.commit(repo, 'main'), release: github.commit(repo, 'release/1') }));
      const before = github.requests.length;
      const next = await makePollsDue(first, automations.map(({ id }) => id));
      for (const { id } of automations) await waitForPoll(second, id, next, ['main', 'release/*', 'release/1']);
      automations.forEach(({ repo }) => {
        const base = `^/api/v3/repos/${repo}`;
        expect([requestsFor(before, new RegExp(`${base}/commits/main$`)), requestsFor(before, new RegExp(`${base}/commits/release/1$`)), requestsFor(before, new RegExp(`${base}/branches`))]).toEqual([1, 1, 1]);
      });
      for (const [i, { id }] of automations.entries()) {
        const runs = await runsOf(first, id);
        expect(runs).toHaveLength(2 * round);
        expect(
          runs
            .slice(-2)
            .map((run) => [run.scmPoll.branch, run.scmPoll.newSha])
            .sort(),
        ).toEqual([
          ['main', moved[i].main],
          ['release/1', moved[i].release],
        ]);
      }
    }
  });

  it('lets exactly one of a webhook delivered to one server and a poll on the other run a commit', async () => {
    const automations = await pollingAutomations('race', 5, { branch: 'main' }, ['main']);
    const since = Date.now() - 5_000;
    for (const { id } of automations) await waitForPoll(first, id, since, ['main']);
    const endpoints = [];
    for (const { id } of automations) {
      const endpoint = await first.post('/api/webhooks', { name: `race-${randomUUID().slice(0, 6)}`, automationIds: [id] });
      endpoints.push(new URL(endpoint.body.url).pathname);
    }

    const shas = automations.map(({ repo }) => github.commit(repo, 'main'));
    await Promise.all([
      makePollsDue(first, automations.map(({ id }) => id)),
      ...endpoints.map((path, i) => second.request('POST', path, undefined, { auth: false, raw: JSON.stringify({ sha: shas[i], branch: 'main' }), headers: { 'content-type': 'application/json' } })),
    ]);
    for (const [i, { id }] of automations.entries()) {
      const runs = await waitFor(`a webhook run and a poll run of ${shas[i]}`, () => runsOf(second, id), (found) => found.length === 2);
      expect(runs.map((run) => run.commitSha)).toEqual([shas[i], shas[i]]);
      expect(runs.map((run) => run.trigger).sort()).toEqual(['scm-poll', 'webhook']);
      const ran = runs.filter((run) => run.status !== 'skipped');
      const skipped = runs.filter((run) => run.status === 'skipped');
      expect([ran.length, skipped.length]).toEqual([1, 1]);
      expect(skipped[0].statusReason).toMatch(new RegExp(`^the (webhook|poll) run ${ran[0].id} already ran ${shas[i]} at `));
    }
  });
});
