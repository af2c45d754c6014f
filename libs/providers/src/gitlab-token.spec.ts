import { signDelivery } from '../../../test/support/signers';
import { gitlabTokenScheme } from './gitlab-token';
import type { SchemeInput } from './scheme';

const body = Buffer.from('{"object_kind":"push","ref":"refs/heads/main"}');

function input(overrides: Partial<SchemeInput>): SchemeInput {
  return { rawBody: body, headers: { 'x-gitlab-token': 'glhook-token' }, query: {}, secrets: [{ which: 'current', value: 'glhook-token' }], options: {}, now: new Date(), ...overrides };
}

describe('gitlab-token scheme', () => {
  it('accepts the configured token', () => {
    expect(gitlabTokenScheme.verify(input({}))).toEqual({ ok: true, matchedSecret: 'current' });
    expect(gitlabTokenScheme.verify(input({ headers: signDelivery('gitlab-token', { secret: 'glhook-token', body: body.toString() }) }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('does not cover the body: GitLab signs nothing with a plain token', () => {
    const changed = Buffer.from(body);
    changed[0] ^= 0x01;
    expect(gitlabTokenScheme.verify(input({ rawBody: changed }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('rejects a wrong token, an almost-right one and a prefix of the right one', () => {
    for (const token of ['other', 'glhook-tokem', 'glhook-toke', 'glhook-token ']) {
      expect(gitlabTokenScheme.verify(input({ headers: { 'x-gitlab-token': token } }))).toEqual({ ok: false, reason: 'X-Gitlab-Token does not match' });
    }
  });

  it('rejects a request without X-Gitlab-Token (an empty one counts as none)', () => {
    expect(gitlabTokenScheme.verify(input({ headers: {} }))).toEqual({ ok: false, reason: 'missing X-Gitlab-Token header' });
    expect(gitlabTokenScheme.verify(input({ headers: { 'x-gitlab-token': '' } }))).toEqual({ ok: false, reason: 'missing X-Gitlab-Token header' });
  });

  it('accepts the current and the previous token during rotation and says which matched', () => {
    const secrets = [
      { which: 'current' as const, value: 'new-token' },
      { which: 'previous' as const, value: 'glhook-token' },
    ];
    expect(gitlabTokenScheme.verify(input({ secrets }))).toEqual({ ok: true, matchedSecret: 'previous' });
    expect(gitlabTokenScheme.verify(input({ secrets, headers: { 'x-gitlab-token': 'new-token' } }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('fails closed without a secret', () => {
    expect(gitlabTokenScheme.verify(input({ secrets: [] }))).toEqual({ ok: false, reason: 'no secret configured' });
  });
});
