import { logInThroughConsole, useConsoleInBrowser } from '../support/browser';
import { ADMIN_PASSWORD } from '../support/test-server';

describe('the account page', () => {
  const context = useConsoleInBrowser();

  const logInOverApi = (password: string) => context.server.request('POST', '/api/auth/login', { username: 'admin', password }, { auth: false });

  it('changes the password: mistakes are named beside their fields, then only the new password logs in', async () => {
    const { server, tab } = context;
    const page = tab.page;
    await logInThroughConsole(page, server, '/overview');
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await expect(page.getByTestId('account-username').textContent()).resolves.toBe('admin');
    const current = page.getByLabel('Current password');
    const next = page.getByLabel('New password', { exact: true });
    const again = page.getByLabel('New password again');
    const submit = page.getByRole('button', { name: 'Change password' });

    // Typed differently twice: said here, nothing sent.
    let sent = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/auth/password')) sent++;
    });
    await current.fill(ADMIN_PASSWORD);
    await next.fill('a-new-password-1');
    await again.fill('a-new-password-2');
    await submit.click();
    await expect(page.locator('#repeat-password-error .field-error').textContent()).resolves.toBe('does not match the new password');
    await expect(again.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(sent).toBe(0);

    // The server's answers: a wrong current password, a new one too short.
    tab.expectFailedRequests(400);
    await current.fill('not-the-password');
    await again.fill('a-new-password-1');
    await submit.click();
    await expect(page.locator('#current-password-error .field-error').textContent()).resolves.toBe('is not the current password');
    await expect(current.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#repeat-password-error .field-error').count()).resolves.toBe(0);
    await current.fill(ADMIN_PASSWORD);
    await next.fill('short');
    await again.fill('short');
    await submit.click();
    await expect(page.locator('#new-password-error .field-error').textContent()).resolves.toBe('must be at least 8 characters');
    expect(sent).toBe(2);
    expect((await logInOverApi(ADMIN_PASSWORD)).status).toBe(200);

    await next.fill('a-new-password-1');
    await again.fill('a-new-password-1');
    await submit.click();
    await page.getByText('Password changed.').waitFor();
    await expect(current.inputValue()).resolves.toBe('');
    await expect(page.locator('.field-error').count()).resolves.toBe(0);

    // This session goes on; logging in again takes the new password only.
    await page.getByRole('link', { name: 'Runners' }).click();
    await page.getByRole('heading', { name: 'Runners', level: 1 }).waitFor();
    expect((await logInOverApi(ADMIN_PASSWORD)).status).toBe(401);
    expect((await logInOverApi('a-new-password-1')).status).toBe(200);
    await page.getByRole('button', { name: 'Log out' }).click();
    tab.expectFailedRequests(401);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Error 401');
    await page.getByLabel('Password').fill('a-new-password-1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });
});
