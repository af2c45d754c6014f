import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { FakeScmHost } from './support/fake-scm-host';
import { GitRemote } from './support/git-remote';
import { changeDatabase, makePollsDue, runsOf, waitFor, waitForPoll, waitForRun } from './support/scm-polling';
import { signDelivery } from './support/signers';
import { describeDatabase, queryStoppedDatabase } from './support/test-database';
import { waitForTask } from './support/task-runners';
import { given, TestServer } from './support/test-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const GITHUB_EXAMPLES: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples/api.github.com/index.json');

const GITHUB_TOKEN = 'ghp_pollingE2eToken0123456789abcdef';
const AZURE_PAT = 'azdoPollingE2ePat0123456789zyxwvu';
const GIT_TOKEN = 'glpat-polling-e2e-7f1d';
const RUNNER_TOKEN = 'polling-runner-token-0123456789abcdef0123';
const WEBHOOK_SECRET = 'polling-webhook-secret';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Writes the environment variables ending in _BRANCH or _SHA, and the arguments, to seen.json in the run's directory. */
const RECORD_SCRIPT =
  "const fs = require('fs'); const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => /_(BRANCH|SHA)$/.test(name))); " +
  "fs.writeFileSync('seen.json', JSON.stringify({ env, args: process.argv.slice(1) }));";
const TEMPLATE_ARGS = ['{{scmPoll.providerName}}', '{{scmPoll.repo}}', '{{scmPoll.branch}}', '{{scmPoll.oldSha}}', '{{scmPoll.newSha}}', '{{scmPoll.commitMessage}}', '{{scmPoll.author}}'];

// On PGlite each forced poll stops the server to move the poll state, and a loaded machine may
// take minutes over a test's several rounds.
jest.setTimeout(300_000);

describe(`SCM polling on ${describeDatabase()}`, () => {
  let server: TestServer;
  let github: FakeScmHost;
  let azure: FakeScmHost;
  let remote: GitRemote;
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ url: string; body: string }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    [server, github, azure, remote] = await Promise.all([
      TestServer.start({ HOOKLINE_SCHEDULER_TICK: '200ms', HOOKLINE_RUNNER_TOKEN: RUNNER_TOKEN, HOOKLINE_RETENTION_INTERVAL: '1s' }),
      FakeScmHost.start({ kind: 'github', token: GITHUB_TOKEN }),
      FakeScmHost.start({ kind: 'azure-devops', token: AZURE_PAT, organization: 'fabrikam' }),
      GitRemote.start({ protocol: 'http', credentials: { username: 'ci-bot', token: GIT_TOKEN } }),
    ]);
    for (const provider of [
      { name: 'github-e2e', kind: 'github', baseUrl: github.baseUrl, token: GITHUB_TOKEN },
      { name: 'azure-e2e', kind: 'azure-devops', baseUrl: azure.baseUrl, token: AZURE_PAT },
      { name: 'git-e2e', kind: 'git', remoteUrl: remote.url, username: 'ci-bot', token: GIT_TOKEN },
    ]) {
      const created = await server.post('/api/git-providers', provider);
      if (created.status !== 201) throw new Error(`provider: ${created.status} ${created.text}`);
    }
  });

  afterAll(async () => {
    await Promise.all([server.close(), github.close(), azure.close(), remote.stop(), new Promise((resolve) => receiver.close(resolve))]);
  });

  async function automation(fields: Record<string, unknown>): Promise<any> {
    const created = await server.post('/api/automations', { name: `poll-${randomUUID().slice(0, 8)}`, schedule: '* * * * * *', target: { kind: 'command', command: 'true' }, ...fields });
    if (created.status !== 201) throw new Error(`automation: ${created.status} ${created.text}`);
    return created.body;
  }

  const runDir = (runId: string) => join(server.database.env.HOOKLINE_DATA_DIR, 'runs', runId);
  const stateOf = async (id: string) => (await server.get(`/api/automations/${id}/scm-state`)).body;
  const branchState = (state: any, branch: string) => state.branches.find((row: any) => row.branch === branch);

  it('records a baseline without a run, then runs once per new SHA for each kind of provider, with its values in templates and the environment', async () => {
    const base = {
      github: github.commit('acme/customer-api', 'main', { files: ['README.md'] }),
      azure: azure.commit('Web/customer-api', 'main', { files: ['README.md'] }),
      git: await remote.commit('main', { 'README.md': 'hello' }),
    };
    const target = { kind: 'command', argv: ['node', '-e', RECORD_SCRIPT, ...TEMPLATE_ARGS] };
    const since = Date.now();
    const polls = {
      github: await automation({ target, scmPoll: { providerName: 'github-e2e', repo: 'acme/customer-api', branch: 'main' } }),
      azure: await automation({ target, scmPoll: { providerName: 'azure-e2e', repo: 'Web/customer-api', branch: 'main' } }),
      git: await automation({ target, scmPoll: { providerName: 'git-e2e', repo: 'customer-api', branch: 'main' } }),
    };
    const kinds = ['github', 'azure', 'git'] as const;
    const baselineAt: Record<string, string> = {};
    for (const kind of kinds) {
      const state = await waitForPoll(server, polls[kind].id, since, ['main']);
      baselineAt[kind] = state.branches[0].baselineAt;
      expect(state).toMatchObject({ automationId: polls[kind].id, pollingEnabled: true, scmPoll: polls[kind].scmPoll });
      expect(state.branches).toEqual([
        { branch: 'main', lastSha: base[kind], lastPollAt: expect.stringMatching(ISO), lastError: null, consecutiveErrors: 0, backoffSeconds: 0, nextAttemptAt: expect.stringMatching(ISO), baselineAt: state.branches[0].lastPollAt, recentErrors: [] },
      ]);
      expect(Date.parse(state.branches[0].nextAttemptAt) - Date.parse(state.branches[0].lastPollAt)).toBe(60_000);
      expect(await runsOf(server, polls[kind].id)).toEqual([]);
    }

    const moved = {
      github: github.commit('acme/customer-api', 'main', { files: ['src/a.ts'], message: 'Fix login', author: 'Ada Lovelace' }),
      azure: azure.commit('Web/customer-api', 'main', { files: ['src/a.ts'], message: 'Fix login', author: 'Ada Lovelace' }),
      git: await remote.commit('main', { 'src/a.ts': 'export {};' }, 'Fix login'),
    };
    const next = await makePollsDue(server, kinds.map((kind) => polls[kind].id));
    const expected = {
      github: { providerName: 'github-e2e', repo: 'acme/customer-api', commitMessage: 'Fix login', author: 'Ada Lovelace', commitUrl: `${github.url}/acme/customer-api/commit/${moved.github}` },
      azure: { providerName: 'azure-e2e', repo: 'Web/customer-api', commitMessage: 'Fix login', author: 'Ada Lovelace', commitUrl: expect.stringContaining(moved.azure) },
      // `git ls-remote` tells only the SHA; the message is known once a commit was fetched for a paths check.
      git: { providerName: 'git-e2e', repo: 'customer-api', commitMessage: null, author: null, commitUrl: null },
    };
    for (const kind of kinds) {
      await waitForPoll(server, polls[kind].id, next, ['main']);
      const runs = await runsOf(server, polls[kind].id);
      expect(runs).toHaveLength(1);
      const run = await waitForRun(server, runs[0].id);
      expect(run).toMatchObject({ status: 'succeeded', trigger: 'scm-poll', commitSha: moved[kind], messageId: null });
      expect(run.scmPoll).toEqual({ ...expected[kind], branch: 'main', oldSha: base[kind], newSha: moved[kind], latencyMs: expect.any(Number) });
      const seen = JSON.parse(readFileSync(join(runDir(run.id), 'seen.json'), 'utf8'));
      expect(seen.env).toEqual({ CUSTOMER_API_BRANCH: 'main', CUSTOMER_API_TRIGGER_SHA: moved[kind], CUSTOMER_API_SHA: moved[kind] });
      const { providerName, repo, commitMessage, author } = expected[kind];
      expect(seen.args).toEqual([providerName, repo, 'main', base[kind], moved[kind], commitMessage ?? '', author ?? '']);
      // The payload file of a poll-triggered command holds what the poll saw.
      expect(JSON.parse(readFileSync(join(runDir(run.id), 'task-output', 'webhook-payload.json'), 'utf8'))).toEqual({ scmPoll: run.scmPoll, env: seen.env });
      expect((await stateOf(polls[kind].id)).branches[0]).toMatchObject({ lastSha: moved[kind], baselineAt: baselineAt[kind] });
    }

    // Polled again without a new commit: nothing runs.
    const again = await makePollsDue(server, kinds.map((kind) => polls[kind].id));
    for (const kind of kinds) {
      await waitForPoll(server, polls[kind].id, again, ['main']);
      expect(await runsOf(server, polls[kind].id)).toHaveLength(1);
    }
  });

  it('gives each branch a glob matches its own run, starts new branches with a baseline, and hands branch names to a shell only as data', async () => {
    const odd = 'release/$(touch${IFS}pwned);echo';
    for (const branch of ['main', 'release/1.0', odd]) github.commit('acme/web-app', branch);
    const since = Date.now();
    const poll = await automation({
      target: { kind: 'command', shell: true, command: "printf '%s\\n' {{scmPoll.branch}} \"$WEB_APP_BRANCH\" > branch.txt" },
      scmPoll: { providerName: 'github-e2e', repo: 'acme/web-app', branches: ['main', 'release/*'] },
    });
    const baseline = await waitForPoll(server, poll.id, since, ['main', 'release/*', 'release/1.0', odd]);
    expect(branchState(baseline, 'release/*')).toMatchObject({ lastSha: null, baselineAt: null, consecutiveErrors: 0 });
    expect(await runsOf(server, poll.id)).toEqual([]);

    const release = github.commit('acme/web-app', 'release/1.0');
    const oddHead = github.commit('acme/web-app', odd);
    const fresh = github.commit('acme/web-app', 'release/2.0');
    const next = await makePollsDue(server, [poll.id]);
    const state = await waitForPoll(server, poll.id, next, ['main', 'release/*', 'release/1.0', odd, 'release/2.0']);
    expect(branchState(state, 'release/2.0')).toMatchObject({ lastSha: fresh, baselineAt: branchState(state, 'release/2.0').lastPollAt });
    const runs = await runsOf(server, poll.id);
    expect(runs.map((run) => [run.scmPoll.branch, run.scmPoll.newSha]).sort()).toEqual([
      [odd, oddHead],
      ['release/1.0', release],
    ]);
    const oddRun = await waitForRun(server, runs.find((run) => run.scmPoll.branch === odd).id);
    expect(oddRun.status).toBe('succeeded');
    expect(readFileSync(join(runDir(oddRun.id), 'branch.txt'), 'utf8')).toBe(`${odd}\n${odd}\n`);
    expect(readdirSync(runDir(oddRun.id)).sort()).toEqual(['branch.txt', 'task-output']);
  });

  it('runs when a file changed anywhere in a range of several commits matches paths, and records a skipped run when none does', async () => {
    const githubBase = github.commit('acme/paths', 'main', { files: ['README.md'] });
    const gitRemote = await GitRemote.start({ protocol: 'git' }, 'paths.git');
    try {
      const gitBase = await gitRemote.commit('main', { 'README.md': 'hello' });
      const created = await server.post('/api/git-providers', { name: 'git-paths', kind: 'git', remoteUrl: gitRemote.url });
      expect(created.status).toBe(201);
      const since = Date.now();
      const viaGithub = await automation({ scmPoll: { providerName: 'github-e2e', repo: 'acme/paths', branch: 'main', paths: ['src/api/**'] } });
      const viaGit = await automation({ scmPoll: { providerName: 'git-paths', repo: 'paths', branch: 'main', paths: ['src/api/**'] } });
      await waitForPoll(server, viaGithub.id, since, ['main']);
      await waitForPoll(server, viaGit.id, since, ['main']);

      // The matching file is in the first of two commits; the head itself changes only the README.
      github.commit('acme/paths', 'main', { files: ['src/api/users.ts'] });
      const githubHead = github.commit('acme/paths', 'main', { files: ['README.md'] });
      await gitRemote.commit('main', { 'src/api/users.ts': 'export {};' });
      const gitHead = await gitRemote.commit('main', { 'README.md': 'hello again' });
      let next = await makePollsDue(server, [viaGithub.id, viaGit.id]);
      for (const [poll, base, head] of [
        [viaGithub, githubBase, githubHead],
        [viaGit, gitBase, gitHead],
      ]) {
        await waitForPoll(server, poll.id, next, ['main']);
        const runs = await runsOf(server, poll.id);
        expect(runs.map((run) => [run.trigger, run.scmPoll.oldSha, run.scmPoll.newSha])).toEqual([['scm-poll', base, head]]);
        expect((await waitForRun(server, runs[0].id)).status).toBe('succeeded');
      }

      github.commit('acme/paths', 'main', { files: ['docs/guide.md'] });
      const githubLast = github.commit('acme/paths', 'main', { files: ['README.md'] });
      await gitRemote.commit('main', { 'docs/guide.md': '# Guide' });
      const gitLast = await gitRemote.commit('main', { 'README.md': 'third' });
      next = await makePollsDue(server, [viaGithub.id, viaGit.id]);
      for (const [poll, from, to] of [
        [viaGithub, githubHead, githubLast],
        [viaGit, gitHead, gitLast],
      ]) {
        const state = await waitForPoll(server, poll.id, next, ['main']);
        expect(state.branches[0].lastSha).toBe(to);
        const runs = await runsOf(server, poll.id);
        expect(runs).toHaveLength(2);
        expect(runs[1]).toMatchObject({
          trigger: 'scm-poll',
          status: 'skipped',
          statusReason: `no file changed in ${from}..${to} matches src/api/** (2 changed)`,
          commitSha: to,
          scmPoll: expect.objectContaining({ oldSha: from, newSha: to }),
        });
      }
    } finally {
      await gitRemote.stop();
    }
  });

  it('backs off after repeated errors, waits out a rate limit, and resets on a success', async () => {
    github.commit('acme/flaky', 'main');
    const since = Date.now();
    const poll = await automation({ scmPoll: { providerName: 'github-e2e', repo: 'acme/flaky', branch: 'main', backoff: { baseSeconds: 120, maxSeconds: 600, threshold: 2 } } });
    await waitForPoll(server, poll.id, since, ['main']);
    const head = /\/repos\/acme\/flaky\/commits\//;
    const pollFailing = async () => {
      const after = await makePollsDue(server, [poll.id]);
      const state = await waitForPoll(server, poll.id, after, ['main']);
      const row = state.branches[0];
      return { ...row, waitSeconds: (Date.parse(row.nextAttemptAt) - Date.parse(row.lastPollAt)) / 1000 };
    };

    github.answerNext({ status: 502, match: head, body: '{"message":"Server Error"}' });
    expect(await pollFailing()).toMatchObject({ consecutiveErrors: 1, backoffSeconds: 0, waitSeconds: 60, lastError: expect.stringContaining('502') });
    github.answerNext({ status: 401, match: head, body: '{"message":"Bad credentials"}' });
    expect(await pollFailing()).toMatchObject({ consecutiveErrors: 2, backoffSeconds: 120, waitSeconds: 120, lastError: expect.stringContaining('Bad credentials') });
    const resetAt = new Date(Date.now() + 3_600_000);
    github.rateLimitNext({ resetAt }, head);
    const limited = await pollFailing();
    expect(limited).toMatchObject({ consecutiveErrors: 3, backoffSeconds: 240, nextAttemptAt: new Date(Math.floor(resetAt.getTime() / 1000) * 1000).toISOString() });
    expect(limited.recentErrors.map((error: any) => error.kind)).toEqual(['rate_limited', 'auth', 'unavailable']);
    expect(await runsOf(server, poll.id)).toEqual([]);

    const moved = github.commit('acme/flaky', 'main');
    const recovered = await pollFailing();
    expect(recovered).toMatchObject({ lastSha: moved, consecutiveErrors: 0, backoffSeconds: 0, waitSeconds: 60, lastError: null });
    expect(recovered.recentErrors).toHaveLength(3);
    expect((await runsOf(server, poll.id)).map((run) => run.scmPoll.newSha)).toEqual([moved]);
  });

  it('records a provider whose token cannot be opened, or that is gone, as an error of the branch, and keeps polling the others', async () => {
    github.commit('acme/sealed', 'main');
    expect((await server.post('/api/git-providers', { name: 'github-sealed', kind: 'github', baseUrl: github.baseUrl, token: GITHUB_TOKEN })).status).toBe(201);
    // Created with a schedule that is not due, so that nothing polls before the database is changed.
    const sealed = await automation({ schedule: '0 0 1 1 *', scmPoll: { providerName: 'github-sealed', repo: 'acme/sealed', branch: 'main' } });
    const gone = await automation({ schedule: '0 0 1 1 *', scmPoll: { providerName: 'github-sealed', repo: 'acme/sealed', branch: 'main' } });
    await changeDatabase(
      server,
      `WITH broken AS (UPDATE git_providers SET token_sealed = 'not-a-sealed-token' WHERE name = 'github-sealed' RETURNING id)
       UPDATE automations SET scm_poll = jsonb_set(scm_poll, '{providerName}', '"github-gone"'), next_run_at = now() WHERE id = '${gone.id}'`,
    );
    const since = Date.now();
    expect((await server.put(`/api/automations/${sealed.id}`, { schedule: '* * * * * *' })).status).toBe(200);
    const sealedState = await waitForPoll(server, sealed.id, since, ['main']);
    expect(sealedState.branches[0]).toMatchObject({ lastSha: null, consecutiveErrors: 1, lastError: expect.stringMatching(/cannot be unsealed/) });
    expect(sealedState.branches[0].recentErrors[0].kind).toBe('invalid');
    const goneState = await waitForPoll(server, gone.id, 0, ['main']);
    expect(goneState.branches[0]).toMatchObject({ lastSha: null, consecutiveErrors: 1, lastError: 'No Git provider is named "github-gone"; add one with that name under /api/git-providers, or change scmPoll.providerName' });
    expect(JSON.stringify(sealedState)).not.toContain(GITHUB_TOKEN);
    // The scheduler lives on: a plain schedule still fires.
    const plain = await automation({ target: { kind: 'command', command: 'true' } });
    await waitFor('a scheduled run', () => runsOf(server, plain.id), (runs) => runs.length > 0);
    await server.put(`/api/automations/${plain.id}`, { schedule: null });
  });

  it('tests a poll with the saved setting or a draft without moving the baseline or starting a run, then polls for real', async () => {
    const base = github.commit('acme/preview', 'main', { files: ['README.md'] });
    github.commit('acme/preview-other', 'main');
    const since = Date.now();
    const poll = await automation({ scmPoll: { providerName: 'github-e2e', repo: 'acme/preview', branch: 'main' } });
    const before = await waitForPoll(server, poll.id, since, ['main']);
    const moved = github.commit('acme/preview', 'main', { files: ['src/app.ts'], message: 'Preview me' });

    const saved = await server.post(`/api/automations/${poll.id}/test-poll`, {});
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      automationId: poll.id,
      dryRun: true,
      polledAt: expect.stringMatching(ISO),
      listing: null,
      branches: [
        {
          branch: 'main',
          outcome: 'triggered',
          wouldTrigger: true,
          previousSha: base,
          head: { branch: 'main', sha: moved, message: 'Preview me', author: 'Monalisa Octocat', url: `${github.url}/acme/preview/commit/${moved}` },
          paths: null,
          latencyMs: expect.any(Number),
          error: null,
          duplicateOf: null,
          runId: null,
          nextAttemptAt: before.branches[0].nextAttemptAt,
        },
      ],
    });
    const filtered = await server.post(`/api/automations/${poll.id}/test-poll`, { scmPoll: { providerName: 'github-e2e', repo: 'acme/preview', branches: ['main', 'feature/*'], paths: ['docs/**'] } });
    expect(filtered.body.listing).toEqual({ patterns: ['feature/*'], outcome: 'listed', matched: [], error: null, nextAttemptAt: expect.stringMatching(ISO) });
    expect(filtered.body.branches[0]).toMatchObject({
      outcome: 'filtered',
      wouldTrigger: false,
      paths: { patterns: ['docs/**'], fromSha: base, toSha: moved, compared: true, changedCount: 1, matched: [], matchedCount: 0, changedSample: ['src/app.ts'], reason: null },
    });
    const other = await server.post(`/api/automations/${poll.id}/test-poll`, { scmPoll: { providerName: 'github-e2e', repo: 'acme/preview-other', branch: 'main' } });
    expect(other.body.branches[0]).toMatchObject({ outcome: 'baseline', wouldTrigger: false, previousSha: null });
    github.answerNext({ status: 503, match: /\/repos\/acme\/preview\/commits\//, body: '{"message":"Service Unavailable"}' });
    // No body at all: the saved setting.
    const failing = await server.request('POST', `/api/automations/${poll.id}/test-poll`);
    expect(failing.status).toBe(200);
    expect(failing.body.branches[0]).toMatchObject({ outcome: 'failed', wouldTrigger: false, error: { kind: 'unavailable', message: expect.stringContaining('503'), retryAt: null } });

    expect(await stateOf(poll.id)).toEqual(before);
    expect(await runsOf(server, poll.id)).toEqual([]);

    const next = await makePollsDue(server, [poll.id]);
    await waitForPoll(server, poll.id, next, ['main']);
    expect((await runsOf(server, poll.id)).map((run) => [run.scmPoll.oldSha, run.scmPoll.newSha])).toEqual([[base, moved]]);
  });

  it('answers Test Poll and the state with 400s that say what to fix, and 404 for an unknown automation', async () => {
    const plain = await automation({ schedule: null });
    const none = await server.post(`/api/automations/${plain.id}/test-poll`, {});
    expect(none.status).toBe(400);
    expect(none.body.fields.scmPoll).toMatch(/^is required: this automation does not poll/);
    const cases: Array<[unknown, Record<string, string>]> = [
      [{ scmPoll: { providerName: 'github-e2e', repo: 'acme/x' } }, { 'scmPoll.branch': 'is required: the branch to watch, or branches with a list of names and globs' }],
      [{ scmPoll: { providerName: 'nobody', repo: 'acme/x', branch: 'main' } }, { 'scmPoll.providerName': 'names no Git provider: "nobody"; add it under /api/git-providers or use the name of one' }],
      [{ scmPoll: { providerName: 'github-e2e', repo: 'acme/x', branch: 'a b' } }, { 'scmPoll.branch': expect.stringContaining('without spaces') }],
      [{ draft: {} }, { draft: 'is not a field here; the fields are scmPoll' }],
    ];
    for (const [body, fields] of cases) {
      const answer = await server.post(`/api/automations/${plain.id}/test-poll`, body);
      expect([answer.status, answer.body.fields]).toEqual([400, expect.objectContaining(fields)]);
    }
    const draft = await server.post(`/api/automations/${plain.id}/test-poll`, { scmPoll: { providerName: 'github-e2e', repo: 'acme/preview', branch: 'main' } });
    expect(draft.body.branches[0]).toMatchObject({ outcome: 'baseline', previousSha: null });
    expect(await stateOf(plain.id)).toEqual({ automationId: plain.id, pollingEnabled: true, scmPoll: null, branches: [] });
    const unknown = randomUUID();
    expect((await server.post(`/api/automations/${unknown}/test-poll`, {})).status).toBe(404);
    expect((await server.get(`/api/automations/${unknown}/scm-state`)).status).toBe(404);
    expect((await server.get('/api/automations/not-an-id/scm-state')).status).toBe(404);
  });

  it('carries the poll in http templates and in a task, its environment as a field runners read and in its payload', async () => {
    github.commit('acme/billing-service', 'main');
    const since = Date.now();
    const http = await automation({
      target: { kind: 'http', url: `${receiverUrl}/deploy/{{scmPoll.branch}}`, headers: { 'x-sha': '{{scmPoll.newSha}}' }, body: '{"from":"{{scmPoll.oldSha}}","by":"{{scmPoll.author}}","repo":"{{scmPoll.repo}}"}' },
      scmPoll: { providerName: 'github-e2e', repo: 'acme/billing-service', branch: 'main' },
    });
    const task = await automation({
      target: { kind: 'task', name: 'Deploy {{scmPoll.repo}}', instructions: 'Check out {{scmPoll.newSha}}', params: { sha: '{{scmPoll.newSha}}', url: '{{scmPoll.commitUrl}}' } },
      scmPoll: { providerName: 'github-e2e', repo: 'acme/billing-service', branch: 'main' },
    });
    const base = (await waitForPoll(server, http.id, since, ['main'])).branches[0].lastSha;
    await waitForPoll(server, task.id, since, ['main']);
    const moved = github.commit('acme/billing-service', 'main', { author: 'Grace Hopper' });
    received.length = 0;
    const next = await makePollsDue(server, [http.id, task.id]);
    await waitForPoll(server, http.id, next, ['main']);
    await waitForPoll(server, task.id, next, ['main']);

    const httpRun = await waitForRun(server, (await runsOf(server, http.id))[0].id);
    expect(httpRun.status).toBe('succeeded');
    expect(received).toEqual([{ url: '/deploy/main', body: `{"from":"${base}","by":"Grace Hopper","repo":"acme/billing-service"}` }]);
    expect(httpRun.rendered.headers).toEqual({ 'x-sha': moved });

    const taskRun = (await runsOf(server, task.id))[0];
    await waitForRun(server, taskRun.id, ['running']);
    const asRunner = (method: string, path: string) => server.request(method, path, undefined, { auth: false, headers: { authorization: `Bearer ${RUNNER_TOKEN}` } });
    const claimed = await asRunner('POST', '/api/tasks/claim');
    expect(claimed.status).toBe(200);
    const env = { BILLING_SERVICE_BRANCH: 'main', BILLING_SERVICE_TRIGGER_SHA: moved, BILLING_SERVICE_SHA: moved };
    expect(claimed.body).toMatchObject({
      runId: taskRun.id,
      name: 'Deploy acme/billing-service',
      instructions: `Check out ${moved}`,
      params: { sha: moved, url: `${github.url}/acme/billing-service/commit/${moved}` },
      env,
    });
    const payload = await asRunner('GET', `/api/tasks/${claimed.body.id}/payload`);
    expect(payload.body).toEqual({ scmPoll: taskRun.scmPoll, env });
    expect((await asRunner('POST', '/api/tasks/claim')).status).toBe(204);
  });

  it('counts a commit a poll found as a push event, which resumes a task parked waiting for one', async () => {
    github.commit('acme/parked-repo', 'main');
    const since = Date.now();
    const poller = await automation({ scmPoll: { providerName: 'github-e2e', repo: 'acme/parked-repo', branch: 'main' } });
    await waitForPoll(server, poller.id, since, ['main']);
    const review = await automation({ schedule: null, target: { kind: 'task', name: 'Wait for a push', instructions: '' } });
    await server.post(`/api/automations/${review.id}/run`, {});
    const asRunner = (method: string, path: string, body?: unknown) => server.request(method, path, body, { auth: false, headers: { authorization: `Bearer ${RUNNER_TOKEN}` } });
    const claimed = await waitFor('a task to claim', () => asRunner('POST', '/api/tasks/claim'), (c) => c.status === 200);
    const other = { waitFor: [{ key: 'push', repository: 'acme/parked-repo', branch: 'release' }] };
    expect((await asRunner('POST', `/api/tasks/${claimed.body.id}/park`, { waitFor: [...other.waitFor, { key: 'push', repository: 'acme/parked-repo', branch: 'main' }] })).status).toBe(200);

    const moved = github.commit('acme/parked-repo', 'main', { author: 'Ada Lovelace' });
    const next = await makePollsDue(server, [poller.id]);
    await waitForPoll(server, poller.id, next, ['main']);
    const resumed = await waitForTask(server, claimed.body.id, 'queued');
    expect(resumed.resumedBy).toMatchObject({ messageId: null, provider: null, providerName: 'github-e2e', event: { key: 'push', repository: 'acme/parked-repo', branch: 'main', sha: moved, actor: 'Ada Lovelace' } });
    expect(resumed.history[resumed.history.length - 1]).toMatchObject({ cause: 'event', key: 'push', providerName: 'github-e2e' });
    expect((await asRunner('POST', '/api/tasks/claim')).body.id).toBe(claimed.body.id);
    expect((await asRunner('POST', `/api/tasks/${claimed.body.id}/complete`, { status: 'succeeded' })).status).toBe(200);
  });

  describe('webhooks and polls of the same automation', () => {
    let deploy: any;
    let undeduped: any;
    let endpointUrl = '';
    const push = GITHUB_EXAMPLES.find((event) => event.name === 'push')!.examples.find((example) => example.ref === 'refs/heads/master');

    /** The GitHub push example, for `sha` on main, signed as GitHub signs it. */
    function signedPush(sha: string) {
      const body = JSON.stringify({ ...push, ref: 'refs/heads/main', after: sha, head_commit: { ...push.head_commit, id: sha } });
      return { body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), ...signDelivery('github', { secret: WEBHOOK_SECRET, body }) } };
    }

    beforeAll(async () => {
      github.commit('acme/deploys', 'main');
      const since = Date.now();
      deploy = await automation({ scmPoll: { providerName: 'github-e2e', repo: 'acme/deploys', branch: 'main' } });
      undeduped = await automation({ scmPoll: { providerName: 'github-e2e', repo: 'acme/deploys', branch: 'main', webhookDedupWindowSeconds: 0 } });
      const endpoint = await server.post('/api/webhooks', { name: `deploys-${randomUUID().slice(0, 6)}`, automationIds: [deploy.id, undeduped.id], verification: { scheme: 'github', secret: WEBHOOK_SECRET } });
      endpointUrl = new URL(endpoint.body.url).pathname;
      const provider = await given(server).provider({
        name: 'GitHub pushes',
        matchScript: 'return request.headers["x-github-event"] === "push"',
        verification: { scheme: 'github', secret: WEBHOOK_SECRET },
        eventFormat: 'github',
      });
      await given(server).fn({ providerId: provider.id, uri: 'scm/push', script: '', automationIds: [deploy.id, undeduped.id] });
      await waitForPoll(server, deploy.id, since, ['main']);
      await waitForPoll(server, undeduped.id, since, ['main']);
    });

    it('skips the poll of a commit a webhook delivery to an endpoint already ran, naming the run, unless the window is 0', async () => {
      const sha = github.commit('acme/deploys', 'main');
      const { body, headers } = signedPush(sha);
      const delivered = await server.request('POST', endpointUrl, undefined, { auth: false, raw: body, headers });
      expect(delivered.status).toBe(200);
      const webhookRuns = delivered.body.automations.map((started: any) => started.runId);
      expect(delivered.body.automations.map((started: any) => started.automationId)).toEqual([deploy.id, undeduped.id]);
      for (const id of webhookRuns) expect(await waitForRun(server, id)).toMatchObject({ trigger: 'webhook', status: 'succeeded', commitSha: sha, scmPoll: null });

      const next = await makePollsDue(server, [deploy.id, undeduped.id]);
      await waitForPoll(server, deploy.id, next, ['main']);
      await waitForPoll(server, undeduped.id, next, ['main']);
      const [webhookRun, pollRun] = await runsOf(server, deploy.id);
      expect(webhookRun.id).toBe(webhookRuns[0]);
      expect(pollRun).toMatchObject({ trigger: 'scm-poll', status: 'skipped', commitSha: sha, scmPoll: expect.objectContaining({ newSha: sha }) });
      expect(pollRun.statusReason).toMatch(new RegExp(`^the webhook run ${webhookRun.id} already ran ${sha} at \\d{4}-`));
      const both = await runsOf(server, undeduped.id);
      expect(both.map((run) => [run.trigger, run.commitSha])).toEqual([
        ['webhook', sha],
        ['scm-poll', sha],
      ]);
      expect((await waitForRun(server, both[1].id)).status).toBe('succeeded');
    });

    it("skips a function's run for a commit a poll already ran, naming the poll's run, unless the window is 0", async () => {
      const sha = github.commit('acme/deploys', 'main');
      const next = await makePollsDue(server, [deploy.id, undeduped.id]);
      await waitForPoll(server, deploy.id, next, ['main']);
      await waitForPoll(server, undeduped.id, next, ['main']);
      const pollRun = (await runsOf(server, deploy.id)).at(-1);
      expect(pollRun).toMatchObject({ trigger: 'scm-poll', commitSha: sha });
      expect((await waitForRun(server, pollRun.id)).status).toBe('succeeded');

      const { body, headers } = signedPush(sha);
      const delivered = await server.webhook('scm/push', body, { ...headers, 'flex-sync-webhook': 'true' });
      expect(delivered.status).toBe(200);
      const triggered = new Map<string, any>(delivered.body.functions[0].result.triggered.map((started: any) => [started.automation, started]));
      expect([triggered.get(deploy.name)?.status, triggered.get(undeduped.name)?.status]).toEqual(['skipped', 'pending']);
      const skipped = await waitForRun(server, triggered.get(deploy.name).runId);
      expect(skipped).toMatchObject({ trigger: 'function', status: 'skipped', commitSha: sha, messageId: delivered.body.messageId });
      expect(skipped.statusReason).toMatch(new RegExp(`^the poll run ${pollRun.id} already ran ${sha} at \\d{4}-`));
      expect(await waitForRun(server, triggered.get(undeduped.name).runId)).toMatchObject({ trigger: 'function', status: 'succeeded', commitSha: sha });
    });
  });

  it('prunes the commit claims of the dedup once they are older than a day, the longest window', async () => {
    const poll = await automation({ schedule: null });
    const claim = (sha: string, hoursAgo: number) => `('${poll.id}', '${sha}', 'webhook', '${randomUUID()}', now() - interval '${hoursAgo} hours')`;
    await changeDatabase(server, `INSERT INTO scm_seen_shas (automation_id, sha, source, run_id, seen_at) VALUES ${claim('a'.repeat(40), 25)}, ${claim('b'.repeat(40), 23)}`);
    // Only the older of the two goes: every other claim in this database is minutes old.
    await server.waitForLog(/Removed 1 commit claim\(s\) of the webhook\/poll dedup, older than its longest window/);
  });

  it('documents the new routes and fields in the OpenAPI document', async () => {
    const docs = (await server.get('/api/docs')).body;
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/automations/{id}/test-poll', '/api/automations/{id}/scm-state']));
    expect(docs.components.schemas.Run.properties.trigger.enum).toContain('scm-poll');
    expect(Object.keys(docs.components.schemas.Run.properties)).toEqual(expect.arrayContaining(['scmPoll', 'commitSha']));
  });

  it('with polling turned off, lets the ticks of a polling automation run nothing, says so once, and polls again once turned on', async () => {
    const base = github.commit('acme/paused', 'main');
    const since = Date.now();
    const poll = await automation({ scmPoll: { providerName: 'github-e2e', repo: 'acme/paused', branch: 'main' } });
    const polled = await waitForPoll(server, poll.id, since, ['main']);
    await server.stop();
    await queryStoppedDatabase(server.database, `UPDATE scm_poll_state SET next_attempt_at = NULL WHERE automation_id = '${poll.id}'`);
    await server.launch({ HOOKLINE_SCM_POLLING: 'false' });
    await server.login();
    const moved = github.commit('acme/paused', 'main');
    const line = `Automation "${poll.name}" polls acme/paused, but SCM polling is turned off (HOOKLINE_SCM_POLLING=false): its ticks run nothing until polling is turned on or its scmPoll is removed`;
    await server.waitForLog(new RegExp(line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // Several more ticks of the every-second schedule.
    const ticks = Date.now();
    await waitFor('more ticks', async () => Date.now(), (now) => now - ticks > 2500);
    expect(server.logs.split(line).length - 1).toBe(1);
    expect(await runsOf(server, poll.id)).toEqual([]);
    expect(await stateOf(poll.id)).toEqual({ ...polled, pollingEnabled: false, branches: [{ ...polled.branches[0], nextAttemptAt: null }] });
    const refused = await server.post(`/api/automations/${poll.id}/test-poll`, {});
    expect([refused.status, refused.body.fields]).toEqual([400, { scmPoll: 'cannot be polled: SCM polling is turned off on this server (HOOKLINE_SCM_POLLING=false)' }]);

    await server.stop();
    const restarted = Date.now();
    await server.launch();
    await server.login();
    await waitForPoll(server, poll.id, restarted, ['main']);
    const runs = await runsOf(server, poll.id);
    expect(runs.map((run) => [run.scmPoll.oldSha, run.scmPoll.newSha])).toEqual([[base, moved]]);
    expect((await waitForRun(server, runs[0].id)).status).toBe('succeeded');
  });
});
