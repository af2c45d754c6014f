/**
 * Automations and runs as the API answers them: the zod schemas of the API contract, and the
 * types the services build them with. The console imports the types only; the lists of statuses
 * and events it uses at run time are in automation-constants.ts.
 */
import { z } from 'zod';
import { SCM_POLL_DEFAULTS } from '../../../../libs/engine/src/scm-poll';
import { RetryPolicyView } from '../common/retry-policy-view';
import { instant, uuid } from '../docs/contract';
import { FAILURE_EVENTS, RUN_STATUSES, RUN_TRIGGERS } from './automation-constants';

export { FAILURE_EVENTS, HTTP_METHODS, RUN_STATUSES, RUN_TRIGGERS, type FailureEvent, type RunStatus, type RunTrigger } from './automation-constants';

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

const int = z.number().int();
const object = z.record(z.string(), z.unknown());
const time = (description: string) => instant.nullable().describe(description);

/** A target as answered: a command always says `argv` and `shell`. */
export const AutomationTargetView = z
  .discriminatedUnion('kind', [
    z
      .strictObject({
        kind: z.literal('command'),
        command: z.string().nullable().describe('The command as written; null when argv was given'),
        argv: z.array(z.string()).nullable().describe('The program, then each argument (templates); null with shell'),
        shell: z.boolean(),
        timeoutMs: int,
      })
      .describe(
        'Give command or argv. Without shell, the program runs directly (no shell); a command string is split into arguments on save (quotes and backslashes group, shell syntax is refused with 400) and stored as argv. ' +
          'Each placeholder lands inside one argument; a value that would start an argument with "-" fails the run unless written {{x | option}}. ' +
          'With shell: true, command runs with /bin/sh -c, each value single-quoted, and every placeholder must be a whole word outside quotes (400 otherwise).',
      ),
    z.strictObject({
      kind: z.literal('http'),
      method: z.string(),
      url: z.string().describe('Placeholders are percent-encoded; one at the very start is the base URL, inserted as is, and must be an absolute http(s) URL'),
      headers: z.record(z.string(), z.string()),
      body: z.string().nullable(),
      retries: int.optional().describe('Older name of retry.attempts, still accepted; retry.attempts wins'),
      timeoutMs: int,
    }),
    z.strictObject({ kind: z.literal('task'), name: z.string(), instructions: z.string(), params: object }),
  ])
  .meta({
    id: 'AutomationTarget',
    description:
      'Strings may hold templates: {{webhook.payload}}, {{webhook.payloadPath}}, {{webhook.<field>}}, {{event.<field>}}, {{message.id}}, {{vars.<name>}}, ' +
      'and in runs started by a poll {{scmPoll.<field>}} (providerName, repo, branch, oldSha, newSha, commitMessage, author, commitUrl, latencyMs)',
  });
export type AutomationTargetView = z.output<typeof AutomationTargetView>;

/** The description of scmPoll, in the answers and in the input alike. */
export const SCM_POLL_DESCRIPTION =
  "Poll a Git host on the automation's schedule and run only when a watched branch moved (one run per moved branch). Needs a schedule; refused when HOOKLINE_SCM_POLLING=false. " +
  'Give branch or branches (exact names or globs such as release/*: * within a segment, ** across segments, ? one character). ' +
  'paths: globs; a moved branch runs only if a file changed in the old..new range matches one. ' +
  `Defaults: minIntervalSeconds ${SCM_POLL_DEFAULTS.minIntervalSeconds} (at least 60), webhookDedupWindowSeconds ${SCM_POLL_DEFAULTS.webhookDedupWindowSeconds} (0 turns the dedup off), ` +
  `backoff {baseSeconds: ${SCM_POLL_DEFAULTS.backoff.baseSeconds}, maxSeconds: ${SCM_POLL_DEFAULTS.backoff.maxSeconds}, threshold: ${SCM_POLL_DEFAULTS.backoff.threshold}}. ` +
  'Answers show every field with its default filled in. See docs/scm-polling.md.';

const scmPollFields = {
  providerName: z.string(),
  repo: z.string(),
  paths: z.array(z.string()),
  minIntervalSeconds: int,
  webhookDedupWindowSeconds: int,
  backoff: z.strictObject({ baseSeconds: int, maxSeconds: int, threshold: int }),
};

/**
 * `scmPoll` in force: the stored setting with the defaults filled in. `branch` or `branches`,
 * whichever was given; an empty `paths` filters nothing.
 */
export const ScmPollView = z
  .union([
    z.strictObject({ ...scmPollFields, branch: z.string(), branches: z.never().optional() }),
    z.strictObject({ ...scmPollFields, branches: z.array(z.string()), branch: z.never().optional() }),
  ])
  .meta({ id: 'ScmPoll', description: SCM_POLL_DESCRIPTION });
export type ScmPollView = z.output<typeof ScmPollView>;

export const FailureEventsView = z
  .array(z.enum(FAILURE_EVENTS))
  .meta({
    id: 'FailureEvents',
    description:
      'Failure events that start a run of this automation, with vars.event and vars.message {id, status, reason, provider, uri, eventType, functions, nextAttemptAt} ' +
      'or vars.run {id, automationId, automationName, status, error, retries, messageId, nextAttemptAt}. Runs started by an event raise no events.',
  });

export const AutomationView = z
  .strictObject({
    id: uuid,
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    schedule: z.string().nullable().describe('Cron (5 or 6 fields); null = webhook-only'),
    timeZone: z.string(),
    nextRunAt: time('When the schedule runs it next; null without a schedule'),
    target: AutomationTargetView,
    retry: RetryPolicyView.describe('The retry policy in force: the stored fields with the defaults of the target kind filled in'),
    events: FailureEventsView,
    scmPoll: ScmPollView.nullable().describe('Null: the automation runs on every tick of its schedule'),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Automation' });
export type AutomationView = z.output<typeof AutomationView>;

/** A failed attempt of a run that was tried again. */
export const EarlierAttempt = z.strictObject({ statusReason: z.string().nullable(), output: object.nullable(), startedAt: instant.nullable(), finishedAt: instant });
export type EarlierAttempt = z.output<typeof EarlierAttempt>;

const sha = z.string().describe('A full commit SHA');

/** What a poll saw when it started (or skipped) a run: templates read it as `{{scmPoll.<field>}}`. */
export const RunScmPoll = z
  .strictObject({
    providerName: z.string(),
    repo: z.string(),
    branch: z.string().describe('As watched'),
    oldSha: sha,
    newSha: sha,
    commitMessage: z.string().nullable(),
    author: z.string().nullable(),
    commitUrl: z.string().nullable(),
    latencyMs: int.describe('How long the host took to answer for the head'),
  })
  .meta({
    id: 'RunScmPoll',
    description: 'What the poll saw; templates read it as {{scmPoll.<field>}}. Command targets also get <REPO>_BRANCH, <REPO>_TRIGGER_SHA and <REPO>_SHA in their environment.',
  });
export type RunScmPoll = z.output<typeof RunScmPoll>;

export const RunView = z
  .strictObject({
    id: uuid,
    automationId: uuid,
    automationName: z.string(),
    trigger: z.enum(RUN_TRIGGERS).describe('scm-poll: started (or skipped) by a poll that found a watched branch moved'),
    scmPoll: RunScmPoll.nullable().describe('Set on runs of trigger scm-poll'),
    commitSha: z
      .string()
      .nullable()
      .describe("The commit the run is for: a poll's new SHA, or the commit a webhook delivery announced (GitHub push, Azure DevOps git.push, a top-level sha) to an automation that polls"),
    messageId: uuid.nullable(),
    functionId: uuid.nullable(),
    endpointId: uuid.nullable(),
    vars: object,
    status: z.enum(RUN_STATUSES).describe('failed: no retries were allowed; dead: the retries ran out'),
    statusReason: z.string().nullable(),
    rendered: object.describe('The target fields with templates filled in'),
    warnings: z.array(z.string()),
    output: object.nullable().describe('The latest attempt: command: exitCode, stdout, stderr (capped); http: status, preview, attempts; task: taskId, result'),
    attempts: int.describe('Claims of the current attempt; more than one means its server died under it'),
    retries: int.describe('Retries made after failed attempts'),
    earlierAttempts: z.array(EarlierAttempt).describe('The failed attempts before the current one, oldest first'),
    nextAttemptAt: time('When a run pending for a retry is due'),
    createdAt: instant,
    startedAt: instant.nullable(),
    finishedAt: instant.nullable(),
  })
  .meta({ id: 'Run' });
export type RunView = z.output<typeof RunView>;

/** `POST /api/runs/retry` with `dryRun: true`: how many failed or dead runs match, and how many a retry with `limit` would take. */
export const RunRetryCount = z.strictObject({ dryRun: z.literal(true), matching: int, count: int, limit: int });
export type RunRetryCount = z.output<typeof RunRetryCount>;

/** `POST /api/runs/retry`: the runs put back to pending, oldest first. */
export const RunRetryOutcome = z.strictObject({ count: int, retried: z.array(uuid) });
export type RunRetryOutcome = z.output<typeof RunRetryOutcome>;
