/** The kinds of Git host whose branches Hookline polls. */
export const GIT_PROVIDER_KINDS = ['github', 'azure-devops', 'git'] as const;
export type GitProviderKind = (typeof GIT_PROVIDER_KINDS)[number];

/** A branch's head commit as its host reports it. */
export interface BranchHead {
  branch: string;
  sha: string;
  /** The commit message, author and a link to the commit, where the host tells them. */
  message: string | null;
  author: string | null;
  url: string | null;
}

/**
 * Why a call to a Git host failed: bad credentials, no such repository or branch, a rate limit
 * (with when to try again), the host down or unreachable, or a setting that cannot work.
 */
export type ScmFailureKind = 'auth' | 'not_found' | 'rate_limited' | 'unavailable' | 'invalid';

export class ScmHostError extends Error {
  constructor(
    readonly kind: ScmFailureKind,
    message: string,
    readonly details: { status?: number; retryAt?: Date } = {},
  ) {
    super(message);
    this.name = 'ScmHostError';
  }
}

/**
 * One Git host with its credentials, as polling sees it. `repo` is as an automation names it:
 * `owner/name` on GitHub, `project/name` (or the `https://dev.azure.com/<org>/<project>/_git/<name>`
 * URL) on Azure DevOps; a `git` provider serves one remote and ignores it. Failures are ScmHostErrors.
 */
export interface ScmHost {
  /** Whether the credentials work, and for whom (a login, or how the remote was reached). */
  check(): Promise<{ identity: string }>;
  /** The names of the repository's branches, for watching glob patterns. */
  branches(repo: string): Promise<string[]>;
  head(repo: string, branch: string): Promise<BranchHead>;
  /** The paths of the files changed after `fromSha` up to and including `toSha`. */
  changedFiles(repo: string, fromSha: string, toSha: string): Promise<string[]>;
}

/**
 * A host whose every call fails with `error`. A Git provider that no longer exists, or whose token
 * cannot be opened, then fails each poll the way a host that refuses does: recorded in the branch
 * state, with backoff.
 */
export function failingScmHost(error: ScmHostError): ScmHost {
  const fail = (): Promise<never> => Promise.reject(error);
  return { check: fail, branches: fail, head: fail, changedFiles: fail };
}
