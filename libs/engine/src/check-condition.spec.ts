import type { FunctionDefinition } from './ports';
import { checkCondition } from './run-functions';
import { useSmallSandbox } from './testing/small-sandbox';
import type { ScriptRequest } from './script-types';

const REQUEST: ScriptRequest = {
  method: 'POST',
  uri: 'orders/shipped',
  path: '/webhooks/orders/shipped',
  headers: {},
  query: {},
  body: '{"order":"A-1"}',
  json: { order: 'A-1' },
  form: null,
};

function withCondition(condition: string): FunctionDefinition {
  return { id: 'f1', name: 'announce', providerId: 'p1', uri: 'orders/shipped', script: 'return 1', condition, timeoutMs: 1000, automationIds: [] };
}

const context = { request: REQUEST, provider: { name: 'shop', properties: {}, secrets: {} }, eventType: null, event: null, conditionTimeoutMs: 100 };

const small = useSmallSandbox();

describe('checkCondition', () => {
  it('evaluates a condition that ran out of time once more, with a larger limit, and records that it did', async () => {
    // Busy for 300 ms of wall time: past the 100 ms limit, well within ten times that.
    const slowOnce = '(() => { const until = Date.now() + 300; while (Date.now() < until) {} return payload.order == "A-1"; })()';

    const record = await checkCondition(small(), withCondition(slowOnce), context);

    expect(record).toEqual({ expression: slowOnce, value: true, retriedAfterTimeout: true });
  });

  it('counts a condition that runs out of time twice as false, with the error', async () => {
    const record = await checkCondition(small(), withCondition('(() => { while (true) {} })()'), { ...context, conditionTimeoutMs: 50 });

    expect(record).toMatchObject({ value: false, retriedAfterTimeout: true, error: { kind: 'timeout' } });
  });

  it('does not ask again when a condition simply says no or throws', async () => {
    expect(await checkCondition(small(), withCondition('method == "GET"'), context)).toEqual({ expression: 'method == "GET"', value: false });
    const thrown = await checkCondition(small(), withCondition('payload.missing.deeper'), context);
    expect(thrown).toMatchObject({ value: false, error: { kind: 'error' } });
    expect(thrown?.retriedAfterTimeout).toBeUndefined();
  });
});
