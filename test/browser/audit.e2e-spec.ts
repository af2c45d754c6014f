import type { Locator } from 'playwright-core';
import { logInThroughConsole, useConsoleInBrowser } from '../support/browser';

const SECRET = 'browser-audit-secret-5150';

/** The lines a Monaco pane shows, with its no-break spaces as spaces. */
async function linesOf(pane: Locator): Promise<string[]> {
  return (await pane.locator('.view-line').allInnerTexts()).map((line) => line.replace(/\u00a0/g, ' '));
}

describe('the audit page', () => {
  const context = useConsoleInBrowser();

  it('lists the changes newest first, filters them by the address, and shows a script edit as a diff without the secret', async () => {
    const { server, tab } = context;
    const provider = (await server.post('/api/providers', { name: 'watched', matchScript: 'return true;', verification: { scheme: 'github', secret: SECRET } })).body;
    expect((await server.put(`/api/providers/${provider.id}`, { matchScript: 'return false;' })).status).toBe(200);
    const fn = await server.post('/api/functions', { name: 'other', providerId: provider.id, uri: 'audit/browser', script: 'return 1;' });
    expect(fn.status).toBe(201);

    const page = tab.page;
    await logInThroughConsole(page, server, '/overview');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit', exact: true }).click();
    const rows = page.locator('.audit-table tbody tr[data-audit-id]');
    await rows.first().waitFor();
    // The console's own login is the newest entry, then the changes made above, newest first.
    const actions = await rows.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-action')));
    expect(actions.slice(0, 4)).toEqual(['auth.login', 'function.create', 'provider.update', 'provider.create']);
    await expect(rows.nth(2).textContent()).resolves.toContain('watched');
    await expect(rows.nth(2).textContent()).resolves.toContain('admin');

    await page.getByLabel('Entity', { exact: true }).selectOption('provider');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('entity') === 'provider');
    await page.locator('tr[data-action="function.create"]').waitFor({ state: 'detached' });
    // The old rows go as the page asks again; the filtered ones come with the answer.
    await page.locator('tr[data-action="provider.create"]').waitFor();
    await expect(rows.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-action')))).resolves.toEqual(['provider.update', 'provider.create']);

    await page.locator('tr[data-action="provider.update"]').getByRole('button', { name: /^Show provider\.update/ }).click();
    const details = page.locator('tr.details-row');
    const scriptDiff = details.locator('hl-diff-editor[data-state=ready]').first();
    await scriptDiff.locator('.editor.modified .view-lines').waitFor();
    await expect(details.getByRole('heading', { name: 'Match script' }).count()).resolves.toBe(1);
    expect(await linesOf(scriptDiff.locator('.editor.original .view-lines'))).toEqual(['return true;']);
    expect(await linesOf(scriptDiff.locator('.editor.modified .view-lines'))).toEqual(['return false;']);
    await expect(details.getByTestId('audit-details').textContent()).resolves.toContain('"matchScript"');
    expect(await page.content()).not.toContain(SECRET);
  });

  it('names a filter the server refuses beside it', async () => {
    const { server, tab } = context;
    tab.expectFailedRequests(400);
    await logInThroughConsole(tab.page, server, '/audit?action=provider.explode');
    const refused = (await server.get('/api/audit?action=provider.explode')).body;
    const shown = tab.page.locator('#af-action-error .field-error');
    await shown.waitFor();
    await expect(shown.textContent()).resolves.toBe(refused.fields.action);
    await expect(tab.page.getByLabel('Action').getAttribute('aria-invalid')).resolves.toBe('true');
  });
});
