import { logInThroughConsole, useConsoleInBrowser } from '../support/browser';
import { given } from '../support/test-server';

describe('the runners page', () => {
  const context = useConsoleInBrowser();

  /** Asks for a task the way a runner does, with its token instead of a login. */
  const claimWith = (token: string) => context.server.request('POST', '/api/tasks/claim', undefined, { auth: false, headers: { authorization: `Bearer ${token}` } });

  it('creates a token, shows it once with copy, and the runner can use it', async () => {
    const { server, tab } = context;
    const page = tab.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await logInThroughConsole(page, server, '/overview');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runners' }).click();
    await page.getByRole('heading', { name: 'Runners', level: 1 }).waitFor();
    await page.getByText('No runners yet.').waitFor();

    // A name of spaces only: the server's complaint beside the field, nothing made.
    tab.expectFailedRequests(400);
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('   ');
    await page.getByRole('button', { name: 'Create token' }).click();
    const nameError = page.locator('#runner-name-error .field-error');
    await nameError.waitFor();
    await expect(nameError.textContent()).resolves.toBe('is required');
    await expect(name.getAttribute('aria-invalid')).resolves.toBe('true');
    expect((await server.get('/api/runners')).body).toEqual([]);

    await name.fill('deploy worker');
    await page.getByRole('button', { name: 'Create token' }).click();
    const field = page.getByTestId('runner-token');
    await field.waitFor();
    const token = await field.inputValue();
    expect(token).toMatch(/^hlr_[A-Za-z0-9_-]{43}$/);
    await expect(page.getByRole('region', { name: 'The token for deploy worker' }).textContent()).resolves.toContain('you will not see it again');
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByText('Copied.').waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(token);
    await expect(name.inputValue()).resolves.toBe('');

    const row = page.getByRole('row', { name: /deploy worker/ });
    await expect(row.textContent()).resolves.toContain('never');
    expect((await claimWith(token)).status).toBe(204);

    // Shown once: after a reload the list shows the runner (now seen) but not its token.
    await page.reload();
    await row.waitFor();
    await expect(page.getByTestId('runner-token').count()).resolves.toBe(0);
    await expect(row.textContent()).resolves.not.toContain('never');
    await expect(page.locator('main').textContent()).resolves.not.toContain(token);
    const listed = (await server.get('/api/runners')).body;
    expect(listed).toEqual([expect.objectContaining({ name: 'deploy worker', lastSeenAt: expect.any(String) })]);
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it('asks before revoking a token, and a revoked token is refused at once', async () => {
    const { server, tab } = context;
    const created = await server.post('/api/runners', { name: 'to revoke' });
    expect(created.status).toBe(201);
    const page = tab.page;
    await logInThroughConsole(page, server, '/runners');
    const row = page.getByRole('row', { name: /to revoke/ });
    const revoke = row.getByRole('button', { name: 'Revoke to revoke…' });
    const dialog = page.getByRole('dialog', { name: 'Revoke to revoke?' });

    // Escape keeps it, and the focus starts on Cancel.
    await revoke.click();
    await dialog.waitFor();
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await claimWith(created.body.token)).status).toBe(204);

    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Revoked to revoke.').waitFor();
    await row.waitFor({ state: 'detached' });
    expect((await server.get('/api/runners')).body.map((r: { name: string }) => r.name)).not.toContain('to revoke');
    expect((await claimWith(created.body.token)).status).toBe(401);
  });

  it("scopes a new token to the providers ticked, and lists each runner's providers", async () => {
    const { server, tab } = context;
    const github = await given(server).provider({ name: 'GitHub for runners' });
    await given(server).provider({ name: 'Stripe for runners' });
    const page = tab.page;
    await logInThroughConsole(page, server, '/runners');
    const providers = page.getByRole('group', { name: 'Providers' });
    await providers.getByRole('checkbox', { name: 'GitHub for runners' }).check();
    await page.getByLabel('Name', { exact: true }).fill('github agent');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('runner-token').waitFor();
    const scopedRow = page.getByRole('row', { name: /github agent/ });
    await expect(scopedRow.getByRole('cell').first().textContent()).resolves.toBe('GitHub for runners');
    await expect(providers.getByRole('checkbox', { name: 'GitHub for runners' }).isChecked()).resolves.toBe(false);

    await page.getByLabel('Name', { exact: true }).fill('any agent');
    await page.getByRole('button', { name: 'Create token' }).click();
    const anyRow = page.getByRole('row', { name: /any agent/ });
    await anyRow.waitFor();
    await expect(anyRow.getByRole('cell').first().textContent()).resolves.toBe('every provider');

    const listed = (await server.get('/api/runners')).body as Array<{ name: string; providers: string[] | null }>;
    expect(listed.filter((r) => r.name.endsWith(' agent')).map((r) => [r.name, r.providers])).toEqual([
      ['github agent', [github.id]],
      ['any agent', null],
    ]);
  });

  it('lists parked tasks with what they wait for, messages one and resumes another', async () => {
    const { server, tab } = context;
    const runner = (await server.post('/api/runners', { name: 'parking agent' })).body;
    const asRunner = (method: string, path: string, body?: unknown) =>
      server.request(method, path, body, { auth: false, headers: { authorization: `Bearer ${runner.token}` } });
    const automation = (await server.post('/api/automations', { name: 'review', target: { kind: 'task', name: 'Review {{vars.pr}}' } })).body;
    const park = async (pr: number, waitFor: unknown[]) => {
      expect((await server.post(`/api/automations/${automation.id}/run`, { vars: { pr } })).status).toBe(202);
      let claimed;
      for (let tries = 0; tries < 100 && claimed?.status !== 200; tries++) {
        claimed = await asRunner('POST', '/api/tasks/claim');
        if (claimed.status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(claimed!.body.name).toBe(`Review ${pr}`);
      expect((await asRunner('POST', `/api/tasks/${claimed!.body.id}/park`, { waitFor, timeoutSeconds: 3600, onTimeout: 'fail' })).status).toBe(200);
      return claimed!.body.id as string;
    };
    const merged = await park(12, [{ key: 'pull_request:merged', repository: 'acme/app', pullRequest: 12 }]);
    const commented = await park(13, [{ key: 'comment:*', issue: 'ACME-7' }]);

    const page = tab.page;
    await logInThroughConsole(page, server, '/runners');
    const section = page.getByRole('region', { name: 'Parked tasks' });
    const first = section.getByRole('row', { name: /Review 12/ });
    await first.waitFor();
    await expect(first.textContent()).resolves.toContain('pull_request:merged on acme/app #12');
    await expect(section.getByRole('row', { name: /Review 13/ }).textContent()).resolves.toContain('comment:* issue ACME-7');

    await section.getByLabel('Message for Review 12').fill('the release is frozen until Monday');
    await first.getByRole('button', { name: 'Message' }).click();
    await section.getByText("Sent the message to Review 12's inbox.").waitFor();
    const messaged = (await server.get(`/api/tasks/${merged}`)).body;
    expect(messaged).toMatchObject({ status: 'parked', inbox: [{ text: 'the release is frozen until Monday', by: 'admin' }] });

    await section.getByRole('button', { name: 'Resume Review 13' }).click();
    await section.getByText('Resumed Review 13: it is queued for the next claim.').waitFor();
    await section.getByRole('row', { name: /Review 13/ }).waitFor({ state: 'detached' });
    const resumed = (await server.get(`/api/tasks/${commented}`)).body;
    expect(resumed).toMatchObject({ status: 'queued', resumedBy: { operator: 'admin' } });
    expect(resumed.history.at(-1)).toMatchObject({ status: 'queued', cause: 'operator', user: 'admin' });
    expect((await server.get('/api/tasks?state=parked')).body.map((t: { id: string }) => t.id)).toEqual([merged]);
  });
});
