import { SCM_POLL_DEFAULTS } from '../../../../libs/engine/src';
import { ScmPollInput } from '../automations/scm-poll-input';
import { requestSchema } from './openapi-parts';

const { backoff } = SCM_POLL_DEFAULTS;

/** The `scmPoll` setting of automations, its schema generated from the validator. */
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
};
