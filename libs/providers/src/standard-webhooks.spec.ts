import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signDelivery } from '../../../test/support/signers';
import { gitlabSigningScheme } from './gitlab-signing';
import type { SchemeInput } from './scheme';
import { standardWebhooksScheme } from './standard-webhooks';
import { svixScheme } from './svix';

// SW-1: the shared vector of every Standard Webhooks and Svix library.
const SW1 = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const WRONG = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';

const at = (unixSeconds: number) => new Date(unixSeconds * 1000);

function sw1Input(overrides: Partial<SchemeInput> = {}, headers: Record<string, string> = {}): SchemeInput {
  return {
    rawBody: Buffer.from(SW1.body),
    headers: { 'webhook-id': SW1.id, 'webhook-timestamp': String(SW1.timestamp), 'webhook-signature': SW1.signature, ...headers },
    query: {},
    secrets: [{ which: 'current', value: SW1.secret }],
    options: {},
    now: at(SW1.timestamp),
    ...overrides,
  };
}

function withoutHeader(name: string): Partial<SchemeInput> {
  const headers = { ...sw1Input().headers };
  delete headers[name];
  return { headers };
}

describe('standard-webhooks scheme', () => {
  const scheme = standardWebhooksScheme;

  describe('published vectors', () => {
    it('accepts SW-1 at its own timestamp', () => {
      expect(scheme.verify(sw1Input())).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('accepts SW-2', () => {
      const result = scheme.verify({
        rawBody: Buffer.from('{"email":"test@example.com","username":"test_user"}'),
        headers: { 'webhook-id': 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk', 'webhook-timestamp': '1649367553', 'webhook-signature': 'v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=' },
        query: {},
        secrets: [{ which: 'current', value: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD' }],
        options: {},
        now: at(1649367553),
      });
      expect(result).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it.each([
      ['SW-3a', 1048576, 'v1,txpEUxqWZJ5nteTnymUVa+7C4NHpBeXJ6CsBAW0c3/A='],
      ['SW-3b', 262144, 'v1,Mw4Pe2WgApuT7NSqnSq0PQPV9gbLdggCl9B865x5Xh0='],
      ['SW-3c', 262143, 'v1,NTItnqyWMoFhk2Bbe5V/BMdcFRWgcSQaTgqLHX7FC7c='],
    ])('accepts %s (a body of %i "a" characters)', (_id, length, signature) => {
      const result = scheme.verify(sw1Input({ rawBody: Buffer.alloc(length, 'a') }, { 'webhook-signature': signature }));
      expect(result).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('rejects the well-formed but wrong signature from the libraries\' tests', () => {
      expect(scheme.verify(sw1Input({}, { 'webhook-signature': WRONG }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('accepts the valid signature among wrong ones and other versions (the libraries\' multi-signature test)', () => {
      const list = `${WRONG} v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${SW1.signature} ${WRONG}`;
      expect(scheme.verify(sw1Input({}, { 'webhook-signature': list }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('rejects "v1," alone and a signature truncated to 8 characters', () => {
      expect(scheme.verify(sw1Input({}, { 'webhook-signature': 'v1,' }))).toEqual({ ok: false, reason: 'malformed webhook-signature header' });
      expect(scheme.verify(sw1Input({}, { 'webhook-signature': SW1.signature.slice(0, 3 + 8) }))).toEqual({ ok: false, reason: 'signature does not match' });
    });
  });

  describe('official library signatures', () => {
    it('accepts what standardwebhooks Webhook#sign produces, in-process', () => {
      const timestamp = 1_800_000_000;
      const body = '{"type":"user.created","data":{"id":"u_1"}}';
      const signature = new Webhook(SW1.secret).sign('msg_lib', at(timestamp), body);
      const result = scheme.verify(
        sw1Input({ rawBody: Buffer.from(body), now: at(timestamp + 10) }, { 'webhook-id': 'msg_lib', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature }),
      );
      expect(result).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('accepts the headers signDelivery makes with standardwebhooks, with a generated id and the current time', () => {
      const body = '{"type":"invoice.paid"}';
      const headers = signDelivery('standard-webhooks', { secret: SW1.secret, body });
      expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
      expect(scheme.verify(sw1Input({ rawBody: Buffer.from(body), headers, now: new Date() }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('reproduces SW-1 through signDelivery', () => {
      expect(signDelivery('standard-webhooks', { secret: SW1.secret, body: SW1.body, timestamp: SW1.timestamp, id: SW1.id })).toEqual({
        'webhook-id': SW1.id,
        'webhook-timestamp': String(SW1.timestamp),
        'webhook-signature': SW1.signature,
      });
    });
  });

  describe('rejections, each with its own reason', () => {
    it('rejects a body with one byte changed', () => {
      expect(scheme.verify(sw1Input({ rawBody: Buffer.from(SW1.body.replace('2432232314', '2432232315')) }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('rejects a signature made with another secret', () => {
      const other = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
      expect(scheme.verify(sw1Input({ secrets: [{ which: 'current', value: other }] }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('rejects a changed id, which is signed', () => {
      expect(scheme.verify(sw1Input({}, { 'webhook-id': 'msg_other' }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('rejects a request without %s', (name) => {
      expect(scheme.verify(sw1Input(withoutHeader(name)))).toEqual({ ok: false, reason: `missing ${name} header` });
    });

    it.each(['', 'soon', '1614265330.5', '-1614265330', ' 1614265330', '99999999999999999999'])('rejects the timestamp %p as malformed', (timestamp) => {
      expect(scheme.verify(sw1Input({}, { 'webhook-timestamp': timestamp }))).toEqual({ ok: false, reason: 'malformed webhook-timestamp header' });
    });

    it('rejects an id with a full stop, which would make the signed content ambiguous', () => {
      expect(scheme.verify(sw1Input({}, { 'webhook-id': 'msg.1' }))).toEqual({ ok: false, reason: 'malformed webhook-id header' });
    });

    it('rejects a list with only other versions (v1a is asymmetric, not checked here)', () => {
      expect(scheme.verify(sw1Input({}, { 'webhook-signature': 'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5ssnRYiXMNzGgT7JBSKv+BsYJeoeP8o2Q6r8DaZO5Dbg==' }))).toEqual({
        ok: false,
        reason: 'no v1 signature in webhook-signature header',
      });
    });

    it('rejects a v1 entry that is not base64 as malformed', () => {
      expect(scheme.verify(sw1Input({}, { 'webhook-signature': 'v1,%%%%' }))).toEqual({ ok: false, reason: 'malformed webhook-signature header' });
    });
  });

  describe('timestamp tolerance (±300 s)', () => {
    it('accepts a signature exactly 300 s old or 300 s ahead', () => {
      expect(scheme.verify(sw1Input({ now: at(SW1.timestamp + 300) }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(scheme.verify(sw1Input({ now: at(SW1.timestamp - 300) }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('rejects a valid signature 301 s old as stale only', () => {
      expect(scheme.verify(sw1Input({ now: at(SW1.timestamp + 301) }))).toEqual({
        ok: false,
        reason: 'timestamp outside tolerance (301 s old, 300 s allowed)',
        staleOnly: true,
      });
    });

    it('rejects a valid signature 301 s in the future, without the stale override', () => {
      expect(scheme.verify(sw1Input({ now: at(SW1.timestamp - 301) }))).toEqual({ ok: false, reason: 'timestamp outside tolerance (301 s in the future, 300 s allowed)' });
    });

    it('does not call an old message stale when its signature is wrong too', () => {
      expect(scheme.verify(sw1Input({ now: at(SW1.timestamp + 3600) }, { 'webhook-signature': WRONG }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('rejects SW-1 today: it is years old', () => {
      const now = new Date('2026-11-30T00:00:00Z');
      const age = Math.floor(now.getTime() / 1000) - SW1.timestamp;
      expect(scheme.verify(sw1Input({ now }))).toEqual({ ok: false, reason: `timestamp outside tolerance (${age} s old, 300 s allowed)`, staleOnly: true });
    });

    it('takes options.toleranceSeconds as a number or a numeric string', () => {
      expect(scheme.verify(sw1Input({ now: at(SW1.timestamp + 500), options: { toleranceSeconds: 600 } }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(scheme.verify(sw1Input({ now: at(SW1.timestamp - 500), options: { toleranceSeconds: '600' } }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(scheme.verify(sw1Input({ now: at(SW1.timestamp + 61), options: { toleranceSeconds: 60 } }))).toEqual({
        ok: false,
        reason: 'timestamp outside tolerance (61 s old, 60 s allowed)',
        staleOnly: true,
      });
    });

    it.each([0, -5, 'abc', true, {}])('refuses the tolerance option %p', (toleranceSeconds) => {
      expect(scheme.verify(sw1Input({ options: { toleranceSeconds } }))).toEqual({
        ok: false,
        reason: 'invalid toleranceSeconds option (expected a positive number of seconds)',
      });
    });
  });

  describe('secrets', () => {
    it('accepts a secret given without the whsec_ prefix, as the official libraries do', () => {
      expect(scheme.verify(sw1Input({ secrets: [{ which: 'current', value: SW1.secret.slice('whsec_'.length) }] }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('does not use the secret text itself as the key (that is Stripe\'s rule, not this one)', () => {
      const textKeyed = createHmac('sha256', SW1.secret).update(`${SW1.id}.${SW1.timestamp}.${SW1.body}`).digest('base64');
      expect(scheme.verify(sw1Input({}, { 'webhook-signature': `v1,${textKeyed}` }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('says when a secret is not base64 rather than blaming the sender', () => {
      expect(scheme.verify(sw1Input({ secrets: [{ which: 'current', value: 'my plain secret' }] }))).toEqual({
        ok: false,
        reason: 'the current secret is not a base64 key (expected whsec_<base64>)',
      });
      expect(scheme.verify(sw1Input({ secrets: [{ which: 'current', value: 'whsec_' }] }))).toEqual({
        ok: false,
        reason: 'the current secret is not a base64 key (expected whsec_<base64>)',
      });
    });

    it('accepts the current and the previous secret during rotation and says which matched', () => {
      const other = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
      const current = { which: 'current' as const, value: SW1.secret };
      const previous = { which: 'previous' as const, value: SW1.secret };
      expect(scheme.verify(sw1Input({ secrets: [current, { which: 'previous', value: other }] }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(scheme.verify(sw1Input({ secrets: [{ which: 'current', value: other }, previous] }))).toEqual({ ok: true, matchedSecret: 'previous' });
      // A broken current secret does not stop the previous one from working.
      expect(scheme.verify(sw1Input({ secrets: [{ which: 'current', value: 'not base64!' }, previous] }))).toEqual({ ok: true, matchedSecret: 'previous' });
    });

    it('accepts the old secret\'s signature listed beside the new one, as senders do while rotating', () => {
      const newSecret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
      const fromNew = new Webhook(newSecret).sign(SW1.id, at(SW1.timestamp), SW1.body);
      expect(scheme.verify(sw1Input({}, { 'webhook-signature': `${fromNew} ${SW1.signature}` }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('fails closed without a secret', () => {
      expect(scheme.verify(sw1Input({ secrets: [] }))).toEqual({ ok: false, reason: 'no secret configured' });
    });
  });

  it('also reads the svix-* header names', () => {
    const headers = { 'svix-id': SW1.id, 'svix-timestamp': String(SW1.timestamp), 'svix-signature': SW1.signature };
    expect(scheme.verify(sw1Input({ headers }))).toEqual({ ok: true, matchedSecret: 'current' });
  });
});

describe('svix scheme', () => {
  const svixHeaders = { 'svix-id': SW1.id, 'svix-timestamp': String(SW1.timestamp), 'svix-signature': SW1.signature };

  it('accepts SW-1 under svix-* headers and under webhook-* headers', () => {
    expect(svixScheme.verify(sw1Input({ headers: svixHeaders }))).toEqual({ ok: true, matchedSecret: 'current' });
    expect(svixScheme.verify(sw1Input())).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('reads svix-* before webhook-*, as the svix library does', () => {
    const headers = { ...svixHeaders, 'webhook-signature': WRONG };
    expect(svixScheme.verify(sw1Input({ headers }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('names the svix headers in its reasons', () => {
    expect(svixScheme.verify(sw1Input({ headers: { 'svix-id': SW1.id, 'svix-timestamp': String(SW1.timestamp) } }))).toEqual({
      ok: false,
      reason: 'missing svix-signature header',
    });
    expect(svixScheme.verify(sw1Input({ headers: { ...svixHeaders, 'svix-timestamp': 'now' } }))).toEqual({ ok: false, reason: 'malformed svix-timestamp header' });
    expect(svixScheme.verify(sw1Input({ headers: {} }))).toEqual({ ok: false, reason: 'missing svix-id header' });
  });

  it('accepts what the svix library signs (through signDelivery) and rejects it once stale', () => {
    const body = '{"type":"message.attempt.exhausted"}';
    const timestamp = 1_790_000_000;
    const headers = signDelivery('svix', { secret: SW1.secret, body, timestamp, id: 'msg_2abc' });
    expect(headers).toEqual({ 'svix-id': 'msg_2abc', 'svix-timestamp': String(timestamp), 'svix-signature': expect.stringMatching(/^v1,/) as unknown });
    expect(svixScheme.verify(sw1Input({ rawBody: Buffer.from(body), headers, now: at(timestamp + 1) }))).toEqual({ ok: true, matchedSecret: 'current' });
    expect(svixScheme.verify(sw1Input({ rawBody: Buffer.from(body), headers, now: at(timestamp + 412) }))).toEqual({
      ok: false,
      reason: 'timestamp outside tolerance (412 s old, 300 s allowed)',
      staleOnly: true,
    });
  });

  it('reproduces SW-1 through the svix library', () => {
    expect(signDelivery('svix', { secret: SW1.secret, body: SW1.body, timestamp: SW1.timestamp, id: SW1.id })['svix-signature']).toBe(SW1.signature);
  });
});

describe('gitlab-signing scheme', () => {
  // DERIVED-5: GitLab's documented token format (32-byte key) over a push body.
  const D5 = {
    secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q=',
    id: '3c5c0404-c866-44bc-a5f6-452bb1bfc76e',
    timestamp: 1700000000,
    body: '{"object_kind":"push","event_name":"push","ref":"refs/heads/main"}',
    signature: 'v1,BXcifUAaWaHcHtLBDhsEu/XQlTxbRZ4eXoAuwxNnxps=',
  };
  const d5Input = (overrides: Partial<SchemeInput> = {}): SchemeInput => ({
    rawBody: Buffer.from(D5.body),
    headers: { 'webhook-id': D5.id, 'webhook-timestamp': String(D5.timestamp), 'webhook-signature': D5.signature, 'idempotency-key': D5.id },
    query: {},
    secrets: [{ which: 'current', value: D5.secret }],
    options: {},
    now: at(D5.timestamp),
    ...overrides,
  });

  it('accepts DERIVED-5, SW-1 and SW-2', () => {
    expect(gitlabSigningScheme.verify(d5Input())).toEqual({ ok: true, matchedSecret: 'current' });
    expect(gitlabSigningScheme.verify(sw1Input())).toEqual({ ok: true, matchedSecret: 'current' });
    const sw2 = gitlabSigningScheme.verify({
      rawBody: Buffer.from('{"email":"test@example.com","username":"test_user"}'),
      headers: { 'webhook-id': 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk', 'webhook-timestamp': '1649367553', 'webhook-signature': 'v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=' },
      query: {},
      secrets: [{ which: 'current', value: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD' }],
      options: {},
      now: at(1649367553),
    });
    expect(sw2).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('accepts what standardwebhooks signs for GitLab (through signDelivery), with a UUID id', () => {
    const headers = signDelivery('gitlab-signing', { secret: D5.secret, body: D5.body, timestamp: D5.timestamp });
    expect(headers['webhook-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(gitlabSigningScheme.verify(d5Input({ headers }))).toEqual({ ok: true, matchedSecret: 'current' });
    expect(signDelivery('gitlab-signing', { secret: D5.secret, body: D5.body, timestamp: D5.timestamp, id: D5.id })['webhook-signature']).toBe(D5.signature);
  });

  it('rejects a changed body, a stale delivery, a missing header and a wrong token with distinct reasons', () => {
    expect(gitlabSigningScheme.verify(d5Input({ rawBody: Buffer.from(D5.body.replace('main', 'mair')) }))).toEqual({ ok: false, reason: 'signature does not match' });
    expect(gitlabSigningScheme.verify(d5Input({ now: at(D5.timestamp + 412) }))).toEqual({
      ok: false,
      reason: 'timestamp outside tolerance (412 s old, 300 s allowed)',
      staleOnly: true,
    });
    expect(gitlabSigningScheme.verify(d5Input({ headers: { 'webhook-id': D5.id, 'webhook-timestamp': String(D5.timestamp) } }))).toEqual({
      ok: false,
      reason: 'missing webhook-signature header',
    });
    expect(gitlabSigningScheme.verify(d5Input({ secrets: [{ which: 'current', value: SW1.secret }] }))).toEqual({ ok: false, reason: 'signature does not match' });
  });
});
