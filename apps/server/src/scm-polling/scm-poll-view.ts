/**
 * Test Poll and the poll state as the API answers them. Plain types only, importing nothing but
 * types (of automation-view.ts and the engine's plain-data files): the console imports this file
 * too, so the contract is written once. Times are ISO strings.
 */
import type { ScmPollView } from '../automations/automation-view';
import type { BranchHead, ScmFailureKind } from '../../../../libs/engine/src/scm-hosts';
import type { PathsCheck } from '../../../../libs/engine/src/scm-poll';

export type { ScmFailureKind } from '../../../../libs/engine/src/scm-hosts';

export interface ScmPollErrorView {
  kind: ScmFailureKind;
  message: string;
  /** A rate limit's end: no poll before then. */
  retryAt: string | null;
}

/** A branch's head commit as the host reported it. */
export type ScmHeadView = BranchHead;

/** What the paths filter compared for a moved branch; `reason` says why the range was not compared, when it was not. */
export type ScmPathsCheckView = Omit<PathsCheck, 'reason'> & { reason: string | null };

/** A run that already took a commit (the other of webhook and poll), within the dedup window. */
export interface ScmShaClaimView {
  sha: string;
  source: 'webhook' | 'poll';
  runId: string;
  seenAt: string;
}

/**
 * baseline: first SHA recorded, no run; unchanged: same SHA; triggered: moved, runs; filtered:
 * moved, but no changed file matches `paths`; duplicate: moved, but a webhook already ran the SHA
 * within the dedup window; failed: the host call failed; waiting: not due (never in a Test Poll).
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
  /** Always null in a Test Poll: it starts no run. */
  runId: string | null;
  /** When the branch is due for its next real poll, as its state says. */
  nextAttemptAt: string | null;
}

/** Listing the repository's branches for the glob entries of `branches`. */
export interface ScmListingReportView {
  patterns: string[];
  outcome: 'listed' | 'failed' | 'waiting';
  /** The branches the patterns matched. */
  matched: string[];
  error: ScmPollErrorView | null;
  nextAttemptAt: string | null;
}

/** `POST /api/automations/:id/test-poll`: what a poll would do now. It moved no baseline and started no run. */
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
  /** The backoff the errors in a row make (0 below the threshold); the next attempt waits at least minIntervalSeconds. */
  backoffSeconds: number;
  /** No poll before this time; null when due now. */
  nextAttemptAt: string | null;
  /** When the first successful poll recorded the first SHA. */
  baselineAt: string | null;
  /** The latest errors, newest first, at most five. */
  recentErrors: Array<{ at: string; kind: ScmFailureKind; message: string }>;
}

/** `GET /api/automations/:id/scm-state`. */
export interface ScmStateView {
  automationId: string;
  /** False when the server runs with HOOKLINE_SCM_POLLING=false: nothing is polled. */
  pollingEnabled: boolean;
  /** The setting in force, defaults filled in; null when the automation does not poll. */
  scmPoll: ScmPollView | null;
  /** The state of each branch polled so far, by name (left over from an earlier setting too). */
  branches: ScmBranchStateView[];
}
