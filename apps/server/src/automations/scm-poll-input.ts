import { z } from 'zod';
import { SCM_POLL_DEFAULTS, SCM_POLL_MIN_INTERVAL_SECONDS, type StoredScmPoll } from '../../../../libs/engine/src';
import { SCM_POLL_DESCRIPTION } from './automation-view';

const DAY = 86_400;
/** The longest webhookDedupWindowSeconds: claims older than this are pruned. */
export const MAX_DEDUP_WINDOW_SECONDS = DAY;
// Control characters never belong in a name, and a leading "-" could be read as an option by git.
const PLAIN = /^\P{Cc}*$/u;

const text = (max: number) => z.string({ error: 'must be a string' }).trim().max(max, `must be at most ${max} characters`);
const seconds = (min: number, max: number) =>
  z
    .number({ error: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const branchEntry = text(255)
  .min(1, 'must not be empty')
  .regex(/^[^\s\p{Cc}~^:\\]+$/u, 'must be a branch name or a glob such as release/*, without spaces or the characters ~ ^ : \\')
  .refine((name) => !name.startsWith('-') && !name.includes('..'), 'must be a branch name or a glob such as release/*; it may not start with "-" or contain ".."');

const pathPattern = text(500).min(1, 'must not be empty').regex(PLAIN, 'must not contain control characters');

const Backoff = z.strictObject(
  {
    baseSeconds: seconds(1, DAY).optional(),
    maxSeconds: seconds(1, DAY).optional(),
    threshold: z.number({ error: 'must be a whole number of errors' }).int('must be a whole number of errors').min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
  },
  { error: 'must be an object with baseSeconds, maxSeconds and threshold, each optional' },
);

/**
 * `scmPoll` on an automation: which branches of which repository to poll, on the automation's
 * schedule. Fields left out take SCM_POLL_DEFAULTS when the setting is read.
 */
export const ScmPollInput = z
  .strictObject(
    {
      providerName: text(200).min(1, 'is required: the name of a Git provider').regex(PLAIN, 'must not contain control characters'),
      repo: text(1000)
        .min(1, 'is required: owner/name on GitHub, project/name or https://dev.azure.com/<org>/<project>/_git/<name> on Azure DevOps')
        .regex(PLAIN, 'must not contain control characters')
        .refine((repo) => !repo.startsWith('-'), 'may not start with "-"'),
      branch: branchEntry.optional(),
      branches: z
        .array(branchEntry, { error: 'must be a list of branch names or globs such as release/*' })
        .min(1, 'must name at least one branch or glob')
        .max(50, 'may name at most 50 branches or globs')
        .optional(),
      paths: z.array(pathPattern, { error: 'must be a list of globs such as src/api/** or package.json' }).max(100, 'may name at most 100 globs').optional(),
      minIntervalSeconds: seconds(SCM_POLL_MIN_INTERVAL_SECONDS, DAY).optional(),
      webhookDedupWindowSeconds: seconds(0, MAX_DEDUP_WINDOW_SECONDS).optional(),
      backoff: Backoff.optional(),
    },
    { error: 'must be an object with providerName, repo and branch or branches; null stops polling' },
  )
  .superRefine((input, ctx) => {
    if (input.branch !== undefined && input.branches !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['branches'], message: 'cannot be given with branch: watch one branch with branch, or several with branches' });
    }
    if (input.branch === undefined && input.branches === undefined) {
      ctx.addIssue({ code: 'custom', path: ['branch'], message: 'is required: the branch to watch, or branches with a list of names and globs' });
    }
    const base = input.backoff?.baseSeconds ?? SCM_POLL_DEFAULTS.backoff.baseSeconds;
    const max = input.backoff?.maxSeconds ?? SCM_POLL_DEFAULTS.backoff.maxSeconds;
    if (max < base) ctx.addIssue({ code: 'custom', path: ['backoff', 'maxSeconds'], message: `must be at least baseSeconds (${base})` });
  })
  .meta({ id: 'ScmPollInput', description: SCM_POLL_DESCRIPTION });

/** The setting as stored: the fields given, each list without repeats. */
export function storedScmPoll(input: z.infer<typeof ScmPollInput>): StoredScmPoll {
  const { branch, branches, paths, ...rest } = input;
  const optional = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Omit<StoredScmPoll, 'branch' | 'branches' | 'paths'>;
  return {
    ...optional,
    ...(paths !== undefined && { paths: [...new Set(paths)] }),
    ...(branch !== undefined ? { branch } : { branches: [...new Set(branches)] }),
  } as StoredScmPoll;
}
