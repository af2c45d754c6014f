import { bearerScheme } from './bearer';

const base = { rawBody: Buffer.from('{}'), query: {}, options: {}, now: new Date() };

describe('bearer scheme', () => {
  it('accepts the current token and says so', () => {
    const result = bearerScheme.verify({ ...base, headers: { authorization: 'Bearer s3cret' }, secrets: [{ which: 'current', value: 's3cret' }] });
    expect(result).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('accepts the previous token while it is offered', () => {
    const result = bearerScheme.verify({
      ...base,
      headers: { authorization: 'bearer old' },
      secrets: [
        { which: 'current', value: 'new' },
        { which: 'previous', value: 'old' },
      ],
    });
    expect(result).toEqual({ ok: true, matchedSecret: 'previous' });
  });

  it('rejects a wrong token and a missing header with distinct reasons', () => {
    const secrets = [{ which: 'current' as const, value: 's3cret' }];
    expect(bearerScheme.verify({ ...base, headers: { authorization: 'Bearer s3cres' }, secrets })).toEqual({ ok: false, reason: 'bearer token does not match' });
    expect(bearerScheme.verify({ ...base, headers: {}, secrets })).toEqual({ ok: false, reason: 'missing Authorization: Bearer header' });
  });
});
