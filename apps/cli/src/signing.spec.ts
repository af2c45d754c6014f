import { createHmac } from 'node:crypto';
import { BUILTIN_SCHEMES } from '../../../libs/providers/src';
import { signDelivery } from '../../../test/support/signers';
import { SIGNING_SCHEMES, signingHeaders } from './signing';

const WHSEC = `whsec_${Buffer.from('a 32-byte standard webhooks key!').toString('base64')}`;
const BODY = '{"event":"ping","text":"grüße"}';
const TIMESTAMP = 1_767_000_000;
const ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';

/** The scheme, its secret, and the options under which the reference signer (test/support/sign.mjs) signs the same way. */
const REFERENCE_CASES: Array<{ scheme: string; secret: string; options?: Record<string, string> }> = [
  { scheme: 'github', secret: 'gh-secret' },
  { scheme: 'github-sha1', secret: 'gh-secret' },
  { scheme: 'bitbucket', secret: 'bb-secret' },
  { scheme: 'slack', secret: '8f742231b10e8888abcd99yyyzzz85a5' },
  { scheme: 'stripe', secret: 'whsec_test_secret' },
  { scheme: 'svix', secret: WHSEC },
  { scheme: 'standard-webhooks', secret: WHSEC },
  { scheme: 'gitlab-signing', secret: WHSEC },
  { scheme: 'generic-hmac', secret: 'hmac-secret' },
  { scheme: 'gitlab-token', secret: 'gl-token' },
  { scheme: 'bearer', secret: 'bearer-token' },
  { scheme: 'basic', secret: 'user:pass' },
  { scheme: 'azure-devops', secret: 'ado-password', options: { username: 'azure-devops' } },
  { scheme: 'none', secret: '' },
];

describe('signingHeaders', () => {
  it('signs every scheme the server verifies', () => {
    expect([...SIGNING_SCHEMES].sort()).toEqual(BUILTIN_SCHEMES.map((scheme) => scheme.name).sort());
  });

  it('signs as the senders\' official libraries do (octokit, stripe, svix, standardwebhooks) and as the documented algorithms', () => {
    const expected = REFERENCE_CASES.map(({ scheme, secret }) => signDelivery(scheme, { secret, body: BODY, timestamp: TIMESTAMP, id: ID }));
    const actual = REFERENCE_CASES.map(({ scheme, secret, options }) => signingHeaders({ scheme, secret, body: Buffer.from(BODY), timestamp: TIMESTAMP, options: options ?? {}, id: ID }));
    expect(actual).toEqual(expected);
    // One signer process per scheme: slow on a loaded machine.
  }, 180_000);

  it('signs custom-hmac as its options lay out: header, encoding, prefix and a timestamped template', () => {
    const headers = signingHeaders({
      scheme: 'custom-hmac',
      secret: 'shop',
      body: Buffer.from(BODY),
      timestamp: TIMESTAMP,
      options: { header: 'X-Shop-Hmac', format: 'v1={base64}', signedContent: '{timestamp}.{body}', timestampHeader: 'X-Shop-Time', algorithm: 'sha512' },
    });
    const digest = createHmac('sha512', 'shop').update(`${TIMESTAMP}.${BODY}`).digest('base64');
    expect(headers).toEqual({ 'x-shop-hmac': `v1=${digest}`, 'x-shop-time': String(TIMESTAMP) });
  });

  it('refuses a standard-webhooks secret that is not base64, naming the expected form', () => {
    expect(() => signingHeaders({ scheme: 'svix', secret: 'whsec_not base64!', body: Buffer.from(BODY), timestamp: TIMESTAMP, options: {} })).toThrow(
      '--secret must be a whsec_<base64> signing secret for this scheme',
    );
  });
});
