import { signDelivery } from '../../../test/support/signers';
import { azureDevopsScheme } from './azure-devops';
import type { SchemeInput } from './scheme';

// DERIVED-7: user hookuser, password hookpass.
const D7_HEADER = 'Basic aG9va3VzZXI6aG9va3Bhc3M=';
const basicAuth = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

function input(overrides: Partial<SchemeInput>): SchemeInput {
  return {
    rawBody: Buffer.from('{"eventType":"git.push"}'),
    headers: { authorization: D7_HEADER },
    query: {},
    secrets: [{ which: 'current', value: 'hookpass' }],
    options: {},
    now: new Date(),
    ...overrides,
  };
}

describe('azure-devops scheme', () => {
  describe('basic auth (the password is the secret)', () => {
    it('accepts DERIVED-7 with any user name when no username option is set', () => {
      expect(azureDevopsScheme.verify(input({}))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(azureDevopsScheme.verify(input({ headers: { authorization: basicAuth('anyone:hookpass') } }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(azureDevopsScheme.verify(input({ headers: signDelivery('azure-devops', { secret: 'hookpass', body: '{}' }) }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('requires the configured user name when options.username is set', () => {
      const options = { username: 'hookuser' };
      expect(azureDevopsScheme.verify(input({ options }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(azureDevopsScheme.verify(input({ options, headers: { authorization: basicAuth('anyone:hookpass') } }))).toEqual({
        ok: false,
        reason: 'basic auth credentials do not match',
      });
    });

    it('rejects a wrong password', () => {
      expect(azureDevopsScheme.verify(input({ headers: { authorization: basicAuth('hookuser:hookpas') } }))).toEqual({ ok: false, reason: 'basic auth credentials do not match' });
    });

    it('rejects a missing or malformed Authorization header', () => {
      expect(azureDevopsScheme.verify(input({ headers: {} }))).toEqual({ ok: false, reason: 'missing Authorization: Basic header' });
      expect(azureDevopsScheme.verify(input({ headers: { authorization: 'Basic bm9jb2xvbg==' } }))).toEqual({ ok: false, reason: 'malformed Authorization: Basic header' });
    });

    it('does not cover the body: Azure DevOps signs nothing', () => {
      expect(azureDevopsScheme.verify(input({ rawBody: Buffer.from('{"eventType":"git.pusH"}') }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('accepts the current and the previous password during rotation and says which matched', () => {
      const secrets = [
        { which: 'current' as const, value: 'newpass' },
        { which: 'previous' as const, value: 'hookpass' },
      ];
      expect(azureDevopsScheme.verify(input({ secrets }))).toEqual({ ok: true, matchedSecret: 'previous' });
      expect(azureDevopsScheme.verify(input({ secrets, headers: { authorization: basicAuth('x:newpass') } }))).toEqual({ ok: true, matchedSecret: 'current' });
    });
  });

  describe('custom header token (options.headerName)', () => {
    const options = { headerName: 'X-Hook-Secret' };

    it('accepts the header when it equals the secret, and ignores basic auth', () => {
      expect(azureDevopsScheme.verify(input({ options, headers: { 'x-hook-secret': 'hookpass' } }))).toEqual({ ok: true, matchedSecret: 'current' });
      expect(azureDevopsScheme.verify(input({ options, headers: { authorization: D7_HEADER } }))).toEqual({ ok: false, reason: 'missing X-Hook-Secret header' });
    });

    it('rejects a wrong value', () => {
      expect(azureDevopsScheme.verify(input({ options, headers: { 'x-hook-secret': 'hookpast' } }))).toEqual({ ok: false, reason: 'X-Hook-Secret header does not match' });
    });

    it('rotates like the password', () => {
      const secrets = [
        { which: 'current' as const, value: 'new' },
        { which: 'previous' as const, value: 'old' },
      ];
      expect(azureDevopsScheme.verify(input({ options, secrets, headers: { 'x-hook-secret': 'old' } }))).toEqual({ ok: true, matchedSecret: 'previous' });
      expect(azureDevopsScheme.verify(input({ options, secrets, headers: { 'x-hook-secret': 'new' } }))).toEqual({ ok: true, matchedSecret: 'current' });
    });

    it('refuses a header name option that is not text', () => {
      expect(azureDevopsScheme.verify(input({ options: { headerName: ['X-Hook-Secret'] } }))).toEqual({ ok: false, reason: 'invalid headerName option (expected a string)' });
    });
  });

  it('fails closed without a secret', () => {
    expect(azureDevopsScheme.verify(input({ secrets: [] }))).toEqual({ ok: false, reason: 'no secret configured' });
  });
});
