import { matchProvider } from './match-providers';
import type { ProviderDefinition } from './ports';
import { useSmallSandbox } from './testing/small-sandbox';
import type { ScriptRequest } from './script-types';

const REQUEST: ScriptRequest = {
  method: 'POST',
  uri: 'git/push',
  path: '/webhooks/git/push',
  headers: { 'x-github-event': 'push' },
  query: {},
  body: '{}',
  json: {},
  form: null,
};

function provider(name: string, priority: number, matchScript: string): ProviderDefinition {
  return { id: name, name, priority, matchScript, properties: {}, secrets: {}, verificationScheme: 'none', eventFormat: 'generic' };
}

// Busy for 300 ms of wall time: past a 100 ms limit, well within ten times that.
const SLOW_ONCE = 'const until = Date.now() + 300; while (Date.now() < until) {} return true;';

const small = useSmallSandbox();

describe('matchProvider', () => {
  it('asks a provider whose match script ran out of time once more, with a larger limit, before moving on', async () => {
    const providers = [provider('github', 10, SLOW_ONCE), provider('catch-all', 100, 'return true;')];

    const match = await matchProvider(small(), providers, REQUEST, 100);

    expect(match.provider?.name).toBe('github');
    expect(match.evaluations).toHaveLength(1);
    expect(match.evaluations[0]).toMatchObject({ providerName: 'github', matched: true, retriedAfterTimeout: true });
  });

  it('counts a match script that runs out of time twice as no, and says so in the trace', async () => {
    const providers = [provider('looping', 10, 'while (true) {}'), provider('catch-all', 100, 'return true;')];

    const match = await matchProvider(small(), providers, REQUEST, 50);

    expect(match.provider?.name).toBe('catch-all');
    expect(match.evaluations[0]).toMatchObject({ providerName: 'looping', matched: false, retriedAfterTimeout: true });
    expect(match.evaluations[0].error).toEqual({ kind: 'timeout', message: 'the script exceeded its time limit of 500 ms' });
  });

  it('retries a match script that ran out of time between others, and goes on in order after it', async () => {
    const providers = [
      provider('quiet', 10, 'return false;'),
      provider('looping', 20, 'while (true) {}'),
      provider('github', 30, 'return request.headers["x-github-event"] === "push";'),
      provider('catch-all', 100, 'return true;'),
    ];

    const match = await matchProvider(small(), providers, REQUEST, 50);

    expect(match.provider?.name).toBe('github');
    expect(match.evaluations.map((evaluation) => [evaluation.providerName, evaluation.matched, evaluation.retriedAfterTimeout === true]))
      .toEqual([['quiet', false, false], ['looping', false, true], ['github', true, false]]);
  });

  it('does not run a match script again when it threw', async () => {
    const providers = [provider('broken', 10, 'throw new Error("no headers")'), provider('catch-all', 100, 'return true;')];

    const match = await matchProvider(small(), providers, REQUEST, 100);

    expect(match.provider?.name).toBe('catch-all');
    expect(match.evaluations[0].retriedAfterTimeout).toBeUndefined();
    expect(match.evaluations[0].error?.message).toContain('no headers');
  });
});
