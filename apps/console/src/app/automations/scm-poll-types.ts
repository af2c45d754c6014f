/**
 * Shapes of SCM polling as the admin API answers it (docs/scm-polling.md): Test Poll, the poll
 * state of an automation's branches, and what a poll-triggered run carries. Named as the server
 * names them; times are ISO 8601 strings.
 */
import type { ScmPollView } from '../../../../server/src/automations/automation-view';

export type { ScmPollView };

/** Why a call to a Git host failed. */
export type ScmFailureKind = 'auth' | 'not_found' | 'rate_limited' | 'unavailable' | 'invalid';

export interface ScmPollErrorView {
  kind: ScmFailureKind;
  message: string;
  /** A rate limit's end: no poll before then. */
  retryAt: string | null;
}

/** A branch's head commit as the host reported it. */
export interface ScmHeadView {
  branch: string;
  sha: string;
  message: string | null;
  author: string | null;
  url: string | null;
}

/** What the paths filter compared for a moved branch. */
export interface ScmPathsCheckView {
  patterns: string[];
  fromSha: string;
  toSha: string;
  /** False when the host could not compare the range (history rewritten): the branch runs. */
  compared: boolean;
  changedCount: number;
  /** The first matching files, and how many there are. */
  matched: string[];
  matchedCount: number;
  /** The first changed files, matched or not. */
  changedSample: string[];
  /** Why the range was not compared, when it was not. */
  reason: string | null;
}

/** A run that already took a commit (the other of webhook and poll), within the dedup window. */
export interface ScmShaClaimView {
  sha: string;
  source: 'webhook' | 'poll';
  runId: string;
  seenAt: string;
}

/**
 * baseline: first SHA recorded, no run; unchanged: same SHA; triggered: moved, runs; filtered:
 * moved, but no changed file matches `paths`; duplicate: a webhook already ran the SHA within the
 * dedup window; failed: the host call failed; waiting: not due.
 */
export type ScmBranchOutcome = 'baseline' | 'unchanged' | 'triggered' | 'filtered' | 'duplicate' | 'failed' | 'waiting';

export interface ScmBranchReportView {
  branch: string;
  outcome: ScmBranchOutcome;
  /** Whether a real poll now would start a run for the branch. */
  wouldTrigger: boolean;
  /** The SHA stored before this poll (null: the poll would record a baseline). */
  previousSha: string | null;
  head: ScmHeadView | null;
  paths: ScmPathsCheckView | null;
  /** How long the host took to answer for the head. */
  latencyMs: number | null;
  error: ScmPollErrorView | null;
  duplicateOf: ScmShaClaimView | null;
  runId: string | null;
  nextAttemptAt: string | null;
}

/** Listing the repository's branches for the glob entries of `branches`. */
export interface ScmListingReportView {
  patterns: string[];
  outcome: 'listed' | 'failed' | 'waiting';
  matched: string[];
  error: ScmPollErrorView | null;
  nextAttemptAt: string | null;
}

/** `POST /api/automations/:id/test-poll`: what a poll would do now. It moves no baseline and starts no run. */
export interface ScmTestPollView {
  automationId: string;
  dryRun: true;
  polledAt: string;
  /** Null when `branches` has no glob. */
  listing: ScmListingReportView | null;
  branches: ScmBranchReportView[];
}

/** The poll state of one watched branch, or of a glob entry (its listing of the branches; lastSha stays null). */
export interface ScmBranchStateView {
  branch: string;
  lastSha: string | null;
  lastPollAt: string | null;
  lastError: string | null;
  consecutiveErrors: number;
  /** The wait the errors in a row add (0 below the threshold). */
  backoffSeconds: number;
  /** No poll before this time; null when due now. */
  nextAttemptAt: string | null;
  /** When the first successful poll recorded the first SHA. */
  baselineAt: string | null;
  /** The latest errors, newest first. */
  recentErrors: Array<{ at: string; kind: ScmFailureKind; message: string }>;
}

/** `GET /api/automations/:id/scm-state`. */
export interface ScmStateView {
  automationId: string;
  /** False when the server runs with HOOKLINE_SCM_POLLING=false: nothing is polled. */
  pollingEnabled: boolean;
  scmPoll: ScmPollView | null;
  branches: ScmBranchStateView[];
}

/** What a poll saw when it started (or skipped) a run (trigger `scm-poll`); templates read it as `{{scmPoll.<field>}}`. */
export interface RunScmPoll {
  providerName: string;
  repo: string;
  branch: string;
  oldSha: string;
  newSha: string;
  commitMessage: string | null;
  author: string | null;
  commitUrl: string | null;
  latencyMs: number;
}
