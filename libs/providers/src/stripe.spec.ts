import { createHash, createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { signDelivery } from '../../../test/support/signers';
import type { SchemeInput } from './scheme';
import { stripeScheme } from './stripe';

const at = (unixSeconds: number) => new Date(unixSeconds * 1000);

// ST-1: stripe-dotnet's fixture event_test_signature.json (LF line ends, final newline).
const ST1_BODY = `${JSON.stringify(
  {
    id: 'evt_123',
    object: 'event',
    account: 'acct_123',
    api_version: '2017-05-25',
    created: 1533204620,
    data: { object: { id: 'cus_123', object: 'customer', created: 123456789, email: 'test@stripe.com', livemode: false, metadata: {} } },
    livemode: false,
    pending_webhooks: 1,
    request: { id: 'req_123', idempotency_key: 'idempotency-key-123' },
    type: 'customer.created',
  },
  null,
  2,
)}\n`;
const ST1 = {
  secret: 'webhook_secret',
  timestamp: 1533204620,
  header:
    't=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7,v0=63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef',
};

// DERIVED-4: a whsec_ secret, used as its text (not base64-decoded).
const D4 = {
  secret: 'whsec_replace_me',
  timestamp: 1700000000,
  body: '{"id":"evt_test","type":"payment_intent.succeeded","data":{"object":{"id":"pi_test"}}}',
  header: 't=1700000000,v1=4543d391048da23de8749d584971d9acaf1725dd24558e1b035bb0888bd8e1af',
};

function st1Input(overrides: Partial<SchemeInput> = {}): SchemeInput {
  return {
    rawBody: Buffer.from(ST1_BODY),
    headers: { 'stripe-signature': ST1.header },
    query: {},
    secrets: [{ which: 'current', value: ST1.secret }],
    options: {},
    now: at(ST1.timestamp + 100),
    ...overrides,
  };
}

function d4Input(overrides: Partial<SchemeInput> = {}): SchemeInput {
  return {
    rawBody: Buffer.from(D4.body),
    headers: { 'stripe-signature': D4.header },
    query: {},
    secrets: [{ which: 'current', value: D4.secret }],
    options: {},
    now: at(D4.timestamp),
    ...overrides,
  };
}

const v1 = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

describe('stripe scheme', () => {
  describe('published vectors', () => {
    it('feeds ST-1 its exact 484 bytes', () => {
      expect(Buffer.byteLength(ST1_BODY)).toBe(484);
      expect(createHash('sha256').update(ST1_BODY).digest('hex')).toBe('98cc89412549ca7faf118fca984763bdb6f81e13d1ce8c528dbbb5be602ec1be');
    });

    it('accepts ST-1 100 s after it was signed, ignoring its v0', () => {
      expect(stripeScheme.verify(st1Input())).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('rejects ST-1 400 s after it was signed, as stale only', () => {
      expect(stripeScheme.verify(st1Input({ now: at(ST1.timestamp + 400) }))).toEqual({
        ok: false,
        reason: 'timestamp outside tolerance (400 s old, 300 s allowed)',
        staleOnly: true,
      });
    });

    it('rejects ST-1 without its final newline', () => {
      expect(stripeScheme.verify(st1Input({ rawBody: Buffer.from(ST1_BODY.slice(0, -1)) }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('does not accept ST-1\'s v0 on its own (only v1 counts)', () => {
      const v0Only = 't=1533204620,v0=63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef';
      expect(stripeScheme.verify(st1Input({ headers: { 'stripe-signature': v0Only } }))).toEqual({ ok: false, reason: 'no v1 signature in Stripe-Signature header' });
    });

    it('accepts DERIVED-4, keyed with the whsec_ text itself', () => {
      expect(stripeScheme.verify(d4Input())).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('rejects DERIVED-4 when the secret would have to be base64-decoded (Svix\'s rule)', () => {
      const decodedKey = Buffer.from(D4.secret.slice('whsec_'.length), 'base64');
      const wrong = createHmac('sha256', decodedKey).update(`${D4.timestamp}.${D4.body}`).digest('hex');
      expect(stripeScheme.verify(d4Input({ headers: { 'stripe-signature': `t=${D4.timestamp},v1=${wrong}` } }))).toEqual({ ok: false, reason: 'signature does not match' });
    });
  });

  describe('official library signatures', () => {
    it('accepts what stripe-node generateTestHeaderString produces, in-process', () => {
      const timestamp = 1_790_000_000;
      const header = Stripe.webhooks.generateTestHeaderString({ payload: D4.body, secret: D4.secret, timestamp });
      expect(stripeScheme.verify(d4Input({ headers: { 'stripe-signature': header }, now: at(timestamp + 5) }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('reproduces ST-1\'s v1 with stripe-node', () => {
      expect(Stripe.webhooks.generateTestHeaderString({ payload: ST1_BODY, secret: ST1.secret, timestamp: ST1.timestamp })).toBe(
        't=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7',
      );
    });

    it('accepts the header signDelivery makes with stripe-node at the current time', () => {
      const headers = signDelivery('stripe', { secret: D4.secret, body: D4.body });
      expect(Object.keys(headers)).toEqual(['stripe-signature']);
      expect(stripeScheme.verify(d4Input({ headers, now: new Date() }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('agrees with stripe-node constructEvent on what is stale', () => {
      const timestamp = 1_790_000_000;
      const header = Stripe.webhooks.generateTestHeaderString({ payload: D4.body, secret: D4.secret, timestamp });
      expect(() => Stripe.webhooks.constructEvent(D4.body, header, D4.secret, 300, undefined, (timestamp + 301) * 1000)).toThrow('Timestamp outside the tolerance zone');
      expect(stripeScheme.verify(d4Input({ headers: { 'stripe-signature': header }, now: at(timestamp + 301) }))).toMatchObject({ ok: false, staleOnly: true });
    });
  });

  describe('rejections, each with its own reason', () => {
    it('rejects a body with one byte changed', () => {
      expect(stripeScheme.verify(d4Input({ rawBody: Buffer.from(D4.body.replace('pi_test', 'pi_tesu')) }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('rejects a signature made with another secret', () => {
      expect(stripeScheme.verify(d4Input({ secrets: [{ which: 'current', value: 'whsec_other' }] }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('rejects a changed t, which is signed', () => {
      const header = D4.header.replace('t=1700000000', 't=1700000001');
      expect(stripeScheme.verify(d4Input({ headers: { 'stripe-signature': header } }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('rejects a request without Stripe-Signature', () => {
      expect(stripeScheme.verify(d4Input({ headers: {} }))).toEqual({ ok: false, reason: 'missing Stripe-Signature header' });
    });

    it.each([
      ['no t', 'v1=4543d391048da23de8749d584971d9acaf1725dd24558e1b035bb0888bd8e1af'],
      ['a non-numeric t', 't=yesterday,v1=4543d391048da23de8749d584971d9acaf1725dd24558e1b035bb0888bd8e1af'],
      ['a huge t', 't=170000000000000000000000,v1=4543d391048da23de8749d584971d9acaf1725dd24558e1b035bb0888bd8e1af'],
      ['two t items', 't=1700000000,t=1700000001,v1=4543d391048da23de8749d584971d9acaf1725dd24558e1b035bb0888bd8e1af'],
      ['garbage', ',,,==,'],
    ])('rejects a header with %s as malformed', (_case, header) => {
      expect(stripeScheme.verify(d4Input({ headers: { 'stripe-signature': header } }))).toEqual({ ok: false, reason: 'malformed Stripe-Signature header' });
    });

    it('rejects a header with a timestamp but no v1', () => {
      expect(stripeScheme.verify(d4Input({ headers: { 'stripe-signature': 't=1700000000' } }))).toEqual({ ok: false, reason: 'no v1 signature in Stripe-Signature header' });
    });

    it('treats a v1 that is not a hex digest as not matching', () => {
      expect(stripeScheme.verify(d4Input({ headers: { 'stripe-signature': 't=1700000000,v1=zz,v1=' } }))).toEqual({ ok: false, reason: 'signature does not match' });
    });
  });

  describe('timestamp tolerance (300 s either way)', () => {
    it('accepts a signature exactly 300 s old', () => {
      expect(stripeScheme.verify(d4Input({ now: at(D4.timestamp + 300) }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('rejects a signature six minutes old as stale only', () => {
      expect(stripeScheme.verify(d4Input({ now: at(D4.timestamp + 360) }))).toEqual({
        ok: false,
        reason: 'timestamp outside tolerance (360 s old, 300 s allowed)',
        staleOnly: true,
      });
    });

    it('rejects a signature whose timestamp is ten minutes in the future, without the stale override', () => {
      const timestamp = 1_700_000_600;
      const header = Stripe.webhooks.generateTestHeaderString({ payload: D4.body, secret: D4.secret, timestamp });
      expect(stripeScheme.verify(d4Input({ headers: { 'stripe-signature': header }, now: at(timestamp - 600) }))).toEqual({
        ok: false,
        reason: 'timestamp outside tolerance (600 s in the future, 300 s allowed)',
      });
    });

    it('accepts a timestamp up to the tolerance in the future, for clock skew', () => {
      expect(stripeScheme.verify(d4Input({ now: at(D4.timestamp - 300) }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('does not call an old delivery stale when its signature is wrong too', () => {
      expect(stripeScheme.verify(d4Input({ now: at(D4.timestamp + 3600), secrets: [{ which: 'current', value: 'whsec_other' }] }))).toEqual({
        ok: false,
        reason: 'signature does not match',
      });
    });

    it('honours options.toleranceSeconds', () => {
      expect(stripeScheme.verify(d4Input({ now: at(D4.timestamp + 500), options: { toleranceSeconds: 600 } }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(stripeScheme.verify(d4Input({ now: at(D4.timestamp + 31), options: { toleranceSeconds: '30' } }))).toEqual({
        ok: false,
        reason: 'timestamp outside tolerance (31 s old, 30 s allowed)',
        staleOnly: true,
      });
      expect(stripeScheme.verify(d4Input({ options: { toleranceSeconds: 0 } }))).toEqual({
        ok: false,
        reason: 'invalid toleranceSeconds option (expected a positive number of seconds)',
      });
    });
  });

  describe('secret rotation', () => {
    const secrets = [
      { which: 'current' as const, value: 'whsec_new' },
      { which: 'previous' as const, value: 'whsec_old' },
    ];
    const body = D4.body;
    const t = D4.timestamp;

    it('accepts a signature by either secret and says which matched', () => {
      expect(stripeScheme.verify(d4Input({ secrets, headers: { 'stripe-signature': `t=${t},v1=${v1('whsec_new', t, body)}` } }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(stripeScheme.verify(d4Input({ secrets, headers: { 'stripe-signature': `t=${t},v1=${v1('whsec_old', t, body)}` } }))).toEqual({ ok: true, matchedSecret: 'previous' });
    });

    it('accepts any of several v1 items, as Stripe sends while a rolled secret is still active', () => {
      const header = `t=${t},v1=${v1('whsec_elsewhere', t, body)},v1=${v1('whsec_new', t, body)},v0=${'0'.repeat(64)}`;
      expect(stripeScheme.verify(d4Input({ secrets, headers: { 'stripe-signature': header } }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('fails closed without a secret', () => {
      expect(stripeScheme.verify(d4Input({ secrets: [] }))).toEqual({ ok: false, reason: 'no secret configured' });
    });
  });
});
