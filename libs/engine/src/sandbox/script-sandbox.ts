import { performance } from 'node:perf_hooks';
import type { ivm } from './isolated-vm';
import type {
  ConditionScope,
  MatchInOrderInput,
  FunctionRunInput,
  FunctionRunOutcome,
  ScriptFetch,
  ScriptKind,
  ScriptOutcome,
  ScriptProvider,
  ScriptRequest,
  ScriptRunner,
} from '../script-types';
import { errorMessage } from './error-message';
import { type Execution, timeoutError, toBooleanOutcome, toFunctionOutcome } from './guest-result';
import { IsolatePool, PoolClosedError } from './isolate-pool';
import { BLOCKING_ENTRY_LIMIT_MS, runMatchEntry } from './match-entry';
import { settleWithin } from './settle-within';
import { RunSession, type RunSessionHooks } from './run-session';
import { SandboxIsolate, type SandboxCounters } from './sandbox-isolate';

export interface ScriptSandboxOptions {
  /**
   * Isolates for function scripts with work to do; each run holds one until it ends. A run
   * that only awaits the host (`http.fetch`, `automations.trigger`) stops counting against this.
   */
  functionPoolSize: number;
  /**
   * Function isolates in all, parked runs included (default: `functionPoolSize`). Bounds the
   * memory that runs awaiting slow I/O can hold.
   */
  maxFunctionIsolates?: number;
  /**
   * Isolates for match scripts, conditions and syntax checks, which functions never take: a
   * sender waiting for its 202 never queues behind functions awaiting slow I/O.
   */
  matchPoolSize: number;
  /** Heap limit of each isolate. A run that exceeds it fails with kind `memory`. */
  memoryLimitMb: number;
  /**
   * Performs `http.fetch` for scripts. It decides which hosts are allowed and throws an Error
   * with a clear message otherwise; the script sees a rejected promise with that message.
   * Without it, every `http.fetch` rejects.
   */
  fetch?: ScriptFetch;
}

export interface ScriptSandboxStats {
  isolatesCreated: number;
  /** Isolates replaced after a run because they held too much garbage (see `SandboxIsolate.isOverweightAfter`). */
  isolatesRecycled: number;
  /** Scripts compiled, counted per isolate: a script is compiled once in each isolate that runs it. */
  compilations: number;
  /** Script contexts set up; each holds one compiled script and is reused run after run. */
  contextsCreated: number;
  runs: number;
  /** Isolates disposed because a run outlived its time limit. */
  timeoutDisposals: number;
  /** Isolates disposed because a run exceeded the memory limit. */
  memoryDisposals: number;
}

/** Isolates of one pool now: `inUse` held by runs (parked ones included), `total` in use or idle. */
export interface PoolUsage {
  inUse: number;
  total: number;
}

/** What the sandbox reports about itself, for monitoring: counters since start and the pools now. */
export interface SandboxMonitor {
  stats(): ScriptSandboxStats;
  poolUsage(): { function: PoolUsage; match: PoolUsage };
}

/**
 * Time past a run's limit before the host gives up on it. isolated-vm's own `timeout` stops
 * synchronous code on time; this deadline catches what it cannot see: code that loops after an
 * `await` on a host call, and promises that never settle.
 */
const DEADLINE_GRACE_MS = 50;


/**
 * Runs admin scripts in isolated-vm isolates taken from a pool. See `SandboxIsolate` for what
 * is cached per isolate and `PRELUDE_SOURCE` for the guest half of the runtime.
 */
export class ScriptSandbox implements ScriptRunner, SandboxMonitor {
  private readonly counters: SandboxCounters = {
    isolatesCreated: 0,
    isolatesRecycled: 0,
    compilations: 0,
    contextsCreated: 0,
    runs: 0,
    timeoutDisposals: 0,
    memoryDisposals: 0,
  };
  private readonly functionPool: IsolatePool<SandboxIsolate>;
  private readonly matchPool: IsolatePool<SandboxIsolate>;
  /** Conditions of every function see the same payload: serialise it once per message. */
  private readonly payloadTexts = new WeakMap<object, string>();
  private nextRunId = 1;

  constructor(private readonly options: ScriptSandboxOptions) {
    if (!Number.isFinite(options.memoryLimitMb) || options.memoryLimitMb < 8) {
      throw new RangeError(`memoryLimitMb must be at least 8, got ${options.memoryLimitMb}`);
    }
    const create = () => new SandboxIsolate(options.memoryLimitMb, this.counters);
    this.functionPool = new IsolatePool(options.functionPoolSize, create, options.maxFunctionIsolates ?? options.functionPoolSize);
    this.matchPool = new IsolatePool(options.matchPoolSize, create);
  }

  stats(): ScriptSandboxStats {
    return { ...this.counters };
  }

  poolUsage(): { function: PoolUsage; match: PoolUsage } {
    return { function: this.functionPool.usage(), match: this.matchPool.usage() };
  }

  async runMatch(input: {
    script: string;
    request: ScriptRequest;
    provider: ScriptProvider;
    timeoutMs: number;
  }): Promise<ScriptOutcome<boolean>> {
    const [outcome] = await this.matchInOrder({
      request: input.request,
      candidates: [{ script: input.script, provider: input.provider }],
      timeoutMs: input.timeoutMs,
    });
    return outcome ?? { ok: false, error: { kind: 'error', message: 'the match script was not evaluated' }, durationMs: 0 };
  }

  /**
   * The request is turned into JSON text once here and handed to each isolate entry as that
   * text and the body string; most messages need a single entry (see `runMatchEntry`).
   */
  async matchInOrder(input: MatchInOrderInput): Promise<ScriptOutcome<boolean>[]> {
    const { candidates, request, timeoutMs } = input;
    const metaJson = JSON.stringify(requestMeta(request));
    const providerJsons = candidates.map((candidate) => JSON.stringify(candidate.provider));
    const outcomes: ScriptOutcome<boolean>[] = [];
    while (outcomes.length < candidates.length) {
      const from = outcomes.length;
      let slot: SandboxIsolate;
      try {
        slot = await this.matchPool.acquire();
      } catch (error) {
        outcomes.push({ ok: false, error: { kind: 'error', message: errorMessage(error) }, durationMs: 0 });
        continue;
      }
      const entry = await runMatchEntry(slot, {
        runId: this.nextRunId++,
        scripts: candidates.slice(from).map((candidate) => candidate.script),
        providerJsons: providerJsons.slice(from),
        metaJson,
        body: request.body,
        timeoutMs,
        deadlineGraceMs: DEADLINE_GRACE_MS,
        memoryLimitMb: this.options.memoryLimitMb,
      });
      this.counters.runs += entry.outcomes.length;
      this.releaseMatchSlot(slot, request.body.length);
      outcomes.push(...entry.outcomes);
      if (entry.isFinal) break;
    }
    return outcomes;
  }

  async evaluateCondition(input: {
    expression: string;
    scope: ConditionScope;
    timeoutMs: number;
  }): Promise<ScriptOutcome<boolean>> {
    const { scope, timeoutMs } = input;
    const session = new RunSession(this.nextRunId++, { payloadJson: () => this.payloadText(scope.payload) });
    const { provider, eventType, event, method, headers, query } = scope;
    const args = [session.id, { provider, eventType, event, method, headers, query }, scope.body];
    const options = { arguments: { copy: true }, result: { copy: true }, timeout: timeoutMs } as const;
    // A condition is an expression: like a match entry, it runs on this thread when its limit is short.
    const invoke = timeoutMs <= BLOCKING_ENTRY_LIMIT_MS ? async (runner: ivm.Reference<unknown>) => runner.applySync(undefined, args, options) : (runner: ivm.Reference<unknown>) => runner.apply(undefined, args, options);
    const { execution, durationMs } = await this.execute('condition', input.expression, timeoutMs, scope.body.length, session, invoke);
    return toBooleanOutcome(execution, 'condition', durationMs);
  }

  /**
   * The return value is copied out with JSON semantics, as `JSON.stringify` would: functions
   * and `undefined` properties are dropped, dates become strings, and `undefined` itself means
   * no result. A value JSON cannot express (a BigInt, a cycle) fails the run with a TypeError.
   */
  async runFunction(input: FunctionRunInput): Promise<FunctionRunOutcome> {
    const { request, timeoutMs } = input;
    const hooks: RunSessionHooks = {
      onRespond: input.onRespond,
      fetch: input.fetch ?? this.options.fetch,
      triggerAutomation: input.triggerAutomation,
      onPark: () => this.functionPool.notifyParked(),
    };
    const session = new RunSession(this.nextRunId++, hooks);
    const { execution, durationMs } = await this.execute('function', input.script, timeoutMs, request.body.length, session, (runner) =>
      runner.apply(
        undefined,
        [session.id, requestMeta(request), request.body, input.message, input.provider, input.eventType, input.event],
        { arguments: { copy: true }, result: { promise: true, copy: true }, timeout: timeoutMs },
      ),
    );
    return toFunctionOutcome(execution, session.logs, durationMs);
  }

  /** Compiles without running. Rejects only once the sandbox has been disposed. */
  async checkSyntax(kind: ScriptKind, source: string): Promise<string | null> {
    const slot = await this.matchPool.acquire();
    try {
      return await slot.checkSyntax(kind, source);
    } finally {
      this.matchPool.release(slot);
    }
  }

  /** Disposes every isolate: runs in progress and runs still queued end as failures. */
  async dispose(): Promise<void> {
    this.functionPool.close();
    this.matchPool.close();
  }

  /**
   * Runs `invoke` on an isolate held exclusively for this run, inside a host-side deadline.
   * Whatever goes wrong comes back as a ScriptError; this never throws. The duration counts
   * from when the run gets its isolate, so time spent queueing for one is not included.
   */
  private async execute(
    kind: ScriptKind,
    source: string,
    timeoutMs: number,
    inputChars: number,
    session: RunSession | null,
    invoke: (runner: ivm.Reference<unknown>) => Promise<unknown>,
  ): Promise<{ execution: Execution<unknown>; durationMs: number }> {
    const pool = kind === 'function' ? this.functionPool : this.matchPool;
    let slot: SandboxIsolate;
    try {
      slot = await pool.acquire();
    } catch (error) {
      return { execution: { ok: false, error: { kind: 'error', message: errorMessage(error) } }, durationMs: 0 };
    }
    const started = performance.now();
    const execution = await this.executeOn(pool, slot, kind, source, timeoutMs, inputChars, session, invoke);
    return { execution, durationMs: elapsedSince(started) };
  }

  private async executeOn(
    pool: IsolatePool<SandboxIsolate>,
    slot: SandboxIsolate,
    kind: ScriptKind,
    source: string,
    timeoutMs: number,
    inputChars: number,
    session: RunSession | null,
    invoke: (runner: ivm.Reference<unknown>) => Promise<unknown>,
  ): Promise<Execution<unknown>> {
    this.counters.runs++;
    slot.activeRun = session;
    let preparedKey: string | undefined;
    try {
      // Setting up the script's context runs no script code, so it is left out of the script's
      // time: on a busy host a first run would otherwise time out before the script even starts.
      const prepared = await slot.prepare(kind, source);
      if (!prepared.ok) return { ok: false, error: { kind: 'compile', message: prepared.message } };
      preparedKey = prepared.key;
      const work = invoke(prepared.runner).then((value): Execution<unknown> => ({ ok: true, value }));
      const settled = await settleWithin(work, timeoutMs + DEADLINE_GRACE_MS);
      if (settled.isSettled) return settled.value;
      // The isolate is ours alone, so disposing it ends this run and nothing else.
      slot.dispose('deadline');
      return { ok: false, error: timeoutError(timeoutMs) };
    } catch (error) {
      switch (slot.disposal) {
        case 'memory':
          return {
            ok: false,
            error: { kind: 'memory', message: `the script exceeded the memory limit of ${this.options.memoryLimitMb} MB` },
          };
        case 'host':
          return { ok: false, error: { kind: 'error', message: new PoolClosedError().message } };
        case null:
          break;
      }
      // Interrupted halfway, the script's context may hold half-done state: start it afresh.
      if (preparedKey !== undefined) slot.dropContext(preparedKey);
      if (errorMessage(error) === 'Script execution timed out.') return { ok: false, error: timeoutError(timeoutMs) };
      return { ok: false, error: { kind: 'error', message: errorMessage(error) } };
    } finally {
      slot.activeRun = null;
      session?.end();
      // A host call still pending means guest code may resume after this run is over; recycle the
      // isolate rather than let that code run alongside the next script.
      if (session?.hasPendingCalls === true) pool.discard(slot);
      else if (slot.isOverweightAfter(inputChars)) {
        this.counters.isolatesRecycled++;
        pool.discard(slot);
      } else pool.release(slot);
    }
  }

  private releaseMatchSlot(slot: SandboxIsolate, inputChars: number): void {
    if (slot.isOverweightAfter(inputChars)) {
      this.counters.isolatesRecycled++;
      this.matchPool.discard(slot);
    } else this.matchPool.release(slot);
  }

  private payloadText(payload: unknown): string | undefined {
    if (typeof payload !== 'object' || payload === null) return JSON.stringify(payload);
    let text = this.payloadTexts.get(payload);
    if (text === undefined) {
      text = JSON.stringify(payload);
      this.payloadTexts.set(payload, text);
    }
    return text;
  }
}

/** The request without its body, small enough to copy into the guest on every run. */
function requestMeta(request: ScriptRequest): Record<string, unknown> {
  return {
    method: request.method,
    uri: request.uri,
    path: request.path,
    headers: request.headers,
    query: request.query,
    form: request.form,
    hasJson: request.json !== null && request.json !== undefined,
  };
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

