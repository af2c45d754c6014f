import { join } from 'node:path';
import type { GitProviderKind, ScmHost } from '../../../../libs/engine/src/scm-hosts';
import { AzureDevOpsHost } from './azure-devops-host';
import { GitHubHost } from './github-host';
import { GitRemoteHost } from './git-remote-host';

/** How long one call to a Git host may take (a git fetch gets four times this). */
export const SCM_CALL_TIMEOUT_MS = 30_000;

/** A stored Git provider with its token opened: everything needed to talk to its host. */
export interface GitProviderConnection {
  name: string;
  kind: GitProviderKind;
  /** GitHub's API base or Azure DevOps' organisation URL; null for `git`. */
  baseUrl: string | null;
  /** The remote of a `git` provider; null for the others. */
  remoteUrl: string | null;
  username: string | null;
  token: string | null;
}

export interface ScmHostOptions {
  /** The server's data directory: `git` providers keep their cache repositories in `scm-cache/` under it. */
  dataDir: string;
  timeoutMs?: number;
}

/** The host client for a Git provider; settings that cannot work throw an `invalid` ScmHostError. */
export function createScmHost(provider: GitProviderConnection, options: ScmHostOptions): ScmHost {
  const timeoutMs = options.timeoutMs ?? SCM_CALL_TIMEOUT_MS;
  switch (provider.kind) {
    case 'github':
      return new GitHubHost({ baseUrl: provider.baseUrl, token: provider.token, timeoutMs });
    case 'azure-devops':
      return new AzureDevOpsHost({ baseUrl: provider.baseUrl ?? '', token: provider.token, timeoutMs });
    case 'git':
      return new GitRemoteHost({
        remoteUrl: provider.remoteUrl ?? '',
        username: provider.username,
        token: provider.token,
        cacheRoot: join(options.dataDir, 'scm-cache'),
        timeoutMs,
      });
  }
}
