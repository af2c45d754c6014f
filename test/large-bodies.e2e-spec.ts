import { createHash, randomUUID } from 'node:crypto';
import { signDelivery } from './support/signers';
import { describeDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';

const SECRET = 'large-bodies-secret-7d21';
const MB = 1024 * 1024;

/** A signed GitHub push of about `bytes` bytes: many commits, multi-byte UTF-8 and an escaped NUL in their text. */
function largePush(bytes: number, seed: string): string {
  const commit = (i: number) => ({ id: `${seed}-${i}`, message: `fix: naïve café ☕ 🚀 line ${i} \u0000 end`, url: `https://example.test/commit/${i}`, added: ['a.txt'] });
  const each = Buffer.byteLength(JSON.stringify(commit(0))) + 1;
  return JSON.stringify({ ref: 'refs/heads/main', commits: Array.from({ length: Math.ceil(bytes / each) }, (_, i) => commit(i)) });
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe(`bodies of several megabytes (${describeDatabase()})`, () => {
  let server: TestServer;
  let providerId: string;

  beforeAll(async () => {
    // A batch of new messages holds at most 1 MB of bodies here, so each of these is written alone.
    server = await TestServer.start({ HOOKLINE_MAX_BODY: '16mb', HOOKLINE_WRITE_BATCH_BYTES: '1mb' });
    const provider = await given(server).provider({
      name: 'Large pushes',
      matchScript: 'return request.headers["x-github-event"] !== undefined',
      verification: { scheme: 'github', secret: SECRET },
      eventFormat: 'github',
    });
    providerId = provider.id;
    await given(server).provider({ name: 'Raw bytes', matchScript: 'return request.headers["x-sender"] === "bytes"' });
    // The function reads the parsed body and the raw text, so both must arrive whole in the sandbox.
    await given(server).fn({
      providerId,
      uri: 'large/push',
      script: 'const last = request.json.commits[request.json.commits.length - 1]; return { commits: request.json.commits.length, last: last.message, chars: request.body.length };',
    });
  });

  afterAll(async () => {
    await server.close();
  });

  async function bodyBytes(id: string): Promise<Buffer> {
    const response = await fetch(`${server.url}/api/messages/${id}/body`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  it('stores three 6 MB signed pushes sent at once byte for byte and runs each function on the whole parsed body', async () => {
    const bodies = ['a', 'b', 'c'].map((seed) => largePush(6 * MB, seed));
    const answers = await Promise.all(
      bodies.map((body) =>
        server.webhook('large/push', body, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), ...signDelivery('github', { secret: SECRET, body }) }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    for (const [i, answer] of answers.entries()) {
      const parsed = JSON.parse(bodies[i]) as { commits: Array<{ message: string }> };
      const message = await server.waitForMessage(answer.body.messageId, ['processed', 'failed'], 120_000);
      expect(message.status).toBe('processed');
      expect(message.trace.verification).toMatchObject({ scheme: 'github', ok: true });
      expect(message.trace.functions[0].result).toEqual({ commits: parsed.commits.length, last: parsed.commits[parsed.commits.length - 1].message.replace('\u0000', '\ufffd'), chars: bodies[i].length });
      const stored = await bodyBytes(message.id);
      expect(stored.length).toBe(Buffer.byteLength(bodies[i]));
      expect(sha256(stored)).toBe(sha256(bodies[i]));
    }
  });

  it('keeps an 8 MB body that is not UTF-8 byte for byte', async () => {
    // Every byte value, invalid UTF-8 sequences and NULs included, repeated to 8 MB.
    const raw = Buffer.alloc(8 * MB, Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)));
    const answer = await server.webhook('large/bytes', raw, { 'content-type': 'application/octet-stream', 'x-sender': 'bytes' });
    expect(answer.status).toBe(202);
    const message = await server.waitForMessage(answer.body.messageId, ['no_function', 'processed', 'failed'], 120_000);
    expect(message).toMatchObject({ status: 'no_function', bodySize: raw.length });
    expect(sha256(await bodyBytes(message.id))).toBe(sha256(raw));
  });
});
