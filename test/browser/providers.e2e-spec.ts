import type { Page } from 'playwright-core';
import { codeEditor, logInThroughConsole, useConsoleInBrowser, waitForEditorText } from '../support/browser';
import type { TestServer } from '../support/test-server';

/** Names of the providers as the list shows them, top first. */
async function shownOrder(page: Page): Promise<string[]> {
  await page.locator('.provider-list .row').first().waitFor();
  return page.locator('.provider-list .row .name > a').allTextContents();
}

async function storedOrder(server: TestServer): Promise<string[]> {
  return (await server.get('/api/providers')).body.map((p: { name: string }) => p.name);
}

/** Drags a row by its handle and drops it over another row, the way a mouse does. */
async function dragRow(page: Page, from: number, to: number): Promise<void> {
  const handle = page.locator('.provider-list .row .handle').nth(from);
  const target = page.locator('.provider-list .row').nth(to);
  const start = (await handle.boundingBox())!;
  const end = (await target.boundingBox())!;
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  // Past the drag threshold first, then in steps so the list sorts as the pointer moves.
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2 + (to < from ? -10 : 10), { steps: 3 });
  await page.mouse.move(start.x + start.width / 2, end.y + (to < from ? end.height * 0.25 : end.height * 0.75), { steps: 15 });
  await page.mouse.up();
}

describe('the providers page', () => {
  const run = useConsoleInBrowser({ HOOKLINE_SEED_BUILTINS: 'true' });

  beforeEach(async () => {
    await logInThroughConsole(run.tab.page, run.server, '/providers');
  });

  it('reorders by dragging, and the order persists after a reload', async () => {
    const { server, tab } = run;
    const before = await shownOrder(tab.page);
    expect(before.slice(0, 3)).toEqual(['GitHub', 'GitLab', 'Bitbucket']);
    const saved = tab.page.waitForResponse((r) => r.url().endsWith('/api/providers/order') && r.request().method() === 'PUT');
    await dragRow(tab.page, 2, 0);
    expect((await saved).status()).toBe(200);

    const expected = ['Bitbucket', 'GitHub', 'GitLab', ...before.slice(3)];
    expect(await shownOrder(tab.page)).toEqual(expected);
    expect(await storedOrder(server)).toEqual(expected);
    await tab.page.reload();
    expect(await shownOrder(tab.page)).toEqual(expected);
  });

  it('reorders with Alt+arrow keys on a focused row, keeping the focus on it', async () => {
    const { server, tab } = run;
    const before = await shownOrder(tab.page);
    const row = tab.page.locator('.provider-list .row').nth(1);
    await row.focus();
    const moved = before[1];
    const saved = () => tab.page.waitForResponse((r) => r.url().endsWith('/api/providers/order') && r.request().method() === 'PUT');

    let answer = saved();
    await tab.page.keyboard.press('Alt+ArrowDown');
    expect((await answer).status()).toBe(200);
    answer = saved();
    await tab.page.keyboard.press('Alt+ArrowDown');
    expect((await answer).status()).toBe(200);

    const expected = [before[0], before[2], before[3], moved, ...before.slice(4)];
    expect(await shownOrder(tab.page)).toEqual(expected);
    expect(await storedOrder(server)).toEqual(expected);
    // The moved row still has the focus, so the keys can go on.
    await expect(tab.page.locator('.provider-list .row:focus .name > a').textContent()).resolves.toBe(moved);
    await expect(tab.page.getByText(`${moved} moved to position 4`).count()).resolves.toBe(1);
  });

  it('turns a provider off with its toggle', async () => {
    const { server, tab } = run;
    const toggle = tab.page.getByLabel('Enabled: Jira');
    await expect(toggle.isChecked()).resolves.toBe(true);
    const saved = tab.page.waitForResponse((r) => /\/api\/providers\/[0-9a-f-]+$/.test(r.url()) && r.request().method() === 'PUT');
    await toggle.uncheck();
    expect((await saved).status()).toBe(200);
    const jira = (await server.get('/api/providers')).body.find((p: { name: string }) => p.name === 'Jira');
    expect(jira.enabled).toBe(false);
  });

  it('saves a write-only secret, shows only that it is configured, and names a bad field beside it', async () => {
    const { server, tab } = run;
    await tab.page.getByRole('link', { name: 'Stripe' }).click();
    await tab.page.getByRole('heading', { name: 'Stripe' }).waitFor();
    await expect(tab.page.getByTestId('secret-status').textContent()).resolves.toContain('Not set');

    await tab.page.getByLabel('Secret', { exact: true }).fill('whsec_console_test');
    await tab.page.getByLabel('Option toleranceSeconds').fill('600');
    await tab.page.getByRole('button', { name: 'Save' }).click();
    await tab.page.getByText('Saved at').waitFor();
    await expect(tab.page.getByTestId('secret-status').textContent()).resolves.toContain('Configured');
    await expect(tab.page.getByLabel('Replace the secret').inputValue()).resolves.toBe('');
    const stripe = (await server.get('/api/providers')).body.find((p: { name: string }) => p.name === 'Stripe');
    expect(stripe.verification).toMatchObject({ secretConfigured: true, options: { toleranceSeconds: 600 } });
    expect(JSON.stringify(stripe)).not.toContain('whsec_console_test');

    tab.expectFailedRequests(400);
    await tab.page.getByLabel('Name', { exact: true }).fill('');
    await tab.page.getByRole('button', { name: 'Save' }).click();
    const nameError = tab.page.locator('#provider-name-error .field-error');
    await nameError.waitFor();
    await expect(nameError.textContent()).resolves.toBe('is required');
    await expect(tab.page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
  });

  it('resets a changed built-in provider to its shipped script', async () => {
    const { server, tab } = run;
    const slack = (await server.get('/api/providers')).body.find((p: { name: string }) => p.name === 'Slack');
    const shipped = slack.matchScript;
    expect((await server.put(`/api/providers/${slack.id}`, { matchScript: 'return false' })).status).toBe(200);

    await tab.page.goto(`${server.url}/providers/${slack.id}`);
    const script = await codeEditor(tab.page, 'match');
    await waitForEditorText(script, 'return false');
    tab.page.once('dialog', (dialog) => void dialog.accept());
    await tab.page.getByRole('button', { name: 'Reset to built-in' }).click();
    await tab.page.getByText('Reset to the built-in.').waitFor();
    await waitForEditorText(script, shipped);
    expect((await server.get(`/api/providers/${slack.id}`)).body.matchScript).toBe(shipped);
  });

  it('creates a provider from the form, and shows a refused name where it was typed', async () => {
    const { server, tab } = run;
    await tab.page.getByRole('link', { name: 'New provider' }).click();
    await tab.page.getByRole('heading', { name: 'New provider' }).waitFor();
    tab.expectFailedRequests(409);
    await tab.page.getByLabel('Name', { exact: true }).fill('GitHub');
    await tab.page.getByRole('button', { name: 'Create provider' }).click();
    // A duplicate name is a 409: the banner carries the server's words.
    await expect(tab.page.locator('hl-error-banner').getByRole('alert').textContent()).resolves.toMatch(/Error 409:.*GitHub/);

    await tab.page.getByLabel('Name', { exact: true }).fill('Made in the console');
    await tab.page.getByRole('button', { name: 'Create provider' }).click();
    await tab.page.getByRole('heading', { name: 'Made in the console' }).waitFor();
    const stored = await storedOrder(server);
    expect(stored[stored.length - 1]).toBe('Made in the console');
    const created = (await server.get('/api/providers')).body.find((p: { name: string }) => p.name === 'Made in the console');
    expect(new URL(tab.page.url()).pathname).toBe(`/providers/${created.id}`);
  });

  it('saves the answer mode, respond timeout and fixed answer, and names a timeout past the sync timeout beside it', async () => {
    const { server, tab } = run;
    await tab.page.getByRole('link', { name: 'Slack' }).click();
    await tab.page.getByRole('heading', { name: 'Slack' }).waitFor();
    await expect(tab.page.getByLabel('Answer mode').inputValue()).resolves.toBe('async');
    await expect(tab.page.getByLabel('Respond timeout (ms)').inputValue()).resolves.toBe('3000');

    await tab.page.getByLabel('Answer mode').selectOption('respond');
    await tab.page.getByLabel('Respond timeout (ms)').fill('2500');
    await tab.page.getByLabel('Send this answer in place of the 202: in async mode, and in respond mode when no respond() comes in time').check();
    await tab.page.getByLabel('Status (200 to 299)').fill('200');
    await tab.page.getByRole('button', { name: 'Add a header' }).click();
    await tab.page.getByLabel('Fixed answer header 1 name').fill('Content-Type');
    await tab.page.getByLabel('Fixed answer header 1 value').fill('text/plain');
    await tab.page.getByLabel('Body', { exact: true }).fill('got it');
    await tab.page.getByRole('button', { name: 'Save' }).click();
    await tab.page.getByText('Saved at').waitFor();
    const slack = (await server.get('/api/providers')).body.find((p: { name: string }) => p.name === 'Slack');
    expect(slack).toMatchObject({ answerMode: 'respond', respondTimeoutMs: 2500, fixedAnswer: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'got it' } });
    await tab.page.reload();
    await expect(tab.page.getByLabel('Answer mode').inputValue()).resolves.toBe('respond');
    await expect(tab.page.getByLabel('Fixed answer header 1 name').inputValue()).resolves.toBe('content-type');

    tab.expectFailedRequests(400);
    await tab.page.getByLabel('Respond timeout (ms)').fill('999999');
    await tab.page.getByRole('button', { name: 'Save' }).click();
    const timeoutError = tab.page.locator('#provider-respond-timeout-error .field-error');
    await timeoutError.waitFor();
    await expect(timeoutError.textContent()).resolves.toMatch(/^must be at most \d+, the server's sync timeout/);
    await expect(tab.page.getByLabel('Respond timeout (ms)').getAttribute('aria-invalid')).resolves.toBe('true');
  });
});
