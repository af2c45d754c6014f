import { logInThroughConsole, useConsoleInBrowser } from '../support/browser';
import { given } from '../support/test-server';

const PASSWORD = 'console-user-password';

describe('users, roles and personal tokens in the console', () => {
  const context = useConsoleInBrowser();

  const logInOverApi = (username: string, password: string) => context.server.request('POST', '/api/auth/login', { username, password }, { auth: false });
  const withToken = (token: string, path: string) => context.server.request('GET', path, undefined, { auth: false, headers: { authorization: `Bearer ${token}` } });

  it('lets an admin create a user, change a role, reset a password and delete the user, and refuses to demote the last admin', async () => {
    const { server, tab } = context;
    const page = tab.page;
    await logInThroughConsole(page, server, '/overview');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.locator('tr[data-user="admin"]').waitFor();

    // A bad name and a short password: each named beside its field.
    tab.expectFailedRequests(400);
    await page.getByLabel('Username').fill('Not Valid');
    await page.getByLabel('Initial password').fill('short');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.locator('#user-name-error .field-error').waitFor();
    await expect(page.locator('#user-name-error .field-error').textContent()).resolves.toContain('lower-case letters');
    await expect(page.locator('#user-password-error .field-error').textContent()).resolves.toBe('must be at least 8 characters');

    await page.getByLabel('Username').fill('grace');
    await page.getByLabel('Role', { exact: true }).selectOption('editor');
    await page.getByLabel('Initial password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Created grace (editor).').waitFor();
    const grace = page.locator('tr[data-user="grace"]');
    await expect(grace.getByLabel('Role of grace').inputValue()).resolves.toBe('editor');
    expect((await logInOverApi('grace', PASSWORD)).body.user.role).toBe('editor');

    await grace.getByLabel('Role of grace').selectOption('viewer');
    await page.getByText('grace is now a viewer.').waitFor();
    expect((await server.get('/api/users')).body.find((u: any) => u.username === 'grace').role).toBe('viewer');

    // The only admin cannot demote themself: the server's 409 is shown, the select shows admin again.
    tab.expectFailedRequests(409);
    const admin = page.locator('tr[data-user="admin"]');
    await admin.getByLabel('Role of admin').selectOption('editor');
    await page.getByRole('alert').filter({ hasText: 'is the last admin' }).waitFor();
    await expect(admin.getByLabel('Role of admin').inputValue()).resolves.toBe('admin');
    expect((await server.get('/api/auth/me')).body.user.role).toBe('admin');

    const graceSession = (await logInOverApi('grace', PASSWORD)).body.token;
    await grace.getByRole('button', { name: 'Reset password of grace…' }).click();
    await page.getByLabel('New password', { exact: true }).fill('grace-new-password');
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    await page.getByText('Set a new password for grace; their sessions have ended.').waitFor();
    expect((await withToken(graceSession, '/api/auth/me')).status).toBe(401);
    expect((await logInOverApi('grace', 'grace-new-password')).status).toBe(200);

    await grace.getByRole('button', { name: 'Delete grace…' }).click();
    await page.getByRole('dialog', { name: 'Delete grace?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Deleted grace.').waitFor();
    await expect(grace.count()).resolves.toBe(0);
    expect((await server.get('/api/users')).body.map((u: any) => u.username)).toEqual(['admin']);
  });

  it('takes an admin who demotes themself to their account page, where the admin pages are gone', async () => {
    const { server, tab } = context;
    const page = tab.page;
    expect((await server.post('/api/users', { username: 'ada', role: 'admin', password: PASSWORD })).status).toBe(201);
    const ada = (await logInOverApi('ada', PASSWORD)).body.token;
    await logInThroughConsole(page, server, '/users');
    await page.locator('tr[data-user="admin"]').getByLabel('Role of admin').selectOption('editor');
    await page.getByTestId('account-role').filter({ hasText: /^editor$/ }).waitFor({ timeout: 5000 });
    expect(new URL(page.url()).pathname).toBe('/account');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);

    // Another admin gives the role back, and removes the helper account.
    const restored = await context.server.request('PUT', `/api/users/${(await withToken(ada, '/api/users')).body.find((u: any) => u.username === 'admin').id}`, { role: 'admin' }, { auth: false, headers: { authorization: `Bearer ${ada}` } });
    expect(restored.status).toBe(200);
    const adaId = (await server.get('/api/users')).body.find((u: any) => u.username === 'ada').id;
    expect((await server.delete(`/api/users/${adaId}`)).status).toBe(204);
  });

  it('creates a personal token on the account page, shows it once with copy, and revokes it', async () => {
    const { server, tab } = context;
    const page = tab.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await logInThroughConsole(page, server, '/account');
    await page.getByText('No tokens yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('deploy pipeline');
    await page.getByLabel('Expires after (days)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const field = page.getByTestId('personal-token');
    await field.waitFor();
    const token = await field.inputValue();
    expect(token).toMatch(/^hlp_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByText('Copied.').waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(token);

    const me = await withToken(token, '/api/auth/me');
    expect(me.body.user).toMatchObject({ username: 'admin', role: 'admin', tokenId: expect.any(String) });

    // Shown once: after a reload the token is listed, the token itself is not shown.
    await page.reload();
    const row = page.locator('tr[data-token="deploy pipeline"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('active');
    await expect(page.getByTestId('personal-token').count()).resolves.toBe(0);
    await expect(page.locator('main').textContent()).resolves.not.toContain(token);

    await row.getByRole('button', { name: 'Revoke deploy pipeline…' }).click();
    await page.getByRole('dialog', { name: 'Revoke deploy pipeline?' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Revoked deploy pipeline.').waitFor();
    await expect(row.textContent()).resolves.toContain('revoked');
    const refused = await withToken(token, '/api/auth/me');
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain('was revoked');
  });

  it('shows a viewer only what a viewer may use: no Users or Preview, no create, save or delete buttons', async () => {
    const { server, tab } = context;
    const page = tab.page;
    const provider = await given(server).provider({ name: 'seen by a viewer' });
    expect((await server.post('/api/users', { username: 'vera', role: 'viewer', password: PASSWORD })).status).toBe(201);
    await logInThroughConsole(page, server, '/overview', { username: 'vera', password: PASSWORD });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(page.getByTestId('shell-role').textContent()).resolves.toBe('viewer');
    const links = (await nav.getByRole('link').allTextContents()).map((text) => text.trim());
    expect(links).toEqual(['Overview', 'Providers', 'Functions', 'Messages', 'Automations', 'Runs', 'Endpoints', 'Git providers', 'Runners']);

    await nav.getByRole('link', { name: 'Providers', exact: true }).click();
    await page.getByRole('link', { name: 'seen by a viewer' }).waitFor();
    await expect(page.getByRole('link', { name: 'New provider' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'seen by a viewer' }).click();
    await page.getByLabel('Name', { exact: true }).waitFor();
    expect(page.url()).toContain(provider.id);
    await expect(page.getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(0);

    await nav.getByRole('link', { name: 'Runners' }).click();
    await page.getByRole('heading', { name: 'Registered runners' }).waitFor();
    await expect(page.getByRole('button', { name: 'Create token' }).count()).resolves.toBe(0);

    // A typed address of an admin page lands on the overview.
    await page.goto(`${server.url}/users`);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/overview');

    // Personal tokens are for every role.
    await page.getByRole('link', { name: 'Account' }).click();
    // The role shows once the page has read the session.
    await page.getByTestId('account-role').filter({ hasText: /^viewer$/ }).waitFor({ timeout: 5000 });
    await page.getByLabel('Name', { exact: true }).fill('reader');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('personal-token').inputValue();
    const refused = await context.server.request('POST', '/api/providers', {}, { auth: false, headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('This needs the editor role or higher; you are a viewer');
  });
});
