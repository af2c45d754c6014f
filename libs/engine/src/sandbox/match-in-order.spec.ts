import type { MatchCandidate, ScriptProvider, ScriptRequest } from '../script-types';
import { useSmallSandbox } from '../testing/small-sandbox';

const BODY = JSON.stringify({ ref: 'refs/heads/main', repository: { name: 'engine' } });
const REQUEST: ScriptRequest = {
  method: 'POST',
  uri: 'git/push',
  path: '/webhooks/git/push',
  headers: { 'content-type': 'application/json', 'x-github-event': 'push' },
  query: {},
  body: BODY,
  json: JSON.parse(BODY) as unknown,
  form: null,
};

function candidate(name: string, script: string, secrets: Record<string, string> = {}): MatchCandidate {
  const provider: ScriptProvider = { name, properties: { org: name }, secrets };
  return { script, provider };
}

/** Busy for `ms` of CPU, then answers `answer`. */
function busy(ms: number, answer: boolean): string {
  return `const until = Date.now() + ${ms}; while (Date.now() < until) {} return ${answer};`;
}

const small = useSmallSandbox();

describe('ScriptSandbox.matchInOrder', () => {
  it('evaluates in the order given and stops at the first yes, each script seeing its own provider', async () => {
    const seen = 'return request.json.ref === "refs/heads/main" && provider.name === ';
    const outcomes = await small().matchInOrder({
      request: REQUEST,
      candidates: [
        candidate('first', seen + '"nobody";'),
        candidate('second', seen + '"second";'),
        candidate('third', 'throw new Error("must not run");'),
      ],
      timeoutMs: 1000,
    });

    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]).toMatchObject({ ok: true, value: false });
    expect(outcomes[1]).toMatchObject({ ok: true, value: true });
  });

  it('counts a script that throws or does not compile as no, with the reason, and tries the next', async () => {
    const outcomes = await small().matchInOrder({
      request: REQUEST,
      candidates: [
        candidate('broken', 'throw new TypeError("no signature header");'),
        candidate('unparsable', 'return (;'),
        candidate('github', 'return request.headers["x-github-event"] === "push";'),
      ],
      timeoutMs: 1000,
    });

    expect(outcomes.map((outcome) => (outcome.ok ? outcome.value : outcome.error.kind))).toEqual(['error', 'compile', true]);
    expect(outcomes[0]).toMatchObject({ ok: false, error: { message: 'TypeError: no signature header' } });
    expect(outcomes[1]).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^SyntaxError: /) } });
  });

  it('stops at a script that runs out of its own limit, with the answers of the scripts before it', async () => {
    const outcomes = await small().matchInOrder({
      request: REQUEST,
      candidates: [candidate('quick', 'return false;'), candidate('looping', 'while (true) {}'), candidate('later', 'return true;')],
      timeoutMs: 50,
    });

    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]).toMatchObject({ ok: true, value: false });
    expect(outcomes[1]).toMatchObject({ ok: false, error: { kind: 'timeout', message: 'the script exceeded its time limit of 50 ms' } });
    // The isolate survives the interruption and serves the next message.
    expect(await small().matchInOrder({ request: REQUEST, candidates: [candidate('later', 'return true;')], timeoutMs: 50 }))
      .toMatchObject([{ ok: true, value: true }]);
  });

  it('gives every script its whole limit, even when the scripts before it used up part of it', async () => {
    // Each takes 60% of the limit: together they overrun it, though none does alone.
    const outcomes = await small().matchInOrder({
      request: REQUEST,
      candidates: [candidate('a', busy(120, false)), candidate('b', busy(120, false)), candidate('c', busy(120, true))],
      timeoutMs: 200,
    });

    expect(outcomes.map((outcome) => outcome.ok && outcome.value)).toEqual([false, false, true]);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    for (const outcome of outcomes) expect(outcome.durationMs).toBeGreaterThanOrEqual(100);
  });

  it('keeps each provider\'s secrets and globals from the scripts of the others', async () => {
    const thief = [
      'globalThis.stolen = provider.secrets.token;',
      'Object.prototype.leaked = provider.secrets.token;',
      'Object.getPrototypeOf(request.headers).viaHeaders = provider.secrets.token;',
      'JSON.parse = function () { return { secrets: { token: "forged" } }; };',
      'String.prototype.trim = function () { return provider.secrets.token; };',
      'return false;',
    ].join('\n');
    const victim = [
      'const found = [typeof stolen !== "undefined" && stolen, ({}).leaked, request.headers.viaHeaders, " x ".trim()];',
      'return provider.secrets.token === "victim-secret" && found.every((value) => value === undefined || value === false || value === "x");',
    ].join('\n');

    const outcomes = await small().matchInOrder({
      request: REQUEST,
      candidates: [candidate('thief', thief, { token: 'thief-secret' }), candidate('victim', victim, { token: 'victim-secret' })],
      timeoutMs: 1000,
    });

    expect(outcomes).toEqual([
      expect.objectContaining({ ok: true, value: false }),
      expect.objectContaining({ ok: true, value: true }),
    ]);
  });

  it('does not let a script reach the loop that calls it, or the other scripts\' providers through it', async () => {
    const probe = [
      'const self = arguments.callee;',
      'const caller = self.caller;',
      'Error.prepareStackTrace = (_, frames) => frames.map((frame) => frame.getFunction()).filter((fn) => typeof fn === "function" && fn !== self);',
      'const reachable = new Error("probe").stack;',
      'return caller !== null || reachable.length > 0;',
    ].join('\n');
    const outcomes = await small().matchInOrder({
      request: REQUEST,
      candidates: [candidate('probe', probe), candidate('holder', 'return false;', { token: 'kept' })],
      timeoutMs: 1000,
    });

    expect(outcomes[0]).toMatchObject({ ok: true, value: false });
  });

  it('contains a memory bomb in the middle to its own script and goes on with the next on a fresh isolate', async () => {
    const bomb = 'const a = [];\nwhile (true) a.push(new Array(1e6).fill(1));';
    const outcomes = await small().matchInOrder({
      request: REQUEST,
      candidates: [candidate('quiet', 'return false;'), candidate('bomb', bomb), candidate('github', 'return request.json.repository.name === "engine";')],
      timeoutMs: 10_000,
    });

    expect(outcomes.map((outcome) => (outcome.ok ? outcome.value : outcome.error.kind))).toEqual([false, 'memory', true]);
    expect(outcomes[1]).toMatchObject({ ok: false, error: { message: 'the script exceeded the memory limit of 32 MB' } });
  });
});
