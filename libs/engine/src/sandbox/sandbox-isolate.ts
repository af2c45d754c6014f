import { createHash } from 'node:crypto';
import { ivm } from './isolated-vm';
import type { ScriptKind } from '../script-types';
import { LOG_ENTRY_LIMIT, LOG_MESSAGE_LIMIT, MATCH_LOOP_SOURCE, PRELUDE_SOURCE, VARS_BYTE_LIMIT, VARS_TOO_LARGE } from './guest-prelude';
import { errorMessage, isSyntaxError } from './error-message';
import { LruMap } from './lru-map';
import type { MatchProgress } from './match-entry';
import { RESPOND_BODY_LIMIT } from './response-checks';
import type { HostResult, RunSession } from './run-session';
import { VALIDATOR_SOURCE, scriptFilename, wrapScript } from './script-wrapper';

/** Compiled scripts kept per isolate. A compiled script costs little heap. */
const SCRIPT_CACHE_SIZE = 500;
/**
 * Measured on Node 20: a script context with the runtime installed takes about 175 KB of the
 * isolate's heap. Counted as 256 KB to leave room for what scripts keep in their globals.
 */
const CONTEXT_HEAP_BYTES = 256 * 1024;
/** Share of the isolate's memory limit that cached contexts may take. */
const CONTEXT_HEAP_SHARE = 0.25;
/** Heap of an isolate with the guest runtime set up and no script context yet (measured: about 4 MB). */
const RUNTIME_HEAP_BYTES = 4 * 1024 * 1024;
/**
 * Garbage an isolate may hold between runs before it is replaced. V8 collects an isolate's old
 * space only near its memory limit, so every large body copied into a script stays in the heap
 * until then: a pool of isolates at 64 MB each would hold hundreds of MB of dead strings.
 */
const GARBAGE_ALLOWANCE_BYTES = 16 * 1024 * 1024;
/** Input handed to runs since the heap was last weighed that makes it due: a fraction of the allowance, even if parsing multiplies it. */
const WEIGH_AFTER_CHARS = 1024 * 1024;
/** Runs since the heap was last weighed that make it due whatever their input. */
const WEIGH_EVERY_RUNS = 32;

export interface SandboxCounters {
  isolatesCreated: number;
  isolatesRecycled: number;
  compilations: number;
  contextsCreated: number;
  runs: number;
  /** Isolates disposed because a run outlived its time limit (the host-side deadline). */
  timeoutDisposals: number;
  /** Isolates V8 disposed because a run exceeded the memory limit. */
  memoryDisposals: number;
}

export type Prepared =
  | { ok: true; key: string; runner: ivm.Reference<unknown> }
  | { ok: false; message: string };

type Compiled = { ok: true; script: ivm.Script } | { ok: false; message: string };

interface ScriptContext {
  context: ivm.Context;
  runner: ivm.Reference<unknown>;
}

/**
 * One isolate and what it has learnt: compiled scripts, and a context per script holding the
 * guest runtime and the script's function. A context is reused run after run; it is set up
 * once (about 1 ms) instead of per run, and scripts never share one, so a script that changes
 * a global or a built-in prototype affects only its own later runs.
 *
 * The pool gives an isolate to one run at a time, so `activeRun` is the only run whose guest
 * calls are honoured; calls carrying another run's id (a promise left behind by a finished
 * run) are ignored.
 */
export class SandboxIsolate {
  readonly isolate: ivm.Isolate;
  activeRun: RunSession | null = null;
  /** The match entry running now; settles reported for any other are ignored. */
  activeMatch: MatchProgress | null = null;
  /** False when the isolate was disposed by V8 for exceeding its memory limit. */
  private isDisposedByHost = false;
  private isDisposalCounted = false;
  private readonly scripts = new LruMap<string, ivm.Script>(SCRIPT_CACHE_SIZE, (_key, script) =>
    releaseQuietly(script),
  );
  private readonly contexts: LruMap<string, ScriptContext>;
  private prelude: ivm.Script | undefined;
  private validator: ivm.Reference<unknown> | undefined;
  private matchLoopRunner: ivm.Reference<unknown> | undefined;
  private runsSinceWeighed = 0;
  private charsSinceWeighed = 0;

  constructor(
    memoryLimitMb: number,
    private readonly counters: SandboxCounters,
  ) {
    this.isolate = new ivm.Isolate({ memoryLimit: memoryLimitMb });
    counters.isolatesCreated++;
    const contextCapacity = Math.max(
      4,
      Math.floor((memoryLimitMb * 1024 * 1024 * CONTEXT_HEAP_SHARE) / CONTEXT_HEAP_BYTES),
    );
    this.contexts = new LruMap(Math.min(contextCapacity, SCRIPT_CACHE_SIZE), (_key, entry) => {
      releaseQuietly(entry.runner);
      releaseQuietly(entry.context);
    });
  }

  get isUsable(): boolean {
    return !this.isolate.isDisposed;
  }

  /**
   * True when the heap holds far more than its compiled scripts and contexts need: garbage from
   * earlier runs that V8 would keep until the memory limit. Replacing the isolate (a few ms)
   * hands that memory back at once; collecting it is not something isolated-vm can ask V8 for.
   *
   * Weighing the heap costs more than a small run, and garbage grows with what runs are handed,
   * so the heap is weighed only once the runs since the last weighing were handed WEIGH_AFTER_CHARS
   * of input between them, or every WEIGH_EVERY_RUNS runs. `inputChars` is this run's share.
   */
  isOverweightAfter(inputChars: number): boolean {
    if (this.isolate.isDisposed) return false;
    this.charsSinceWeighed += inputChars;
    if (++this.runsSinceWeighed < WEIGH_EVERY_RUNS && this.charsSinceWeighed < WEIGH_AFTER_CHARS) return false;
    this.runsSinceWeighed = 0;
    this.charsSinceWeighed = 0;
    const heap = this.isolate.getHeapStatisticsSync();
    const expected = RUNTIME_HEAP_BYTES + this.contexts.size * CONTEXT_HEAP_BYTES;
    return heap.total_heap_size + heap.externally_allocated_size > expected + GARBAGE_ALLOWANCE_BYTES;
  }

  /** Its run only waits on a host call, so the pool may let another run have an isolate of its own. */
  get isParked(): boolean {
    return this.activeRun?.hasPendingCalls === true;
  }

  /** The script's runner, compiling the script and setting up its context on first use. */
  async prepare(kind: ScriptKind, source: string): Promise<Prepared> {
    const key = cacheKey(kind, source);
    const cached = this.contexts.get(key);
    if (cached !== undefined) return { ok: true, key, runner: cached.runner };

    const compiled = await this.compile(kind, source, key);
    if (!compiled.ok) return compiled;

    const context = await this.isolate.createContext();
    try {
      const factory = await this.preludeScript().run(context, { reference: true });
      // Evaluating the wrapper only creates the function: no script code runs here.
      const userFunction = await compiled.script.run(context, { reference: true });
      const runner = await factory.apply(
        undefined,
        [
          kind,
          userFunction.derefInto(),
          new ivm.Callback(this.onLog),
          new ivm.Callback(this.onRespond),
          new ivm.Reference(this.onFetch),
          new ivm.Callback(this.onPayload),
          new ivm.Reference(this.onTrigger),
          LOG_ENTRY_LIMIT,
          LOG_MESSAGE_LIMIT,
          VARS_BYTE_LIMIT,
          VARS_TOO_LARGE,
          RESPOND_BODY_LIMIT,
          scriptFilename(kind),
        ],
        { result: { reference: true } },
      );
      factory.release();
      userFunction.release();
      this.contexts.set(key, { context, runner });
      this.counters.contextsCreated++;
      return { ok: true, key, runner };
    } catch (error) {
      releaseQuietly(context);
      throw error;
    }
  }

  /**
   * The guest loop that runs match scripts in order, in a context of its own where no script
   * runs (see `MATCH_LOOP_SOURCE`). Set up once per isolate.
   */
  async matchLoop(): Promise<ivm.Reference<unknown>> {
    if (this.matchLoopRunner === undefined) {
      const context = await this.isolate.createContext();
      const script = await this.isolate.compileScript(MATCH_LOOP_SOURCE, { filename: 'hookline-match-loop.js' });
      const factory = await script.run(context, { reference: true });
      this.matchLoopRunner = await factory.apply(undefined, [new ivm.Callback(this.onSettle)], { result: { reference: true } });
      factory.release();
      script.release();
    }
    return this.matchLoopRunner;
  }

  /** A syntax error message for the script, or null; the script is compiled, never run. */
  async checkSyntax(kind: ScriptKind, source: string): Promise<string | null> {
    const compiled = await this.compile(kind, source, cacheKey(kind, source));
    return compiled.ok ? null : compiled.message;
  }

  /** Forgets the script's context, e.g. after a timeout interrupted it halfway. */
  dropContext(key: string): void {
    this.contexts.delete(key);
  }

  /** Why the isolate is gone: its memory limit, or the host (a deadline, the pool closing). */
  get disposal(): 'memory' | 'host' | null {
    if (!this.isolate.isDisposed) return null;
    return this.isDisposedByHost ? 'host' : 'memory';
  }

  /**
   * Ends the isolate; `deadline` when its run outlived its time limit. An isolate V8 ended for
   * its memory limit is counted here, when the pool lets it go (once: the flag).
   */
  dispose(cause: 'deadline' | 'release' = 'release'): void {
    if (this.isolate.isDisposed) {
      if (!this.isDisposedByHost && !this.isDisposalCounted) this.counters.memoryDisposals++;
      this.isDisposalCounted = true;
      return;
    }
    this.isDisposedByHost = true;
    if (cause === 'deadline') this.counters.timeoutDisposals++;
    this.isolate.dispose();
  }

  private async compile(kind: ScriptKind, source: string, key: string): Promise<Compiled> {
    const cached = this.scripts.get(key);
    if (cached !== undefined) return { ok: true, script: cached };

    const wrapped = wrapScript(kind, source);
    let script: ivm.Script;
    try {
      this.counters.compilations++;
      script = await this.isolate.compileScript(wrapped.code, {
        filename: wrapped.filename,
        columnOffset: wrapped.columnOffset,
      });
    } catch (error) {
      if (isSyntaxError(error)) return { ok: false, message: formatSyntaxError(error.message) };
      throw error;
    }
    const problem = await this.validatorFunction().apply(
      undefined,
      [wrapped.isAsync, [...wrapped.params], wrapped.body],
      { arguments: { copy: true }, result: { copy: true } },
    );
    if (problem !== null) {
      releaseQuietly(script);
      return {
        ok: false,
        message: `SyntaxError: the script closes its own function body early (${String(problem)}); look for an extra '}' or ')'`,
      };
    }
    this.scripts.set(key, script);
    return { ok: true, script };
  }

  private preludeScript(): ivm.Script {
    this.prelude ??= this.isolate.compileScriptSync(PRELUDE_SOURCE, { filename: 'hookline-runtime.js' });
    return this.prelude;
  }

  private validatorFunction(): ivm.Reference<unknown> {
    if (this.validator === undefined) {
      const context = this.isolate.createContextSync();
      this.validator = this.isolate
        .compileScriptSync(VALIDATOR_SOURCE, { filename: 'hookline-validator.js' })
        .runSync(context, { reference: true });
    }
    return this.validator;
  }

  private sessionFor(runId: unknown): RunSession | null {
    const run = this.activeRun;
    return run !== null && run.id === runId ? run : null;
  }

  // The host functions below are what guest code ends up calling. None of them may throw:
  // an exception thrown by a Callback reaches the guest with host stack frames (file paths)
  // in its stack, and a rejecting Reference raises unhandledRejection in the host.

  private readonly onLog = (runId: unknown, level: unknown, message: unknown): void => {
    try {
      this.sessionFor(runId)?.log(level, message);
    } catch {
      // Nothing useful to tell the guest.
    }
  };

  private readonly onRespond = (
    runId: unknown,
    status: unknown,
    headers: unknown,
    isText: unknown,
    text: unknown,
  ): void => {
    try {
      this.sessionFor(runId)?.respond(status, headers, isText, text);
    } catch {
      // RunSession.respond already reports the host's failures in the run's logs.
    }
  };

  private readonly onFetch = async (runId: unknown, request: unknown): Promise<HostResult<unknown>> => {
    try {
      const run = this.sessionFor(runId);
      if (run === null) return { ok: false, error: 'the run that started this fetch has already finished' };
      return await run.fetch(request);
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    }
  };

  private readonly onTrigger = async (runId: unknown, nameOrId: unknown, varsJson: unknown): Promise<HostResult<string>> => {
    try {
      const run = this.sessionFor(runId);
      if (run === null) return { ok: false, error: 'the run that started this trigger has already finished' };
      return await run.triggerAutomation(nameOrId, varsJson);
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    }
  };

  private readonly onSettle = (
    runId: unknown,
    index: unknown,
    isOk: unknown,
    isYes: unknown,
    name: unknown,
    message: unknown,
    stack: unknown,
  ): void => {
    try {
      const match = this.activeMatch;
      if (match !== null && match.id === runId) match.settle(index, isOk, isYes, name, message, stack);
    } catch {
      // Nothing useful to tell the guest.
    }
  };

  private readonly onPayload = (runId: unknown): string | undefined => {
    try {
      return this.sessionFor(runId)?.payloadJson();
    } catch {
      return undefined;
    }
  };
}

/**
 * Keys of recent sources: a message's match scripts are looked up on every message, and the same
 * source strings come back each time, so their hash is computed once rather than per message.
 */
const recentKeys = new Map<ScriptKind, Map<string, string>>();
const RECENT_KEYS_LIMIT = 1000;

function cacheKey(kind: ScriptKind, source: string): string {
  let keys = recentKeys.get(kind);
  if (keys === undefined) recentKeys.set(kind, (keys = new Map()));
  const known = keys.get(source);
  if (known !== undefined) return known;
  const key = `${kind}:${createHash('sha256').update(source).digest('base64')}`;
  if (keys.size >= RECENT_KEYS_LIMIT) keys.clear();
  keys.set(source, key);
  return key;
}

/** "Unexpected token '}' [function.js:3:5]" becomes "SyntaxError: Unexpected token '}' (line 3, column 5)". */
function formatSyntaxError(message: string): string {
  const located = /^(.*) \[[^\]]*:(\d+):(\d+)\]$/s.exec(message);
  if (located === null) return `SyntaxError: ${message}`;
  return `SyntaxError: ${located[1]} (line ${located[2]}, column ${located[3]})`;
}

function releaseQuietly(handle: { release(): void }): void {
  try {
    handle.release();
  } catch {
    // Already released, or its isolate is gone; either way nothing is held any more.
  }
}
