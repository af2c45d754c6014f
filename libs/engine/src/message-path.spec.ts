import type { Identification } from './identify';
import type { MessageTrace } from './message';
import {
  acceptWebhook,
  runQueuedMessage,
  type AnswerSettings,
  type FirstWrite,
  type FunctionsResult,
  type QueuedMessage,
  type RespondHook,
  type WebhookInput,
  type WebhookPorts,
} from './message-path';
import type { ProviderDefinition } from './ports';
import { RespondWaiters } from './respond-waiters';
import type { ScriptRequest } from './script-types';

const PROVIDER: ProviderDefinition = {
  id: 'p1',
  name: 'git',
  priority: 1,
  matchScript: '',
  properties: {},
  secrets: {},
  verificationScheme: 'none',
  eventFormat: 'github',
};
const REQUEST: ScriptRequest = { method: 'POST', uri: 'git/push', path: '/webhooks/git/push', headers: {}, query: {}, body: '{}', json: {}, form: null };
const EMPTY_TRACE: MessageTrace = { providers: [], functions: [] };

function accepted(overrides: Partial<Identification> = {}): Identification {
  return { status: 'accepted', provider: PROVIDER, eventType: 'push', event: null, deliveryId: 'd-1', request: REQUEST, trace: EMPTY_TRACE, ...overrides };
}

function ran(status: FunctionsResult['status'], trace: MessageTrace = EMPTY_TRACE): FunctionsResult {
  const functions = status === 'no_function' ? [] : [{ functionId: 'f1', functionName: 'deploy', status: status === 'processed' ? 'succeeded' : 'failed', startedAt: '', durationMs: 1, logs: [] }];
  return { status, trace: { ...trace, functions } as MessageTrace, policies: new Map() };
}

/** Ports that keep everything in memory and record what the path asked of them. */
function world(options: {
  found?: Identification;
  settings?: Partial<AnswerSettings> | null;
  place?: { isHeld: boolean; waitedMs: number };
  duplicateOf?: string;
  writeFails?: boolean;
  runFunctions?: (onRespond: RespondHook | undefined) => Promise<FunctionsResult>;
  syncTimeoutMs?: number;
}) {
  const log = {
    writes: [] as FirstWrite[],
    reserved: [] as Array<number | undefined>,
    cancelled: 0,
    handedOver: [] as Array<{ message: FirstWrite; parsed: ScriptRequest }>,
    held: new Set<string>(),
    everHeld: [] as string[],
    settled: [] as Array<{ result: FunctionsResult; changes?: { httpStatus: number } }>,
    failures: [] as unknown[],
    runs: [] as Array<Promise<void>>,
  };
  const waiters = new RespondWaiters();
  const ports: WebhookPorts<FirstWrite> = {
    identify: async () => options.found ?? accepted(),
    answerSettings: async () => (options.settings === null ? null : { providerMode: 'async', functions: [], respondTimeoutMs: 3000, fixedAnswer: null, ...options.settings }),
    write: async (first) => {
      if (options.writeFails) throw new Error('database refused');
      log.writes.push(first);
      return { message: first, duplicateOf: options.duplicateOf ?? null };
    },
    local: {
      reserve: async (maxWaitMs) => {
        log.reserved.push(maxWaitMs);
        return options.place ?? { isHeld: true, waitedMs: 0 };
      },
      cancel: () => log.cancelled++,
      handOver: (message, parsed) => log.handedOver.push({ message, parsed }),
    },
    waiters,
    leases: {
      hold: (id) => {
        log.held.add(id);
        log.everHeld.push(id);
      },
      release: (id) => log.held.delete(id),
    },
    functions: {
      runFunctions: (_message, _provider, _trace, onRespond) => (options.runFunctions ?? (async () => ran('processed')))(onRespond),
      settle: async (_message, result, changes) => {
        log.settled.push({ result, ...(changes && { changes }) });
        return { status: result.status };
      },
    },
    logFailure: (_id, err) => log.failures.push(err),
    syncTimeoutMs: options.syncTimeoutMs ?? 30_000,
    track: (run) => log.runs.push(run),
  };
  return { ports, log, waiters };
}

function input(overrides: Partial<WebhookInput> = {}): WebhookInput {
  return { id: 'm1', uri: 'git/push', receivedAt: new Date(), triggeredBy: 'webhook', sync: false, ...overrides };
}

describe('acceptWebhook', () => {
  it('writes an async message once, leased to this process, and hands it over with the parsed request', async () => {
    const { ports, log } = world({});
    const { answer, trace, mode } = await acceptWebhook(ports, input());
    expect(answer.status).toBe(202);
    expect(mode).toBe('async');
    expect(log.writes).toHaveLength(1);
    expect(log.writes[0]).toMatchObject({ status: 'processing', isLeased: true, httpStatus: 202, claim: { providerId: 'p1', deliveryId: 'd-1' } });
    expect(log.handedOver).toEqual([{ message: log.writes[0], parsed: REQUEST }]);
    expect(trace.answer).toMatchObject({ status: 202, by: 'engine', mode: 'async', modeSource: 'provider' });
  });

  it('leaves a message queued for any server when no place came free, and records the wait', async () => {
    const { ports, log } = world({ place: { isHeld: false, waitedMs: 2000 } });
    await acceptWebhook(ports, input());
    expect(log.writes[0]).toMatchObject({ status: 'queued', isLeased: false });
    expect(log.writes[0].trace.queueWaitMs).toBe(2000);
    expect(log.handedOver).toEqual([]);
  });

  it('gives back the place of a duplicate delivery and answers 200 with the earlier message', async () => {
    const { ports, log } = world({ duplicateOf: 'm0' });
    const { answer } = await acceptWebhook(ports, input());
    expect(answer).toMatchObject({ status: 200, body: { status: 'duplicate', duplicateOf: 'm0' } });
    expect(log.cancelled).toBe(1);
    expect(log.handedOver).toEqual([]);
  });

  it('gives back the place and the respond wait when the write fails, and answers nothing', async () => {
    const { ports, log, waiters } = world({ writeFails: true, settings: { providerMode: 'respond' } });
    await expect(acceptWebhook(ports, input())).rejects.toThrow('database refused');
    expect(log.cancelled).toBe(1);
    expect(waiters.isWaiting('m1')).toBe(false);
  });

  it('claims the delivery id for a webhook only, never for a resubmit', async () => {
    const { ports, log } = world({});
    await acceptWebhook(ports, input({ triggeredBy: 'resubmit' }));
    expect(log.writes[0].claim).toBeUndefined();
  });

  it('stores and answers a request no provider matched without reserving a place', async () => {
    const { ports, log } = world({ found: accepted({ status: 'no_provider', provider: null, deliveryId: null, reason: 'no provider matched' }) });
    const { answer } = await acceptWebhook(ports, input());
    expect(answer.status).toBe(202);
    expect(log.reserved).toEqual([]);
    expect(log.writes[0]).toMatchObject({ status: 'no_provider', statusReason: 'no provider matched', httpStatus: 202 });
  });

  it('in respond mode gives the caller the first respond() of a worker, and the fixed answer when none comes', async () => {
    const fixedAnswer = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
    const responding = world({ settings: { providerMode: 'respond', fixedAnswer } });
    const pending = acceptWebhook(responding.ports, input());
    await new Promise((resolve) => setImmediate(resolve));
    expect(responding.log.reserved).toEqual([3000]);
    responding.waiters.offer('m1', { status: 201, headers: {}, body: 'made' }, 'f1');
    expect(await pending).toMatchObject({ answer: { status: 201, body: 'made' }, mode: 'respond' });

    const silent = world({ settings: { providerMode: 'respond', fixedAnswer, respondTimeoutMs: 5 } });
    const { answer } = await acceptWebhook(silent.ports, input());
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
    expect(silent.log.writes[0].trace.answer).toMatchObject({ mode: 'respond', fixed: true, respondTimeoutMs: 5 });
  });

  it('runs a sync message while its caller waits, under a lease, and records the answer with the result', async () => {
    const { ports, log } = world({ settings: { providerMode: 'sync' } });
    const { answer, trace, mode } = await acceptWebhook(ports, input());
    expect(answer).toMatchObject({ status: 200, body: { status: 'processed' } });
    expect(mode).toBe('sync');
    expect(log.writes[0]).toMatchObject({ status: 'processing', isLeased: true, httpStatus: null, sync: true });
    expect(log.reserved).toEqual([]);
    expect(log.everHeld).toEqual(['m1']);
    await Promise.all(log.runs);
    expect(log.held.size).toBe(0);
    expect(log.settled[0].changes).toEqual({ httpStatus: 200 });
    expect(trace.answer).toMatchObject({ status: 200, by: 'engine', mode: 'sync', modeSource: 'provider' });
  });

  it('answers a sync caller with the first respond() and records it as it went out', async () => {
    let finish!: () => void;
    const { ports, log } = world({
      runFunctions: async (onRespond) => {
        onRespond?.({ status: 418, headers: { 'X-Tea': 'yes' }, body: 'short' }, { id: 'f1' });
        await new Promise<void>((resolve) => (finish = resolve));
        return ran('processed');
      },
    });
    const { answer } = await acceptWebhook(ports, input({ sync: true, forcedBy: 'header' }));
    expect(answer).toMatchObject({ status: 418, headers: { 'x-tea': 'yes' } });
    answer.onSent?.({ status: 418, headers: { 'x-tea': 'yes', 'content-length': '5' } });
    finish();
    await Promise.all(log.runs);
    expect(log.settled[0].result.trace.answer).toMatchObject({ status: 418, by: 'function', functionId: 'f1', modeSource: 'header', headers: { 'content-length': '5' } });
  });

  it('tells a sync caller the functions are still running when they outlast the sync timeout', async () => {
    let finish!: () => void;
    const { ports, log } = world({
      syncTimeoutMs: 5,
      runFunctions: async () => {
        await new Promise<void>((resolve) => (finish = resolve));
        return ran('failed');
      },
    });
    const { answer, mode } = await acceptWebhook(ports, input({ sync: true }));
    expect(answer).toMatchObject({ status: 202, body: { status: 'processing' } });
    expect(mode).toBe('sync');
    finish();
    await Promise.all(log.runs);
    expect(log.settled[0].result.trace.answer?.status).toBe(202);
    expect(log.held.size).toBe(0);
  });

  it('answers 500 when a sync run throws, logs why, and gives up its lease', async () => {
    const { ports, log } = world({ runFunctions: async () => Promise.reject(new Error('sandbox gone')) });
    const { answer } = await acceptWebhook(ports, input({ sync: true }));
    expect(answer).toMatchObject({ status: 500, body: { status: 'failed' } });
    await Promise.allSettled(log.runs);
    expect(log.failures).toEqual([new Error('sandbox gone')]);
    expect(log.held.size).toBe(0);
  });
});

describe('runQueuedMessage', () => {
  function queued(overrides: Partial<QueuedMessage> = {}): QueuedMessage {
    return { id: 'm1', attempts: 1, trace: EMPTY_TRACE, endpointId: null, ...overrides };
  }

  function queueWorld(provider: ProviderDefinition | null = PROVIDER) {
    const finished: Array<{ status: string; statusReason: string; trace: MessageTrace }> = [];
    const settled: Array<{ result: FunctionsResult; changes?: { httpStatus: number } }> = [];
    let onRespondSeen: RespondHook | undefined;
    const waiters = new RespondWaiters();
    const ports = {
      functions: {
        runFunctions: async (_m: QueuedMessage, _p: ProviderDefinition, trace: MessageTrace, onRespond?: RespondHook) => {
          onRespondSeen = onRespond;
          onRespond?.({ status: 200, headers: {}, body: 'hi' }, { id: 'f1' });
          return ran('processed', trace);
        },
        settle: async (_m: QueuedMessage, result: FunctionsResult, changes?: { httpStatus: number }) => {
          settled.push({ result, ...(changes && { changes }) });
          return { status: result.status };
        },
      },
      providerOf: async () => provider,
      finish: async (_id: string, status: 'failed' | 'dead', trace: MessageTrace, statusReason: string) => {
        finished.push({ status, statusReason, trace });
        return undefined;
      },
      waiters,
      syncTimeoutMs: 50,
    };
    return { ports, finished, settled, waiters, onRespond: () => onRespondSeen };
  }

  it('gives up on a message whose processing died with its process too often', async () => {
    const w = queueWorld();
    const ran6 = await runQueuedMessage(w.ports, queued({ attempts: 6 }));
    expect(ran6.status).toBe('dead');
    expect(w.finished[0]).toMatchObject({ status: 'dead', statusReason: 'processing was interrupted 5 times; giving up', trace: { interruptedAttempts: 5 } });
    expect(w.settled).toEqual([]);
  });

  it('ends an endpoint delivery left by a stopped server, and a message whose provider is gone, without running anything', async () => {
    const w = queueWorld(null);
    expect((await runQueuedMessage(w.ports, queued({ endpointId: 'e1' }))).status).toBe('failed');
    expect((await runQueuedMessage(w.ports, queued())).status).toBe('failed');
    expect(w.finished.map((f) => f.statusReason)).toEqual([
      expect.stringContaining('before answering'),
      'its provider was deleted before the functions ran',
    ]);
  });

  it('offers respond() only when a caller waits, and records the answer as it went out', async () => {
    const alone = queueWorld();
    await runQueuedMessage(alone.ports, queued());
    expect(alone.onRespond()).toBeUndefined();
    expect(alone.settled[0].changes).toBeUndefined();

    const w = queueWorld();
    const caller = w.waiters.wait('m1', 10_000, () => {
      throw new Error('the respond() should have come');
    });
    const pending = runQueuedMessage(w.ports, queued({ trace: { ...EMPTY_TRACE, answer: { status: 202, at: '', by: 'engine', mode: 'respond', respondTimeoutMs: 3000 } } }));
    const answer = await caller;
    answer.onSent?.({ status: 200, headers: { 'content-type': 'text/plain' } });
    const result = await pending;
    expect(result.trace.answer).toMatchObject({ status: 200, by: 'function', functionId: 'f1', mode: 'respond', headers: { 'content-type': 'text/plain' } });
    expect(result.trace.answer?.respondTimeoutMs).toBeUndefined();
    expect(w.settled[0].changes).toEqual({ httpStatus: 200 });
  });
});
