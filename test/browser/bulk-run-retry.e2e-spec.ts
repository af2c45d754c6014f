import { logInThroughConsole, useConsoleInBrowser } from '../support/browser';
import type { TestServer } from '../support/test-server';

/** Polls until the run's status is one of `statuses`; answers the run. */
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

describe('retrying an automation’s failed runs in bulk', () => {
  const context = useConsoleInBrowser();

  it('counts the failed runs first, asks, and retries them all', async () => {
    const { server, tab } = context;
    const automation = await server.post('/api/automations', { name: 'flaky', target: { kind: 'command', command: "sh -c 'exit 3'" } });
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
    expect(tab.errors).toEqual([]);
  });

  it('says so when there is nothing to retry, without asking', async () => {
    const { server, tab } = context;
    const automation = await server.post('/api/automations', { name: 'steady', target: { kind: 'command', argv: ['true'] } });
    const run = await server.post(`/api/automations/${automation.body.id}/run`, {});
    await waitForRun(server, run.body.id, ['succeeded']);

    const page = tab.page;
    await logInThroughConsole(page, server, `/automations/${automation.body.id}`);
    await page.getByRole('button', { name: 'Retry failed runs…' }).click();
    await page.getByText('No failed or dead runs to retry.').waitFor();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    expect((await server.get(`/api/runs/${run.body.id}`)).body.status).toBe('succeeded');
    expect(tab.errors).toEqual([]);
  });
});
