import { logInThroughConsole, useConsoleInBrowser, waitForValue } from '../support/browser';

describe("an endpoint's verification scheme and options in a browser", () => {
  const suite = useConsoleInBrowser();

  it('saves the options the scheme reads, and shows the 400 for an option it cannot read beside the options', async () => {
    const { server, tab } = suite;
    const page = tab.page;
    const automation = await server.post('/api/automations', { name: 'release', target: { kind: 'command', argv: ['true'] } });
    expect(automation.status).toBe(201);
    await logInThroughConsole(page, server, '/endpoints/new');
    await page.getByLabel('Name', { exact: true }).fill('stripe payouts');
    await page.getByLabel('release').check();
    await page.getByLabel('Scheme').selectOption('stripe');
    await expect(page.locator('#endpoint-scheme-help').textContent()).resolves.toContain('Stripe-Signature');
    await page.getByLabel('Secret', { exact: true }).fill('whsec_payouts');
    const tolerance = page.getByLabel('Option toleranceSeconds');
    await tolerance.fill('soon');

    tab.expectFailedRequests(400);
    await page.getByRole('button', { name: 'Create' }).click();
    const problem = page.locator('#endpoint-options-error');
    await problem.getByText('invalid toleranceSeconds option (expected a positive number of seconds)').waitFor();
    await expect(tolerance.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(tolerance.getAttribute('aria-describedby')).resolves.toContain('endpoint-options-error');
    // Shown beside its field, so the banner does not repeat it.
    await expect(page.locator('hl-error-banner').first().textContent()).resolves.not.toContain('toleranceSeconds');
    expect((await server.get('/api/webhooks')).body.map((e: { name: string }) => e.name)).not.toContain('stripe payouts');

    await tolerance.fill('600');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('endpoint-url').waitFor();
    const id = new URL(page.url()).pathname.split('/').pop();
    const stored = (await server.get(`/api/webhooks/${id}`)).body;
    expect(stored.verification).toEqual({ scheme: 'stripe', secretConfigured: true, options: { toleranceSeconds: 600 } });
    await expect(problem.textContent()).resolves.toBe('');

    // The saved option comes back into the form.
    await page.reload();
    await waitForValue(page.getByLabel('Option toleranceSeconds'), '600');
    await expect(page.getByLabel('Scheme').inputValue()).resolves.toBe('stripe');
    expect(tab.errors).toEqual([]);
  });
});
