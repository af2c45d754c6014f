/**
 * Test Poll and the poll state as the API answers them: the zod schemas of the API contract, and
 * the types the service builds them with. The console imports the types only. Times are ISO strings.
 */
import { z } from 'zod';
import { ScmPollView } from '../automations/automation-view';
import { instant, uuid } from '../docs/contract';
import { ScmFailureKindSchema } from '../git-providers/git-provider-view';

export type { ScmFailureKind } from '../../../../libs/engine/src/scm-hosts';

const int = z.number().int();
const sha = z.string().describe('A full commit SHA');
const time = (description?: string) => (description ? instant.nullable().describe(description) : instant.nullable());

export const ScmPollErrorView = z.strictObject({
  kind: ScmFailureKindSchema,
  message: z.string().describe('Never contains a token'),
  retryAt: time("A rate limit's end: no poll before then"),
});
export type ScmPollErrorView = z.output<typeof ScmPollErrorView>;

/** A branch's head commit as the host reported it. */
export const ScmHeadView = z.strictObject({ branch: z.string(), sha, message: z.string().nullable(), author: z.string().nullable(), url: z.string().nullable() });
export type ScmHeadView = z.output<typeof ScmHeadView>;

/** What the paths filter compared for a moved branch; `reason` says why the range was not compared, when it was not. */
export const ScmPathsCheckView = z.strictObject({
  patterns: z.array(z.string()),
  fromSha: sha,
  toSha: sha,
  compared: z.boolean().describe('False when the host could not compare the range (history rewritten): the branch runs'),
  changedCount: int,
  matched: z.array(z.string()).describe('The first 20 matching files'),
  matchedCount: int,
  changedSample: z.array(z.string()).describe('The first 20 changed files'),
  reason: z.string().nullable(),
});
export type ScmPathsCheckView = z.output<typeof ScmPathsCheckView>;

/** A run that already took a commit (the other of webhook and poll), within the dedup window. */
export const ScmShaClaimView = z.strictObject({ sha, source: z.enum(['webhook', 'poll']), runId: uuid, seenAt: instant });
export type ScmShaClaimView = z.output<typeof ScmShaClaimView>;

/**
 * baseline: first SHA recorded, no run; unchanged: same SHA; triggered: moved, runs; filtered:
 * moved, but no changed file matches `paths`; duplicate: moved, but a webhook already ran the SHA
 * within the dedup window; failed: the host call failed; waiting: not due (never in a Test Poll).
 */
export const ScmBranchOutcome = z
  .enum(['baseline', 'unchanged', 'triggered', 'filtered', 'duplicate', 'failed', 'waiting'])
  .describe(
    'baseline: the first SHA would be recorded, no run; triggered: moved, would run; filtered: moved, no changed file matches paths; duplicate: a webhook already ran the SHA within the dedup window',
  );
export type ScmBranchOutcome = z.output<typeof ScmBranchOutcome>;

export const ScmBranchReportView = z.strictObject({
  branch: z.string(),
  outcome: ScmBranchOutcome,
  wouldTrigger: z.boolean().describe('Whether a real poll now would start a run for the branch'),
  previousSha: z.string().nullable().describe('The SHA the state holds (none for a draft of another provider or repository)'),
  head: ScmHeadView.nullable(),
  paths: ScmPathsCheckView.nullable(),
  latencyMs: int.nullable().describe('How long the host took to answer for the head'),
  error: ScmPollErrorView.nullable(),
  duplicateOf: ScmShaClaimView.nullable(),
  runId: uuid.nullable().describe('Always null: a test poll starts no run'),
  nextAttemptAt: time('When the branch is due for its next real poll'),
});
export type ScmBranchReportView = z.output<typeof ScmBranchReportView>;

/** Listing the repository's branches for the glob entries of `branches`. */
export const ScmListingReportView = z
  .strictObject({
    patterns: z.array(z.string()),
    outcome: z.enum(['listed', 'failed', 'waiting']),
    matched: z.array(z.string()).describe('The branches the patterns matched'),
    error: ScmPollErrorView.nullable(),
    nextAttemptAt: time(),
  })
  .describe("Listing the repository's branches for the glob entries of branches");
export type ScmListingReportView = z.output<typeof ScmListingReportView>;

/** `POST /api/automations/:id/test-poll`: what a poll would do now. It moved no baseline and started no run. */
export const ScmTestPollView = z
  .strictObject({
    automationId: uuid,
    dryRun: z.literal(true),
    polledAt: instant,
    listing: ScmListingReportView.nullable().describe('Null when branches has no glob'),
    branches: z.array(ScmBranchReportView),
  })
  .meta({ id: 'ScmTestPoll', description: 'What a poll would do now. It moved no baseline, wrote no state, claimed no SHA and started no run.' });
export type ScmTestPollView = z.output<typeof ScmTestPollView>;

/** The poll state of one watched branch, or of a glob entry (its listing of the branches; lastSha stays null). */
export const ScmBranchStateView = z.strictObject({
  branch: z.string(),
  lastSha: z.string().nullable(),
  lastPollAt: time(),
  lastError: z.string().nullable(),
  consecutiveErrors: int,
  backoffSeconds: int.describe('The backoff the errors in a row make (0 below the threshold)'),
  nextAttemptAt: time('No poll before then; null when due'),
  baselineAt: time('When the first SHA was recorded'),
  recentErrors: z.array(z.strictObject({ at: instant, kind: ScmFailureKindSchema, message: z.string() })).describe('Newest first, at most five'),
});
export type ScmBranchStateView = z.output<typeof ScmBranchStateView>;

/** `GET /api/automations/:id/scm-state`. */
export const ScmStateView = z
  .strictObject({
    automationId: uuid,
    pollingEnabled: z.boolean().describe('False with HOOKLINE_SCM_POLLING=false: nothing is polled'),
    scmPoll: ScmPollView.nullable().describe('The setting in force, defaults filled in'),
    branches: z
      .array(ScmBranchStateView)
      .describe('Each branch polled so far (a glob entry has a state of its own, for listing branches), by name; left over from an earlier setting too'),
  })
  .meta({ id: 'ScmPollState' });
export type ScmStateView = z.output<typeof ScmStateView>;
