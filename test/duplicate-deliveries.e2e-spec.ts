import { randomUUID } from 'node:crypto';
import { signDelivery } from './support/signers';
import { describeDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';

const SECRET = 'dedup-secret-41c9';
const COPIES = 20;

/** A provider for GitHub pushes signed with SECRET, naming their delivery ids. */
function signedPushes(server: TestServer) {
  return given(server).provider({
    name: 'Signed pushes',
    matchScript: 'return request.headers["x-github-event"] !== undefined',
    verification: { scheme: 'github', secret: SECRET },
    eventFormat: 'github',
  });
}

describe(`duplicate deliveries (${describeDatabase()})`, () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
    const provider = await signedPushes(server);
    await given(server).fn({ providerId: provider.id, uri: 'dedup/ok', script: 'return "ran"' });
    await given(server).fn({ providerId: provider.id, uri: 'dedup/fails', script: 'throw new Error("broken on purpose")' });
  });

  afterAll(async () => {
    await server.close();
  });

  /** One signed GitHub push, sent `copies` times at once, as a sender retrying on a timeout does. */
  function sendCopies(uri: string, delivery: string, copies: number, headers: Record<string, string> = {}) {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: randomUUID() });
    const signed = { 'x-github-event': 'push', 'x-github-delivery': delivery, ...signDelivery('github', { secret: SECRET, body }), ...headers };
    return Promise.all(Array.from({ length: copies }, () => server.webhook(uri, body, signed)));
  }

  async function messagesOf(delivery: string): Promise<any[]> {
    const items = (await server.get(`/api/messages?uri=dedup/ok&limit=500`)).body.items as any[];
    return items.filter((item) => item.deliveryId === delivery);
  }

  it('accepts exactly one of 20 copies of a delivery arriving at once and stores the other 19 as its duplicates', async () => {
    const delivery = randomUUID();
    const answers = await sendCopies('dedup/ok', delivery, COPIES);
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(COPIES - 1).fill(200), 202]);
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted[0].body).toEqual({ messageId: expect.any(String), status: 'queued' });
    const winner = accepted[0].body.messageId as string;
    for (const answer of answers.filter((a) => a.status === 200)) {
      expect(answer.body).toEqual({ messageId: expect.any(String), status: 'duplicate', duplicateOf: winner });
    }

    const processed = await server.waitForMessage(winner, ['processed']);
    expect(processed.trace.functions.map((f: any) => [f.functionName, f.status])).toEqual([[expect.any(String), 'succeeded']]);
    const stored = await messagesOf(delivery);
    expect(stored).toHaveLength(COPIES);
    expect(stored.filter((m) => m.status === 'duplicate')).toHaveLength(COPIES - 1);
    const duplicate = (await server.get(`/api/messages/${answers.find((a) => a.status === 200)!.body.messageId}`)).body;
    expect(duplicate).toMatchObject({ status: 'duplicate', httpStatus: 200, statusReason: `delivery ${delivery} was already accepted as message ${winner}` });
    expect(duplicate.trace).toMatchObject({ duplicateOf: winner, functions: [], answer: { status: 200, by: 'engine' } });
  });

  it('runs one of 20 sync copies while the caller waits and answers the other 19 as duplicates', async () => {
    const delivery = randomUUID();
    const answers = await sendCopies('dedup/ok', delivery, COPIES, { 'flex-sync-webhook': 'true' });
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const ran = answers.filter((a) => a.body.status === 'processed');
    expect(ran).toHaveLength(1);
    expect(ran[0].body.functions).toEqual([expect.objectContaining({ status: 'succeeded', result: 'ran' })]);
    expect(answers.filter((a) => a.body.status === 'duplicate').map((a) => a.body.duplicateOf)).toEqual(Array(COPIES - 1).fill(ran[0].body.messageId));
  });

  it('runs a redelivery of a delivery whose message failed, and treats a resubmit as never a duplicate', async () => {
    const delivery = randomUUID();
    const [first] = await sendCopies('dedup/fails', delivery, 1, { 'flex-sync-webhook': 'true' });
    expect(first.status).toBe(500);
    expect((await server.get(`/api/messages/${first.body.messageId}`)).body.status).toBe('failed');
    const [again] = await sendCopies('dedup/fails', delivery, 1, { 'flex-sync-webhook': 'true' });
    expect(again.status).toBe(500);
    expect(again.body.status).toBe('failed');
    expect(again.body.messageId).not.toBe(first.body.messageId);

    const ok = randomUUID();
    const [original] = await sendCopies('dedup/ok', ok, 1, { 'flex-sync-webhook': 'true' });
    expect(original.body.status).toBe('processed');
    const resubmitted = await server.post(`/api/messages/${original.body.messageId}/resubmit`, { sync: true });
    expect(resubmitted.body.status).toBe('processed');
    const [redelivered] = await sendCopies('dedup/ok', ok, 1, { 'flex-sync-webhook': 'true' });
    expect(redelivered.body).toEqual({ messageId: expect.any(String), status: 'duplicate', duplicateOf: original.body.messageId });
  });
});

describe(`the dedup window (${describeDatabase()})`, () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_DEDUP_WINDOW: '3s' });
    const provider = await signedPushes(server);
    await given(server).fn({ providerId: provider.id, uri: 'window', script: 'return "ran"' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('runs a delivery again once the message that holds its id is older than the window', async () => {
    const delivery = randomUUID();
    const body = JSON.stringify({ ref: 'refs/heads/main', after: randomUUID() });
    const send = () => server.webhook('window', body, { 'x-github-event': 'push', 'x-github-delivery': delivery, ...signDelivery('github', { secret: SECRET, body }) });
    const first = await send();
    const within = await send();
    expect(within.status).toBe(200);
    expect((await server.waitForMessage(within.body.messageId, ['duplicate'])).trace.duplicateOf).toBe(first.body.messageId);
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    const after = await send();
    expect(after.status).toBe(202);
    await server.waitForMessage(after.body.messageId, ['processed']);
    // The id now belongs to the newer message: a copy of it is that one's duplicate.
    const again = await send();
    expect((await server.waitForMessage(again.body.messageId, ['duplicate'])).trace.duplicateOf).toBe(after.body.messageId);
  });
});
