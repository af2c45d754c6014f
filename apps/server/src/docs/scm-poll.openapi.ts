import { SCM_POLL_DEFAULTS } from '../../../../libs/engine/src';
import { ScmPollInput } from '../automations/scm-poll-input';
import { authErrors, error, idParam, invalid, json, notFound, ref, requestSchema } from './openapi-parts';

const { backoff } = SCM_POLL_DEFAULTS;
const tags = ['Automations'];
const sha = { type: 'string', description: 'A full commit SHA' };
const nullable = (type: string, description?: string) => ({ type: [type, 'null'], ...(description && { description }) });
const time = (description?: string) => ({ type: ['string', 'null'], format: 'date-time', ...(description && { description }) });
const FAILURE_KINDS = ['auth', 'not_found', 'rate_limited', 'unavailable', 'invalid'];
const OUTCOMES = ['baseline', 'unchanged', 'triggered', 'filtered', 'duplicate', 'failed', 'waiting'];

const pollError = {
  oneOf: [
    {
      type: 'object',
      properties: { kind: { type: 'string', enum: FAILURE_KINDS }, message: { type: 'string', description: 'Never contains a token' }, retryAt: time('A rate limit\'s end: no poll before then') },
    },
    { type: 'null' },
  ],
};

/** The `scmPoll` setting of automations (its schema generated from the validator), Test Poll, the poll state and what a polled run carries. */
export const SCM_POLL_SCHEMAS = {
  ScmPoll: {
    ...requestSchema(ScmPollInput),
    description:
      'Poll a Git host on the automation\'s schedule and run only when a watched branch moved (one run per moved branch). Needs a schedule; refused when HOOKLINE_SCM_POLLING=false. ' +
      'Give branch or branches (exact names or globs such as release/*: * within a segment, ** across segments, ? one character). ' +
      'paths: globs; a moved branch runs only if a file changed in the old..new range matches one. ' +
      `Defaults: minIntervalSeconds ${SCM_POLL_DEFAULTS.minIntervalSeconds} (at least 60), webhookDedupWindowSeconds ${SCM_POLL_DEFAULTS.webhookDedupWindowSeconds} (0 turns the dedup off), ` +
      `backoff {baseSeconds: ${backoff.baseSeconds}, maxSeconds: ${backoff.maxSeconds}, threshold: ${backoff.threshold}}. ` +
      'Answers show every field with its default filled in. See docs/scm-polling.md.',
  },
  RunScmPoll: {
    type: 'object',
    description: 'What the poll saw; templates read it as {{scmPoll.<field>}}. Command targets also get <REPO>_BRANCH, <REPO>_TRIGGER_SHA and <REPO>_SHA in their environment.',
    properties: {
      providerName: { type: 'string' },
      repo: { type: 'string' },
      branch: { type: 'string', description: 'As watched' },
      oldSha: sha,
      newSha: sha,
      commitMessage: nullable('string'),
      author: nullable('string'),
      commitUrl: nullable('string'),
      latencyMs: { type: 'integer', description: 'How long the host took to answer for the head' },
    },
  },
  ScmTestPoll: {
    type: 'object',
    description: 'What a poll would do now. It moved no baseline, wrote no state, claimed no SHA and started no run.',
    properties: {
      automationId: { type: 'string', format: 'uuid' },
      dryRun: { const: true },
      polledAt: { type: 'string', format: 'date-time' },
      listing: {
        oneOf: [
          {
            type: 'object',
            description: 'Listing the repository\'s branches for the glob entries of branches',
            properties: { patterns: { type: 'array', items: { type: 'string' } }, outcome: { type: 'string', enum: ['listed', 'failed', 'waiting'] }, matched: { type: 'array', items: { type: 'string' } }, error: pollError, nextAttemptAt: time() },
          },
          { type: 'null' },
        ],
      },
      branches: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            branch: { type: 'string' },
            outcome: { type: 'string', enum: OUTCOMES, description: 'baseline: the first SHA would be recorded, no run; triggered: moved, would run; filtered: moved, no changed file matches paths; duplicate: a webhook already ran the SHA within the dedup window' },
            wouldTrigger: { type: 'boolean' },
            previousSha: nullable('string', 'The SHA the state holds (none for a draft of another provider or repository)'),
            head: {
              oneOf: [
                { type: 'object', properties: { branch: { type: 'string' }, sha, message: nullable('string'), author: nullable('string'), url: nullable('string') } },
                { type: 'null' },
              ],
            },
            paths: {
              oneOf: [
                {
                  type: 'object',
                  properties: {
                    patterns: { type: 'array', items: { type: 'string' } },
                    fromSha: sha,
                    toSha: sha,
                    compared: { type: 'boolean', description: 'False when the host could not compare the range (history rewritten): the branch runs' },
                    changedCount: { type: 'integer' },
                    matched: { type: 'array', items: { type: 'string' }, description: 'The first 20 matching files' },
                    matchedCount: { type: 'integer' },
                    changedSample: { type: 'array', items: { type: 'string' }, description: 'The first 20 changed files' },
                    reason: nullable('string'),
                  },
                },
                { type: 'null' },
              ],
            },
            latencyMs: nullable('integer'),
            error: pollError,
            duplicateOf: {
              oneOf: [
                { type: 'object', properties: { sha, source: { type: 'string', enum: ['webhook', 'poll'] }, runId: { type: 'string', format: 'uuid' }, seenAt: { type: 'string', format: 'date-time' } } },
                { type: 'null' },
              ],
            },
            runId: { type: 'null', description: 'A test poll starts no run' },
            nextAttemptAt: time('When the branch is due for its next real poll'),
          },
        },
      },
    },
  },
  ScmPollState: {
    type: 'object',
    properties: {
      automationId: { type: 'string', format: 'uuid' },
      pollingEnabled: { type: 'boolean', description: 'False with HOOKLINE_SCM_POLLING=false: nothing is polled' },
      scmPoll: { oneOf: [ref('ScmPoll'), { type: 'null' }], description: 'The setting in force, defaults filled in' },
      branches: {
        type: 'array',
        description: 'Each branch polled so far (a glob entry has a state of its own, for listing branches), by name; left over from an earlier setting too',
        items: {
          type: 'object',
          properties: {
            branch: { type: 'string' },
            lastSha: nullable('string'),
            lastPollAt: time(),
            lastError: nullable('string'),
            consecutiveErrors: { type: 'integer' },
            backoffSeconds: { type: 'integer', description: 'The backoff the errors in a row make (0 below the threshold)' },
            nextAttemptAt: time('No poll before then; null when due'),
            baselineAt: time('When the first SHA was recorded'),
            recentErrors: {
              type: 'array',
              description: 'Newest first, at most five',
              items: { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, kind: { type: 'string', enum: FAILURE_KINDS }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  },
};

export const SCM_POLL_PATHS = {
  '/api/automations/{id}/test-poll': {
    parameters: [idParam],
    post: {
      tags,
      summary: 'Test Poll: ask the host for each watched branch\'s head now and say what a poll would do, with the saved scmPoll or a draft',
      description:
        'A dry run: nothing is written, no run starts. A draft of another provider or repository is compared with no earlier SHA (every branch would record a baseline). ' +
        '400 when the automation has no scmPoll and none is sent, for a draft that is invalid or names no Git provider, and with HOOKLINE_SCM_POLLING=false. ' +
        'Host failures are part of the answer, per branch.',
      requestBody: { required: false, ...json({ type: 'object', properties: { scmPoll: ref('ScmPoll') }, additionalProperties: false }) },
      responses: { 200: { description: 'The report', ...json(ref('ScmTestPoll')) }, ...invalid, ...authErrors, ...notFound },
    },
  },
  '/api/automations/{id}/scm-state': {
    parameters: [idParam],
    get: {
      tags,
      summary: 'The poll state of each watched branch: last SHA, last poll, errors, backoff, next attempt',
      responses: { 200: { description: 'OK', ...json(ref('ScmPollState')) }, ...authErrors, 404: error('No such automation') },
    },
  },
};
