import { createHash, createHmac } from 'node:crypto';
import { signDelivery } from '../../../test/support/signers';
import type { SchemeInput } from './scheme';
import { slackScheme } from './slack';

const at = (unixSeconds: number) => new Date(unixSeconds * 1000);

// SL-1: the worked example of Slack's "Verifying requests from Slack".
const SL1 = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

function sl1Input(overrides: Partial<SchemeInput> = {}): SchemeInput {
  return {
    rawBody: Buffer.from(SL1.body),
    headers: { 'x-slack-signature': SL1.signature, 'x-slack-request-timestamp': String(SL1.timestamp) },
    query: {},
    secrets: [{ which: 'current', value: SL1.secret }],
    options: {},
    now: at(SL1.timestamp),
    ...overrides,
  };
}

const sign = (secret: string, timestamp: number, body: string) => `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

describe('slack scheme', () => {
  it('accepts SL-1, fed its exact 362 bytes', () => {
    expect(Buffer.byteLength(SL1.body)).toBe(362);
    expect(createHash('sha256').update(SL1.body).digest('hex')).toBe('390eeeff8d0cb7c9f6ecf8a88c3df6452fea0914eb02f64844369f3758d8d330');
    expect(slackScheme.verify(sl1Input())).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('uses the signing secret as text even though it looks like hex', () => {
    const hexKeyed = `v0=${createHmac('sha256', Buffer.from('8f742231b10e8888abcd', 'hex')).update(`v0:${SL1.timestamp}:${SL1.body}`).digest('hex')}`;
    expect(slackScheme.verify(sl1Input({ headers: { 'x-slack-signature': hexKeyed, 'x-slack-request-timestamp': String(SL1.timestamp) } }))).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
  });

  it('accepts the headers signDelivery makes for Slack at the current time', () => {
    const body = '{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention"}}';
    const headers = signDelivery('slack', { secret: SL1.secret, body });
    expect(Object.keys(headers).sort()).toEqual(['x-slack-request-timestamp', 'x-slack-signature']);
    expect(slackScheme.verify(sl1Input({ rawBody: Buffer.from(body), headers, now: new Date() }))).toEqual({ ok: true, matchedSecret: 'current' });
    expect(signDelivery('slack', { secret: SL1.secret, body: SL1.body, timestamp: SL1.timestamp })['x-slack-signature']).toBe(SL1.signature);
  });

  describe('rejections, each with its own reason', () => {
    it('rejects a body with one byte changed', () => {
      expect(slackScheme.verify(sl1Input({ rawBody: Buffer.from(SL1.body.replace('roadrunner', 'roadrunnes')) }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('rejects a signature made with another secret', () => {
      expect(slackScheme.verify(sl1Input({ secrets: [{ which: 'current', value: '8f742231b10e8888abcd99yyyzzz85a6' }] }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('rejects a changed timestamp header, which is signed', () => {
      const headers = { 'x-slack-signature': SL1.signature, 'x-slack-request-timestamp': String(SL1.timestamp + 1) };
      expect(slackScheme.verify(sl1Input({ headers }))).toEqual({ ok: false, reason: 'signature does not match' });
    });

    it('requires both headers', () => {
      expect(slackScheme.verify(sl1Input({ headers: { 'x-slack-request-timestamp': String(SL1.timestamp) } }))).toEqual({ ok: false, reason: 'missing X-Slack-Signature header' });
      expect(slackScheme.verify(sl1Input({ headers: { 'x-slack-signature': SL1.signature } }))).toEqual({ ok: false, reason: 'missing X-Slack-Request-Timestamp header' });
    });

    it.each(['', 'a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', 'v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', 'v0=a2114d57'])(
      'rejects the signature %p as malformed',
      (signature) => {
        const headers = { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(SL1.timestamp) };
        expect(slackScheme.verify(sl1Input({ headers }))).toEqual({ ok: false, reason: 'malformed X-Slack-Signature header' });
      },
    );

    it.each(['', 'now', '1531420618000000000000', '1531420618.0'])('rejects the timestamp %p as malformed', (timestamp) => {
      const headers = { 'x-slack-signature': SL1.signature, 'x-slack-request-timestamp': timestamp };
      expect(slackScheme.verify(sl1Input({ headers }))).toEqual({ ok: false, reason: 'malformed X-Slack-Request-Timestamp header' });
    });
  });

  describe('timestamp tolerance (5 minutes either way, as Slack\'s docs say)', () => {
    it('accepts 300 s either side', () => {
      expect(slackScheme.verify(sl1Input({ now: at(SL1.timestamp + 300) }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(slackScheme.verify(sl1Input({ now: at(SL1.timestamp - 300) }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('rejects a valid signature 412 s old as stale only', () => {
      expect(slackScheme.verify(sl1Input({ now: at(SL1.timestamp + 412) }))).toEqual({
        ok: false,
        reason: 'timestamp outside tolerance (412 s old, 300 s allowed)',
        staleOnly: true,
      });
    });

    it('rejects a valid signature 301 s in the future, without the stale override', () => {
      expect(slackScheme.verify(sl1Input({ now: at(SL1.timestamp - 301) }))).toEqual({ ok: false, reason: 'timestamp outside tolerance (301 s in the future, 300 s allowed)' });
    });

    it('does not call an old request stale when its signature is wrong too', () => {
      expect(slackScheme.verify(sl1Input({ now: at(SL1.timestamp + 412), secrets: [{ which: 'current', value: 'other' }] }))).toEqual({
        ok: false,
        reason: 'signature does not match',
      });
    });

    it('honours options.toleranceSeconds', () => {
      expect(slackScheme.verify(sl1Input({ now: at(SL1.timestamp + 412), options: { toleranceSeconds: 600 } }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(slackScheme.verify(sl1Input({ options: { toleranceSeconds: 'five minutes' } }))).toEqual({
        ok: false,
        reason: 'invalid toleranceSeconds option (expected a positive number of seconds)',
      });
    });
  });

  it('accepts the current and the previous signing secret during rotation and says which matched', () => {
    const secrets = [
      { which: 'current' as const, value: 'new-signing-secret' },
      { which: 'previous' as const, value: SL1.secret },
    ];
    expect(slackScheme.verify(sl1Input({ secrets }))).toEqual({ ok: true, matchedSecret: 'previous' });
    const headers = { 'x-slack-signature': sign('new-signing-secret', SL1.timestamp, SL1.body), 'x-slack-request-timestamp': String(SL1.timestamp) };
    expect(slackScheme.verify(sl1Input({ secrets, headers }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('fails closed without a secret', () => {
    expect(slackScheme.verify(sl1Input({ secrets: [] }))).toEqual({ ok: false, reason: 'no secret configured' });
  });
});
