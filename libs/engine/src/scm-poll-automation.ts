import { randomUUID } from 'node:crypto';
import { isGlobPattern, matchesAnyGlob } from './scm-glob';
import type { BranchHead, ScmHost } from './scm-hosts';
import {
  checkChangedPaths,
  compareHead,
  freshBranchState,
  pathsAllowRun,
  recordPollFailure,
  recordPollSuccess,
  scmPollTrigger,
  toScmPollFailure,
  watchedBranches,
  watchedEntries,
  type PathsCheck,
  type ScmBranchState,
  type ScmPollFailure,
  type ScmPollSettings,
  type ScmPollTrigger,
} from './scm-poll';
import { duplicateReason, isDuplicateClaim, type ShaClaim, type ShaClaims } from './scm-sha-claims';

/** Where the poll state of automations lives; the server's repository implements it over the database. */
export interface ScmPollStateStore {
  /** Every branch state of the automation (patterns' included), in no particular order. */
  readPollState(automationId: string): Promise<ScmBranchState[]>;
  /**
   * Takes the listed branches that are due (no state yet, or nextAttemptAt at or before `now`) by
   * setting their nextAttemptAt to `holdUntil`, and returns their states as taken. Of several
   * callers (on any server) that ask for one branch at once, one gets it. A holder that dies
   * without writing leaves the branch due again at `holdUntil`.
   */
  takeDueBranches(automationId: string, branches: string[], now: Date, holdUntil: Date): Promise<ScmBranchState[]>;
  /** Stores a branch's state as a poll left it. */
  writeBranchState(automationId: string, state: ScmBranchState): Promise<void>;
}

/** Starting (or recording as skipped) the runs of moved branches; the server's runs implement it. */
export interface ScmPollRuns {
  /** Starts a run of the automation, trigger `scm-poll`, with this id. */
  startRun(runId: string, trigger: ScmPollTrigger): Promise<void>;
  /** Records that a moved branch started no run, and why (a skipped run in the automation's history). */
  skipRun(runId: string, trigger: ScmPollTrigger, reason: string): Promise<void>;
}

export interface ScmPollPorts {
  host: ScmHost;
  state: ScmPollStateStore;
  claims: ShaClaims;
  runs: ScmPollRuns;
  now: () => Date;
  /** Ids for runs; random UUIDs unless given. */
  newId?: () => string;
}

/**
 * What became of one watched branch. baseline: first SHA recorded, no run; unchanged: same SHA;
 * triggered: moved and ran; filtered: moved, but no changed file matched `paths`; duplicate:
 * moved, but a webhook already ran the SHA within the dedup window; failed: the host call failed;
 * waiting: not due (minimum interval, backoff, or another server polling it), not polled.
 */
export type ScmBranchOutcome = 'baseline' | 'unchanged' | 'triggered' | 'filtered' | 'duplicate' | 'failed' | 'waiting';

export interface ScmBranchReport {
  branch: string;
  outcome: ScmBranchOutcome;
  /** Whether the poll starts (started) a run for the branch. */
  wouldTrigger: boolean;
  /** The SHA stored before this poll. */
  previousSha: string | null;
  /** The head found, when the host answered. */
  head: BranchHead | null;
  paths: PathsCheck | null;
  /** How long the host took to answer for the head. */
  latencyMs: number | null;
  error: ScmPollFailure | null;
  /** The webhook's claim of the SHA, for a duplicate. */
  duplicateOf: ShaClaim | null;
  /** The run started or recorded as skipped; always null in a dry run. */
  runId: string | null;
  /** When the branch may be polled next, as the state says after this poll. */
  nextAttemptAt: Date | null;
}

/** Listing the repository's branches for the glob entries of `branches`. */
export interface ScmListingReport {
  patterns: string[];
  /** listed: the host answered; failed: it did not; waiting: not due, the branches known from earlier polls were used. */
  outcome: 'listed' | 'failed' | 'waiting';
  /** The branches the patterns matched. */
  matched: string[];
  error: ScmPollFailure | null;
  nextAttemptAt: Date | null;
}

export interface ScmPollReport {
  automationId: string;
  dryRun: boolean;
  polledAt: Date;
  listing: ScmListingReport | null;
  branches: ScmBranchReport[];
}

/** How long a taken branch stays taken if its poller dies before writing its state. */
export const SCM_POLL_HOLD_SECONDS = 600;

interface PollContext {
  automationId: string;
  settings: ScmPollSettings;
  ports: ScmPollPorts;
  dryRun: boolean;
}

/**
 * Polls one automation's watched branches once. Each due branch's head is read; the first
 * successful poll of a branch records a baseline, a new SHA starts a run (unless the paths
 * filter matches no changed file, or a webhook already ran the SHA within the dedup window), and
 * the state records the SHA, the errors and the next attempt. Branches are polled one after the
 * other, to spare the host.
 *
 * With `dryRun` (Test Poll) every watched branch is polled whether due or not, and the state is
 * read but never written, no SHA is claimed and no run starts: the report says what would happen.
 * Host failures end up in the report and the state, never thrown; a failing store or run starter
 * throws, and the branches it held become due again after SCM_POLL_HOLD_SECONDS.
 */
export async function pollAutomation(automationId: string, settings: ScmPollSettings, ports: ScmPollPorts, options: { dryRun?: boolean } = {}): Promise<ScmPollReport> {
  const context: PollContext = { automationId, settings, ports, dryRun: options.dryRun ?? false };
  const polledAt = ports.now();
  const known = new Map((await ports.state.readPollState(automationId)).map((state) => [state.branch, state]));
  const entries = watchedEntries(settings);
  const listing = entries.some(isGlobPattern) ? await listBranches(context, entries, known, polledAt) : null;
  const branches = watchedBranches(entries, listing?.matched ?? []);
  const taken = context.dryRun ? new Map<string, ScmBranchState>() : await take(context, branches, polledAt);
  const reports: ScmBranchReport[] = [];
  for (const branch of branches) {
    const stored = known.get(branch) ?? freshBranchState(branch);
    const state = context.dryRun ? stored : taken.get(branch);
    reports.push(state ? await pollBranch(context, state) : blankReport(stored, 'waiting'));
  }
  return { automationId, dryRun: context.dryRun, polledAt, listing, branches: reports };
}

async function take(context: PollContext, branches: string[], now: Date): Promise<Map<string, ScmBranchState>> {
  if (branches.length === 0) return new Map();
  const holdUntil = new Date(now.getTime() + SCM_POLL_HOLD_SECONDS * 1000);
  const taken = await context.ports.state.takeDueBranches(context.automationId, branches, now, holdUntil);
  return new Map(taken.map((state) => [state.branch, state]));
}

/**
 * Lists the repository's branches for the patterns, once for all of them, when one of the
 * patterns' states is due. When none is, the branches earlier polls found for the patterns are
 * polled as they are due, and new branches wait for the next listing.
 */
async function listBranches(context: PollContext, entries: string[], known: Map<string, ScmBranchState>, now: Date): Promise<ScmListingReport> {
  const patterns = entries.filter(isGlobPattern);
  const taken = context.dryRun ? patterns.map((pattern) => known.get(pattern) ?? freshBranchState(pattern)) : [...(await take(context, patterns, now)).values()];
  if (taken.length === 0) {
    const matched = [...known.keys()].filter((branch) => !isGlobPattern(branch) && matchesAnyGlob(patterns, branch));
    return { patterns, outcome: 'waiting', matched, error: null, nextAttemptAt: earliest(patterns.map((pattern) => known.get(pattern)?.nextAttemptAt ?? null)) };
  }
  const { settings, ports } = context;
  let listed: string[];
  try {
    listed = await ports.host.branches(settings.repo);
  } catch (error) {
    const failure = toScmPollFailure(error);
    const states = taken.map((state) => recordPollFailure(state, failure, settings, ports.now()));
    await write(context, states);
    return { patterns, outcome: 'failed', matched: [], error: failure, nextAttemptAt: earliest(states.map((state) => state.nextAttemptAt)) };
  }
  const states = taken.map((state) => recordPollSuccess(state, null, settings, ports.now()));
  await write(context, states);
  const matched = listed.filter((branch) => matchesAnyGlob(patterns, branch));
  return { patterns, outcome: 'listed', matched, error: null, nextAttemptAt: earliest(states.map((state) => state.nextAttemptAt)) };
}

async function pollBranch(context: PollContext, state: ScmBranchState): Promise<ScmBranchReport> {
  const { settings, ports } = context;
  const report = blankReport(state, 'failed');
  const asked = ports.now();
  let head: BranchHead;
  try {
    head = await ports.host.head(settings.repo, state.branch);
  } catch (error) {
    report.latencyMs = ports.now().getTime() - asked.getTime();
    return failed(context, state, report, toScmPollFailure(error));
  }
  report.head = head;
  report.latencyMs = ports.now().getTime() - asked.getTime();
  const change = compareHead(state.lastSha, head.sha);
  if (change.kind !== 'moved') {
    report.outcome = change.kind;
    return succeeded(context, state, report, head.sha);
  }
  if (settings.paths.length > 0) {
    try {
      report.paths = await comparePaths(context, change.oldSha, change.newSha);
    } catch (error) {
      return failed(context, state, report, toScmPollFailure(error));
    }
  }
  // The branch as watched, whatever spelling the host answers with: it selects the checkout.
  const trigger = scmPollTrigger(settings, { ...head, branch: state.branch }, change.oldSha, report.latencyMs);
  const runId = context.dryRun ? null : newRunId(ports);
  report.runId = runId;
  if (report.paths !== null && !pathsAllowRun(report.paths)) {
    report.outcome = 'filtered';
    await skip(context, runId, trigger, filteredReason(report.paths));
    return succeeded(context, state, report, head.sha);
  }
  const duplicateOf = await findDuplicate(context, head.sha, runId);
  if (duplicateOf) {
    report.outcome = 'duplicate';
    report.duplicateOf = duplicateOf;
    await skip(context, runId, trigger, duplicateReason(duplicateOf));
    return succeeded(context, state, report, head.sha);
  }
  report.outcome = 'triggered';
  report.wouldTrigger = true;
  if (runId !== null) await ports.runs.startRun(runId, trigger);
  return succeeded(context, state, report, head.sha);
}

/**
 * The files changed in the range, against `paths`. A range the host cannot find (history
 * rewritten by a force push, an old SHA gone) runs the branch rather than miss a change; other
 * failures fail the poll, and the next one compares again.
 */
async function comparePaths(context: PollContext, fromSha: string, toSha: string): Promise<PathsCheck> {
  const { settings, ports } = context;
  try {
    return checkChangedPaths(settings.paths, fromSha, toSha, await ports.host.changedFiles(settings.repo, fromSha, toSha));
  } catch (error) {
    const failure = toScmPollFailure(error);
    if (failure.kind !== 'not_found') throw error;
    return { patterns: settings.paths, fromSha, toSha, compared: false, changedCount: 0, matched: [], matchedCount: 0, changedSample: [], reason: failure.message };
  }
}

/**
 * A webhook's claim of the SHA within the window, or null. A real poll claims the SHA for its run
 * in the same step; a dry run only looks.
 */
async function findDuplicate(context: PollContext, sha: string, runId: string | null): Promise<ShaClaim | null> {
  const { automationId, settings, ports } = context;
  const window = settings.webhookDedupWindowSeconds;
  if (window === 0) return null;
  const now = ports.now();
  if (runId === null) {
    const earlier = await ports.claims.findSha(automationId, sha);
    return earlier && isDuplicateClaim(earlier, 'poll', now, window) ? earlier : null;
  }
  const claim = await ports.claims.claimSha(automationId, { sha, source: 'poll', runId, seenAt: now }, window);
  return claim.first ? null : claim.earlier;
}

function filteredReason(paths: PathsCheck): string {
  return `no file changed in ${paths.fromSha}..${paths.toSha} matches ${paths.patterns.join(', ')} (${paths.changedCount} changed)`;
}

/** Records a moved branch that starts no run; a dry run (no run id) records nothing. */
async function skip(context: PollContext, runId: string | null, trigger: ScmPollTrigger, reason: string): Promise<void> {
  if (runId !== null) await context.ports.runs.skipRun(runId, trigger, reason);
}

async function succeeded(context: PollContext, state: ScmBranchState, report: ScmBranchReport, sha: string): Promise<ScmBranchReport> {
  const next = recordPollSuccess(state, sha, context.settings, context.ports.now());
  await write(context, [next]);
  return { ...report, nextAttemptAt: context.dryRun ? state.nextAttemptAt : next.nextAttemptAt };
}

async function failed(context: PollContext, state: ScmBranchState, report: ScmBranchReport, failure: ScmPollFailure): Promise<ScmBranchReport> {
  const next = recordPollFailure(state, failure, context.settings, context.ports.now());
  await write(context, [next]);
  return { ...report, outcome: 'failed', wouldTrigger: false, runId: null, error: failure, nextAttemptAt: context.dryRun ? state.nextAttemptAt : next.nextAttemptAt };
}

function blankReport(state: ScmBranchState, outcome: ScmBranchOutcome): ScmBranchReport {
  return {
    branch: state.branch,
    outcome,
    wouldTrigger: false,
    previousSha: state.lastSha,
    head: null,
    paths: null,
    latencyMs: null,
    error: null,
    duplicateOf: null,
    runId: null,
    nextAttemptAt: state.nextAttemptAt,
  };
}

async function write(context: PollContext, states: ScmBranchState[]): Promise<void> {
  if (context.dryRun) return;
  for (const state of states) await context.ports.state.writeBranchState(context.automationId, state);
}

function newRunId(ports: ScmPollPorts): string {
  return ports.newId ? ports.newId() : randomUUID();
}

function earliest(dates: Array<Date | null>): Date | null {
  const times = dates.filter((date): date is Date => date !== null).map((date) => date.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}
