import { identify, ingressStatus, type IdentifyPorts } from './identify';
import type { InboundRequest } from './message';
import type { ProviderDefinition, VerificationInput, VerificationOutcome } from './ports';
import { ScriptSandbox } from './sandbox/script-sandbox';

/** A request as stored (the credential header x-token redacted) and its headers as sent. */
function request(headers: Record<string, string>, body = '{"type":"push"}'): { request: InboundRequest; signedHeaders: Record<string, string> } {
  const all: Record<string, string> = { 'content-type': 'application/json', ...headers };
  const { 'x-token': token, ...redacted } = all;
  const stored: InboundRequest = {
    method: 'POST',
    uri: 'git/push',
    path: '/webhooks/git/push',
    query: {},
    headers: token === undefined ? all : { ...redacted, 'x-token': '[redacted]' },
    rawBody: Buffer.from(body),
    contentType: 'application/json',
    sourceAddress: '127.0.0.1',
    receivedAt: new Date(),
  };
  return { request: stored, signedHeaders: all };
}

function provider(name: string, priority: number, matchScript: string): ProviderDefinition {
  return { id: name, name, priority, matchScript, properties: {}, secrets: {}, verificationScheme: 'token', eventFormat: 'test' };
}

/** A token scheme: the header must hold the secret; "stale" stands for a genuine but too old signature. */
const verifier = {
  async verify(input: VerificationInput): Promise<VerificationOutcome> {
    const token = input.request.headers['x-token'];
    if (token === 'right') return { ok: true, matchedSecret: 'current' };
    if (token === 'stale') return { ok: false, reason: 'timestamp outside tolerance', staleOnly: true };
    return { ok: false, reason: 'token mismatch' };
  },
};

let sandbox: ScriptSandbox;
let ports: IdentifyPorts;

beforeAll(() => {
  sandbox = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 32 });
  ports = {
    runner: sandbox,
    verifier,
    nameEvent: (_provider, req) => ({ eventType: req.headers['x-event'] ?? null, event: null, deliveryId: req.headers['x-delivery'] ?? null }),
    handshake: (_provider, payload) => ((payload as { type?: string }).type === 'hello' ? { status: 200, body: { challenge: 'c' } } : null),
  };
});

afterAll(async () => {
  await sandbox.dispose();
});

const PROVIDERS = [provider('catch-all', 100, 'return true;'), provider('git', 10, 'return request.headers["x-event"] !== undefined;')];
const base = { providers: PROVIDERS, isReplay: false, matchTimeoutMs: 1000, trace: { providers: [], functions: [], resubmittedFrom: 'origin' } };

describe('identify', () => {
  it('names the first matching provider in priority order, verifies it and names the event, keeping the trace so far', async () => {
    const found = await identify(ports, { ...base, ...request({ 'x-event': 'push', 'x-delivery': 'd-1', 'x-token': 'right' }) });
    expect(found).toMatchObject({ status: 'accepted', provider: { name: 'git' }, eventType: 'push', deliveryId: 'd-1' });
    expect(found.handshake).toBeUndefined();
    expect(found.request.json).toEqual({ type: 'push' });
    // Scripts see the stored request; only the verifier saw the credential.
    expect(found.request.headers['x-token']).toBe('[redacted]');
    expect(found.trace.providers.map((e) => [e.providerName, e.matched])).toEqual([['git', true]]);
    expect(found.trace.verification).toEqual({ scheme: 'token', ok: true, matchedSecret: 'current' });
    expect(found.trace.resubmittedFrom).toBe('origin');
  });

  it('says no_provider with every evaluation when nothing matches', async () => {
    const found = await identify(ports, { ...base, providers: [PROVIDERS[1]], ...request({}) });
    expect(found).toMatchObject({ status: 'no_provider', provider: null, reason: 'no provider matched', eventType: null });
    expect(found.trace.providers).toEqual([expect.objectContaining({ providerName: 'git', matched: false })]);
  });

  it('says unauthorized with the reason and names no event when the signature fails', async () => {
    const found = await identify(ports, { ...base, ...request({ 'x-event': 'push', 'x-delivery': 'd-2', 'x-token': 'wrong' }) });
    expect(found).toMatchObject({ status: 'unauthorized', provider: { name: 'git' }, reason: 'token mismatch', deliveryId: null });
    expect(found.trace.verification).toEqual({ scheme: 'token', ok: false, reason: 'token mismatch' });
  });

  it('accepts a signature that is only too old on a replay, and records it as overridden', async () => {
    const stale = request({ 'x-event': 'push', 'x-token': 'stale' });
    expect((await identify(ports, { ...base, ...stale })).status).toBe('unauthorized');
    const replayed = await identify(ports, { ...base, isReplay: true, ...stale });
    expect(replayed.status).toBe('accepted');
    expect(replayed.trace.verification).toEqual({ scheme: 'token', ok: false, reason: 'timestamp outside tolerance', overridden: true });
  });

  it('returns the handshake answer for a sender endpoint check', async () => {
    const found = await identify(ports, { ...base, ...request({ 'x-event': 'hello', 'x-token': 'right' }, '{"type":"hello"}') });
    expect(found.handshake).toEqual({ status: 200, body: { challenge: 'c' } });
  });

  it('decides the first status: queued async, processing sync, processed for a handshake, else the refusal', async () => {
    const accepted = await identify(ports, { ...base, ...request({ 'x-event': 'push', 'x-token': 'right' }) });
    expect(ingressStatus(accepted, false)).toBe('queued');
    expect(ingressStatus(accepted, true)).toBe('processing');
    expect(ingressStatus({ ...accepted, handshake: { status: 200, body: {} } }, true)).toBe('processed');
    expect(ingressStatus({ ...accepted, status: 'unauthorized' }, false)).toBe('unauthorized');
    expect(ingressStatus({ ...accepted, status: 'no_provider' }, true)).toBe('no_provider');
  });
});
