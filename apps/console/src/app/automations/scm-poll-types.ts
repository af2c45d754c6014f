/**
 * Shapes of SCM polling as the admin API answers it (docs/scm-polling.md): Test Poll, the poll
 * state of an automation's branches, and what a poll-triggered run carries. Written once, in the
 * server: the console compiles the same files.
 */
export type { RunScmPoll, ScmPollView } from '../../../../server/src/automations/automation-view';
export type {
  ScmBranchOutcome,
  ScmBranchReportView,
  ScmBranchStateView,
  ScmFailureKind,
  ScmHeadView,
  ScmListingReportView,
  ScmPathsCheckView,
  ScmPollErrorView,
  ScmShaClaimView,
  ScmStateView,
  ScmTestPollView,
} from '../../../../server/src/scm-polling/scm-poll-view';
