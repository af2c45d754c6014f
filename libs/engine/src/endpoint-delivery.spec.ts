import { deliverToEndpoint, type EndpointDelivery, type EndpointPorts, type EndpointWrite } from './endpoint-delivery';
import type { AutomationStartRecord, MessageTrace } from './message';
import type { VerificationOutcome } from './ports';

function endpointWorld(options: { verified?: VerificationOutcome; waitSeconds?: number; starts?: AutomationStartRecord[] } = {}) {
  const writes: EndpointWrite[] = [];
  const finished: Array<{ status: string; trace: MessageTrace; changes: { httpStatus: number; statusReason: string | null } }> = [];
  const heldWhileStarting: boolean[] = [];
  const held = new Set<string>();
  const ports: EndpointPorts = {
    verify: () => options.verified ?? { ok: true },
    acceptIfCooledDown: async () => options.waitSeconds ?? 0,
    write: async (first) => writes.push(first),
    startAutomations: async (id) => {
      heldWhileStarting.push(held.has(id) && writes.some((w) => w.id === id && w.status === 'processing'));
      return options.starts ?? [{ automationId: 'a1', runId: 'r1', status: 'pending' }];
    },
    finish: async (_id, status, trace, changes) => finished.push({ status, trace, changes }),
    leases: { hold: (id) => held.add(id), release: (id) => held.delete(id) },
  };
  return { ports, writes, finished, heldWhileStarting, held };
}

function delivery(overrides: Partial<EndpointDelivery> = {}): EndpointDelivery {
  return { id: 'm1', scheme: 'hmac-sha256', triggeredBy: 'webhook', isEnabled: true, automationIds: ['a1', 'a2'], cooldownSeconds: 0, trace: { providers: [], functions: [] }, ...overrides };
}

describe('deliverToEndpoint', () => {
  it('writes a delivery that fails verification as unauthorized, once, and starts nothing', async () => {
    const w = endpointWorld({ verified: { ok: false, reason: 'signature mismatch' } });
    const { answer } = await deliverToEndpoint(w.ports, delivery());
    expect(answer.status).toBe(401);
    expect(w.writes).toEqual([expect.objectContaining({ status: 'unauthorized', statusReason: 'signature mismatch', httpStatus: 401, isLeased: false })]);
    expect(w.heldWhileStarting).toEqual([]);
  });

  it('lets a resubmit through whose signature is only too old, recording the override', async () => {
    const w = endpointWorld({ verified: { ok: false, reason: 'too old', staleOnly: true } });
    const { trace } = await deliverToEndpoint(w.ports, delivery({ triggeredBy: 'resubmit' }));
    expect(trace.verification).toMatchObject({ ok: false, overridden: true });
    expect(w.finished).toHaveLength(1);
  });

  it('records the automations a disabled endpoint skipped', async () => {
    const w = endpointWorld();
    const { answer } = await deliverToEndpoint(w.ports, delivery({ isEnabled: false }));
    expect(answer.body).toMatchObject({ status: 'disabled' });
    expect(w.writes[0].trace.automations?.map((a) => a.status)).toEqual(['skipped', 'skipped']);
  });

  it('answers 429 with the wait while the endpoint cools down, and never holds a resubmit to it', async () => {
    const w = endpointWorld({ waitSeconds: 7 });
    const { answer } = await deliverToEndpoint(w.ports, delivery({ cooldownSeconds: 10 }));
    expect(answer).toMatchObject({ status: 429, headers: { 'retry-after': '7' } });
    expect(w.writes[0].status).toBe('throttled');
    const resubmit = await deliverToEndpoint(w.ports, delivery({ triggeredBy: 'resubmit', cooldownSeconds: 10 }));
    expect(resubmit.answer.status).toBe(200);
  });

  it('starts the automations under a lease after the message is written, and says which could not start', async () => {
    const starts = [
      { automationId: 'a1', runId: 'r1', status: 'pending' },
      { automationId: 'a2', status: 'failed', error: 'the automation no longer exists' },
    ];
    const w = endpointWorld({ starts });
    const { answer, trace } = await deliverToEndpoint(w.ports, delivery());
    expect(w.heldWhileStarting).toEqual([true]);
    expect(w.held.size).toBe(0);
    expect(answer.status).toBe(207);
    expect(w.finished[0]).toMatchObject({ status: 'processed', changes: { httpStatus: 207, statusReason: '1 of 2 automations could not start' } });
    expect(trace.automations).toEqual(starts);
  });
});
