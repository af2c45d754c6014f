import { performance } from 'node:perf_hooks';
import type { ScriptError, ScriptOutcome } from '../script-types';
import { errorMessage } from './error-message';
import { timeoutError, toBooleanOutcome } from './guest-result';
import { PoolClosedError } from './isolate-pool';
import type { Prepared, SandboxIsolate } from './sandbox-isolate';
import { settleWithin } from './settle-within';

/** What one entry into an isolate evaluates: match scripts in order, each with its provider as JSON text. */
export interface MatchEntry {
  runId: number;
  scripts: readonly string[];
  providerJsons: readonly string[];
  metaJson: string;
  body: string;
  timeoutMs: number;
  /** Time past the limit before the host gives up on the entry and disposes the isolate. */
  deadlineGraceMs: number;
  memoryLimitMb: number;
}

export interface MatchEntryResult {
  /** One per script evaluated, in order; fewer than the scripts when the entry ended early. */
  outcomes: ScriptOutcome<boolean>[];
  /** True when evaluating stops here: a script said yes, or the entry's first script timed out. */
  isFinal: boolean;
}

/**
 * The host half of a match entry: the guest loop reports each script's outcome as it settles,
 * which times it and tells, when a timeout interrupts the entry, which script was running.
 */
export class MatchProgress {
  private readonly settled = new Map<number, ScriptOutcome<boolean>>();
  private lastAt: number;

  constructor(readonly id: number) {
    this.lastAt = performance.now();
  }

  /** Starts the clock of the first script: setting up contexts is not any script's time. */
  start(): void {
    this.lastAt = performance.now();
  }

  settle(index: unknown, isOk: unknown, isYes: unknown, name: unknown, message: unknown, stack: unknown): void {
    if (typeof index !== 'number' || this.settled.has(index)) return;
    const durationMs = this.sinceLast();
    const guestResult = isOk === true ? { ok: true, value: isYes === true } : { ok: false, name, message, stack };
    this.settled.set(index, toBooleanOutcome({ ok: true, value: guestResult }, 'match', durationMs));
  }

  outcome(index: number): ScriptOutcome<boolean> | undefined {
    return this.settled.get(index);
  }

  get settledCount(): number {
    return this.settled.size;
  }

  sinceLast(): number {
    const now = performance.now();
    const elapsed = Math.round((now - this.lastAt) * 100) / 100;
    this.lastAt = now;
    return elapsed;
  }
}

/**
 * Entries with a time limit up to this run on the event loop's own thread, which they hold for at
 * most that long; longer ones (a retry after a timeout, a long HOOKLINE_MATCH_TIMEOUT) run on the
 * isolate's thread while the server goes on with other work.
 */
export const BLOCKING_ENTRY_LIMIT_MS = 250;

/**
 * Evaluates the entry's match scripts in one call into the isolate, stopping at the first yes.
 * The whole entry gets one script's time limit: a script that runs alone from the start of an
 * entry and is interrupted has had its full limit and timed out; one interrupted later has not,
 * and the caller starts a new entry with it. So no script runs longer than its limit, and none
 * is called timed out before it had all of it. Never throws.
 */
export async function runMatchEntry(slot: SandboxIsolate, entry: MatchEntry): Promise<MatchEntryResult> {
  const progress = new MatchProgress(entry.runId);
  slot.activeMatch = progress;
  const prepared: Prepared[] = [];
  let prepareFailure: unknown = null;
  let failure: unknown = null;
  let isPastDeadline = false;
  try {
    // Setting up a context runs no script code, so it is left out of the scripts' time.
    for (const script of entry.scripts) prepared.push(await slot.prepare('match', script));
  } catch (error) {
    // Only a failing isolate makes this throw: the scripts set up before it still run here.
    prepareFailure = error;
  }
  const isRunnable = slot.isUsable && prepared.some((script) => script.ok);
  try {
    if (isRunnable) {
      const loop = await slot.matchLoop();
      const args: unknown[] = [entry.runId, entry.metaJson, entry.body];
      for (const [index, script] of prepared.entries()) args.push(script.ok ? script.runner.derefInto() : null, entry.providerJsons[index]);
      progress.start();
      if (entry.timeoutMs <= BLOCKING_ENTRY_LIMIT_MS) {
        // On this thread: no hand-over to the isolate's thread and back for the entry and each
        // settle. The scripts are synchronous, and V8 stops them at the limit.
        loop.applySync(undefined, args, { timeout: entry.timeoutMs });
      } else {
        const work = loop.apply(undefined, args, { timeout: entry.timeoutMs });
        isPastDeadline = !(await settleWithin(work, entry.timeoutMs + entry.deadlineGraceMs)).isSettled;
        // The isolate is ours alone, so disposing it ends this entry and nothing else.
        if (isPastDeadline) slot.dispose('deadline');
      }
    }
  } catch (error) {
    failure = error;
  } finally {
    slot.activeMatch = null;
  }

  const outcomes: ScriptOutcome<boolean>[] = [];
  for (const [index, script] of prepared.entries()) {
    if (!script.ok) {
      outcomes.push({ ok: false, error: { kind: 'compile', message: script.message }, durationMs: 0 });
      continue;
    }
    const settled = progress.outcome(index);
    if (settled !== undefined) {
      outcomes.push(settled);
      if (settled.ok && settled.value) return { outcomes, isFinal: true };
      continue;
    }
    // This script was running when the entry ended (or, the isolate lost while setting up, never ran).
    const error = entryError(slot, isRunnable ? failure : prepareFailure, isPastDeadline, entry);
    const durationMs = progress.sinceLast();
    if (slot.isUsable) slot.dropContext(script.key);
    if (error.kind !== 'timeout') {
      outcomes.push({ ok: false, error, durationMs });
      return { outcomes, isFinal: false };
    }
    const hadFullLimit = progress.settledCount === 0;
    if (hadFullLimit) outcomes.push({ ok: false, error, durationMs });
    return { outcomes, isFinal: hadFullLimit };
  }
  // Every script set up answered no; one that could not be set up counts as no with the reason.
  if (prepareFailure !== null) outcomes.push({ ok: false, error: entryError(slot, prepareFailure, false, entry), durationMs: 0 });
  return { outcomes, isFinal: false };
}

function entryError(slot: SandboxIsolate, failure: unknown, isPastDeadline: boolean, entry: MatchEntry): ScriptError {
  if (isPastDeadline) return timeoutError(entry.timeoutMs);
  switch (slot.disposal) {
    case 'memory':
      return { kind: 'memory', message: `the script exceeded the memory limit of ${entry.memoryLimitMb} MB` };
    case 'host':
      return { kind: 'error', message: new PoolClosedError().message };
    case null:
      break;
  }
  const message = errorMessage(failure);
  if (message === 'Script execution timed out.') return timeoutError(entry.timeoutMs);
  return { kind: 'error', message: failure === null ? 'the match entry ended without an answer' : message };
}
