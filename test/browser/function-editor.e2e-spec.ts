import { codeEditor, editorText, hoverErrorMarker, logInThroughConsole, useConsoleInBrowser, waitForErrors } from '../support/browser';
import { given } from '../support/test-server';

describe('the function editor in a browser', () => {
  // With the built-in providers, as a first start has them.
  const run = useConsoleInBrowser({ HOOKLINE_SEED_BUILTINS: 'true' });
  let githubId: string;

  beforeAll(async () => {
    const providers = (await run.server.get<Array<{ id: string; builtin: string | null }>>('/api/providers')).body;
    githubId = providers.find((provider) => provider.builtin === 'github')!.id;
  });

  it('completes respond, marks a misspelled global, and keeps the script after a save and a reload', async () => {
    const { server, tab: { page } } = run;
    const fn = await given(server).fn({ name: 'main pushes', providerId: githubId, uri: 'git/push', script: 'log.info("push", eventType);' });
    await logInThroughConsole(page, server, `/functions/${fn.id}`);
    const script = await codeEditor(page, 'function');
    await waitForErrors(script, 0);

    await script.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('resp');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    await suggestions.first().waitFor();
    expect(await suggestions.allInnerTexts()).toContainEqual(expect.stringMatching(/^respond/));
    await page.keyboard.press('Escape');

    await page.keyboard.type('nd({ status: 202 });');
    await waitForErrors(script, 1);
    // The squiggle lies under the text layer and is redrawn as checks finish: point at its place until the hover shows.
    await hoverErrorMarker(script, "Cannot find name 'respnd'. Did you mean 'respond'?");

    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('respond({ status: 202 });');
    await waitForErrors(script, 0);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved at/).waitFor();

    expect((await server.get(`/api/functions/${fn.id}`)).body.script).toBe('log.info("push", eventType);\nrespond({ status: 202 });');
    await page.reload();
    expect(await editorText(await codeEditor(page, 'function'))).toBe('log.info("push", eventType);\nrespond({ status: 202 });');
    expect(run.tab.errors).toEqual([]);
  });

  it('marks a match script global used in a condition, and creates a function from the form', async () => {
    const { server, tab: { page } } = run;
    await logInThroughConsole(page, server, '/functions/new');
    await page.getByLabel('Name').fill('merged pull requests');
    await page.getByLabel('URI (after /webhooks/)').fill('git/pr');
    await expect(page.getByLabel('Answer mode').locator('option:checked').textContent()).resolves.toBe("The provider's (async)");
    await page.getByLabel('Answer mode').selectOption('respond');
    const condition = await codeEditor(page, 'condition');
    await condition.locator('.view-lines').click();
    await page.keyboard.type('request.method == "POST"');
    await waitForErrors(condition, 1);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('event?.key == "pull_request:merged"');
    await waitForErrors(condition, 0);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/functions\/[0-9a-f-]{36}$/);

    const id = new URL(page.url()).pathname.split('/').pop();
    const saved = (await server.get(`/api/functions/${id}`)).body;
    expect([saved.name, saved.uri, saved.providerId, saved.condition, saved.answerMode]).toEqual(['merged pull requests', 'git/pr', githubId, 'event?.key == "pull_request:merged"', 'respond']);
    await expect(page.getByRole('navigation', { name: 'Functions' }).getByRole('link', { name: 'merged pull requests' }).count()).resolves.toBe(1);
    expect(run.tab.errors).toEqual([]);
  });

  it('shows the server message beside the field it names', async () => {
    const { server, tab: { page } } = run;
    const fn = await given(server).fn({ name: 'short limit', providerId: githubId });
    await logInThroughConsole(page, server, `/functions/${fn.id}`);
    await codeEditor(page, 'function');
    await page.getByLabel('Time limit (ms)').fill('0');
    // The browser itself logs the 400 answer; nothing else may go wrong.
    run.tab.expectFailedRequests(400);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#fn-timeout-error').getByText('must be at least 1', { exact: true }).waitFor();
    await expect(page.getByLabel('Time limit (ms)').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(run.tab.errors).toEqual([]);
  });

  it("opens every built-in provider's match script without an error, and marks a function script's global in one", async () => {
    const { server, tab: { page } } = run;
    const builtins = (await server.get<Array<{ id: string; builtin: string | null }>>('/api/providers')).body.filter((provider) => provider.builtin !== null);
    expect(builtins).toHaveLength(10);
    await logInThroughConsole(page, server, '/providers');
    for (const provider of builtins) {
      await page.goto(`${server.url}/providers/${provider.id}`);
      await waitForErrors(await codeEditor(page, 'match'), 0);
    }

    const script = await codeEditor(page, 'match');
    await script.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('log.info(eventType);');
    await waitForErrors(script, 2, 2);
    expect(run.tab.errors).toEqual([]);
  });
});
