import type { Page } from 'playwright-core';
import { codeEditor, logInThroughConsole, typeInEditor, useConsoleInBrowser, waitForEditorText } from '../support/browser';
import { given, type TestServer } from '../support/test-server';

async function shownOrder(page: Page): Promise<string[]> {
  await page.locator('.provider-list .row').first().waitFor();
  return page.locator('.provider-list .row .name > a').allTextContents();
}

async function storedOrder(server: TestServer): Promise<string[]> {
  return (await server.get('/api/providers')).body.map((p: { name: string }) => p.name);
}

describe('testing a provider draft and restoring the provider order in a browser', () => {
  const run = useConsoleInBrowser();
  let messageId: string;

  beforeAll(async () => {
    await given(run.server).provider({ name: 'shop' });
    await given(run.server).provider({ name: 'billing', matchScript: 'return false' });
    const sent = await run.server.webhook('orders/created', { order: 7 });
    messageId = sent.headers.get('x-hookline-message-id')!;
    await run.server.waitForMessage(messageId, ['no_function', 'processed']);
  });

  it('tests a draft match script against a stored message without saving it', async () => {
    const { server, tab: { page } } = run;
    const shop = (await server.get('/api/providers')).body.find((p: { name: string }) => p.name === 'shop');
    await logInThroughConsole(page, server, `/providers/${shop.id}`);
    const editor = await codeEditor(page, 'match');
    const panel = page.getByRole('region', { name: 'Test the draft' });
    const result = page.getByLabel('Test result');
    await panel.getByLabel('Recent message').selectOption(messageId);

    // Each draft is tried against the stored delivery of order 7, as it is in the editor now.
    for (const [draft, headline] of [
      ['return request.json.order !== 7;', 'Not matched'],
      ['return request.json.order === 7;', 'Matched and accepted'],
      ['return request.json.missing.order;', 'The match script failed'],
    ]) {
      await typeInEditor(editor, draft);
      await waitForEditorText(editor, draft);
      await panel.getByRole('button', { name: 'Run test' }).click();
      await result.getByText(headline, { exact: true }).waitFor();
    }
    expect(await result.getByRole('alert').innerText()).toMatch(/TypeError: .*order.* \(line 1, column \d+\)/);
    expect((await server.get(`/api/providers/${shop.id}`)).body.matchScript).toBe('return true');
    expect(run.tab.errors).toEqual([]);
  });

  it('lists the versions of the provider order and restores an earlier one', async () => {
    const { server, tab: { page } } = run;
    const before = await storedOrder(server);
    const ids = (await server.get('/api/providers')).body.map((p: { id: string }) => p.id);
    expect((await server.put('/api/providers/order', { ids: [...ids].reverse(), comment: 'billing first' })).status).toBe(200);
    const reversed = [...before].reverse();
    expect(await storedOrder(server)).toEqual(reversed);

    await logInThroughConsole(page, server, '/providers');
    expect(await shownOrder(page)).toEqual(reversed);
    const versions = page.getByRole('region', { name: 'Versions of the order' });
    await versions.getByRole('row').filter({ hasText: 'billing first' }).waitFor();

    page.once('dialog', (dialog) => void dialog.accept());
    await versions.getByRole('button', { name: 'Restore version 1' }).click();
    await versions.getByRole('row').filter({ hasText: 'restored from v1' }).waitFor();
    await page.locator('.provider-list .row .name > a').first().getByText(before[0], { exact: true }).waitFor();
    expect(await shownOrder(page)).toEqual(before);
    expect(await storedOrder(server)).toEqual(before);
    await page.reload();
    expect(await shownOrder(page)).toEqual(before);
    expect(run.tab.errors).toEqual([]);
  });
});
