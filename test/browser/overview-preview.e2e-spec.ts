import { codeEditor, hoverErrorMarker, logInThroughConsole, useConsoleInBrowser, waitForEditorText, waitForErrors } from '../support/browser';
import { given } from '../support/test-server';

const SYNC = { 'flex-sync-webhook': 'true' };

describe('the overview and preview pages in a browser', () => {
  const suite = useConsoleInBrowser();
  let orders: { id: string };
  let everything: { id: string };

  beforeAll(async () => {
    const server = suite.server;
    orders = await given(server).provider({ name: 'Orders', matchScript: 'return request.headers["x-sender"] === "orders"' });
    everything = await given(server).provider({ name: 'Everything', matchScript: 'return true' });
    await given(server).fn({ providerId: orders.id, name: 'book-order', uri: 'orders/new', script: 'return "booked"' });
    await given(server).fn({ providerId: orders.id, name: 'refuse-order', uri: 'orders/bad', script: 'throw new Error("refused")' });
  });

  it('lands on the overview after login and shows the counts the API gives, updated as webhooks arrive', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    await logInThroughConsole(page, server, '/');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/overview');
    const figure = (name: string) => page.locator(`[data-figure="${name}"] dd`).first();
    await expect(figure('messages').textContent()).resolves.toBe('0');

    // Sent over HTTP while the page is open: it reads the overview again without a reload.
    const sender = { ...SYNC, 'x-sender': 'orders' };
    expect((await server.webhook('orders/new', { order: 1 }, sender)).status).toBe(200);
    expect((await server.webhook('orders/new', { order: 2 }, sender)).status).toBe(200);
    expect((await server.webhook('orders/bad', { order: 3 }, sender)).status).toBe(500);
    const other = await server.webhook('misc/ping', { ping: true });
    await server.waitForMessage(other.body.messageId, ['no_function']);
    await page.locator('[data-figure="messages"] dd', { hasText: /^4$/ }).waitFor();

    const hour = (await server.get('/api/overview?range=1h')).body;
    expect(hour.totals.byStatus).toMatchObject({ processed: 2, failed: 1, no_function: 1 });
    await expect(figure('messages').textContent()).resolves.toBe(String(hour.totals.messages));
    await expect(figure('failure-rate').textContent()).resolves.toBe(`${hour.failureRate * 100}%`);
    await expect(figure('queued').textContent()).resolves.toBe(String(hour.queue.queued));
    await expect(figure('processing').textContent()).resolves.toBe(String(hour.queue.processing));
    const shownByStatus = await page.locator('.by-status li').evaluateAll((items) =>
      items.map((item) => [item.getAttribute('data-status'), Number(item.querySelector('.count')?.textContent)]),
    );
    expect(Object.fromEntries(shownByStatus)).toEqual(Object.fromEntries(Object.entries(hour.totals.byStatus).filter(([, count]) => count !== 0)));
    const slowest = await page.locator('table.slowest tbody th').allTextContents();
    expect(slowest).toEqual(hour.slowestFunctions.map((fn: { functionName: string }) => fn.functionName));
    expect(slowest.sort()).toEqual(['book-order', 'refuse-order']);

    // The chart draws one stacked bar per minute with messages, and its table holds the same numbers.
    const busyMinutes = hour.buckets.filter((bucket: { total: number }) => bucket.total > 0);
    await expect(page.locator('svg.chart g').count()).resolves.toBe(busyMinutes.length);
    await page.getByText('The numbers as a table').click();
    const tableTotals = await page.locator('table.numbers tbody tr td:first-of-type').allTextContents();
    expect(tableTotals.map(Number)).toEqual(busyMinutes.map((bucket: { total: number }) => bucket.total));
    await expect(page.getByRole('img').getAttribute('aria-label')).resolves.toContain('4 in all');

    await page.getByRole('button', { name: 'Last day' }).click();
    await page.getByRole('heading', { name: 'Messages per 15 minutes' }).waitFor();
    const day = (await server.get('/api/overview?range=24h')).body;
    await expect(figure('messages').textContent()).resolves.toBe(String(day.totals.messages));
    expect(tab.errors).toEqual([]);
  });

  it('previews a reversed provider order over the stored messages and highlights the ones that would change', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    const sent = await server.webhook('orders/new', { order: 10 }, { ...SYNC, 'x-sender': 'orders' });
    expect(sent.status).toBe(200);
    await logInThroughConsole(page, server, '/overview');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Preview over history' }).waitFor();
    const draft = page.getByRole('list', { name: "Providers in the draft's order" });
    await expect(draft.locator('.name').allTextContents()).resolves.toEqual(['Orders', 'Everything']);

    await page.getByRole('button', { name: 'Move Everything up' }).click();
    // The page redraws after the click: wait for the first row to change, then read them all.
    await draft.locator('li').first().locator('.name', { hasText: 'Everything' }).waitFor();
    await expect(draft.locator('.name').allTextContents()).resolves.toEqual(['Everything', 'Orders']);
    // The focus stays on the moved row so the keyboard can go on moving it.
    await expect(page.getByRole('button', { name: 'Move Everything down' }).evaluate((button) => button.matches(':focus'))).resolves.toBe(true);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const summary = page.locator('hl-preview-results .summary');
    await summary.waitFor();

    const expected = (await server.post('/api/preview', { order: [everything.id, orders.id], limit: 200 })).body;
    expect(expected.counts.changed).toBe(4);
    await expect(summary.textContent()).resolves.toContain(`Replayed ${expected.counts.messages} messages`);
    await expect(summary.textContent()).resolves.toContain(`${expected.counts.changed} would go elsewhere`);
    const changedRows = await page.locator('table.results tr.changed').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-message-id')));
    const changedIds = expected.items.filter((item: { changed: boolean }) => item.changed).map((item: { messageId: string }) => item.messageId);
    expect(changedRows).toEqual(changedIds);
    expect(changedRows).toContain(sent.body.messageId);
    const row = page.locator(`tr[data-message-id="${sent.body.messageId}"]`);
    await expect(row.locator('td.difference').textContent()).resolves.toBe('changed: provider and functions');
    await expect(row.locator('td').nth(1).textContent()).resolves.toContain('book-order');
    await expect(row.locator('td').nth(2).textContent()).resolves.toContain('Everything');

    await page.getByLabel('Show only the changed messages').check();
    await page.locator('table.results tbody tr:not(.changed)').first().waitFor({ state: 'detached' });
    await expect(page.locator('table.results tbody tr').count()).resolves.toBe(changedIds.length);
    await row.getByRole('link').click();
    await page.waitForURL(`**/messages/${sent.body.messageId}`);
    expect(tab.errors).toEqual([]);
  });

  it('previews a draft match script and shows a script that does not compile beside it', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    await logInThroughConsole(page, server, '/preview');
    await page.getByRole('button', { name: 'Edit match script' }).first().waitFor();
    const everythingRow = page.locator(`li[data-provider-id="${everything.id}"]`);
    await everythingRow.getByRole('button', { name: 'Edit match script' }).click();
    const script = await codeEditor(page, 'match');
    await waitForEditorText(script, 'return true');
    // The draft is written in the script editor, which knows the match script's API.
    await script.locator('.view-lines').click();
    await expect(page.getByRole('textbox', { name: 'Match script of Everything' }).evaluate((input) => input.matches(':focus'))).resolves.toBe(true);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('return request.');
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-widget .monaco-list-row', { hasText: 'uri' }).first().waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.type('uri.startsWith("orders/")');
    await page.keyboard.press('Escape');
    await waitForEditorText(script, 'return request.uri.startsWith("orders/")');
    await waitForErrors(script, 0);
    await everythingRow.getByText('edited').waitFor();
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.locator('hl-preview-results .summary').waitFor();
    // The ping under misc/ would find no provider; the orders still go to Orders.
    const expected = (await server.post('/api/preview', { providers: { [everything.id]: { matchScript: 'return request.uri.startsWith("orders/")' } } })).body;
    const changedRows = await page.locator('table.results tr.changed').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-message-id')));
    expect(expected.counts.changed).toBe(1);
    expect(changedRows).toEqual(expected.items.filter((item: { changed: boolean }) => item.changed).map((item: { messageId: string }) => item.messageId));

    await script.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('const path = request.uri;\nreturn path.startsWith(*"orders/")');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect(everythingRow.locator('.field-error').textContent()).resolves.toMatch(/^SyntaxError: .*\(line 2, column \d+\)$/);
    // The editor marks the line that does not compile with the preview's error.
    await hoverErrorMarker(script, 'Preview: SyntaxError');
    // A message the draft script was asked about shows the error too, where it counted as "no".
    await page.locator('table.results .field-error', { hasText: 'Everything: SyntaxError' }).first().waitFor();
    await page.getByRole('button', { name: 'Back to what is saved' }).click();
    await script.waitFor({ state: 'detached' });
    await expect(page.locator('.draft .badge').count()).resolves.toBe(0);
    await expect(page.locator('table.results').count()).resolves.toBe(0);
    expect(tab.errors).toEqual([]);
  });
});
