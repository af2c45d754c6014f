import { signDelivery } from '../../../test/support/signers';
import { signatureFailureReason, SIGNATURE_FAILURE_REASONS } from './failure-reason';
import { BUILTIN_SCHEMES, customHmacScheme } from './index';
import type { SchemeInput, SignatureScheme } from './scheme';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = '{"action":"opened","number":1}';
const NOW = 1_700_000_000;

const SIGNED = ['github', 'github-sha1', 'bitbucket', 'svix', 'standard-webhooks', 'gitlab-signing', 'stripe', 'slack', 'generic-hmac', 'gitlab-token', 'bearer', 'basic', 'azure-devops'];
const TIMESTAMPED = ['svix', 'standard-webhooks', 'gitlab-signing', 'stripe', 'slack'];

function scheme(name: string): SignatureScheme {
  const found = BUILTIN_SCHEMES.find((s) => s.name === name);
  if (!found) throw new Error(`no scheme ${name}`);
  return found;
}

function verify(name: string, overrides: Partial<SchemeInput>): string {
  const input: SchemeInput = { rawBody: Buffer.from(BODY), headers: {}, query: {}, secrets: [{ which: 'current', value: SECRET }], options: {}, now: new Date(NOW * 1000), ...overrides };
  const result = scheme(name).verify(input);
  if (result.ok) throw new Error(`${name} accepted the request`);
  return result.reason;
}

describe('signatureFailureReason over the schemes’ own failures', () => {
  it.each(SIGNED)('%s: no signature header is missing', (name) => {
    expect(signatureFailureReason(verify(name, { headers: {} }))).toBe('missing');
  });

  it.each(SIGNED)('%s: a delivery signed with another secret is a mismatch', (name) => {
    // Basic auth's secret is user:password; the others take any text (Svix's a whsec_ key).
    const other = name === 'basic' ? 'intruder:guess' : 'whsec_dGhlIG90aGVyIHNlY3JldCBvZiBhIHNlbmRlcg==';
    const headers = signDelivery(name, { secret: other, body: BODY, timestamp: NOW });
    expect(signatureFailureReason(verify(name, { headers }))).toBe('mismatch');
  });

  it.each(TIMESTAMPED)('%s: a delivery signed an hour ago is stale', (name) => {
    const headers = signDelivery(name, { secret: SECRET, body: BODY, timestamp: NOW - 3600 });
    expect(signatureFailureReason(verify(name, { headers }))).toBe('stale');
  });

  it.each(['github', 'stripe', 'slack', 'svix'])('%s: a signature header that cannot be read is malformed', (name) => {
    const headers = Object.fromEntries(Object.entries(signDelivery(name, { secret: SECRET, body: BODY, timestamp: NOW })).map(([header, value]) => [header, /signature/.test(header) ? 'zz' : value]));
    expect(signatureFailureReason(verify(name, { headers }))).toBe('malformed');
  });

  it.each(['github', 'stripe', 'slack'])('%s: no secret is no_secret', (name) => {
    expect(signatureFailureReason(verify(name, { secrets: [] }))).toBe('no_secret');
  });

  it('a custom HMAC provider without its header option is misconfigured', () => {
    const result = customHmacScheme.verify({ rawBody: Buffer.from(BODY), headers: {}, query: {}, secrets: [{ which: 'current', value: SECRET }], options: {}, now: new Date() });
    expect(result.ok).toBe(false);
    expect(signatureFailureReason((result as { reason: string }).reason)).toBe('misconfigured');
  });
});

describe('signatureFailureReason', () => {
  it.each([
    ['unknown verification scheme "rot13"', 'misconfigured'],
    ['invalid toleranceSeconds option (expected a positive number of seconds)', 'misconfigured'],
    ['timestamp outside tolerance (301 s in the future, 300 s allowed)', 'stale'],
    ['no v1 signature in Stripe-Signature header', 'malformed'],
    ['basic auth credentials do not match', 'mismatch'],
    ['something no scheme says yet', 'other'],
    ['', 'other'],
  ])('maps "%s" to %s', (reason, kind) => {
    expect(signatureFailureReason(reason)).toBe(kind);
  });

  it('never answers a value outside its fixed set, whatever text it is given', () => {
    for (const reason of ['missing', 'x-hub-signature-256: sha256=abcdef', 'a'.repeat(10_000), 'does not match', '\u0000']) {
      expect(SIGNATURE_FAILURE_REASONS).toContain(signatureFailureReason(reason));
    }
  });
});
