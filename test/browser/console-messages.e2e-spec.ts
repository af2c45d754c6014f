import { logInThroughConsole, openConsolePage, useConsoleInBrowser } from '../support/browser';
import { given } from '../support/test-server';

describe('the messages page in a browser', () => {
  const run = useConsoleInBrowser();

  beforeAll(async () => {
    const provider = await given(run.server).provider({ name: 'Shipping', matchScript: 'return request.headers["x-sender"] === "shipping"' });
    const notify = await run.server.post('/api/automations', { name: 'notify-shipping', target: { kind: 'command', command: 'true' } });
    expect(notify.status).toBe(201);
    await given(run.server).fn({
      name: 'announce-shipment',
      providerId: provider.id,
      uri: 'orders/shipped',
      condition: 'method == "POST"',
      automationIds: [notify.body.id],
      script: 'log.info("shipping order", request.json.order); await automations.trigger("notify-shipping"); return { order: request.json.order }',
    });
  });

  it('shows a webhook sent over HTTP without reloading, with its trace, and follows a resubmit both ways', async () => {
    const { server, tab } = run;
    const page = tab.page;
    await logInThroughConsole(page, server, '/messages');
    await page.getByText('Live', { exact: true }).waitFor();

    const sent = await server.webhook('orders/shipped', { order: 'A-1001' }, { 'x-sender': 'shipping' });
    expect(sent.status).toBe(202);
    const id: string = sent.body.messageId;

    // Arrives through the stream: the page was not reloaded.
    const row = page.locator(`tr[data-message-id="${id}"]`);
    await row.getByText('processed').waitFor();
    await expect(row.textContent()).resolves.toContain('/orders/shipped');
    await expect(row.textContent()).resolves.toContain('Shipping');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Trace' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/messages/${id}`);
    const provider = page.getByLabel('Provider Shipping');
    await expect(provider.textContent()).resolves.toContain('matched');
    const fn = page.getByLabel('Function announce-shipment');
    await expect(fn.textContent()).resolves.toContain('succeeded');
    await expect(fn.textContent()).resolves.toContain('method == "POST"');
    await expect(fn.textContent()).resolves.toContain('shipping order A-1001');
    await expect(page.getByLabel('Automation run notify-shipping').textContent()).resolves.toMatch(/notify-shipping\s*pending\s*run [0-9a-f-]{36}/);
    await expect(page.locator('pre[aria-label="Body, indented JSON"]').textContent()).resolves.toBe('{\n  "order": "A-1001"\n}');
    await expect(page.getByTestId('answer-mode').textContent()).resolves.toMatch(/^\s*Answer mode async, the provider's\.\s*$/);

    await page.getByRole('button', { name: 'Resubmit as is' }).click();
    await page.getByRole('link', { name: 'the original message' }).waitFor();
    const copyId = new URL(page.url()).pathname.split('/').pop();
    expect(copyId).not.toBe(id);
    const copy = await server.waitForMessage(copyId!, ['processed']);
    expect(copy.resubmittedFrom).toBe(id);

    await page.getByRole('link', { name: 'the original message' }).click();
    await page.waitForURL(`**/messages/${id}`);
    await page.locator(`a[data-link="copy"]`, { hasText: copyId }).click();
    await page.waitForURL(`**/messages/${copyId}`);
    await page.getByLabel('Function announce-shipment').getByText('succeeded').waitFor();
    expect(tab.errors).toEqual([]);
  });

  it('edits the headers and body before resubmitting, shows a bad header beside it, and traces the edit', async () => {
    const { server, tab } = run;
    const page = tab.page;
    const sent = await server.webhook('orders/shipped', { order: 'C-3001' }, { 'x-sender': 'shipping', 'x-trace': 'one' });
    const id: string = sent.body.messageId;
    await server.waitForMessage(id, ['processed']);
    await logInThroughConsole(page, server, `/messages/${id}`);

    await page.getByRole('button', { name: 'Edit and resubmit…' }).click();
    const form = page.getByRole('form', { name: 'Edit and resubmit' });
    await form.getByLabel('Body').fill('{"order":"C-3002"}');
    const removeTrace = form.getByRole('button', { name: 'Remove header x-trace' });
    await removeTrace.click();
    await removeTrace.waitFor({ state: 'detached' });
    const rows = form.locator('.header-row');
    const before = await rows.count();
    await form.getByRole('button', { name: 'Add header' }).click();
    const added = rows.nth(before);
    await added.waitFor();
    // The new row's name has the focus, ready to type.
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe(await added.getByRole('textbox').first().getAttribute('id'));
    await added.getByRole('textbox').first().fill('bad header');
    await added.getByRole('textbox').last().fill('x');
    // The browser logs the refused attempt's 400; nothing else may go wrong.
    tab.expectFailedRequests(400);
    await form.getByRole('button', { name: 'Resubmit edited' }).click();
    // The server's complaint appears beside the header it names, and nothing was sent.
    await expect(added.locator('.field-error').textContent()).resolves.toBe('is not a valid header name');
    expect(new URL(page.url()).pathname).toBe(`/messages/${id}`);

    await added.getByRole('textbox').first().fill('x-edited');
    await form.getByRole('button', { name: 'Resubmit edited' }).click();
    await page.getByRole('link', { name: 'the original message' }).waitFor();
    const copyId = new URL(page.url()).pathname.split('/').pop()!;
    const copy = await server.waitForMessage(copyId, ['processed']);
    expect(copy.headers['x-edited']).toBe('x');
    expect(copy.headers['x-trace']).toBeUndefined();
    await page.getByLabel('Function announce-shipment').getByText('shipping order C-3002').waitFor();
    const edited = await page.locator('.edited').textContent();
    expect(edited).toContain('headers added x-edited');
    expect(edited).toContain('headers removed x-trace');
    expect(edited).toContain('body changed');

    await page.getByRole('link', { name: 'the original message' }).click();
    await page.locator('a[data-link="copy"]', { hasText: copyId }).waitFor();
    expect(tab.errors).toEqual([]);
  });

  it('counts a filtered list, asks, and resubmits it with its progress to the end', async () => {
    const { server, tab } = run;
    const page = tab.page;
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await server.webhook(`bulk/${n}`, { n }, { 'x-sender': 'nobody' })).body.messageId);
    for (const id of ids) await server.waitForMessage(id, ['no_provider']);

    await logInThroughConsole(page, server, '/messages?uriPrefix=bulk/');
    const rows = page.locator('tr[data-message-id]');
    await rows.nth(2).waitFor();
    await page.getByRole('button', { name: 'Count and resubmit…' }).click();
    await expect(page.getByText(/messages? match/).textContent()).resolves.toContain('3 messages match');
    await page.getByRole('button', { name: 'Resubmit 3' }).click();
    await page.getByText('Done: 3 resubmitted').waitFor();
    await expect(page.getByLabel(/Resubmitted \d+ of \d+/).getAttribute('value')).resolves.toBe('3');
    // The copies arrive in the filtered list through the stream.
    await rows.nth(5).waitFor();
    await expect(rows.filter({ hasText: '(resubmitted)' }).count()).resolves.toBe(3);
    for (const id of ids) expect((await server.get(`/api/messages/${id}`)).body.resubmissions).toHaveLength(1);
    expect(tab.errors).toEqual([]);
  });

  it('keeps the filters in the address and lists only what matches', async () => {
    const { server, browser, tab } = run;
    const page = tab.page;
    await server.webhook('orders/cancelled', { order: 'B-2002', reason: 'customer asked' }, { 'x-sender': 'nobody' });
    const kept = await server.webhook('orders/shipped', { order: 'B-2003' }, { 'x-sender': 'shipping' });
    await server.waitForMessage(kept.body.messageId, ['processed']);

    await logInThroughConsole(page, server, '/messages');
    const rows = page.locator('tr[data-message-id]');
    await rows.filter({ hasText: '/orders/shipped' }).first().waitFor();
    await page.getByLabel('Status').selectOption('no_provider');
    await page.getByLabel('Search the body').fill('customer ASKED');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'no_provider');
    expect(new URL(page.url()).searchParams.get('q')).toBe('customer ASKED');
    // The unfiltered rows go once the filtered page has arrived.
    await rows.filter({ hasText: '/orders/shipped' }).first().waitFor({ state: 'detached' });
    await rows.first().waitFor();
    await expect(rows.allTextContents()).resolves.toEqual([expect.stringContaining('/orders/cancelled')]);

    // The linked view opens filtered in a fresh tab.
    const other = await openConsolePage(browser);
    await logInThroughConsole(other.page, server, new URL(page.url()).pathname + new URL(page.url()).search);
    await other.page.locator('tr[data-message-id]').first().waitFor();
    await expect(other.page.locator('tr[data-message-id]').count()).resolves.toBe(1);
    await expect(other.page.getByLabel('Search the body').inputValue()).resolves.toBe('customer ASKED');
    await other.page.context().close();
    expect([...tab.errors, ...other.errors]).toEqual([]);

    // A filter the server refuses is shown beside its field, with the server's words.
    tab.expectFailedRequests(400);
    await page.goto(`${server.url}/messages?q=${'x'.repeat(201)}`);
    await expect(page.locator('#mf-q ~ hl-field-error .field-error').textContent()).resolves.toBe('must be at most 200 characters');
    await expect(page.getByLabel('Search the body').getAttribute('aria-invalid')).resolves.toBe('true');
  });
});
