import { codeEditor, logInThroughConsole, useConsoleInBrowser, waitForEditorText } from '../support/browser';
import { descriptorVectors, lowerCaseHeaders } from '../support/descriptor-vectors';

const SHOPIFY = descriptorVectors().find((v) => v.id === 'SH-1')!;

describe('creating a provider from a descriptor in the console', () => {
  // With the built-ins, whose Generic provider claims every request no provider before it claims.
  const run = useConsoleInBrowser({ HOOKLINE_SEED_BUILTINS: 'true' });

  it('previews, names a refused field beside it, creates the provider first in the order, and the provider verifies Shopify', async () => {
    const { server, tab } = run;
    const page = tab.page;
    await logInThroughConsole(page, server, '/providers/new');
    await page.getByRole('heading', { name: 'New provider' }).waitFor();
    await page.getByLabel('Create from descriptor').check();
    await expect(page.locator('hl-code-editor').count()).resolves.toBe(0);

    await page.getByLabel('Name', { exact: true }).fill('Shopify');
    await page.getByLabel('Signature header').fill('X-Shopify-Hmac-Sha256');
    await page.getByLabel('Format', { exact: true }).fill('b64');
    await page.getByLabel('URIs this provider owns').fill('shopify');
    await page.getByLabel('Event header').fill('X-Shopify-Topic');
    await page.getByLabel('Delivery id header (optional)').fill('X-Shopify-Webhook-Id');
    await page.getByLabel('Secret', { exact: true }).fill(SHOPIFY.secret);

    tab.expectFailedRequests(400);
    await page.getByRole('button', { name: 'Preview what it generates' }).click();
    // The editor adds empty alert regions of its own for screen readers: look for the preview's.
    await page.getByRole('alert').filter({ hasText: 'Cannot preview:' }).waitFor();
    await page.getByRole('button', { name: 'Create provider' }).click();
    const formatError = page.locator('#descriptor-format-error .field-error');
    await formatError.waitFor();
    await expect(formatError.textContent()).resolves.toBe('must be hex, base64, or a prefix followed by {hex} or {base64}, such as sha256={hex}');
    await expect(page.getByLabel('Format', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Format', { exact: true }).fill('base64');
    await page.getByRole('button', { name: 'Preview what it generates' }).click();
    const preview = page.getByTestId('descriptor-preview');
    await preview.waitFor();
    await expect(preview.textContent()).resolves.toContain('const uris = ["shopify"];');
    await expect(preview.textContent()).resolves.toContain('custom-hmac');
    expect((await server.get('/api/providers')).body.map((p: { name: string }) => p.name)).not.toContain('Shopify');

    await page.getByRole('button', { name: 'Create provider' }).click();
    await page.getByRole('heading', { name: 'Shopify' }).waitFor();
    await expect(page.getByTestId('made-from-descriptor').textContent()).resolves.toContain('The script, verification and event format are what it generates.');
    const providers = (await server.get('/api/providers')).body as Array<{ name: string; id: string; matchScript: string; descriptor: unknown }>;
    const shopify = providers.find((p) => p.name === 'Shopify')!;
    await waitForEditorText(await codeEditor(page, 'match'), shopify.matchScript);
    expect(providers[0].name).toBe('Shopify');
    expect(shopify.descriptor).toEqual({ algorithm: 'hmac-sha256', header: 'X-Shopify-Hmac-Sha256', format: 'base64', signedContent: '{body}', pathSuffix: ['shopify'], eventHeader: 'X-Shopify-Topic', deliveryIdHeader: 'X-Shopify-Webhook-Id' });

    const delivered = await server.webhook('shopify', SHOPIFY.body, lowerCaseHeaders(SHOPIFY.headers));
    expect(delivered.status).toBe(202);
    const message = (await server.get(`/api/messages/${delivered.body.messageId}`)).body;
    expect(message).toMatchObject({ providerName: 'Shopify', eventType: 'products/create', trace: { verification: { scheme: 'custom-hmac', ok: true } } });
  });
});
