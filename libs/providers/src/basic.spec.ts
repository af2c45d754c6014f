import { signDelivery } from '../../../test/support/signers';
import { basicScheme } from './basic';
import type { SchemeInput } from './scheme';

// DERIVED-7: user hookuser, password hookpass.
const D7_HEADER = 'Basic aG9va3VzZXI6aG9va3Bhc3M=';
const basicAuth = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

function input(overrides: Partial<SchemeInput>): SchemeInput {
  return { rawBody: Buffer.from('{}'), headers: { authorization: D7_HEADER }, query: {}, secrets: [{ which: 'current', value: 'hookuser:hookpass' }], options: {}, now: new Date(), ...overrides };
}

describe('basic scheme', () => {
  describe('without options.username: the secret is user:password', () => {
    it('accepts DERIVED-7', () => {
      expect(basicScheme.verify(input({}))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('accepts the header signDelivery makes', () => {
      expect(basicScheme.verify(input({ headers: signDelivery('basic', { secret: 'hookuser:hookpass', body: '{}' }) }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('rejects a wrong password and a wrong user name with the same reason', () => {
      expect(basicScheme.verify(input({ headers: { authorization: basicAuth('hookuser:hookpasS') } }))).toEqual({ ok: false, reason: 'basic auth credentials do not match' });
      expect(basicScheme.verify(input({ headers: { authorization: basicAuth('hookusers:hookpass') } }))).toEqual({ ok: false, reason: 'basic auth credentials do not match' });
    });

    it('keeps colons in the password', () => {
      const secrets = [{ which: 'current' as const, value: 'hookuser:pa:ss' }];
      expect(basicScheme.verify(input({ secrets, headers: { authorization: basicAuth('hookuser:pa:ss') } }))).toEqual({ ok: true, matchedSecret: 'current' });
    });
  });

  describe('with options.username: the secret is the password', () => {
    const options = { username: 'hookuser' };
    const secrets = [{ which: 'current' as const, value: 'hookpass' }];

    it('accepts DERIVED-7', () => {
      expect(basicScheme.verify(input({ options, secrets }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('rejects another user name with the right password', () => {
      expect(basicScheme.verify(input({ options, secrets, headers: { authorization: basicAuth('intruder:hookpass') } }))).toEqual({
        ok: false,
        reason: 'basic auth credentials do not match',
      });
    });

    it('refuses a user name option that is not text', () => {
      expect(basicScheme.verify(input({ options: { username: 42 }, secrets }))).toEqual({ ok: false, reason: 'invalid username option (expected a string)' });
    });
  });

  it('does not cover the body: basic auth signs nothing', () => {
    expect(basicScheme.verify(input({ rawBody: Buffer.from('{"changed":true}') }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('rejects a request without basic auth', () => {
    expect(basicScheme.verify(input({ headers: {} }))).toEqual({ ok: false, reason: 'missing Authorization: Basic header' });
    expect(basicScheme.verify(input({ headers: { authorization: 'Bearer hookuser:hookpass' } }))).toEqual({ ok: false, reason: 'missing Authorization: Basic header' });
  });

  it.each(['Basic', 'Basic !!!!', 'Basic aG9va3VzZXI=', 'Basic a'])('rejects %p as malformed', (authorization) => {
    expect(basicScheme.verify(input({ headers: { authorization } }))).toEqual({ ok: false, reason: 'malformed Authorization: Basic header' });
  });

  it('accepts the current and the previous credentials during rotation and says which matched', () => {
    const secrets = [
      { which: 'current' as const, value: 'hookuser:newpass' },
      { which: 'previous' as const, value: 'hookuser:hookpass' },
    ];
    expect(basicScheme.verify(input({ secrets }))).toEqual({ ok: true, matchedSecret: 'previous' });
    expect(basicScheme.verify(input({ secrets, headers: { authorization: basicAuth('hookuser:newpass') } }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('fails closed without a secret', () => {
    expect(basicScheme.verify(input({ secrets: [] }))).toEqual({ ok: false, reason: 'no secret configured' });
  });
});
