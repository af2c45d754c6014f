/**
 * Git providers as the API answers them. Plain types only, no imports: the console can import
 * this file too, so the contract is written once.
 */
export interface GitProviderView {
  id: string;
  name: string;
  kind: 'github' | 'azure-devops' | 'git';
  /** GitHub's API base (https://api.github.com by default) or the Azure DevOps organisation URL; null for git. */
  baseUrl: string | null;
  /** The remote of a git provider; null for the others. */
  remoteUrl: string | null;
  username: string | null;
  /** Whether a token is set; the token itself is never returned. */
  tokenConfigured: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The answer to a check: the check ran either way, so both are a 200. */
export type GitProviderCheckView =
  | { ok: true; identity: string }
  | { ok: false; kind: 'auth' | 'not_found' | 'rate_limited' | 'unavailable' | 'invalid'; message: string };
