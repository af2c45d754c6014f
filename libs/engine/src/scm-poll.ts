import { isGlobPattern, matchesAnyGlob } from './scm-glob';
import { ScmHostError, type BranchHead, type ScmFailureKind } from './scm-hosts';

/** How polls back off after repeated errors of a Git host. */
export interface ScmPollBackoff {
  baseSeconds: number;
  maxSeconds: number;
  /** Consecutive errors before polls back off; until then they keep the minimum interval. */
  threshold: number;
}

/** The branches an automation watches: one branch, or a list of exact names and glob patterns. */
export type ScmPollBranches = { branch: string; branches?: never } | { branches: string[]; branch?: never };

/** `scmPoll` of a scheduled automation as stored: fields left out take SCM_POLL_DEFAULTS. */
export type StoredScmPoll = {
  /** The Git provider's name. */
  providerName: string;
  repo: string;
  /** Glob patterns; when given, a moved branch runs only if a changed file matches one. */
  paths?: string[];
  minIntervalSeconds?: number;
  /** 0 turns the webhook/poll dedup off. */
  webhookDedupWindowSeconds?: number;
  backoff?: Partial<ScmPollBackoff>;
} & ScmPollBranches;

/** `scmPoll` in force: every field present. An empty `paths` filters nothing. */
export type ScmPollSettings = {
  providerName: string;
  repo: string;
  paths: string[];
  minIntervalSeconds: number;
  webhookDedupWindowSeconds: number;
  backoff: ScmPollBackoff;
} & ScmPollBranches;

/** The shortest interval between two polls of one branch. */
export const SCM_POLL_MIN_INTERVAL_SECONDS = 60;

export const SCM_POLL_DEFAULTS = {
  minIntervalSeconds: SCM_POLL_MIN_INTERVAL_SECONDS,
  webhookDedupWindowSeconds: 300,
  backoff: { baseSeconds: 30, maxSeconds: 1800, threshold: 3 },
} as const;

export function resolveScmPollSettings(stored: StoredScmPoll): ScmPollSettings {
  const common = {
    providerName: stored.providerName,
    repo: stored.repo,
    paths: stored.paths ?? [],
    minIntervalSeconds: stored.minIntervalSeconds ?? SCM_POLL_DEFAULTS.minIntervalSeconds,
    webhookDedupWindowSeconds: stored.webhookDedupWindowSeconds ?? SCM_POLL_DEFAULTS.webhookDedupWindowSeconds,
    backoff: { ...SCM_POLL_DEFAULTS.backoff, ...stored.backoff },
  };
  return stored.branch !== undefined ? { ...common, branch: stored.branch } : { ...common, branches: stored.branches };
}

/** The entries as written: the one `branch`, or each of `branches`. */
export function watchedEntries(settings: ScmPollBranches): string[] {
  return settings.branch !== undefined ? [settings.branch] : [...settings.branches];
}

/**
 * The branches to poll: each exact name (whether or not the host listed it, so that a missing
 * branch shows up as an error), then each listed branch that a pattern matches, once, in the
 * host's order.
 */
export function watchedBranches(entries: readonly string[], listed: readonly string[]): string[] {
  const patterns = entries.filter(isGlobPattern);
  const names = entries.filter((entry) => !isGlobPattern(entry));
  return [...new Set([...names, ...listed.filter((branch) => matchesAnyGlob(patterns, branch))])];
}

/**
 * Whether a branch state (or a pattern's listing state) belongs to the entries: it is one of
 * them, or a pattern among them matches it. States that do not are left over from earlier settings.
 */
export function isWatchedBranch(branch: string, entries: readonly string[]): boolean {
  return entries.includes(branch) || (!isGlobPattern(branch) && matchesAnyGlob(entries.filter(isGlobPattern), branch));
}

/** What a poll learned about a branch from its head, compared with the SHA stored before. */
export type BranchChange = { kind: 'baseline'; sha: string } | { kind: 'unchanged'; sha: string } | { kind: 'moved'; oldSha: string; newSha: string };

/** The first successful poll of a branch sets its baseline; after that a new SHA means it moved. */
export function compareHead(lastSha: string | null, headSha: string): BranchChange {
  if (lastSha === null) return { kind: 'baseline', sha: headSha };
  if (lastSha === headSha) return { kind: 'unchanged', sha: headSha };
  return { kind: 'moved', oldSha: lastSha, newSha: headSha };
}

/** How many changed files a report lists at most, matched or not. */
export const SCM_REPORTED_PATHS = 20;

/** What the paths filter compared for one moved branch. */
export interface PathsCheck {
  patterns: string[];
  fromSha: string;
  toSha: string;
  /** False when the host could not compare the range (say, history rewritten): the branch runs. */
  compared: boolean;
  /** Files changed after fromSha up to toSha. */
  changedCount: number;
  /** The matching files (the first SCM_REPORTED_PATHS of them) and how many there are. */
  matched: string[];
  matchedCount: number;
  /** The first changed files, so that a report shows what did not match. */
  changedSample: string[];
  /** Why the range was not compared, when it was not. */
  reason?: string;
}

export function checkChangedPaths(patterns: string[], fromSha: string, toSha: string, changed: readonly string[]): PathsCheck {
  const matched = changed.filter((path) => matchesAnyGlob(patterns, path));
  return {
    patterns,
    fromSha,
    toSha,
    compared: true,
    changedCount: changed.length,
    matched: matched.slice(0, SCM_REPORTED_PATHS),
    matchedCount: matched.length,
    changedSample: changed.slice(0, SCM_REPORTED_PATHS),
  };
}

/** Whether a paths check lets the branch run: nothing to compare, a match, or a range that could not be compared. */
export function pathsAllowRun(check: PathsCheck | null): boolean {
  return check === null || !check.compared || check.matchedCount > 0;
}

/** Why a poll of a branch (or of a repository's branch list) failed. */
export interface ScmPollFailure {
  kind: ScmFailureKind;
  message: string;
  /** A rate limit's end: no poll before then. */
  retryAt?: Date;
}

/** Any error from a host call as a failure; errors that are not ScmHostErrors count as the host being unavailable. */
export function toScmPollFailure(error: unknown): ScmPollFailure {
  if (error instanceof ScmHostError) {
    return { kind: error.kind, message: error.message, ...(error.details.retryAt && { retryAt: error.details.retryAt }) };
  }
  return { kind: 'unavailable', message: error instanceof Error ? error.message : String(error) };
}

/** A failure as the poll state keeps it. */
export interface ScmErrorRecord {
  at: Date;
  kind: ScmFailureKind;
  message: string;
}

/** How many of a branch's latest errors its state keeps. */
export const SCM_RECENT_ERRORS = 5;

/**
 * The poll state of one watched branch of one automation. A glob entry of `branches` has a state
 * of its own, under the pattern as its branch, for listing the repository's branches; its
 * `lastSha` and `baselineAt` stay null. (Git refuses `*` and `?` in branch names, so a pattern
 * never names a real branch.)
 */
export interface ScmBranchState {
  branch: string;
  lastSha: string | null;
  lastPollAt: Date | null;
  lastError: string | null;
  consecutiveErrors: number;
  /** No poll of the branch before this time; null when it may be polled now. */
  nextAttemptAt: Date | null;
  /** When the first successful poll recorded the first SHA. */
  baselineAt: Date | null;
  /** The latest errors, newest first, at most SCM_RECENT_ERRORS; a success does not clear them. */
  recentErrors: ScmErrorRecord[];
}

/** The state of a branch never polled. */
export function freshBranchState(branch: string): ScmBranchState {
  return { branch, lastSha: null, lastPollAt: null, lastError: null, consecutiveErrors: 0, nextAttemptAt: null, baselineAt: null, recentErrors: [] };
}

/**
 * The wait after `consecutiveErrors` errors in a row: none below the threshold, then
 * baseSeconds × 2^(errors − threshold), never more than maxSeconds.
 */
export function backoffSeconds(consecutiveErrors: number, backoff: ScmPollBackoff): number {
  if (consecutiveErrors < backoff.threshold) return 0;
  // 2^n overflows to Infinity for huge n; the cap keeps the result finite.
  return Math.min(backoff.maxSeconds, backoff.baseSeconds * 2 ** (consecutiveErrors - backoff.threshold));
}

/** The earliest next poll: the minimum interval is a floor, the backoff may push it out, a rate limit's end too. */
export function nextPollAt(now: Date, settings: Pick<ScmPollSettings, 'minIntervalSeconds' | 'backoff'>, consecutiveErrors: number, retryAt?: Date): Date {
  const waitSeconds = Math.max(settings.minIntervalSeconds, backoffSeconds(consecutiveErrors, settings.backoff));
  const next = now.getTime() + waitSeconds * 1000;
  return new Date(retryAt && retryAt.getTime() > next ? retryAt.getTime() : next);
}

/** The state after a successful poll that found `sha` (null for a pattern's listing): errors and backoff reset. */
export function recordPollSuccess(state: ScmBranchState, sha: string | null, settings: Pick<ScmPollSettings, 'minIntervalSeconds' | 'backoff'>, now: Date): ScmBranchState {
  return {
    ...state,
    lastSha: sha ?? state.lastSha,
    lastPollAt: now,
    lastError: null,
    consecutiveErrors: 0,
    nextAttemptAt: nextPollAt(now, settings, 0),
    baselineAt: state.baselineAt ?? (sha === null ? null : now),
  };
}

/** The state after a failed poll: the SHA stays, the errors count up and set the backoff. */
export function recordPollFailure(state: ScmBranchState, failure: ScmPollFailure, settings: Pick<ScmPollSettings, 'minIntervalSeconds' | 'backoff'>, now: Date): ScmBranchState {
  const consecutiveErrors = state.consecutiveErrors + 1;
  return {
    ...state,
    lastPollAt: now,
    lastError: failure.message,
    consecutiveErrors,
    nextAttemptAt: nextPollAt(now, settings, consecutiveErrors, failure.retryAt),
    recentErrors: [{ at: now, kind: failure.kind, message: failure.message }, ...state.recentErrors].slice(0, SCM_RECENT_ERRORS),
  };
}

/** What a poll-triggered run carries, and what its templates read as `{{scmPoll.<name>}}`. */
export interface ScmPollTrigger {
  providerName: string;
  repo: string;
  branch: string;
  oldSha: string;
  newSha: string;
  commitMessage: string | null;
  author: string | null;
  commitUrl: string | null;
  /** How long the host took to answer for the branch's head. */
  latencyMs: number;
}

export function scmPollTrigger(settings: Pick<ScmPollSettings, 'providerName' | 'repo'>, head: BranchHead, oldSha: string, latencyMs: number): ScmPollTrigger {
  return {
    providerName: settings.providerName,
    repo: settings.repo,
    branch: head.branch,
    oldSha,
    newSha: head.sha,
    commitMessage: head.message,
    author: head.author,
    commitUrl: head.url,
    latencyMs,
  };
}

/**
 * The prefix of a repository's environment variables: its name (the last segment of `repo`, a
 * trailing `.git` removed) upper-cased, with every character other than A–Z and 0–9 (hyphens,
 * dots, spaces, letters outside A–Z) turned into `_`. A name that would start with a digit gets a
 * leading `_`, since shells cannot name such variables; an empty name becomes `REPO`.
 * `customer-api` → `CUSTOMER_API`, `https://dev.azure.com/o/p/_git/web.app.git` → `WEB_APP`.
 */
export function scmEnvPrefix(repo: string): string {
  const segments = repo.trim().replace(/[/\\]+$/, '').split(/[/\\]/);
  let name = (segments[segments.length - 1] ?? '').replace(/\.git$/i, '');
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded after all: the name as written.
  }
  const prefix = name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  if (prefix === '') return 'REPO';
  return /^[0-9]/.test(prefix) ? `_${prefix}` : prefix;
}

/**
 * The environment of a poll-triggered command or task: `<P>_BRANCH` selects the branch,
 * `<P>_TRIGGER_SHA` records the SHA that triggered the run, `<P>_SHA` pins the checkout to it.
 */
export function scmPollEnvironment(trigger: Pick<ScmPollTrigger, 'repo' | 'branch' | 'newSha'>): Record<string, string> {
  const prefix = scmEnvPrefix(trigger.repo);
  return { [`${prefix}_BRANCH`]: trigger.branch, [`${prefix}_TRIGGER_SHA`]: trigger.newSha, [`${prefix}_SHA`]: trigger.newSha };
}

/** What a poll-triggered task (and command) gets as its payload: the run's scmPoll record and its environment. */
export interface ScmPollPayload {
  scmPoll: ScmPollTrigger;
  env: Record<string, string>;
}

export function scmPollPayload(trigger: ScmPollTrigger): ScmPollPayload {
  return { scmPoll: trigger, env: scmPollEnvironment(trigger) };
}
