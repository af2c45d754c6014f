import type { GitProvider, GitProviderInput, GitProviderKind } from './git-provider-types';

/** What each kind is called, and the forms its fields and an automation's `repo` take there. */
export const GIT_PROVIDER_KINDS: Record<GitProviderKind, { label: string; token: string; repo: string }> = {
  github: {
    label: 'GitHub',
    token: 'A GitHub token; a fine-grained one needs read access to the repositories’ contents and metadata. Without one only public repositories answer.',
    repo: 'owner/name, e.g. acme/customer-api',
  },
  'azure-devops': {
    label: 'Azure DevOps',
    token: 'A personal access token with the Code (Read) scope.',
    repo: 'project/repository, or https://dev.azure.com/<organisation>/<project>/_git/<repository>',
  },
  git: {
    label: 'Any git remote',
    token: 'The password or token for an http(s) remote, sent with the user name. ssh:// remotes use the server user’s SSH keys instead.',
    repo: 'a name for the remote: it names the runs’ environment variables, e.g. customer-api',
  },
};

export const GIT_PROVIDER_KIND_NAMES = Object.keys(GIT_PROVIDER_KINDS) as GitProviderKind[];

/** The edit form's state: text as the inputs hold it, for every kind at once so that switching kinds keeps what was typed. */
export interface GitProviderDraft {
  name: string;
  kind: GitProviderKind;
  baseUrl: string;
  remoteUrl: string;
  username: string;
  /** Typed token; empty keeps the stored one. Never filled from the API. */
  token: string;
  removeToken: boolean;
}

export function draftOf(provider: GitProvider | undefined): GitProviderDraft {
  return {
    name: provider?.name ?? '',
    kind: provider?.kind ?? 'github',
    baseUrl: provider?.baseUrl ?? '',
    remoteUrl: provider?.remoteUrl ?? '',
    username: provider?.username ?? '',
    token: '',
    removeToken: false,
  };
}

/**
 * What a save sends: the fields the kind uses (an empty one as null, for the server to fill in
 * GitHub's default or name what is missing), and the token only when typed or removed.
 */
export function inputOf(draft: GitProviderDraft): GitProviderInput {
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  const settings: Partial<GitProviderInput> =
    draft.kind === 'git' ? { remoteUrl: orNull(draft.remoteUrl), username: orNull(draft.username) } : { baseUrl: orNull(draft.baseUrl) };
  return {
    name: draft.name,
    kind: draft.kind,
    ...settings,
    ...(draft.removeToken ? { token: null } : draft.token !== '' ? { token: draft.token } : {}),
  };
}
