import type { Page } from 'playwright-core';
import { logInThroughConsole, useConsoleInBrowser, waitForValue } from '../support/browser';
import { FakeScmHost } from '../support/fake-scm-host';
import type { TestServer } from '../support/test-server';

const TOKEN = 'ghp_browserPollingToken0123456789abcd';
const REPO = 'octo/app';
const short = (sha: string) => sha.slice(0, 7);

/** Waits for `read` to answer something `done` accepts (the scheduler polls on its own time); fails with the last answer. */
async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}

async function createAutomation(server: TestServer, body: Record<string, unknown>): Promise<any> {
  const created = await server.post('/api/automations', { target: { kind: 'command', argv: ['true'] }, ...body });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  return created.body;
}

/** The text of a Test Poll's row for `branch`, cell by cell. */
async function testPollRow(page: Page, branch: string): Promise<{ row: string; sha: string; wouldRun: string }> {
  const row = page.locator(`.test-poll-table tr[data-branch="${branch}"]`);
  await row.waitFor();
  const sha = row.getByTestId('head-sha');
  return {
    row: (await row.textContent())!.replace(/\s+/g, ' '),
    sha: (await sha.count()) ? (await sha.textContent())! : '',
    wouldRun: (await row.getByTestId('would-run').textContent())!,
  };
}

async function runTestPoll(page: Page): Promise<void> {
  const answered = page.waitForResponse((r) => r.url().endsWith('/test-poll') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Test poll' }).click();
  expect((await answered).status()).toBe(200);
}

// The last test waits for the scheduler's next real poll, a minute after the baseline.
jest.setTimeout(300_000);

describe('polling a Git provider from the automation form and history', () => {
  const suite = useConsoleInBrowser();
  let github: FakeScmHost;

  beforeAll(async () => {
    github = await FakeScmHost.start({ kind: 'github', token: TOKEN, login: 'mona' });
    github.commit(REPO, 'main', { files: ['README.md'], message: 'First' });
    const provider = await suite.server.post('/api/git-providers', { name: 'gh', kind: 'github', baseUrl: github.baseUrl, token: TOKEN });
    expect(provider.status).toBe(201);
  });

  afterAll(async () => {
    await github?.close();
  });

  it('offers polling once there is a schedule, and shows the 400s for a bad branch and a missing schedule beside their fields', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    tab.expectFailedRequests(400);
    await logInThroughConsole(page, server, '/automations/new');
    const heading = page.getByRole('heading', { name: 'Only run if the branch changed' });
    await page.getByLabel('Name', { exact: true }).fill('needs-a-schedule');
    await page.getByLabel('Command', { exact: true }).fill('make');
    await expect(heading.count()).resolves.toBe(0);
    await page.getByLabel('Cron expression').fill('*/5 * * * *');
    await heading.waitFor();

    await page.getByLabel('Poll a Git provider, and run only when a watched branch changed').check();
    await page.getByLabel('Git provider', { exact: true }).selectOption('gh');
    await page.getByLabel('Repository').fill(REPO);
    await page.getByLabel('Branches, one per line').fill('main\nfeature x');
    await page.getByRole('button', { name: 'Create' }).click();
    const branchesError = page.locator('#automation-scm-branches-error .field-error');
    await branchesError.waitFor();
    await expect(branchesError.textContent()).resolves.toMatch(/^entry 2: must be a branch name or a glob such as release\/\*/);
    await expect(page.getByLabel('Branches, one per line').getAttribute('aria-invalid')).resolves.toBe('true');
    // Shown beside the field, so not listed again in the banner.
    await expect(page.locator('.error-banner li').count()).resolves.toBe(0);

    // With the schedule gone the section stays, says why polling cannot work, and shows the server's refusal.
    await page.getByLabel('Branches, one per line').fill('main');
    await page.getByLabel('Cron expression').fill('');
    await page.getByText("Polls happen on the schedule's ticks").waitFor();
    await page.getByRole('button', { name: 'Create' }).click();
    const refused = await server.post('/api/automations', {
      name: 'needs-a-schedule-too',
      target: { kind: 'command', argv: ['make'] },
      scmPoll: { providerName: 'gh', repo: REPO, branch: 'main' },
    });
    expect(refused.status).toBe(400);
    const scheduleError = page.locator('#automation-scm-poll-error .field-error');
    await scheduleError.waitFor();
    await expect(scheduleError.textContent()).resolves.toBe(refused.body.fields.scmPoll);
    await expect(page.locator('.error-banner li').count()).resolves.toBe(0);
    expect((await server.get('/api/automations')).body.map((a: { name: string }) => a.name)).not.toContain('needs-a-schedule');
  });

  it('creates a polling automation through the form with the provider chosen from the list', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    await logInThroughConsole(page, server, '/automations/new');
    await page.getByLabel('Name', { exact: true }).fill('build-main');
    await page.getByLabel('Command', { exact: true }).fill('make build');
    // Once a year: nothing is polled while the test looks.
    await page.getByLabel('Cron expression').fill('0 0 1 1 *');
    await page.getByLabel('Poll a Git provider, and run only when a watched branch changed').check();
    await expect(page.getByLabel('Git provider', { exact: true }).locator('option').allTextContents()).resolves.toEqual(['Choose a Git provider…', 'gh (GitHub)']);
    await page.getByLabel('Git provider', { exact: true }).selectOption('gh');
    await expect(page.locator('#automation-scm-repo-help').textContent()).resolves.toContain('owner/name');
    await page.getByLabel('Repository').fill(REPO);
    await page.getByLabel('Branches, one per line').fill('main');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'build-main' }).waitFor();

    const id = new URL(page.url()).pathname.split('/').pop();
    expect((await server.get(`/api/automations/${id}`)).body.scmPoll).toEqual({
      providerName: 'gh',
      repo: REPO,
      branch: 'main',
      paths: [],
      minIntervalSeconds: 60,
      webhookDedupWindowSeconds: 300,
      backoff: { baseSeconds: 30, maxSeconds: 1800, threshold: 3 },
    });
    // The history view shows the poll state, empty until the first tick.
    await page.getByRole('heading', { name: 'Branch polling' }).waitFor();
    await page.getByText('Not polled yet').waitFor();
  });

  it('keeps the globbed branches, paths and backoff an API user set when the form saves, and turns polling off', async () => {
    const { server, tab } = suite;
    const setting = {
      providerName: 'gh',
      repo: REPO,
      branches: ['main', 'release/*'],
      paths: ['src/api/**', 'package.json'],
      minIntervalSeconds: 120,
      webhookDedupWindowSeconds: 0,
      backoff: { baseSeconds: 45, maxSeconds: 900, threshold: 2 },
    };
    const automation = await createAutomation(server, { name: 'set-by-api', schedule: '0 0 1 1 *', scmPoll: setting });
    expect(automation.scmPoll).toEqual(setting);
    const page = tab.page;
    await logInThroughConsole(page, server, `/automations/${automation.id}`);
    await page.getByRole('heading', { name: 'set-by-api' }).waitFor();
    await waitForValue(page.getByLabel('Branches, one per line'), 'main\nrelease/*');
    // The provider's option arrives with the list of Git providers, which may come after the form.
    await waitForValue(page.getByLabel('Git provider', { exact: true }), 'gh');
    await waitForValue(page.getByLabel('Paths, one per line (optional)'), 'src/api/**\npackage.json');
    await waitForValue(page.getByLabel('Base wait (seconds)'), '45');

    await page.getByLabel('Description').fill('Builds what changed');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved at/).waitFor();
    const saved = (await server.get(`/api/automations/${automation.id}`)).body;
    expect(saved.description).toBe('Builds what changed');
    expect(saved.scmPoll).toEqual(setting);

    // A changed path list goes in whole; an emptied backoff field takes its default.
    await page.getByLabel('Paths, one per line (optional)').fill('src/api/**');
    await page.getByLabel('Errors before backing off').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved at/).waitFor();
    expect((await server.get(`/api/automations/${automation.id}`)).body.scmPoll).toEqual({ ...setting, paths: ['src/api/**'], backoff: { baseSeconds: 45, maxSeconds: 900, threshold: 3 } });
    await waitForValue(page.getByLabel('Errors before backing off'), '3');

    await page.getByLabel('Poll a Git provider, and run only when a watched branch changed').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved at/).waitFor();
    expect((await server.get(`/api/automations/${automation.id}`)).body.scmPoll).toBeNull();
    await expect(page.getByRole('heading', { name: 'Branch polling' }).count()).resolves.toBe(0);
  });

  it('test-polls the saved and the draft setting, shows each branch’s state, and a poll-triggered run with its commit', async () => {
    const { server, tab } = suite;
    const first = github.headOf(REPO, 'main')!;
    // Every second: the first tick records the baseline; the next poll of a branch comes a minute later.
    const automation = await createAutomation(server, {
      name: 'poll-every-second',
      schedule: '* * * * * *',
      scmPoll: { providerName: 'gh', repo: REPO, branches: ['main', 'gone'], paths: ['src/**'] },
    });
    const state = () => server.get(`/api/automations/${automation.id}/scm-state`).then((r) => r.body);
    const mainOf = (s: any) => s.branches?.find((b: any) => b.branch === 'main');
    await waitFor('the baseline', state, (s) => mainOf(s)?.lastSha === first);
    const second = github.commit(REPO, 'main', { files: ['src/api.ts', 'README.md'], message: 'Add the API\n\nWith its routes.', author: 'Monalisa Octocat' });

    const page = tab.page;
    await logInThroughConsole(page, server, `/automations/${automation.id}`);
    await page.getByRole('heading', { name: 'poll-every-second' }).waitFor();
    await runTestPoll(page);
    const moved = await testPollRow(page, 'main');
    expect(moved.sha).toBe(short(second));
    expect(moved.wouldRun).toBe('yes');
    expect(moved.row).toContain('moved: would run');
    expect(moved.row).toContain(`${short(first)} → ${short(second)}`);
    expect(moved.row).toContain('Add the API');
    expect(moved.row).toContain('1 of 2 changed files match');
    expect(moved.row).toMatch(/\d+ ms/);
    const gone = await testPollRow(page, 'gone');
    expect(gone.wouldRun).toBe('no');
    expect(gone.row).toContain('failed');
    expect(gone.row).toContain('not_found:');

    // The draft is what is polled: a path filter typed but not saved matches nothing.
    await page.getByLabel('Paths, one per line (optional)').fill('docs/**');
    await runTestPoll(page);
    await page.locator('.test-poll-table tr[data-branch="main"]', { hasText: 'moved, no path matched' }).waitFor();
    expect((await testPollRow(page, 'main')).wouldRun).toBe('no');
    expect((await server.get(`/api/automations/${automation.id}`)).body.scmPoll.paths).toEqual(['src/**']);
    expect(mainOf(await state()).lastSha).toBe(first);

    // The history view: the state of each branch, as the server has it.
    const polledOnce = await waitFor('both branches polled', state, (s) => s.branches.length === 2);
    await page.locator('#scm-state-title').locator('..').getByRole('button', { name: 'Refresh' }).click();
    const mainState = page.locator('.scm-state-table tr[data-branch="main"]');
    const goneState = page.locator('.scm-state-table tr[data-branch="gone"]');
    await goneState.waitFor();
    await expect(mainState.getByTestId('last-sha').textContent()).resolves.toBe(short(first));
    expect(Number(await goneState.getByTestId('consecutive-errors').textContent())).toBeGreaterThanOrEqual(1);
    await expect(goneState.textContent()).resolves.toContain(polledOnce.branches.find((b: any) => b.branch === 'gone').lastError);

    // The scheduler's next poll of main finds the new commit and runs.
    const runs = await waitFor(
      'a poll-triggered run',
      () => server.get(`/api/automations/${automation.id}/runs`).then((r) => r.body),
      (list: any[]) => list.some((run) => run.trigger === 'scm-poll'),
    );
    const polled = runs.find((run: any) => run.trigger === 'scm-poll');
    await page.locator('#history-title').locator('..').getByRole('button', { name: 'Refresh' }).click();
    const run = page.locator(`.run[data-run-id="${polled.id}"]`);
    await run.waitFor();
    await expect(run.locator('summary').textContent()).resolves.toMatch(new RegExp(`scm-poll\\s*main\\s*${short(first)}\\s*→\\s*${short(second)}`));
    await run.locator('summary').click();
    const commit = run.getByTestId('run-commit');
    await commit.waitFor();
    const text = (await commit.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain(`main of ${REPO} on gh`);
    expect(text).toContain('Add the API With its routes.');
    expect(text).toContain('Monalisa Octocat');
    await expect(commit.getByRole('link').getAttribute('href')).resolves.toBe(polled.scmPoll.commitUrl);
    expect(polled.scmPoll).toMatchObject({ branch: 'main', oldSha: first, newSha: second });
  });
});
