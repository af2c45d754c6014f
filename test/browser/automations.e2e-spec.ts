import type { Page } from 'playwright-core';
import { logInThroughConsole, useConsoleInBrowser } from '../support/browser';

/** Posts to an endpoint URL the way a sender does: plain HTTP, no login. */
async function deliver(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

/** Creates an endpoint through the console and answers the URL it showed once. */
async function createEndpoint(page: Page, name: string, automationName: string): Promise<string> {
  await page.getByRole('link', { name: 'New endpoint' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel(automationName).check();
  await page.getByRole('button', { name: 'Create' }).click();
  const field = page.getByTestId('endpoint-url');
  await field.waitFor();
  return field.inputValue();
}

describe('the automations and endpoints pages', () => {
  const suite = useConsoleInBrowser();

  it('creates a command automation, runs it by hand with a variable and shows its output in the history', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    await logInThroughConsole(page, server, '/automations');
    await page.getByRole('link', { name: 'New automation' }).click();
    await page.getByLabel('Name', { exact: true }).fill('greet');
    await page.getByLabel('Command', { exact: true }).fill('echo hello {{vars.who}}');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'greet' }).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop();
    const stored = (await server.get(`/api/automations/${id}`)).body;
    expect(stored.target).toMatchObject({ kind: 'command', argv: ['echo', 'hello', '{{vars.who}}'], shell: false });

    await page.getByLabel('Variable 1 name').fill('who');
    // One argument whatever it holds: the shell syntax is printed, not run.
    await page.getByLabel('Variable 1 value').fill('the world; exit 3');
    await page.getByRole('button', { name: 'Run now' }).click();
    const stdout = page.getByTestId('run-stdout');
    await stdout.waitFor();
    await expect(stdout.textContent()).resolves.toBe('hello the world; exit 3\n');
    const run = page.locator('.run').first();
    await expect(run.locator('summary').textContent()).resolves.toContain('succeeded');
    await expect(run.locator('summary').textContent()).resolves.toContain('manual');
    await expect(run.textContent()).resolves.toContain('"who": "the world; exit 3"');

    // The list shows it after a visit elsewhere.
    await page.getByRole('link', { name: 'Automations' }).first().click();
    await expect(page.locator('.automation-list .row').first().textContent()).resolves.toContain('echo hello {{vars.who}}');
  });

  it('shows the server’s message about a command template beside the command field', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    await logInThroughConsole(page, server, '/automations/new');
    const target = { kind: 'command', command: 'echo {{vars.who}} | tee out' };
    const refused = await server.post('/api/automations', { name: 'piped', target });
    expect(refused.status).toBe(400);
    const message: string = refused.body.fields['target.command'];
    expect(message).toContain('|');

    tab.expectFailedRequests(400);
    await page.getByLabel('Name', { exact: true }).fill('piped');
    const command = page.getByLabel('Command', { exact: true });
    await command.fill(target.command);
    await page.getByRole('button', { name: 'Create' }).click();
    const shown = page.locator('#automation-command-error .field-error');
    await shown.waitFor();
    await expect(shown.textContent()).resolves.toBe(message);
    await expect(command.getAttribute('aria-invalid')).resolves.toBe('true');
    // With a shell the same line is fine.
    await page.getByLabel('Run with a shell').check();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'piped' }).waitFor();
    expect((await server.get('/api/automations')).body.find((a: { name: string }) => a.name === 'piped').target).toMatchObject({ shell: true, command: target.command });
  });

  it('shows a failed run with its error and stderr, and retries it keeping the earlier attempt', async () => {
    const { server, tab } = suite;
    const created = await server.post('/api/automations', { name: 'failing', target: { kind: 'command', command: "sh -c 'echo broken pipe >&2; exit 3'" } });
    expect(created.status).toBe(201);
    const page = tab.page;
    await logInThroughConsole(page, server, `/automations/${created.body.id}`);
    await page.getByRole('button', { name: 'Run now' }).click();
    const run = page.locator('.run').first();
    await run.locator('summary').getByText('failed').waitFor();
    await expect(run.getByTestId('run-stderr').textContent()).resolves.toBe('broken pipe\n');
    const runs = (await server.get(`/api/automations/${created.body.id}/runs`)).body;
    await expect(run.locator('.error-text').textContent()).resolves.toContain(runs[0].statusReason);
    await expect(run.getByTestId('run-output').textContent()).resolves.toContain('"exitCode": 3');

    const retried = page.waitForResponse((r) => r.url().endsWith(`/api/runs/${runs[0].id}/retry`));
    await run.getByRole('button', { name: 'Retry this run' }).click();
    expect((await retried).status()).toBe(202);
    await run.getByRole('heading', { name: 'Earlier attempts' }).waitFor();
    await run.locator('summary').getByText('failed').waitFor();
    await expect(page.locator('.run').count()).resolves.toBe(1);
    expect((await server.get(`/api/runs/${runs[0].id}`)).body.earlierAttempts).toHaveLength(1);
  });

  it('builds an http target and names a missing URL beside its field', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    await logInThroughConsole(page, server, '/automations/new');
    tab.expectFailedRequests(400);
    await page.getByLabel('Name', { exact: true }).fill('notify');
    await page.getByLabel('HTTP call').check();
    await page.getByLabel('Method').selectOption('PUT');
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('Header 1 name').fill('x-build');
    await page.getByLabel('Header 1 value').fill('{{vars.build}}');
    await page.getByRole('button', { name: 'Create' }).click();
    const urlError = page.locator('#automation-url-error .field-error');
    await urlError.waitFor();
    await expect(urlError.textContent()).resolves.toMatch(/^is required: the URL to call/);

    await page.getByLabel('URL', { exact: true }).fill('https://ci.example.com/build/{{vars.build}}');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'notify' }).waitFor();
    const stored = (await server.get('/api/automations')).body.find((a: { name: string }) => a.name === 'notify');
    expect(stored.target).toMatchObject({ kind: 'http', method: 'PUT', url: 'https://ci.example.com/build/{{vars.build}}', headers: { 'x-build': '{{vars.build}}' }, body: null });
  });

  it('creates an endpoint, shows its URL once with copy, and lists a delivery with its payload', async () => {
    const { server, tab } = suite;
    const automation = await server.post('/api/automations', { name: 'on-delivery', target: { kind: 'command', argv: ['true'] } });
    expect(automation.status).toBe(201);
    const page = tab.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await logInThroughConsole(page, server, '/endpoints');

    const url = await createEndpoint(page, 'nightly build', 'on-delivery');
    expect(url).toMatch(/\/api\/webhooks\/inbound\/hle_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: 'Copy URL' }).click();
    await page.getByText('Copied.').waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(url);

    expect(await deliver(url, { build: 42, branch: 'main' })).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const delivery = page.locator('.delivery').first();
    await delivery.locator('summary').click();
    await expect(delivery.getByTestId('payload-preview').textContent()).resolves.toBe('{"build":42,"branch":"main"}');
    await expect(delivery.textContent()).resolves.toContain('on-delivery: pending');

    // Shown once: after a reload only the prefix is left.
    await page.reload();
    const prefix = page.getByTestId('token-prefix');
    await prefix.waitFor();
    expect(url).toContain(`/inbound/${(await prefix.textContent())!.replace('…', '')}`);
    await expect(page.getByTestId('endpoint-url').count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Endpoints' }).first().click();
    await expect(page.locator('.endpoint-list .row').first().textContent()).resolves.not.toContain(url.split('/').pop()!);
  });

  it('asks before regenerating a URL, and the new URL replaces the old one at once', async () => {
    const { server, tab } = suite;
    const automation = await server.post('/api/automations', { name: 'regenerated', target: { kind: 'command', argv: ['true'] } });
    expect(automation.status).toBe(201);
    const page = tab.page;
    await logInThroughConsole(page, server, '/endpoints');
    const first = await createEndpoint(page, 'to regenerate', 'regenerated');

    await page.getByRole('button', { name: 'Regenerate URL…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Regenerate the URL?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await deliver(first, { n: 1 })).toBe(200);
    await expect(page.getByTestId('endpoint-url').inputValue()).resolves.toBe(first);

    await page.getByRole('button', { name: 'Regenerate URL…' }).click();
    await dialog.getByRole('button', { name: 'Regenerate' }).click();
    await page.getByText('New URL: the old one no longer works').waitFor();
    const second = await page.getByTestId('endpoint-url').inputValue();
    expect(second).not.toBe(first);
    expect(await deliver(first, { n: 2 })).toBe(404);
    expect(await deliver(second, { n: 3 })).toBe(200);

    // Delete asks too; Escape keeps the endpoint.
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete this endpoint?' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Delete this endpoint?' }).waitFor({ state: 'hidden' });
    expect((await server.get('/api/webhooks')).body.map((e: { name: string }) => e.name)).toContain('to regenerate');
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete this endpoint?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
    expect((await server.get('/api/webhooks')).body.map((e: { name: string }) => e.name)).not.toContain('to regenerate');
  });
});
