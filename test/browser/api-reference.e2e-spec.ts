import type { Page } from 'playwright-core';
import { logInThroughConsole, useConsoleInBrowser } from '../support/browser';
import { ADMIN_PASSWORD } from '../support/test-server';

describe('the API reference in a browser', () => {
  const run = useConsoleInBrowser();

  /** Every address the page asks for from now on, scripts, styles, fonts and fetches alike. */
  function recordRequests(page: Page): string[] {
    const requested: string[] = [];
    page.context().on('request', (request) => requested.push(request.url()));
    return requested;
  }

  /** Waits until Scalar has rendered the document (its title), opens the Providers group in its sidebar and waits for an operation of it. */
  async function waitForReference(page: Page): Promise<void> {
    await page.getByRole('heading', { name: 'Hookline', level: 1 }).waitFor();
    await page.getByText('Providers', { exact: true }).first().click();
    await page.getByText('List providers').first().waitFor();
  }

  it('opens from the console and renders /api/docs, asking nothing of any other host', async () => {
    const { server, tab } = run;
    const requested = recordRequests(tab.page);
    await logInThroughConsole(tab.page, server, '/overview');
    await tab.page.getByRole('link', { name: 'API reference' }).click();
    await waitForReference(tab.page);
    expect(new URL(tab.page.url()).pathname).toBe('/api/reference');
    await expect(tab.page.title()).resolves.toBe('API reference · Hookline');

    const origin = new URL(server.url).origin;
    expect(requested.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'))).toEqual([]);
    // The document came with the session cookie, and the script from this server.
    expect(requested).toContain(`${origin}/api/docs`);
    expect(requested.some((url) => url.startsWith(`${origin}/api/reference/standalone.js?v=`))).toBe(true);
  });

  it('sends a logged-out browser to the login, and back to the reference after it', async () => {
    const { server, tab } = run;
    const requested = recordRequests(tab.page);
    await tab.page.goto(`${server.url}/api/reference`);
    await tab.page.getByRole('button', { name: 'Log in' }).waitFor();
    const login = new URL(tab.page.url());
    expect(login.pathname).toBe('/login');
    expect(login.searchParams.get('returnUrl')).toBe('/api/reference');

    await tab.page.getByLabel('User').fill('admin');
    await tab.page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await tab.page.getByRole('button', { name: 'Log in' }).click();
    await waitForReference(tab.page);
    expect(new URL(tab.page.url()).pathname).toBe('/api/reference');
    const origin = new URL(server.url).origin;
    expect(requested.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'))).toEqual([]);
  });
});
