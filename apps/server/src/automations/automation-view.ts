/**
 * Automations and runs as the API answers them, with the lists of their statuses and events.
 * Plain types and constants only, importing nothing but types of the engine's plain-data files:
 * the console imports this file too, so the contract is written once.
 */
import type { ScmPollTrigger } from '../../../../libs/engine/src/scm-poll';

export const FAILURE_EVENTS = ['message.failed', 'message.dead', 'run.failed', 'run.dead'] as const;
export type FailureEvent = (typeof FAILURE_EVENTS)[number];

export const RUN_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'dead'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** `event`: started by a failure event (`run.dead` and the like); `scm-poll`: by a poll that found a watched branch moved. */
export const RUN_TRIGGERS = ['webhook', 'function', 'schedule', 'manual', 'event', 'scm-poll'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** A target as stored. */
export type AutomationTarget =
  | {
      kind: 'command';
      /** As the admin wrote it; null when argv was given. */
      command: string | null;
      /** The argument templates that run without a shell; null with `shell`. Absent, like `shell`, on automations saved before both existed. */
      argv?: string[] | null;
      shell?: boolean;
      timeoutMs: number;
    }
  | { kind: 'http'; method: string; url: string; headers: Record<string, string>; body: string | null; retries?: number; timeoutMs: number }
  | { kind: 'task'; name: string; instructions: string; params: Record<string, unknown> };

/** A target as answered: a command always says `argv` and `shell`. */
export type AutomationTargetView =
  | { kind: 'command'; command: string | null; argv: string[] | null; shell: boolean; timeoutMs: number }
  | Exclude<AutomationTarget, { kind: 'command' }>;

/**
 * `scmPoll` in force: the stored setting with the defaults filled in. `branch` or `branches`,
 * whichever was given; an empty `paths` filters nothing.
 */
export type ScmPollView = {
  providerName: string;
  repo: string;
  paths: string[];
  minIntervalSeconds: number;
  webhookDedupWindowSeconds: number;
  backoff: { baseSeconds: number; maxSeconds: number; threshold: number };
} & ({ branch: string; branches?: never } | { branches: string[]; branch?: never });

export interface AutomationView {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  schedule: string | null;
  timeZone: string;
  nextRunAt: string | null;
  target: AutomationTargetView;
  /** The policy in force: the stored fields with the kind's defaults filled in. */
  retry: { attempts: number; delayMs: number; maxDelayMs: number };
  events: FailureEvent[];
  /** Poll a Git host on the schedule and run only when a watched branch moved; null runs on every tick. */
  scmPoll: ScmPollView | null;
  createdAt: string;
  updatedAt: string;
}

/** A failed attempt of a run that was tried again. */
export interface EarlierAttempt {
  statusReason: string | null;
  output: Record<string, unknown> | null;
  startedAt: string | null;
  finishedAt: string;
}

/** What a poll saw when it started (or skipped) a run: templates read it as `{{scmPoll.<field>}}`. */
export type RunScmPoll = ScmPollTrigger;

export interface RunView {
  id: string;
  automationId: string;
  automationName: string;
  trigger: RunTrigger;
  /** Set on runs started (or skipped) by a poll; null otherwise. */
  scmPoll: RunScmPoll | null;
  /**
   * The commit the run is for: a poll's new SHA, or the commit a webhook delivery announced
   * (GitHub push, Azure DevOps git.push, a top-level sha) to an automation that polls; else null.
   */
  commitSha: string | null;
  messageId: string | null;
  functionId: string | null;
  endpointId: string | null;
  vars: Record<string, unknown>;
  status: RunStatus;
  statusReason: string | null;
  rendered: Record<string, unknown>;
  warnings: string[];
  output: Record<string, unknown> | null;
  /** Processing attempts, counted to recognise a run whose server kept dying under it. */
  attempts: number;
  /** Retries made after failed attempts. */
  retries: number;
  /** The failed attempts before the current one, oldest first. */
  earlierAttempts: EarlierAttempt[];
  /** When a run pending for a retry is due. */
  nextAttemptAt: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** `POST /api/runs/retry` with `dryRun: true`: how many failed or dead runs match, and how many a retry with `limit` would take. */
export interface RunRetryCount {
  dryRun: true;
  matching: number;
  count: number;
  limit: number;
}

/** `POST /api/runs/retry`: the runs put back to pending, oldest first. */
export interface RunRetryOutcome {
  count: number;
  retried: string[];
}
