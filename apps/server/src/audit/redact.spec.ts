import { redact, REDACTED, secretsIn } from './redact';

describe('redact', () => {
  it('replaces the text of secret-like fields at any depth and keeps what only describes a secret', () => {
    const view = {
      name: 'GitHub',
      verification: { secret: 'whsec-123456', secretConfigured: true, previousSecretExpiresAt: '2026-01-01T00:00:00Z' },
      headers: { Authorization: 'Bearer abcdefgh', accept: 'json' },
      credentials: { user: 'ci', list: ['one-secret', 2] },
      tokenPrefix: 'hle_ab',
      secretProperties: ['apiKey'],
    };
    expect(redact(view)).toEqual({
      name: 'GitHub',
      verification: { secret: REDACTED, secretConfigured: true, previousSecretExpiresAt: '2026-01-01T00:00:00Z' },
      headers: { Authorization: REDACTED, accept: 'json' },
      credentials: { user: REDACTED, list: [REDACTED, 2] },
      tokenPrefix: 'hle_ab',
      secretProperties: ['apiKey'],
    });
  });

  it('cuts a known secret out of every other string, however it is embedded', () => {
    const known = secretsIn({ token: 'hlr_supersecretvalue' });
    expect(known).toEqual(['hlr_supersecretvalue']);
    expect(redact({ url: 'https://x.test/api/webhooks/inbound/hlr_supersecretvalue?a=1', note: 'short' }, [...known, 'on'])).toEqual({
      url: `https://x.test/api/webhooks/inbound/${REDACTED}?a=1`,
      note: 'short',
    });
  });
});
