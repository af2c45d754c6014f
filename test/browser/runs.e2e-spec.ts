import { logInThroughConsole, useConsoleInBrowser } from '../support/browser';
import type { TestServer } from '../support/test-server';

/** Polls until the run's status is one of `statuses` with `earlierAttempts` earlier attempts; answers the run. */
async function waitForRun(server: TestServer, id: string, statuses: string[], earlierAttempts = 0): Promise<any> {
  const deadline = Date.now() + 20_000;
  let run: any;
  while (Date.now() < deadline) {
    run = (await server.get(`/api/runs/${id}`)).body;
    if (statuses.includes(run.status) && run.earlierAttempts.length === earlierAttempts) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${id} is ${run?.status} with ${run?.earlierAttempts?.length} earlier attempts`);
}

describe('the runs page and retrying failed runs in bulk', () => {
  const context = useConsoleInBrowser();

  it('lists every automation’s runs, filters them by the address, and retries the failed ones one by one or together', async () => {
    const { server, tab } = context;
    const flaky = (await server.post('/api/automations', { name: 'flaky', target: { kind: 'command', command: "sh -c 'exit 3'" } })).body;
    const steady = (await server.post('/api/automations', { name: 'steady', target: { kind: 'command', argv: ['true'] } })).body;
    const failed: string[] = [];
    for (let n = 0; n < 2; n++) failed.push((await server.post(`/api/automations/${flaky.id}/run`, {})).body.id);
    const succeeded = (await server.post(`/api/automations/${steady.id}/run`, {})).body.id;
    for (const id of failed) await waitForRun(server, id, ['failed']);
    await waitForRun(server, succeeded, ['succeeded']);

    const page = tab.page;
    await logInThroughConsole(page, server, '/overview');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs', exact: true }).click();
    const rows = page.locator('.runs-table tbody tr[data-run-id]');
    await rows.nth(2).waitFor();
    await expect(rows.count()).resolves.toBe(3);
    await expect(page.locator(`tr[data-run-id="${succeeded}"]`).textContent()).resolves.toContain('steady');
    await page.getByText('To retry failed runs together, filter').waitFor();
    await expect(page.getByRole('button', { name: 'Retry failed runs…' }).count()).resolves.toBe(0);

    // One run again from its row.
    await page.locator(`tr[data-run-id="${failed[0]}"]`).getByRole('button', { name: /^Retry the flaky run/ }).click();
    await waitForRun(server, failed[0], ['failed'], 1);

    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'failed');
    // The filtered page replaces the rows after the address changes: wait for the succeeded one to
    // go and the failed ones to be listed before counting.
    await page.locator(`tr[data-run-id="${succeeded}"]`).waitFor({ state: 'detached' });
    for (const id of failed) await page.locator(`tr[data-run-id="${id}"]`).waitFor();
    await expect(rows.count()).resolves.toBe(2);
    await page.locator(`tr[data-run-id="${failed[0]}"]`).getByText('(1 earlier attempt)').waitFor();

    await page.getByRole('button', { name: 'Retry failed runs…' }).click();
    await page.getByRole('dialog', { name: 'Retry 2 failed runs?' }).getByRole('button', { name: 'Retry 2 failed runs' }).click();
    await page.getByText('Retried 2 failed runs.').waitFor();
    await waitForRun(server, failed[0], ['failed'], 2);
    await waitForRun(server, failed[1], ['failed'], 1);
    expect((await server.get(`/api/runs/${succeeded}`)).body.earlierAttempts).toEqual([]);
  });

  it('names a filter the server refuses beside it', async () => {
    const { server, tab } = context;
    tab.expectFailedRequests(400);
    await logInThroughConsole(tab.page, server, '/runs?status=lost');
    const refused = (await server.get('/api/runs?status=lost')).body;
    const shown = tab.page.locator('#rf-status-error .field-error');
    await shown.waitFor();
    await expect(shown.textContent()).resolves.toBe(refused.fields.status);
    await expect(tab.page.getByLabel('Status').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(tab.page.getByRole('alert').textContent()).resolves.toContain(refused.message);
  });

  it('opens one run by its address with its output, and retries it there', async () => {
    const { server, tab } = context;
    const broken = (await server.post('/api/automations', { name: 'broken', target: { kind: 'command', command: "sh -c 'echo oops >&2; exit 4'" } })).body;
    const id = (await server.post(`/api/automations/${broken.id}/run`, {})).body.id;
    await waitForRun(server, id, ['failed']);

    const page = tab.page;
    await logInThroughConsole(page, server, `/runs?automationId=${broken.id}`);
    await page.locator(`tr[data-run-id="${id}"]`).getByRole('link', { name: /^Run of broken/ }).click();
    await page.waitForURL((url) => url.pathname === `/runs/${id}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Run of broken');
    await expect(page.getByTestId('run-stderr').textContent()).resolves.toBe('oops\n');
    await expect(page.getByTestId('run-output').textContent()).resolves.toContain('"exitCode": 4');
    await page.getByRole('button', { name: 'Retry this run' }).click();
    await page.getByRole('heading', { name: 'Earlier attempts' }).waitFor();
    await waitForRun(server, id, ['failed'], 1);
    await page.getByRole('link', { name: 'broken' }).click();
    await page.getByRole('heading', { name: 'broken', level: 1 }).waitFor();

    // An id that names no run: the server's 404 where the run would be.
    tab.expectFailedRequests(404);
    await page.goto(`${server.url}/runs/00000000-0000-4000-8000-000000000000`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('No run with id 00000000-0000-4000-8000-000000000000');
  });

  // On an automation's page the same button takes that automation's failed runs.
  it('retries an automation’s failed runs from its page after counting them and asking', async () => {
    const { server, tab } = context;
    const automation = await server.post('/api/automations', { name: 'flaky on its page', target: { kind: 'command', command: "sh -c 'exit 3'" } });
    expect(automation.status).toBe(201);
    const ids: string[] = [];
    for (let n = 0; n < 2; n++) ids.push((await server.post(`/api/automations/${automation.body.id}/run`, {})).body.id);
    for (const id of ids) await waitForRun(server, id, ['failed']);

    const page = tab.page;
    await logInThroughConsole(page, server, `/automations/${automation.body.id}`);
    await page.locator('.run').nth(1).waitFor();
    const button = page.getByRole('button', { name: 'Retry failed runs…' });
    const dialog = page.getByRole('dialog', { name: 'Retry 2 failed runs?' });

    // Cancel: counted, nothing retried.
    const counted = page.waitForResponse((r) => r.url().endsWith('/api/runs/retry'));
    await button.click();
    expect((await counted).status()).toBe(200);
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    for (const id of ids) expect((await server.get(`/api/runs/${id}`)).body).toMatchObject({ status: 'failed', earlierAttempts: [] });

    await button.click();
    await dialog.getByRole('button', { name: 'Retry 2 failed runs' }).click();
    await page.getByText('Retried 2 failed runs.').waitFor();
    // Each ran again (and failed again), keeping its first attempt.
    for (const id of ids) await waitForRun(server, id, ['failed'], 1);
    // The history reads them again: a run shows its earlier attempt.
    const first = page.locator('.run').first();
    await first.locator('summary').click();
    await first.getByRole('heading', { name: 'Earlier attempts' }).waitFor();
    await expect(page.locator('.run').count()).resolves.toBe(2);
  });

  it('says so on an automation’s page when there is nothing to retry, without asking', async () => {
    const { server, tab } = context;
    const automation = await server.post('/api/automations', { name: 'steady on its page', target: { kind: 'command', argv: ['true'] } });
    const run = await server.post(`/api/automations/${automation.body.id}/run`, {});
    await waitForRun(server, run.body.id, ['succeeded']);

    const page = tab.page;
    await logInThroughConsole(page, server, `/automations/${automation.body.id}`);
    await page.getByRole('button', { name: 'Retry failed runs…' }).click();
    await page.getByText('No failed or dead runs to retry.').waitFor();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    expect((await server.get(`/api/runs/${run.body.id}`)).body.status).toBe('succeeded');
  });
});
