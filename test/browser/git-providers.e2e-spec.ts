import type { Page } from 'playwright-core';
import { logInThroughConsole, useConsoleInBrowser, waitForValue } from '../support/browser';
import { FakeScmHost } from '../support/fake-scm-host';
import { GitRemote } from '../support/git-remote';

const GITHUB_TOKEN = 'ghp_browserGitHubToken0123456789abcd';
const GIT_TOKEN = 'glpat-browser-remote-token-7f2e';

/** Opens a new Git provider's form from the list. */
async function openNew(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'New Git provider' }).click();
  await page.getByRole('heading', { name: 'New Git provider' }).waitFor();
}

/** Presses "Check credentials" and answers the result's text once it is shown. */
async function checkCredentials(page: Page): Promise<string> {
  const result = page.getByTestId('check-result');
  const checked = page.waitForResponse((r) => r.url().endsWith('/check') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Check credentials' }).click();
  expect((await checked).status()).toBe(200);
  await result.locator('p').waitFor();
  return (await result.textContent())!.replace(/\s+/g, ' ').trim();
}

describe('the Git providers page', () => {
  const suite = useConsoleInBrowser();
  let github: FakeScmHost;
  let remote: GitRemote;

  beforeAll(async () => {
    [github, remote] = await Promise.all([
      FakeScmHost.start({ kind: 'github', token: GITHUB_TOKEN, login: 'mona' }),
      GitRemote.start({ protocol: 'http', credentials: { username: 'ci-bot', token: GIT_TOKEN } }),
    ]);
    await remote.commit('main', { 'README.md': 'hello' });
  });

  afterAll(async () => {
    await Promise.all([github?.close(), remote?.stop()]);
  });

  it('creates a GitHub provider from the navigation, never shows its token, and checks, replaces and clears it', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    await logInThroughConsole(page, server, '/overview');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Git providers' }).click();
    await page.getByText('No Git providers yet').waitFor();
    await openNew(page);

    await page.getByLabel('Name', { exact: true }).fill('github-main');
    await expect(page.getByLabel('GitHub', { exact: true }).isChecked()).resolves.toBe(true);
    await expect(page.locator('#git-provider-base-url-help').textContent()).resolves.toContain('https://api.github.com');
    await page.getByLabel('API base URL').fill(github.baseUrl);
    await page.getByLabel('Token', { exact: true }).fill(GITHUB_TOKEN);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'github-main' }).waitFor();

    const id = new URL(page.url()).pathname.split('/').pop();
    const stored = (await server.get(`/api/git-providers/${id}`)).body;
    expect(stored).toMatchObject({ name: 'github-main', kind: 'github', baseUrl: github.baseUrl, tokenConfigured: true });
    // Write-only: the page says a token is set, and holds it nowhere.
    await expect(page.getByTestId('token-status').textContent()).resolves.toBe('Configured');
    const replace = page.getByLabel('Replace the token');
    await expect(replace.inputValue()).resolves.toBe('');
    await expect(replace.getAttribute('type')).resolves.toBe('password');
    await page.reload();
    await page.getByRole('heading', { name: 'github-main' }).waitFor();
    await expect(page.getByLabel('Replace the token').inputValue()).resolves.toBe('');
    expect(await page.content()).not.toContain(GITHUB_TOKEN);

    expect(await checkCredentials(page)).toBe('The credentials work: signed in as mona.');

    // A wrong token: the check ran, and says what the host refused.
    await page.getByLabel('Replace the token').fill('ghp_notTheRightToken');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved at/).waitFor();
    await expect(page.getByLabel('Replace the token').inputValue()).resolves.toBe('');
    const refused = await checkCredentials(page);
    expect(refused).toMatch(/^Refused \(auth\): GitHub refused the credentials/);
    expect(refused).not.toContain('ghp_notTheRightToken');

    await page.getByLabel('Remove the stored token').check();
    // The token field goes out of use while "remove" is ticked.
    await page.locator('#git-provider-token:disabled').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved at/).waitFor();
    await expect(page.getByTestId('token-status').textContent()).resolves.toBe('Not set');
    expect((await server.get(`/api/git-providers/${id}`)).body.tokenConfigured).toBe(false);

    await page.getByRole('link', { name: 'Git providers' }).first().click();
    const row = page.locator(`[data-git-provider-id="${id}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('no token');
  });

  it('shows the fields of a git remote, checks its credentials, and keeps the token when a save leaves it empty', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    await logInThroughConsole(page, server, '/git-providers');
    await openNew(page);
    await page.getByLabel('Name', { exact: true }).fill('served-app');
    await page.getByLabel('Any git remote').check();
    // The form redraws after the change: the remote's fields replace the host's.
    await page.getByLabel('Remote URL').waitFor();
    await page.getByLabel('API base URL').waitFor({ state: 'detached', timeout: 5000 });
    await page.getByLabel('Remote URL').fill(remote.url);
    await page.getByLabel('User name (optional)').fill('ci-bot');
    await page.getByLabel('Token', { exact: true }).fill(GIT_TOKEN);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'served-app' }).waitFor();
    expect(await checkCredentials(page)).toBe(`The credentials work: ${remote.url} answered.`);

    // Renaming with the token field left empty keeps the token.
    await page.getByLabel('Name', { exact: true }).fill('served-app-2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'served-app-2' }).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop();
    expect((await server.get(`/api/git-providers/${id}`)).body).toMatchObject({ name: 'served-app-2', kind: 'git', remoteUrl: remote.url, username: 'ci-bot', tokenConfigured: true });
    expect(await checkCredentials(page)).toBe(`The credentials work: ${remote.url} answered.`);
    await waitForValue(page.getByLabel('Remote URL'), remote.url);
    expect(await page.content()).not.toContain(GIT_TOKEN);
  });

  it('shows the server’s complaints beside the fields they name', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    tab.expectFailedRequests(400);
    await logInThroughConsole(page, server, '/git-providers/new');
    await page.getByLabel('Name', { exact: true }).fill('fabrikam');
    await page.getByLabel('Azure DevOps').check();
    // The help text follows the chosen host once the form redraws.
    await page.locator('#git-provider-base-url-help', { hasText: 'https://dev.azure.com/<organisation>' }).waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Create' }).click();
    const baseUrlError = page.locator('#git-provider-base-url-error .field-error');
    await baseUrlError.waitFor();
    await expect(baseUrlError.textContent()).resolves.toBe('is required for Azure DevOps: the organisation URL, e.g. https://dev.azure.com/fabrikam');
    await expect(page.getByLabel('Organisation URL').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Any git remote').check();
    await page.getByLabel('Remote URL').fill('https://ci:hunter2@git.example.com/team/app.git');
    await page.getByRole('button', { name: 'Create' }).click();
    const remoteError = page.locator('#git-provider-remote-url-error .field-error');
    await remoteError.waitFor();
    const refused = await server.post('/api/git-providers', { name: 'fabrikam', kind: 'git', remoteUrl: 'https://ci:hunter2@git.example.com/team/app.git', username: null });
    expect(refused.status).toBe(400);
    await expect(remoteError.textContent()).resolves.toBe(refused.body.fields.remoteUrl);
    expect((await server.get('/api/git-providers')).body.map((p: { name: string }) => p.name)).not.toContain('fabrikam');
  });

  it('deletes a Git provider after asking, and shows the 409 for one an automation polls with', async () => {
    const { server, tab } = suite;
    const used = (await server.post('/api/git-providers', { name: 'polled-by-build', kind: 'github', baseUrl: github.baseUrl })).body;
    const unused = (await server.post('/api/git-providers', { name: 'spare', kind: 'github' })).body;
    const automation = await server.post('/api/automations', {
      name: 'build-on-push',
      schedule: '*/5 * * * *',
      target: { kind: 'command', argv: ['true'] },
      scmPoll: { providerName: 'polled-by-build', repo: 'acme/api', branch: 'main' },
    });
    expect(automation.status).toBe(201);
    const page = tab.page;
    await logInThroughConsole(page, server, `/git-providers/${used.id}`);
    await page.getByRole('heading', { name: 'polled-by-build' }).waitFor();

    tab.expectFailedRequests(409);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete this Git provider?' }).getByRole('button', { name: 'Delete' }).click();
    const banner = page.getByRole('alert');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain('Git provider "polled-by-build" cannot be deleted: automation "build-on-push" polls with it');
    expect((await server.get(`/api/git-providers/${used.id}`)).status).toBe(200);

    await page.goto(`${server.url}/git-providers/${unused.id}`);
    await page.getByRole('heading', { name: 'spare' }).waitFor();
    // Cancel keeps it; confirming deletes it and goes back to the list.
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete this Git provider?' }).getByRole('button', { name: 'Cancel' }).click();
    expect((await server.get(`/api/git-providers/${unused.id}`)).status).toBe(200);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete this Git provider?' }).getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL((url) => url.pathname === '/git-providers');
    await page.locator(`[data-git-provider-id="${used.id}"]`).waitFor();
    await expect(page.locator(`[data-git-provider-id="${unused.id}"]`).count()).resolves.toBe(0);
    expect((await server.get(`/api/git-providers/${unused.id}`)).status).toBe(404);
  });
});
