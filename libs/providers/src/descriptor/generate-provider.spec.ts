import type { ScriptRequest } from '../../../engine/src';
import { useSmallSandbox } from '../../../engine/src/testing/small-sandbox';
import { typeCheckScript } from '../../../engine/src/testing/type-check-script';
import { customHmacScheme } from '../custom-hmac';
import { generateFromDescriptor, readMatchTemplate, renderMatchScript, scriptLiteral } from './generate-provider';
import { eventSourceOf, parseEventField, parseOwnedUri, verificationOf, type WebhookDescriptor } from './webhook-descriptor';

const sandbox = useSmallSandbox();

const SHOPIFY: WebhookDescriptor = {
  algorithm: 'hmac-sha256',
  header: 'X-Shopify-Hmac-Sha256',
  format: 'base64',
  pathSuffix: ['shopify'],
  eventHeader: 'X-Shopify-Topic',
  deliveryIdHeader: 'X-Shopify-Webhook-Id',
};

function requestTo(uri: string): ScriptRequest {
  return { method: 'POST', uri, path: `/webhooks/${uri}`, headers: {}, query: {}, body: '', json: null, form: null };
}

/** Runs a match script in the real sandbox, as the engine runs providers' scripts. */
async function claims(script: string, uri: string): Promise<boolean> {
  const outcome = await sandbox().runMatch({ script, request: requestTo(uri), provider: { name: 'p', properties: {}, secrets: {} }, timeoutMs: 2000 });
  if (!outcome.ok) throw new Error(`the script failed: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

/** Strings that would break out of a literal made by hand: quotes, backticks, template and replacement patterns, line ends. */
const HOSTILE = [
  'a"]; return true; //',
  "b'); return true; //",
  'c`${(() => { throw new Error("ran") })()}`',
  'd${1+1}',
  'e$&$1$`$\'',
  'f\u2028return true;\u2029//',
  'g\\"]; return true; //',
  'h</script>',
];

describe('generateFromDescriptor', () => {
  it('makes a custom-hmac verification, the descriptor event format, and the template with the uris filled in', () => {
    const generated = generateFromDescriptor(SHOPIFY);
    expect(generated.verification).toEqual({
      scheme: 'custom-hmac',
      options: { algorithm: 'sha256', header: 'X-Shopify-Hmac-Sha256', format: 'base64', signedContent: '{body}' },
    });
    expect(generated.eventFormat).toBe('descriptor');
    expect(generated.matchScript).toBe(readMatchTemplate().replace('const uris = ["example"];', 'const uris = ["shopify"];'));
    expect(customHmacScheme.checkOptions!(generated.verification.options)).toBeUndefined();
  });

  it('keeps the timestamp settings, and makes scheme none with no options for algorithm none', () => {
    const slack: WebhookDescriptor = { ...SHOPIFY, header: 'X-Slack-Signature', format: 'v0={hex}', signedContent: 'v0:{timestamp}:{body}', timestampHeader: 'X-Slack-Request-Timestamp', toleranceSeconds: 120 };
    expect(verificationOf(slack)).toEqual({
      scheme: 'custom-hmac',
      options: { algorithm: 'sha256', header: 'X-Slack-Signature', format: 'v0={hex}', signedContent: 'v0:{timestamp}:{body}', timestampHeader: 'X-Slack-Request-Timestamp', toleranceSeconds: 120 },
    });
    expect(verificationOf({ algorithm: 'none', pathSuffix: ['jira'], eventField: 'webhookEvent' })).toEqual({ scheme: 'none', options: {} });
    expect(verificationOf({ ...SHOPIFY, algorithm: 'hmac-sha1' }).options.algorithm).toBe('sha1');
    expect(verificationOf({ ...SHOPIFY, algorithm: 'hmac-sha512' }).options.algorithm).toBe('sha512');
  });

  it('reads the event from the header or field it names, header names in lower case', () => {
    expect(eventSourceOf(SHOPIFY)).toEqual({ header: 'x-shopify-topic', deliveryIdHeader: 'x-shopify-webhook-id' });
    expect(eventSourceOf({ algorithm: 'none', pathSuffix: ['x'], eventField: 'Meta.Event' })).toEqual({ field: 'Meta.Event' });
  });

  it('the template and what it makes type-check against the match script declaration, as the editor checks them', () => {
    expect(typeCheckScript('match', readMatchTemplate())).toEqual([]);
    expect(typeCheckScript('match', renderMatchScript(['shopify', 'shop/orders', ...HOSTILE]))).toEqual([]);
  });

  it('claims the uris it names and everything under them, and nothing else', async () => {
    const script = renderMatchScript(['shopify', 'legacy/github']);
    const answers = await Promise.all(
      ['shopify', 'shopify/orders/create', 'legacy/github', 'legacy/github/x', 'shopify2', 'shop', 'legacy', 'legacy/githubx', 'other/shopify'].map(async (uri) => [uri, await claims(script, uri)]),
    );
    expect(answers).toEqual([
      ['shopify', true],
      ['shopify/orders/create', true],
      ['legacy/github', true],
      ['legacy/github/x', true],
      ['shopify2', false],
      ['shop', false],
      ['legacy', false],
      ['legacy/githubx', false],
      ['other/shopify', false],
    ]);
  });

  it('keeps hostile uris as data: the script is the template with one literal changed, and each uri claims only itself', async () => {
    const script = renderMatchScript(HOSTILE);
    expect(script).toBe(readMatchTemplate().replace('const uris = ["example"];', () => `const uris = ${scriptLiteral(HOSTILE)};`));
    expect(script.split('\n')).toHaveLength(readMatchTemplate().split('\n').length);
    for (const uri of HOSTILE) expect(await claims(script, uri)).toBe(true);
    expect(await claims(script, 'anything-else')).toBe(false);
  });

  it('escapes U+2028 and U+2029, which would end a line inside a comment', () => {
    expect(scriptLiteral(['a\u2028b\u2029c'])).toBe('["a\\u2028b\\u2029c"]');
    expect(JSON.parse(scriptLiteral(['a\u2028b\u2029c']))).toEqual(['a\u2028b\u2029c']);
  });

  it('refuses a template without exactly one uris line', () => {
    expect(() => renderMatchScript(['x'], 'return true;')).toThrow(/exactly one "const uris = \.\.\.;" line/);
    expect(() => renderMatchScript(['x'], 'const uris = [];\nconst uris = [];\nreturn true;')).toThrow(/exactly one/);
  });
});

describe('parseOwnedUri', () => {
  it.each([
    ['shopify', 'shopify'],
    ['/shopify/', 'shopify'],
    ['shop/orders', 'shop/orders'],
    ['it\'s"quoted"`and`${this}', 'it\'s"quoted"`and`${this}'],
  ])('reads %j as %j', (entry, uri) => {
    expect(parseOwnedUri(entry)).toEqual({ ok: true, value: uri });
  });

  it.each([
    ['', 'must name the uri after /webhooks/ that this provider owns, such as shopify'],
    ['//', 'must name the uri after /webhooks/ that this provider owns, such as shopify'],
    ['/webhooks/shopify', 'is the part after /webhooks/: write shopify, not /webhooks/shopify'],
    ['shop?x=1', 'is a path only: no spaces, query string or fragment'],
    ['shop orders', 'is a path only: no spaces, query string or fragment'],
    ['shop/*', 'is not a glob: each uri already owns everything under it (shop owns shop/orders), so drop the *'],
    ['shop//orders', 'must be segments separated by single slashes, without . or .. segments'],
    ['shop/../admin', 'must be segments separated by single slashes, without . or .. segments'],
    ['shop\nx', 'must not contain control characters'],
    ['x'.repeat(201), 'must be at most 200 characters'],
  ])('refuses %j', (entry, reason) => {
    expect(parseOwnedUri(entry)).toEqual({ ok: false, reason });
  });
});

describe('parseEventField', () => {
  it('reads a name or a dotted path, whatever characters the names hold', () => {
    expect(parseEventField('meta.event')).toEqual({ ok: true, value: 'meta.event' });
    expect(parseEventField('"]`${x}')).toEqual({ ok: true, value: '"]`${x}' });
  });

  it.each(['', 'meta.', '.event', 'a..b', 'a\tb'])('refuses %j', (field) => {
    expect(parseEventField(field).ok).toBe(false);
  });
});
