import { createHash, createHmac } from 'node:crypto';
import { signDelivery } from '../../../test/support/signers';
import { bitbucketScheme } from './bitbucket';
import { githubScheme } from './github';
import { githubSha1Scheme } from './github-sha1';
import type { SchemeInput, SignatureScheme } from './scheme';

/** GitHub's header format, shared by github, github-sha1 and bitbucket (also Jira, Gitea). */

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const GH5_BODY = Buffer.from(
  '7b22666f6f223a22466f6f5c6e5c75303031425b33346d6261723a20e299a5e299a5e299a5e299a5e299a5e299a5e299a5e299a55c6e746869732d69732d6c6f73745c75303031425b306d5c75303031425b324b227d',
  'hex',
);
const GH6_BODY = Buffer.from('7b22666f6f223a225c5c7530303162227d', 'hex');
// GH-7: GH-5 pretty-printed; octokit's tests upper-case the \u escapes to mirror GitHub's output.
const GH7_BODY = Buffer.from(`${JSON.stringify(JSON.parse(GH5_BODY.toString('utf8')), null, 2).replace(/\\u001b/g, '\\u001B')}\n`);
const GH8_BODY = Buffer.from(`${JSON.stringify(JSON.parse(GH6_BODY.toString('utf8')), null, 2)}\n`);
const GH4_BODY = Buffer.from('{\n  "foo": "bar"\n}\n');

interface Vector {
  id: string;
  secret: string;
  body: Buffer;
  /** Published sha256 of the body, to prove the test feeds the vector's exact bytes. */
  bodySha256?: string;
  signature: string;
}

const SHA256_VECTORS: Vector[] = [
  { id: 'GH-1', secret: "It's a Secret to Everybody", body: Buffer.from('Hello, World!'), signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' },
  { id: 'GH-2', secret: 'mysecret', body: Buffer.from('{"foo":"bar"}'), signature: 'sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3' },
  {
    id: 'GH-4a',
    secret: 'mysecret',
    body: GH4_BODY,
    bodySha256: 'b9cd2605ea75293b16b892a97c5e4b0bc18f3dafd0cbdf897c80258d57415c80',
    signature: 'sha256=e3eccac34c43c7dc1cbb905488b1b81347fcc700a7b025697a9d07862256023f',
  },
  {
    id: 'GH-5',
    secret: 'development',
    body: GH5_BODY,
    bodySha256: 'e8c79793b05f1108905305968b6990feba905a5800056cbe19f6dd3891df895e',
    signature: 'sha256=afecc3caa27548bb90d51a50384cb2868b9a3327b4ad6a01c9bd4ed0f8b0b12c',
  },
  { id: 'GH-6', secret: 'development', body: GH6_BODY, signature: 'sha256=6f8326efbacfbd04e870cea25b5652e635be8c9807f2fd5348ef60753c9e96ed' },
  {
    id: 'GH-7a',
    secret: 'development',
    body: GH7_BODY,
    bodySha256: '083db6099b1c11fc414551f5dc41cce15750188c242c9866db98b9d5cc75f661',
    signature: 'sha256=9dacf9003316b09be07df56d86a2d0d6872e42a1e6c72c3bad9ff915a7c5603e',
  },
  {
    id: 'GH-8a',
    secret: 'development',
    body: GH8_BODY,
    bodySha256: 'b4f74233060e61f9cce0080ba552fdecbdfb4d128b2a8ded9070cec68f972533',
    signature: 'sha256=87316067e2011fae39998b18c46a14d83b3e7c3ffdd88fb2ee5afb7d11288e60',
  },
  {
    id: 'DERIVED-3',
    secret: 'replace-me',
    body: Buffer.from(
      '{"ref":"refs/heads/main","after":"0123456789abcdef0123456789abcdef01234567","repository":{"full_name":"example/app"},"head_commit":{"id":"0123456789abcdef0123456789abcdef01234567","message":"Test push"}}',
    ),
    signature: 'sha256=93194e79f9ace143ee051ab11503705392b692db257c46f20929bfaae862fdb7',
  },
  {
    id: 'DERIVED-6 (form-encoded body as sent)',
    secret: "It's a Secret to Everybody",
    body: Buffer.from('payload=%7B%22zen%22%3A%22hi%22%2C%22hook_id%22%3A1%7D'),
    signature: 'sha256=c7c8673a908bc41bbeabf3f4e379ea072562b0eb25c2344e854a3872f6e683f5',
  },
];

const SHA1_VECTORS: Vector[] = [
  { id: 'GH-3', secret: 'mysecret', body: Buffer.from('{"foo":"bar"}'), signature: 'sha1=d03207e4b030cf234e3447bac4d93add4c6643d8' },
  { id: 'GH-4b', secret: 'mysecret', body: GH4_BODY, signature: 'sha1=640c0ea7402a3f74e1767338fa2dba243b1f2d9c' },
  { id: 'GH-7b', secret: 'development', body: GH7_BODY, signature: 'sha1=82a91c5aacc9cdc2eea893bc828bd03d218df79c' },
  { id: 'GH-8b', secret: 'development', body: GH8_BODY, signature: 'sha1=bdae4705bdd827d026bb227817ca025b5b3a6756' },
];

function input(overrides: Partial<SchemeInput>): SchemeInput {
  return { rawBody: Buffer.alloc(0), headers: {}, query: {}, secrets: [{ which: 'current', value: 'unused' }], options: {}, now: new Date(), ...overrides };
}

interface Case {
  scheme: SignatureScheme;
  header: string;
  label: string;
  algorithm: 'sha1' | 'sha256';
  vectors: Vector[];
  /** Which sign.mjs signer stands for the sender. */
  signer: string;
}

const CASES: Case[] = [
  { scheme: githubScheme, header: 'x-hub-signature-256', label: 'X-Hub-Signature-256', algorithm: 'sha256', vectors: SHA256_VECTORS, signer: 'github' },
  { scheme: githubSha1Scheme, header: 'x-hub-signature', label: 'X-Hub-Signature', algorithm: 'sha1', vectors: SHA1_VECTORS, signer: 'github-sha1' },
  // The GitHub vectors double as Bitbucket and Jira vectors: neither publishes its own.
  { scheme: bitbucketScheme, header: 'x-hub-signature', label: 'X-Hub-Signature', algorithm: 'sha256', vectors: SHA256_VECTORS, signer: 'bitbucket' },
];

describe.each(CASES)('$scheme.name scheme', ({ scheme, header, label, algorithm, vectors, signer }) => {
  const secret = 'It is a secret';
  const body = Buffer.from('{"action":"opened","number":1}');
  const sign = (key: string, bytes: Buffer) => `${algorithm}=${createHmac(algorithm, key).update(bytes).digest('hex')}`;
  const signed = (overrides: Partial<SchemeInput> = {}) =>
    input({ rawBody: body, headers: { [header]: sign(secret, body) }, secrets: [{ which: 'current', value: secret }], ...overrides });

  it.each(vectors)('accepts published vector $id', (vector) => {
    if (vector.bodySha256) expect(sha256(vector.body)).toBe(vector.bodySha256);
    const result = scheme.verify(input({ rawBody: vector.body, headers: { [header]: vector.signature }, secrets: [{ which: 'current', value: vector.secret }] }));
    expect(result).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it("accepts the header produced for the sender by the official signer", () => {
    const headers = signDelivery(signer, { secret, body });
    expect(Object.keys(headers)).toEqual([header]);
    expect(scheme.verify(signed({ headers }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('rejects a body with one byte changed', () => {
    const changed = Buffer.from(body);
    changed[10] ^= 0x01;
    expect(scheme.verify(signed({ rawBody: changed }))).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('rejects a signature made with another secret', () => {
    expect(scheme.verify(signed({ secrets: [{ which: 'current', value: 'It is a secreT' }] }))).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it(`rejects a request without ${label}`, () => {
    expect(scheme.verify(signed({ headers: {} }))).toEqual({ ok: false, reason: `missing ${label} header` });
  });

  it.each([
    ['no algorithm prefix', (value: string) => value.slice(value.indexOf('=') + 1)],
    ['the other algorithm', (value: string) => value.replace(/^sha(1|256)=/, algorithm === 'sha1' ? 'sha256=' : 'sha1=')],
    ['a truncated digest', (value: string) => value.slice(0, -2)],
    ['odd-length hex', (value: string) => value.slice(0, -1)],
    ['non-hex characters', (value: string) => value.replace(/.$/, 'g')],
    ['an empty value', () => ''],
  ])('rejects %s as malformed', (_case, mangle) => {
    const value = mangle(sign(secret, body));
    expect(scheme.verify(signed({ headers: { [header]: value } }))).toEqual({ ok: false, reason: `malformed ${label} header` });
  });

  it('accepts upper-case hex, which decodes to the same bytes', () => {
    const value = sign(secret, body);
    const upper = `${algorithm}=${value.slice(algorithm.length + 1).toUpperCase()}`;
    expect(scheme.verify(signed({ headers: { [header]: upper } }))).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('accepts the current and the previous secret during rotation and says which matched', () => {
    const secrets = [
      { which: 'current' as const, value: 'new-secret' },
      { which: 'previous' as const, value: 'old-secret' },
    ];
    expect(scheme.verify(signed({ headers: { [header]: sign('new-secret', body) }, secrets }))).toEqual({ ok: true, matchedSecret: 'current' });
    expect(scheme.verify(signed({ headers: { [header]: sign('old-secret', body) }, secrets }))).toEqual({ ok: true, matchedSecret: 'previous' });
    expect(scheme.verify(signed({ headers: { [header]: sign('older-secret', body) }, secrets }))).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('fails closed without a secret', () => {
    expect(scheme.verify(signed({ secrets: [] }))).toEqual({ ok: false, reason: 'no secret configured' });
  });
});

describe('github scheme specifics', () => {
  it('verifies bytes that are not valid UTF-8 exactly as received', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const signature = `sha256=${createHmac('sha256', 's').update(body).digest('hex')}`;
    const result = githubScheme.verify(input({ rawBody: body, headers: { 'x-hub-signature-256': signature }, secrets: [{ which: 'current', value: 's' }] }));
    expect(result).toEqual({ ok: true, matchedSecret: 'current' });
  });

  it('rejects DERIVED-6 when checked against the JSON inside the form instead of the form body', () => {
    const json = Buffer.from(decodeURIComponent('%7B%22zen%22%3A%22hi%22%2C%22hook_id%22%3A1%7D'));
    const result = githubScheme.verify(
      input({
        rawBody: json,
        headers: { 'x-hub-signature-256': 'sha256=c7c8673a908bc41bbeabf3f4e379ea072562b0eb25c2344e854a3872f6e683f5' },
        secrets: [{ which: 'current', value: "It's a Secret to Everybody" }],
      }),
    );
    expect(result).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('does not fall back to the legacy SHA-1 header', () => {
    const result = githubScheme.verify(
      input({ rawBody: Buffer.from('{"foo":"bar"}'), headers: { 'x-hub-signature': 'sha1=d03207e4b030cf234e3447bac4d93add4c6643d8' }, secrets: [{ which: 'current', value: 'mysecret' }] }),
    );
    expect(result).toEqual({ ok: false, reason: 'missing X-Hub-Signature-256 header' });
  });

  it('signs GitHub deliveries with @octokit/webhooks-methods, matching GH-1', () => {
    expect(signDelivery('github', { secret: "It's a Secret to Everybody", body: 'Hello, World!' })).toEqual({
      'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    });
  });
});
