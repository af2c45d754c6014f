import { createHmac } from 'node:crypto';
import { descriptorVectors, lowerCaseHeaders } from '../../../test/support/descriptor-vectors';
import { customHmacScheme } from './custom-hmac';
import { parseSignedContent, parseSignatureFormat } from './custom-hmac-options';
import { verificationOf, type WebhookDescriptor } from './descriptor';
import { schemeOptionsProblem } from './index';
import type { SchemeInput } from './scheme';

const VECTORS = descriptorVectors();
const vector = (id: string) => VECTORS.find((v) => v.id === id)!;

function inputOf(id: string, overrides: Partial<SchemeInput> = {}): SchemeInput {
  const v = vector(id);
  return {
    rawBody: v.body,
    headers: lowerCaseHeaders(v.headers),
    query: {},
    secrets: [{ which: 'current', value: v.secret }],
    options: verificationOf(v.descriptor as unknown as WebhookDescriptor).options,
    now: new Date(((v.signedAt ?? 1_700_000_000) + 60) * 1000),
    ...overrides,
  };
}

const SHOPIFY = { algorithm: 'sha256', header: 'X-Shopify-Hmac-Sha256', format: 'base64' };

describe('custom-hmac scheme', () => {
  it.each(VECTORS.map((v) => [v.id, v.sender]))('accepts the published vector %s (%s)', (id) => {
    expect(customHmacScheme.verify(inputOf(id))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it.each(VECTORS.map((v) => [v.id]))('refuses %s with one byte of the body changed', (id) => {
    const body = Buffer.from(vector(id).body);
    body[body.length - 2] ^= 1;
    expect(customHmacScheme.verify(inputOf(id, { rawBody: body }))).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it.each(VECTORS.map((v) => [v.id]))('refuses %s under another secret', (id) => {
    expect(customHmacScheme.verify(inputOf(id, { secrets: [{ which: 'current', value: `${vector(id).secret}x` }] }))).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('names the missing signature header as configured', () => {
    const { 'x-shopify-hmac-sha256': _gone, ...headers } = inputOf('SH-1').headers;
    expect(customHmacScheme.verify(inputOf('SH-1', { headers }))).toEqual({ ok: false, reason: 'missing X-Shopify-Hmac-Sha256 header' });
  });

  it('says what a well-formed signature looks like when the header holds something else', () => {
    const hex = createHmac('sha256', 'test_secret_key').update('{"foo": "bar"}').digest('hex');
    expect(customHmacScheme.verify(inputOf('SH-1', { headers: { 'x-shopify-hmac-sha256': hex } }))).toEqual({
      ok: false,
      reason: 'malformed X-Shopify-Hmac-Sha256 header (expected <base64 of a 32-byte HMAC-SHA256>)',
    });
    expect(customHmacScheme.verify(inputOf('GH-3', { headers: { 'x-hub-signature': 'sha256=d03207e4b030cf234e3447bac4d93add4c6643d8' } }))).toEqual({
      ok: false,
      reason: 'malformed X-Hub-Signature header (expected sha1=<hex of a 20-byte HMAC-SHA1>)',
    });
    // A SHA-256 digest where the options say SHA-512: the length tells it is not one.
    expect(customHmacScheme.verify(inputOf('DERIVED-SHA512', { headers: { 'x-signature-512': 'ab'.repeat(32) } })).ok).toBe(false);
  });

  it('reads the prefix in any case, and hex in either case', () => {
    const upper = 'SHA1=' + 'd03207e4b030cf234e3447bac4d93add4c6643d8'.toUpperCase();
    expect(customHmacScheme.verify(inputOf('GH-3', { headers: { 'x-hub-signature': upper } }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('accepts the previous secret during a rotation and says so', () => {
    const secrets = [
      { which: 'current' as const, value: 'the-new-secret' },
      { which: 'previous' as const, value: 'test_secret_key' },
    ];
    expect(customHmacScheme.verify(inputOf('SH-1', { secrets }))).toEqual({ ok: true, matchedSecret: 'previous' });
  });

  it('fails closed without a secret', () => {
    expect(customHmacScheme.verify(inputOf('SH-1', { secrets: [] }))).toEqual({ ok: false, reason: 'no secret configured' });
  });

  describe('a signed timestamp (SL-1)', () => {
    const signedAt = vector('SL-1').signedAt!;
    const at = (seconds: number) => new Date((signedAt + seconds) * 1000);

    it('refuses a timestamp older than the tolerance, as only too old, so a replay by an admin may override it', () => {
      expect(customHmacScheme.verify(inputOf('SL-1', { now: at(301) }))).toEqual({ ok: false, reason: 'timestamp outside tolerance (301 s old, 300 s allowed)', staleOnly: true });
    });

    it('refuses a timestamp from the future beyond the tolerance, with no override', () => {
      expect(customHmacScheme.verify(inputOf('SL-1', { now: at(-301) }))).toEqual({ ok: false, reason: 'timestamp outside tolerance (301 s in the future, 300 s allowed)' });
    });

    it('takes toleranceSeconds from the options', () => {
      const options = { ...inputOf('SL-1').options, toleranceSeconds: 3600 };
      expect(customHmacScheme.verify(inputOf('SL-1', { now: at(3000), options }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('signs the timestamp: a changed timestamp no longer matches', () => {
      const headers = { ...inputOf('SL-1').headers, 'x-slack-request-timestamp': String(signedAt + 1) };
      expect(customHmacScheme.verify(inputOf('SL-1', { headers }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('names a missing or malformed timestamp header', () => {
      const { 'x-slack-request-timestamp': _gone, ...headers } = inputOf('SL-1').headers;
      expect(customHmacScheme.verify(inputOf('SL-1', { headers }))).toEqual({ ok: false, reason: 'missing X-Slack-Request-Timestamp header' });
      const malformed = { ...headers, 'x-slack-request-timestamp': '2018-07-12T18:36:58Z' };
      expect(customHmacScheme.verify(inputOf('SL-1', { headers: malformed }))).toEqual({ ok: false, reason: 'malformed X-Slack-Request-Timestamp header (expected Unix seconds)' });
    });
  });

  describe('options', () => {
    const problem = (options: Record<string, unknown>) => customHmacScheme.checkOptions!(options);

    it('accepts a header alone, with the defaults: sha256, hex, the raw body', () => {
      expect(problem({ header: 'X-Sig' })).toBeUndefined();
      const body = Buffer.from('{"a":1}');
      const hex = createHmac('sha256', 's3cret').update(body).digest('hex');
      const input = { rawBody: body, headers: { 'x-sig': hex }, query: {}, secrets: [{ which: 'current' as const, value: 's3cret' }], options: { header: 'X-Sig' }, now: new Date() };
      expect(customHmacScheme.verify(input)).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it.each([
      [{}, 'missing header option: name the request header that carries the signature'],
      [{ header: 'X Sig' }, /^invalid header option: must be an HTTP header name/],
      [{ header: 'X-Sig:' }, /^invalid header option: must be an HTTP header name/],
      [{ header: 42 }, 'invalid header option (expected a string)'],
      [{ ...SHOPIFY, algorithm: 'md5' }, 'invalid algorithm option: must be one of sha256, sha1, sha512'],
      [{ ...SHOPIFY, algorithm: 'hmac-sha256' }, 'invalid algorithm option: must be one of sha256, sha1, sha512'],
      [{ ...SHOPIFY, format: 'base32' }, 'invalid format option: must be hex, base64, or a prefix followed by {hex} or {base64}, such as sha256={hex}'],
      [{ ...SHOPIFY, format: '{hex}!' }, 'invalid format option: must be hex, base64, or a prefix followed by {hex} or {base64}, such as sha256={hex}'],
      [{ ...SHOPIFY, signedContent: '{timestamp}.{payload}' }, 'invalid signedContent option: has "{payload}" where a placeholder should be; the placeholders are {body} and {timestamp}'],
      [{ ...SHOPIFY, signedContent: '{timestamp}' }, 'invalid signedContent option: must contain {body} exactly once, such as {body} or {timestamp}.{body}'],
      [{ ...SHOPIFY, signedContent: '{timestamp}.{body}' }, 'signedContent uses {timestamp}, so timestampHeader must name the header that carries it'],
      [
        { ...SHOPIFY, timestampHeader: 'X-Time' },
        'timestampHeader is set but signedContent has no {timestamp}: an unsigned timestamp proves nothing; add {timestamp} to signedContent or leave timestampHeader out',
      ],
      [{ ...SHOPIFY, toleranceSeconds: 60 }, 'toleranceSeconds needs timestampHeader: without a signed timestamp there is nothing to check it against'],
      [{ ...SHOPIFY, signedContent: '{timestamp}.{body}', timestampHeader: 'X-Time', toleranceSeconds: -1 }, 'invalid toleranceSeconds option (expected a positive number of seconds)'],
      [{ ...SHOPIFY, user: 'x' }, '"user" is not an option of custom-hmac; it reads algorithm, header, format, signedContent, timestampHeader, toleranceSeconds'],
    ])('refuses %j: %s', (options, reason) => {
      const found = schemeOptionsProblem('custom-hmac', options);
      if (typeof reason === 'string') expect(found).toBe(reason);
      else expect(found).toMatch(reason);
    });

    it('fails a request closed, with the option problem as the reason, when stored options are bad', () => {
      expect(customHmacScheme.verify(inputOf('SH-1', { options: { ...SHOPIFY, algorithm: 'md5' } }))).toEqual({ ok: false, reason: 'invalid algorithm option: must be one of sha256, sha1, sha512' });
    });
  });
});

describe('parseSignatureFormat', () => {
  it.each([
    ['hex', { encoding: 'hex', prefix: '' }],
    ['base64', { encoding: 'base64', prefix: '' }],
    ['{base64}', { encoding: 'base64', prefix: '' }],
    ['sha256={hex}', { encoding: 'hex', prefix: 'sha256=' }],
    ['HMAC-SHA256 {base64}', { encoding: 'base64', prefix: 'HMAC-SHA256 ' }],
  ])('reads %s', (text, format) => {
    expect(parseSignatureFormat(text)).toEqual({ ok: true, value: format });
  });

  it.each(['', 'HEX', 'sha256=<hex>', 'a{b}{hex}', `${'p'.repeat(65)}{hex}`, 'é={hex}'])('refuses %j', (text) => {
    expect(parseSignatureFormat(text).ok).toBe(false);
  });
});

describe('parseSignedContent', () => {
  it('splits a template into literal text, the body and the timestamp', () => {
    expect(parseSignedContent('v0:{timestamp}:{body}')).toEqual({ ok: true, value: [{ text: 'v0:' }, 'timestamp', { text: ':' }, 'body'] });
    expect(parseSignedContent('{body}')).toEqual({ ok: true, value: ['body'] });
  });

  it.each([
    ['{body}{body}', 'must contain {body} exactly once, such as {body} or {timestamp}.{body}'],
    ['{body', 'has "{body" where a placeholder should be; the placeholders are {body} and {timestamp}'],
    ['{{body}}', 'has "{{body}}" where a placeholder should be; the placeholders are {body} and {timestamp}'],
    ['body}', 'has a } that closes no placeholder; the placeholders are {body} and {timestamp}'],
    ['{Body}', 'has "{Body}" where a placeholder should be; the placeholders are {body} and {timestamp}'],
  ])('refuses %j', (template, reason) => {
    expect(parseSignedContent(template)).toEqual({ ok: false, reason });
  });
});
