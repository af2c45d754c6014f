/** Shapes of the automation and run routes of the admin API, as documented in GET /api/docs. */

/** Written once, in the server: the console compiles the same file. */
export { FAILURE_EVENTS, HTTP_METHODS, RUN_STATUSES, type FailureEvent, type RunStatus } from '../../../../server/src/automations/automation-constants';
export type {
  AutomationTargetView as AutomationTarget,
  AutomationView as Automation,
  RunRetryCount as RetryCount,
  RunRetryOutcome as RetryOutcome,
  RunView as Run,
} from '../../../../server/src/automations/automation-view';
import type { FailureEvent, HTTP_METHODS, RunStatus } from '../../../../server/src/automations/automation-constants';
import type { AutomationTargetView, RunView } from '../../../../server/src/automations/automation-view';

export type TargetKind = AutomationTargetView['kind'];
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** What a create or a save sends; PUT replaces a target whole. Fields left out of `retry` take the defaults. */
export interface AutomationInput {
  name: string;
  description: string;
  enabled: boolean;
  schedule: string | null;
  timeZone: string;
  target: AutomationTargetView;
  retry: { attempts?: number; delayMs?: number; maxDelayMs?: number };
  events: FailureEvent[];
  /** Replaces the stored setting whole; null stops polling. */
  scmPoll: ScmPollInput | null;
}

/**
 * `scmPoll` as a save or a Test Poll sends it: `branch` or `branches`; fields left out take the
 * server's defaults. Numbers the browser cannot read go as typed, for the server to name.
 */
export interface ScmPollInput {
  providerName: string;
  repo: string;
  branch?: string;
  branches?: string[];
  paths?: string[];
  minIntervalSeconds?: number | string;
  webhookDedupWindowSeconds?: number | string;
  backoff?: { baseSeconds?: number | string; maxSeconds?: number | string; threshold?: number | string };
}

/** Which runs a list or a bulk retry takes, named as `GET /api/runs` and `POST /api/runs/retry` name them; times are ISO 8601. */
export interface RunSelection {
  status?: RunStatus;
  automationId?: string;
  since?: string;
  until?: string;
}

/** A page of `GET /api/runs`; pass `nextCursor` back for the next one. */
export interface RunPage {
  items: RunView[];
  nextCursor: string | null;
}
