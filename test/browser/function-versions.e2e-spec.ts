import type { Locator, Page } from 'playwright-core';
import { codeEditor, hoverErrorMarker, logInThroughConsole, typeInEditor, useConsoleInBrowser } from '../support/browser';
import { given, type TestServer } from '../support/test-server';

/** The text Monaco shows, one string per line (Monaco renders spaces as no-break spaces). */
async function linesOf(lines: Locator): Promise<string[]> {
  return (await lines.locator('.view-line').allInnerTexts()).map((line) => line.replace(/\u00a0/g, ' '));
}

/** Creates a function with `script`, opens it in the console and types `draft` over it, unsaved. */
async function openWithDraft(page: Page, server: TestServer, fn: { name: string; providerId: string; script: string }, draft: string): Promise<string> {
  const { id } = await given(server).fn({ ...fn, uri: 'orders/created' });
  await logInThroughConsole(page, server, `/functions/${id}`);
  await typeInEditor(await codeEditor(page, 'function'), draft);
  return id;
}

describe('testing a function draft and its versions in a browser', () => {
  const run = useConsoleInBrowser();
  let providerId: string;
  let messageId: string;

  beforeAll(async () => {
    providerId = (await given(run.server).provider({ name: 'shop' })).id;
    const sent = await run.server.webhook('orders/created', { order: 42 });
    messageId = sent.headers.get('x-hookline-message-id')!;
    await run.server.waitForMessage(messageId, ['no_function', 'processed']);
  });

  it('tests a draft against a stored message without saving it, then saves, compares and restores versions', async () => {
    const { server, tab: { page } } = run;
    const fnId = await openWithDraft(page, server, { name: 'orders', providerId, script: 'return "ok";' }, 'log.info("order", request.method); return "draft";');

    await page.getByLabel('Recent message').selectOption(messageId);
    await page.getByRole('button', { name: 'Run test' }).click();
    const result = page.getByLabel('Test result');
    await result.getByText('Succeeded', { exact: true }).waitFor();
    expect(await result.getByRole('list', { name: 'Logs' }).innerText()).toMatch(/info\s+order POST/);
    expect(await result.locator('pre.value').first().innerText()).toBe('"draft"');
    expect((await server.get(`/api/functions/${fnId}`)).body.script).toBe('return "ok";');

    await page.getByLabel('Comment for this version (optional)').fill('log the method');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved at/).waitFor();
    const versions = page.getByRole('region', { name: 'Versions' });
    const saved = versions.getByRole('row').filter({ hasText: 'log the method' });
    await saved.waitFor();
    expect(await saved.getByRole('cell').first().innerText()).toBe('v2');
    expect(await saved.getByRole('cell').nth(1).innerText()).toBe('admin');

    await versions.getByRole('button', { name: 'Compare version 1' }).click();
    const diff = page.locator('hl-diff-editor[data-state=ready]');
    await diff.locator('.editor.modified .line-insert').first().waitFor();
    expect(await linesOf(diff.locator('.editor.original .view-lines'))).toEqual(['return "ok";']);
    expect(await linesOf(diff.locator('.editor.modified .view-lines'))).toEqual(['log.info("order", request.method); return "draft";']);
    // At 1280 by 800 the two versions stand side by side: the old one left of the new one, both wide enough to read.
    const [before, after] = await Promise.all([diff.locator('.editor.original').boundingBox(), diff.locator('.editor.modified').boundingBox()]);
    expect(before!.width).toBeGreaterThan(250);
    expect(after!.width).toBeGreaterThan(250);
    expect(before!.x + before!.width).toBeLessThanOrEqual(after!.x + 1);
    expect(before!.y).toBe(after!.y);

    page.once('dialog', (dialog) => void dialog.accept());
    await versions.getByRole('button', { name: 'Restore version 1' }).click();
    const restored = versions.getByRole('row').filter({ hasText: 'restored from v1' });
    await restored.waitFor();
    expect(await restored.getByRole('cell').first().innerText()).toBe('v3');
    await page.getByText(/^Restored at/).waitFor();
    expect(await linesOf((await codeEditor(page, 'function')).locator('.view-lines'))).toEqual(['return "ok";']);
    expect((await server.get(`/api/functions/${fnId}`)).body.script).toBe('return "ok";');
    expect(run.tab.errors).toEqual([]);
  });

  it('shows a failing draft with its line and stack, and marks the line in the editor', async () => {
    const { server, tab: { page } } = run;
    const fnId = await openWithDraft(page, server, { name: 'failing', providerId, script: 'return 1;' }, 'const order = 1;\nthrow new Error("no stock for " + order);');

    await page.getByLabel('Message id').fill(messageId);
    await page.getByRole('button', { name: 'Run test' }).click();
    const failure = page.getByLabel('Test result').getByRole('alert');
    await failure.waitFor();
    expect(await failure.locator('p').innerText()).toBe('error: Error: no stock for 1 (line 2, column 7)');
    expect(await failure.locator('pre.stack').innerText()).toContain('no stock for 1');
    // The script has no type error: the one error marker is the test run's, on line 2.
    const script = await codeEditor(page, 'function');
    await script.and(page.locator('[data-errors="1"]')).waitFor();
    expect(await script.getAttribute('data-errors')).toBe('1');
    // Pointing at the marked text shows the run's error in Monaco's hover.
    const hover = await hoverErrorMarker(script, 'Test run:');
    expect((await hover.innerText()).split('\n')[0]).toBe('Test run: Error: no stock for 1');
    expect((await server.get(`/api/functions/${fnId}`)).body.script).toBe('return 1;');
    expect(run.tab.errors).toEqual([]);
  });
});
