import { logInThroughConsole, useConsoleInBrowser } from '../support/browser';
import { ADMIN_PASSWORD } from '../support/test-server';

describe('the console shell in a browser', () => {
  const run = useConsoleInBrowser();

  it('asks for the login at a deep link and comes back to it afterwards', async () => {
    const { server, tab } = run;
    await logInThroughConsole(tab.page, server, '/functions');
    expect(new URL(tab.page.url()).pathname).toBe('/functions');
    await expect(tab.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Functions');
    await expect(tab.page.getByRole('link', { name: 'Functions' }).getAttribute('aria-current')).resolves.toBe('page');
    expect(tab.errors).toEqual([]);
  });

  it('shows a wrong password where it happened, with the server message', async () => {
    const { server, tab } = run;
    tab.expectFailedRequests(401);
    await tab.page.goto(`${server.url}/login`);
    await tab.page.getByLabel('User').fill('admin');
    await tab.page.getByLabel('Password').fill('not-the-password');
    await tab.page.getByRole('button', { name: 'Log in' }).click();
    await expect(tab.page.getByRole('alert').textContent()).resolves.toContain('Error 401');
    expect(new URL(tab.page.url()).pathname).toBe('/login');
    expect(tab.errors).toEqual([]);
  });

  it('sends a lost session to the login page, and back after logging in', async () => {
    const { server, tab } = run;
    await logInThroughConsole(tab.page, server, '/providers/new');
    await tab.page.getByRole('heading', { name: 'New provider' }).waitFor();
    // The session ends elsewhere (a logout in another tab): the next call is answered 401.
    const session = (await tab.page.context().cookies()).find((c) => c.name === 'hookline_session');
    const logout = await server.request('POST', '/api/auth/logout', undefined, {
      auth: false,
      headers: { cookie: `hookline_session=${session?.value}`, 'x-hookline-request': '1' },
    });
    expect(logout.status).toBe(204);

    tab.expectFailedRequests(401);
    await tab.page.getByLabel('Name', { exact: true }).fill('after the session ended');
    await tab.page.getByRole('button', { name: 'Create provider' }).click();
    await tab.page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(new URL(tab.page.url()).searchParams.get('returnUrl')).toBe('/providers/new');

    await tab.page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await tab.page.getByRole('button', { name: 'Log in' }).click();
    await tab.page.getByRole('heading', { name: 'New provider' }).waitFor();
    expect(new URL(tab.page.url()).pathname).toBe('/providers/new');
    expect((await server.get('/api/providers')).body).toEqual([]);
    expect(tab.errors).toEqual([]);
  });

  it('fits a narrow window without sideways scrolling, and shows where the keyboard focus is', async () => {
    const { server, tab } = run;
    await tab.page.setViewportSize({ width: 390, height: 800 });
    await logInThroughConsole(tab.page, server, '/providers/new');
    await tab.page.getByRole('heading', { name: 'New provider' }).waitFor();
    const overflow = async () => tab.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    await expect(overflow()).resolves.toBe(0);

    // The first Tab lands on "Skip to content", drawn with an outline.
    await tab.page.locator('body').focus();
    await tab.page.keyboard.press('Tab');
    const focused = tab.page.locator(':focus');
    await expect(focused.textContent()).resolves.toBe('Skip to content');
    await expect(tab.page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).resolves.toBe('solid');
    expect(tab.errors).toEqual([]);
  });
});
