import { createHmac } from 'node:crypto';
import { signDelivery } from '../../../test/support/signers';
import { genericHmacScheme } from './generic-hmac';
import type { SchemeInput } from './scheme';

// DERIVED-1 (PocketCI, X-Webhook-Signature / ?signature=) and DERIVED-2 (CoderFlow, X-Signature-256 / X-Signature).
const D1 = { secret: 'my-secret-key', body: '{"event": "push"}', hex: 'a5af72f14cb7a19cb296d796d1164554fbe9c9f2fbd6b776d4b52193b467d8f2' };
const D2 = {
  secret: 'replace-me',
  body: '{"event":"nightly-smoke","sha":"0123456789abcdef0123456789abcdef01234567","service":"billing"}',
  hex: '19ea43b5ae0e892211c6585ed70f251a3db5db329839f42e9f686339439840f5',
};

function input(vector: { secret: string; body: string }, overrides: Partial<SchemeInput>): SchemeInput {
  return { rawBody: Buffer.from(vector.body), headers: {}, query: {}, secrets: [{ which: 'current', value: vector.secret }], options: {}, now: new Date(), ...overrides };
}

const MISSING = 'missing X-Signature-256, X-Signature or X-Webhook-Signature header (or signature query parameter)';

describe('generic-hmac scheme', () => {
  it.each([
    ['DERIVED-1 in X-Webhook-Signature', D1, { headers: { 'x-webhook-signature': D1.hex } }],
    ['DERIVED-1 in ?signature=', D1, { query: { signature: D1.hex } }],
    ['DERIVED-1 as the first of repeated ?signature=', D1, { query: { signature: [D1.hex, 'ignored'] } }],
    ['DERIVED-2 in X-Signature-256 with sha256=', D2, { headers: { 'x-signature-256': `sha256=${D2.hex}` } }],
    ['DERIVED-2 in X-Signature-256 bare', D2, { headers: { 'x-signature-256': D2.hex } }],
    ['DERIVED-2 in X-Signature', D2, { headers: { 'x-signature': `sha256=${D2.hex}` } }],
  ])('accepts %s', (_case, vector, overrides: Partial<SchemeInput>) => {
    expect(genericHmacScheme.verify(input(vector, overrides))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('accepts the header signDelivery makes (node:crypto, pinned by DERIVED-2)', () => {
    const headers = signDelivery('generic-hmac', { secret: D2.secret, body: D2.body });
    expect(headers).toEqual({ 'x-signature-256': `sha256=${D2.hex}` });
    expect(genericHmacScheme.verify(input(D2, { headers }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('rejects a body with one byte changed', () => {
    expect(genericHmacScheme.verify(input({ ...D1, body: '{"event": "pusH"}' }, { headers: { 'x-webhook-signature': D1.hex } }))).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('rejects a signature made with another secret', () => {
    expect(genericHmacScheme.verify(input({ ...D1, secret: 'my-secret-kez' }, { headers: { 'x-webhook-signature': D1.hex } }))).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('rejects a request with no signature anywhere', () => {
    expect(genericHmacScheme.verify(input(D1, {}))).toEqual({ ok: false, reason: MISSING });
    expect(genericHmacScheme.verify(input(D1, { query: { signature: [] } }))).toEqual({ ok: false, reason: MISSING });
  });

  it('names where a malformed signature was found', () => {
    expect(genericHmacScheme.verify(input(D1, { headers: { 'x-signature': 'sha1=abcd' } }))).toEqual({ ok: false, reason: 'malformed X-Signature header' });
    expect(genericHmacScheme.verify(input(D1, { headers: { 'x-webhook-signature': D1.hex.slice(1) } }))).toEqual({ ok: false, reason: 'malformed X-Webhook-Signature header' });
    expect(genericHmacScheme.verify(input(D1, { query: { signature: 'not-hex' } }))).toEqual({ ok: false, reason: 'malformed signature query parameter' });
  });

  it('checks the header when both a header and ?signature= are present, so the query cannot stand in for a bad header', () => {
    const result = genericHmacScheme.verify(input(D1, { headers: { 'x-webhook-signature': '0'.repeat(64) }, query: { signature: D1.hex } }));
    expect(result).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('prefers X-Signature-256 over X-Signature over X-Webhook-Signature', () => {
    const bad = '0'.repeat(64);
    expect(genericHmacScheme.verify(input(D2, { headers: { 'x-signature-256': D2.hex, 'x-signature': bad } }))).toEqual({ ok: true, matchedSecret: 'current' });
    expect(genericHmacScheme.verify(input(D2, { headers: { 'x-signature-256': bad, 'x-signature': D2.hex } }))).toEqual({ ok: false, reason: 'signature does not match' });
    expect(genericHmacScheme.verify(input(D2, { headers: { 'x-signature': D2.hex, 'x-webhook-signature': bad } }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('accepts the current and the previous secret during rotation and says which matched', () => {
    const secrets = [
      { which: 'current' as const, value: 'rotated' },
      { which: 'previous' as const, value: D1.secret },
    ];
    const rotated = createHmac('sha256', 'rotated').update(D1.body).digest('hex');
    expect(genericHmacScheme.verify(input(D1, { secrets, headers: { 'x-webhook-signature': D1.hex } }))).toEqual({ ok: true, matchedSecret: 'previous' });
    expect(genericHmacScheme.verify(input(D1, { secrets, headers: { 'x-webhook-signature': rotated } }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('fails closed without a secret', () => {
    expect(genericHmacScheme.verify(input(D1, { secrets: [], headers: { 'x-webhook-signature': D1.hex } }))).toEqual({ ok: false, reason: 'no secret configured' });
  });
});
