import { backoffSeconds, type ScmBranchState, type ScmPollBackoff, type ScmPollFailure, type ScmPollReport, type ShaClaim } from '../../../../libs/engine/src';
import type { ScmBranchStateView, ScmPollErrorView, ScmShaClaimView, ScmTestPollView } from './scm-poll-view';

/** A Test Poll's report as the API answers it. */
export function toTestPollView(report: ScmPollReport): ScmTestPollView {
  const { listing } = report;
  return {
    automationId: report.automationId,
    dryRun: true,
    polledAt: report.polledAt.toISOString(),
    listing: listing && { patterns: listing.patterns, outcome: listing.outcome, matched: listing.matched, error: errorView(listing.error), nextAttemptAt: iso(listing.nextAttemptAt) },
    branches: report.branches.map((branch) => ({
      branch: branch.branch,
      outcome: branch.outcome,
      wouldTrigger: branch.wouldTrigger,
      previousSha: branch.previousSha,
      head: branch.head && { ...branch.head },
      paths: branch.paths && { ...branch.paths, reason: branch.paths.reason ?? null },
      latencyMs: branch.latencyMs,
      error: errorView(branch.error),
      duplicateOf: claimView(branch.duplicateOf),
      runId: branch.runId,
      nextAttemptAt: iso(branch.nextAttemptAt),
    })),
  };
}

/** A branch's poll state as the API answers it, with the backoff its errors make under `backoff`. */
export function toBranchStateView(state: ScmBranchState, backoff: ScmPollBackoff): ScmBranchStateView {
  return {
    branch: state.branch,
    lastSha: state.lastSha,
    lastPollAt: iso(state.lastPollAt),
    lastError: state.lastError,
    consecutiveErrors: state.consecutiveErrors,
    backoffSeconds: backoffSeconds(state.consecutiveErrors, backoff),
    nextAttemptAt: iso(state.nextAttemptAt),
    baselineAt: iso(state.baselineAt),
    recentErrors: state.recentErrors.map((error) => ({ at: error.at.toISOString(), kind: error.kind, message: error.message })),
  };
}

function errorView(failure: ScmPollFailure | null): ScmPollErrorView | null {
  return failure && { kind: failure.kind, message: failure.message, retryAt: iso(failure.retryAt ?? null) };
}

function claimView(claim: ShaClaim | null): ScmShaClaimView | null {
  return claim && { sha: claim.sha, source: claim.source, runId: claim.runId, seenAt: claim.seenAt.toISOString() };
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
