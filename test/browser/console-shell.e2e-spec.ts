import type { Browser } from 'playwright-core';
import { launchBrowser, logInThroughConsole, openConsolePage, type ConsolePage } from '../support/browser';
import { TestServer } from '../support/test-server';

describe('the console shell in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let tab: ConsolePage;

  beforeAll(async () => {
    [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
  });

  beforeEach(async () => {
    tab = await openConsolePage(browser);
  });

  afterEach(async () => {
    await tab.page.context().close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for the login at a deep link and comes back to it afterwards', async () => {
    await logInThroughConsole(tab.page, server, '/functions');
    expect(new URL(tab.page.url()).pathname).toBe('/functions');
    await expect(tab.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Functions');
    await expect(tab.page.getByRole('link', { name: 'Functions' }).getAttribute('aria-current')).resolves.toBe('page');
    expect(tab.errors).toEqual([]);
  });

  it('shows a wrong password where it happened, with the server message', async () => {
    await tab.page.goto(`${server.url}/login`);
    await tab.page.getByLabel('User').fill('admin');
    await tab.page.getByLabel('Password').fill('not-the-password');
    await tab.page.getByRole('button', { name: 'Log in' }).click();
    await expect(tab.page.getByRole('alert').textContent()).resolves.toContain('Error 401');
    expect(new URL(tab.page.url()).pathname).toBe('/login');
    // The failed login is the only error: the browser logs the 401 answer itself.
    expect(tab.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('sends a lost session to the login page, and back after logging in', async () => {
    await logInThroughConsole(tab.page, server, '/messages');
    await tab.page.getByRole('button', { name: 'Log out' }).click();
    await tab.page.getByRole('button', { name: 'Log in' }).waitFor();
    await tab.page.goto(`${server.url}/automations`);
    await tab.page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(new URL(tab.page.url()).searchParams.get('returnUrl')).toBe('/automations');
    expect(tab.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
