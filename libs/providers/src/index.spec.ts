import { BUILTIN_SCHEMES, constantTimeEquals, schemeOptionsProblem, type SchemeInput } from './index';

describe('BUILTIN_SCHEMES', () => {
  it('lists every scheme once, in the console\'s order', () => {
    expect(BUILTIN_SCHEMES.map((scheme) => scheme.name)).toEqual([
      'none',
      'bearer',
      'basic',
      'github',
      'github-sha1',
      'gitlab-token',
      'gitlab-signing',
      'bitbucket',
      'azure-devops',
      'slack',
      'stripe',
      'svix',
      'standard-webhooks',
      'generic-hmac',
      'custom-hmac',
    ]);
  });

  it('names the headers that carry a credential in clear, for each scheme', () => {
    const names = Object.fromEntries(BUILTIN_SCHEMES.map((scheme) => [scheme.name, scheme.credentialHeaders({})]));
    expect(names).toEqual({
      none: [],
      bearer: ['authorization'],
      basic: ['authorization'],
      github: [],
      'github-sha1': [],
      'gitlab-token': ['x-gitlab-token'],
      'gitlab-signing': [],
      bitbucket: [],
      'azure-devops': ['authorization'],
      slack: [],
      stripe: [],
      svix: [],
      'standard-webhooks': [],
      'generic-hmac': [],
      'custom-hmac': [],
    });
    const azure = BUILTIN_SCHEMES.find((scheme) => scheme.name === 'azure-devops')!;
    expect(azure.credentialHeaders({ headerName: 'X-Hook-Token' })).toEqual(['x-hook-token']);
    expect(azure.credentialHeaders({ headerName: 42 })).toEqual(['authorization']);
  });

  it('needs a secret for everything but none', () => {
    expect(BUILTIN_SCHEMES.filter((scheme) => !scheme.needsSecret).map((scheme) => scheme.name)).toEqual(['none']);
  });

  it('describes every scheme in one sentence and every option it reads', () => {
    for (const scheme of BUILTIN_SCHEMES) {
      expect(scheme.description).toMatch(/^[A-Z].{20,}\.$/);
      for (const [name, what] of Object.entries(scheme.options ?? {})) {
        expect(name).toMatch(/^[a-z][A-Za-z]+$/);
        expect(what.length).toBeGreaterThan(20);
      }
    }
    const options = Object.fromEntries(BUILTIN_SCHEMES.map((scheme) => [scheme.name, Object.keys(scheme.options ?? {})]));
    expect(options).toEqual({
      none: [],
      bearer: [],
      basic: ['username'],
      github: [],
      'github-sha1': [],
      'gitlab-token': [],
      'gitlab-signing': ['toleranceSeconds'],
      bitbucket: [],
      'azure-devops': ['username', 'headerName'],
      slack: ['toleranceSeconds'],
      stripe: ['toleranceSeconds'],
      svix: ['toleranceSeconds'],
      'standard-webhooks': ['toleranceSeconds'],
      'generic-hmac': [],
      'custom-hmac': ['algorithm', 'header', 'format', 'signedContent', 'timestampHeader', 'toleranceSeconds'],
    });
  });

  it('keeps constantTimeEquals for the server', () => {
    expect(constantTimeEquals('a', 'a')).toBe(true);
    expect(constantTimeEquals('a', 'ab')).toBe(false);
  });
});

describe('every scheme on hostile input', () => {
  const huge = '9'.repeat(400);
  const hostileHeaders: Array<Record<string, unknown>> = [
    {},
    { authorization: 'Basic', 'x-gitlab-token': '' },
    { authorization: `Basic ${'%'.repeat(50)}`, 'x-hook-secret': '\u0000' },
    { 'x-hub-signature-256': 'sha256=', 'x-hub-signature': 'sha1=zz', 'x-signature-256': 'sha256=' + 'f'.repeat(10_000) },
    { 'x-slack-signature': 'v0=', 'x-slack-request-timestamp': huge },
    { 'x-slack-signature': `v0=${'a'.repeat(64)}`, 'x-slack-request-timestamp': '-1' },
    { 'stripe-signature': `t=${huge},v1=${'a'.repeat(64)}` },
    { 'stripe-signature': 't=1e9,v1=,v1==,=,,t' },
    { 'webhook-id': 'a', 'webhook-timestamp': huge, 'webhook-signature': 'v1,' },
    { 'webhook-id': '', 'webhook-timestamp': '1', 'webhook-signature': `v1,${'=' .repeat(9)} v1,AAAA v1,A` },
    { 'svix-id': 'x', 'svix-timestamp': '1.5', 'svix-signature': ',,, ,' },
    // Values that are not strings, whatever the type says.
    { authorization: ['Basic aGk6aGk='], 'x-hub-signature-256': 42, 'webhook-signature': null, 'stripe-signature': { t: 1 } },
  ];
  const hostileOptions: Array<Record<string, unknown>> = [
    {},
    { toleranceSeconds: Number.POSITIVE_INFINITY, username: '', headerName: 'x-hook-secret' },
    { toleranceSeconds: Number.NaN, username: { name: 'x' }, headerName: 7 },
    { toleranceSeconds: huge },
    { toleranceSeconds: 1e308, headerName: '' },
  ];
  const hostileSecrets: SchemeInput['secrets'][] = [
    [{ which: 'current', value: '' }],
    [{ which: 'current', value: 'whsec_' }, { which: 'previous', value: 'whsec_!!' }],
    [{ which: 'current', value: 'hi:hi' }],
  ];
  const hostileQueries: SchemeInput['query'][] = [{}, { signature: [] }, { signature: ['', 'zz'] }, { signature: huge }];

  it.each(BUILTIN_SCHEMES.map((scheme) => [scheme.name, scheme] as const))('%s returns a result and never throws', (_name, scheme) => {
    for (const headers of hostileHeaders) {
      for (const options of hostileOptions) {
        for (const secrets of hostileSecrets) {
          for (const query of hostileQueries) {
            const request = { rawBody: Buffer.from([0xff, 0x00]), headers: headers as Record<string, string>, query, secrets, options, now: new Date(Number.NaN) };
            const result = scheme.verify(request);
            expect(typeof result.ok).toBe('boolean');
            if (!result.ok) expect(result.reason).toMatch(/\S/);
          }
        }
      }
    }
  });

  it.each(BUILTIN_SCHEMES.filter((scheme) => scheme.needsSecret).map((scheme) => [scheme.name, scheme] as const))('%s fails closed without a secret', (_name, scheme) => {
    const result = scheme.verify({ rawBody: Buffer.from('{}'), headers: {}, query: {}, secrets: [], options: {}, now: new Date() });
    expect(result.ok).toBe(false);
  });
});

describe('schemeOptionsProblem', () => {
  it('accepts the options each scheme reads, unset or readable', () => {
    expect(schemeOptionsProblem('stripe', {})).toBeUndefined();
    expect(schemeOptionsProblem('stripe', { toleranceSeconds: 600 })).toBeUndefined();
    expect(schemeOptionsProblem('slack', { toleranceSeconds: '60' })).toBeUndefined();
    expect(schemeOptionsProblem('azure-devops', { username: 'hookline', headerName: 'X-Hook-Token' })).toBeUndefined();
  });

  it('names a value the scheme cannot read', () => {
    expect(schemeOptionsProblem('stripe', { toleranceSeconds: 'soon' })).toBe('invalid toleranceSeconds option (expected a positive number of seconds)');
    expect(schemeOptionsProblem('svix', { toleranceSeconds: -5 })).toBe('invalid toleranceSeconds option (expected a positive number of seconds)');
    expect(schemeOptionsProblem('azure-devops', { headerName: 42 })).toBe('invalid headerName option (expected a string)');
  });

  it('names an option the scheme does not read, and what it reads', () => {
    expect(schemeOptionsProblem('basic', { user: 'hookline' })).toBe('"user" is not an option of basic; it reads username');
    expect(schemeOptionsProblem('github', { toleranceSeconds: 60 })).toBe('"toleranceSeconds" is not an option of github, which reads none');
  });

  it('leaves an unknown scheme to the scheme name check', () => {
    expect(schemeOptionsProblem('carrier-pigeon', { anything: true })).toBeUndefined();
  });
});
