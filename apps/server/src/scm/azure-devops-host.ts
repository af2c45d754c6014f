import { ScmHostError, type BranchHead, type ScmHost } from '../../../../libs/engine/src/scm-hosts';
import { getJson, hostMessage, statusFailure, type HostAnswer, type JsonClientOptions } from './scm-http';
import { apiBase, requireBranch, requireSha } from './scm-names';
import { basicAuthorization } from './secret-text';

const API_VERSION = '7.1';
/** Refs come 1000 a page; 20 pages is 20000 branches. */
const REF_PAGE = 1000;
const REF_PAGES = 20;
/** Changes of a diff come 1000 a page; 100 pages is 100000 changed paths. */
const DIFF_PAGE = 1000;
const DIFF_PAGES = 100;

export interface AzureDevOpsHostOptions {
  /** The organisation URL: `https://dev.azure.com/<organisation>` (or a server's collection URL). */
  baseUrl: string;
  /** A personal access token, sent as Basic with an empty user name; null for public projects. */
  token: string | null;
  timeoutMs: number;
}

interface AzureRepo {
  project: string;
  name: string;
}

interface CommitRef {
  commitId?: string;
  comment?: string;
  author?: { name?: string } | null;
  remoteUrl?: string;
}

interface CommitDiffs {
  allChangesIncluded?: boolean;
  changes?: Array<{ item?: { path?: string; isFolder?: boolean; gitObjectType?: string }; changeType?: string; originalPath?: string; sourceServerItem?: string }>;
}

interface Identity {
  providerDisplayName?: string;
  customDisplayName?: string;
  properties?: { Account?: { $value?: string } };
}

/**
 * Azure DevOps Services (or Server) Git REST API, version 7.1. `repo` is `<project>/<repository>`
 * or the repository's URL, `https://dev.azure.com/<organisation>/<project>/_git/<repository>`.
 */
export class AzureDevOpsHost implements ScmHost {
  private readonly base: URL;
  private readonly client: JsonClientOptions;

  constructor(private readonly options: AzureDevOpsHostOptions) {
    this.base = apiBase(options.baseUrl, 'Azure DevOps');
    const authorization = options.token ? basicAuthorization('', options.token) : undefined;
    this.client = {
      hostName: 'Azure DevOps',
      origin: this.base.origin,
      headers: { accept: 'application/json', 'user-agent': 'Hookline', ...(authorization ? { authorization } : {}) },
      timeoutMs: options.timeoutMs,
      secrets: options.token && authorization ? [options.token, authorization.slice('Basic '.length)] : [],
      classify: (answer) => this.classify(answer, 'this'),
      // Azure DevOps sends a client without valid credentials to its sign-in page.
      offOrigin: () => new ScmHostError('auth', 'Azure DevOps redirected to its sign-in page: the PAT is missing, expired or lacks a scope; set a valid one on the Git provider'),
    };
  }

  async check(): Promise<{ identity: string }> {
    const data = await this.get<{ authenticatedUser?: Identity }>(this.url('_apis/connectionData'), 'the organisation');
    if (!this.options.token) return { identity: 'anonymous (no token): public projects only' };
    const user = data.authenticatedUser;
    const name = user?.customDisplayName || user?.providerDisplayName;
    const account = user?.properties?.Account?.$value;
    return { identity: [name, account && account !== name ? `<${account}>` : undefined].filter(Boolean).join(' ') || 'an unnamed user' };
  }

  async branches(repo: string): Promise<string[]> {
    const target = this.repo(repo);
    const names: string[] = [];
    let continuation: string | null = null;
    for (let page = 0; page === 0 || continuation; page++) {
      if (page >= REF_PAGES) throw new ScmHostError('invalid', `${repo} has more than ${REF_PAGES * REF_PAGE} branches, too many to match patterns against; watch exact branch names`);
      const url = this.repoUrl(target, 'refs', { filter: 'heads/', $top: String(REF_PAGE), ...(continuation ? { continuationToken: continuation } : {}) });
      const { body, headers } = await getJson<{ value?: Array<{ name: string }> }>(url, this.clientFor(`repository ${repo}`));
      names.push(...(body.value ?? []).map((ref) => ref.name.replace(/^refs\/heads\//, '')));
      continuation = headers.get('x-ms-continuationtoken');
    }
    return names;
  }

  async head(repo: string, branch: string): Promise<BranchHead> {
    const target = this.repo(repo);
    const url = this.repoUrl(target, 'stats/branches', { name: requireBranch(branch) });
    const stats = await this.get<{ commit?: CommitRef }>(url, `branch ${branch} in ${repo}`);
    const sha = stats.commit?.commitId;
    if (typeof sha !== 'string' || !/^[0-9a-f]{40,64}$/.test(sha)) throw new ScmHostError('unavailable', `Azure DevOps answered for branch ${branch} in ${repo} without a commit id`);
    return {
      branch,
      sha,
      message: stats.commit?.comment ?? null,
      author: stats.commit?.author?.name ?? null,
      url: stats.commit?.remoteUrl ?? new URL(`${encodeURIComponent(target.project)}/_git/${encodeURIComponent(target.name)}/commit/${sha}`, this.base).toString(),
    };
  }

  /**
   * The diffs API between the two commits themselves (`diffCommonCommit=false`): the paths whose
   * content differs between `fromSha` and `toSha`, as `git diff --name-only` gives them, paged
   * until Azure DevOps says all changes were included. A rename counts both its paths.
   */
  async changedFiles(repo: string, fromSha: string, toSha: string): Promise<string[]> {
    const target = this.repo(repo);
    requireSha(fromSha, 'fromSha');
    requireSha(toSha, 'toSha');
    if (fromSha === toSha) return [];
    const files = new Set<string>();
    const what = `commits ${fromSha.slice(0, 12)} and ${toSha.slice(0, 12)} in ${repo}`;
    for (let page = 0, skip = 0; ; page++) {
      if (page >= DIFF_PAGES) throw new ScmHostError('invalid', `${what} differ in more than ${DIFF_PAGES * DIFF_PAGE} paths; too many to list`);
      const url = this.repoUrl(target, 'diffs/commits', {
        baseVersion: fromSha,
        baseVersionType: 'commit',
        targetVersion: toSha,
        targetVersionType: 'commit',
        diffCommonCommit: 'false',
        $top: String(DIFF_PAGE),
        $skip: String(skip),
      });
      const diffs = await this.get<CommitDiffs>(url, what);
      const changes = diffs.changes ?? [];
      for (const change of changes) {
        if (change.item?.isFolder || change.item?.gitObjectType === 'tree') continue;
        for (const path of [change.item?.path, change.originalPath, change.sourceServerItem]) if (path) files.add(path.replace(/^\/+/, ''));
      }
      if (diffs.allChangesIncluded !== false || changes.length === 0) break;
      skip += changes.length;
    }
    return [...files].sort();
  }

  private repo(repo: string): AzureRepo {
    return parseAzureRepo(this.base, repo);
  }

  private repoUrl(repo: AzureRepo, resource: string, query: Record<string, string>): URL {
    const url = this.url(`${encodeURIComponent(repo.project)}/_apis/git/repositories/${encodeURIComponent(repo.name)}/${resource}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('api-version', API_VERSION);
    return url;
  }

  private async get<T>(url: URL, what: string): Promise<T> {
    return (await getJson<T>(url, this.clientFor(what))).body;
  }

  private clientFor(what: string): JsonClientOptions {
    return { ...this.client, classify: (answer) => this.classify(answer, what) };
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }

  /**
   * Azure DevOps answers a request it will not authenticate with 203 and an HTML sign-in page
   * rather than 401: any answer that is not JSON is taken as that.
   */
  private classify(answer: HostAnswer, what: string): ScmHostError | undefined {
    const json = (answer.headers.get('content-type') ?? '').includes('json');
    if (answer.status === 203 || (answer.status < 300 && !json)) {
      return new ScmHostError('auth', 'Azure DevOps answered with its sign-in page: the PAT is missing, expired or lacks a scope; set a valid one on the Git provider', { status: answer.status });
    }
    return statusFailure('Azure DevOps', answer, what, hostMessage(answer.text));
  }
}

/**
 * `<project>/<repository>`, or the repository's URL in this organisation
 * (`<organisation URL>/<project>/_git/<repository>`, with or without a user name before the host).
 */
export function parseAzureRepo(base: URL, repo: string): AzureRepo {
  const expected = `use <project>/<repository> or ${base.toString()}<project>/_git/<repository>`;
  const value = typeof repo === 'string' ? repo.trim() : '';
  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ScmHostError('invalid', `repo "${value.slice(0, 200)}" is not a URL; ${expected}`);
    }
    const match = /^(.*)\/([^/]+)\/_git\/([^/]+)\/?$/.exec(url.pathname);
    if (!match) throw new ScmHostError('invalid', `repo "${value.slice(0, 200)}" is not an Azure DevOps repository URL; ${expected}`);
    const organisation = `${url.origin}${match[1]}/`.toLowerCase();
    if (organisation !== base.toString().toLowerCase()) {
      throw new ScmHostError('invalid', `repo ${value.slice(0, 200)} is not in ${base.toString()}, the organisation of this Git provider`);
    }
    return { project: decodeURIComponent(match[2]), name: decodeURIComponent(match[3]) };
  }
  const parts = value.split('/');
  if (parts.length !== 2 || parts.some((part) => part.trim() === '' || /\p{Cc}/u.test(part))) {
    throw new ScmHostError('invalid', `repo "${value.slice(0, 200)}" is not an Azure DevOps repository; ${expected}`);
  }
  return { project: parts[0], name: parts[1] };
}
