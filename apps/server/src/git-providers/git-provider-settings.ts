import type { GitProviderKind } from '../../../../libs/engine/src/scm-hosts';
import { GITHUB_API_URL } from '../scm/github-host';
import { isHttpRemote, remoteUrlProblem } from '../scm/git-remote-url';

/** A Git provider's settings as they will be stored, after a create or an update is applied. */
export interface GitProviderSettings {
  kind: GitProviderKind;
  baseUrl: string | null;
  remoteUrl: string | null;
  username: string | null;
  hasToken: boolean;
}

/** The settings each kind uses; the others must be absent. */
const USES: Record<GitProviderKind, ReadonlyArray<'baseUrl' | 'remoteUrl' | 'username'>> = {
  github: ['baseUrl'],
  'azure-devops': ['baseUrl'],
  git: ['remoteUrl', 'username'],
};

/** GitHub's default API base when none is given; URLs lose trailing slashes. */
export function normalised(settings: GitProviderSettings): GitProviderSettings {
  const baseUrl = settings.baseUrl?.replace(/\/+$/, '') ?? (settings.kind === 'github' ? GITHUB_API_URL : null);
  return { ...settings, baseUrl };
}

/** What is wrong with a provider's settings, by field; empty when they will work. */
export function settingsProblems(settings: GitProviderSettings): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of ['baseUrl', 'remoteUrl', 'username'] as const) {
    if (settings[field] !== null && !USES[settings.kind].includes(field)) {
      problems[field] = settings.kind === 'git' ? 'is not used by git providers: set remoteUrl' : `is only for git providers; ${settings.kind} providers use baseUrl`;
    }
  }
  if (settings.kind === 'github' && settings.baseUrl !== null) {
    const problem = httpUrlProblem(settings.baseUrl, 'https://api.github.com, or https://github.example.com/api/v3 for GitHub Enterprise Server');
    if (problem) problems.baseUrl = problem;
  }
  if (settings.kind === 'azure-devops') {
    const problem = settings.baseUrl === null ? 'is required for Azure DevOps: the organisation URL, e.g. https://dev.azure.com/fabrikam' : azureBaseProblem(settings.baseUrl);
    if (problem) problems.baseUrl = problem;
  }
  if (settings.kind === 'git') {
    const problem = settings.remoteUrl === null ? 'is required for git providers, e.g. https://git.example.com/team/app.git' : remoteUrlProblem(settings.remoteUrl);
    if (problem) problems.remoteUrl = problem;
    else if (settings.remoteUrl !== null && settings.hasToken && !isHttpRemote(settings.remoteUrl)) problems.token = 'is sent only to http:// and https:// remotes; remove it, or use an https:// remote URL';
    if (settings.username !== null && !settings.hasToken) problems.username = 'needs a token: set token too, or leave username out';
  }
  return problems;
}

function httpUrlProblem(value: string, example: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an http(s) URL, e.g. ${example}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an http(s) URL, e.g. ${example}`;
  if (url.username || url.password) return 'must not hold credentials: put the token in token';
  if (url.search || url.hash) return `must not have a query or fragment, e.g. ${example}`;
  return undefined;
}

/** On dev.azure.com the organisation URL is exactly one path segment; a project after it would break every call. */
function azureBaseProblem(value: string): string | undefined {
  const example = 'https://dev.azure.com/fabrikam';
  const problem = httpUrlProblem(value, example);
  if (problem) return problem;
  const url = new URL(value);
  if (url.hostname.toLowerCase() === 'dev.azure.com' && url.pathname.replace(/\/+$/, '').split('/').length !== 2) {
    return `must be the organisation URL alone, without a project, e.g. ${example}`;
  }
  return undefined;
}
