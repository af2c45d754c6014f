import { ScmHostError, type BranchHead, type ScmHost } from '../../../../libs/engine/src/scm-hosts';
import { getJson, hostMessage, statusFailure, type HostAnswer, type JsonClientOptions } from './scm-http';
import { apiBase, encodeSegments, requireBranch, requireSha } from './scm-names';

export const GITHUB_API_URL = 'https://api.github.com';

/** GitHub answers at most 100 branches a page; 50 pages is 5000 branches. */
const BRANCH_PAGES = 50;
/** A comparison lists at most 300 changed files (GitHub's documented cap). */
const COMPARE_FILE_CAP = 300;
/** Compare pages are 100 commits; past 250 commits a range is too long to list file by file. */
const COMPARE_PAGE = 100;
const MAX_RANGE_COMMITS = 250;
/** One commit lists at most 3000 files, 300 a page. */
const COMMIT_FILE_CAP = 3000;

export interface GitHubHostOptions {
  /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  baseUrl?: string | null;
  token: string | null;
  timeoutMs: number;
}

interface DiffEntry {
  filename: string;
  previous_filename?: string;
}

interface Comparison {
  status?: string;
  total_commits?: number;
  commits?: Array<{ sha: string }>;
  files?: DiffEntry[];
}

interface Commit {
  sha?: string;
  html_url?: string;
  commit?: { message?: string; author?: { name?: string } | null };
  files?: DiffEntry[];
}

/**
 * GitHub's REST API (or GitHub Enterprise Server's at `<host>/api/v3`). `repo` is `owner/name`.
 * The token goes as a Bearer header; without one, only public repositories answer, at 60
 * requests an hour.
 */
export class GitHubHost implements ScmHost {
  private readonly base: URL;
  private readonly client: JsonClientOptions;

  constructor(private readonly options: GitHubHostOptions) {
    this.base = apiBase(options.baseUrl ?? GITHUB_API_URL, 'GitHub');
    this.client = {
      hostName: 'GitHub',
      origin: this.base.origin,
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'Hookline',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      timeoutMs: options.timeoutMs,
      secrets: options.token ? [options.token] : [],
      classify: (answer) => this.classify(answer),
      offOrigin: (location) => new ScmHostError('unavailable', `GitHub pointed away from ${this.base.origin} (to ${new URL(location).origin}); the token is not sent there`),
    };
  }

  async check(): Promise<{ identity: string }> {
    if (!this.options.token) {
      await this.get('rate_limit', 'the API');
      return { identity: 'anonymous (no token): public repositories only, 60 requests an hour' };
    }
    const user = await this.get<{ login?: string }>('user', 'the user of this token');
    return { identity: user.login ?? 'an unnamed user' };
  }

  async branches(repo: string): Promise<string[]> {
    const path = repoPath(repo);
    const names: string[] = [];
    let url: URL | undefined = this.url(`repos/${path}/branches?per_page=100`);
    for (let page = 0; url; page++) {
      if (page >= BRANCH_PAGES) {
        throw new ScmHostError('invalid', `${repo} has more than ${BRANCH_PAGES * 100} branches, too many to match patterns against; watch exact branch names`);
      }
      const { body, headers } = await getJson<Array<{ name: string }>>(url, this.clientFor(`repository ${repo}`));
      names.push(...body.map((branch) => branch.name));
      url = nextLink(headers.get('link'));
    }
    return names;
  }

  async head(repo: string, branch: string): Promise<BranchHead> {
    const commit = await this.get<Commit>(`repos/${repoPath(repo)}/commits/${encodeSegments(requireBranch(branch))}`, `branch ${branch} in ${repo}`);
    if (typeof commit.sha !== 'string' || !/^[0-9a-f]{40,64}$/.test(commit.sha)) {
      throw new ScmHostError('unavailable', `GitHub answered for branch ${branch} in ${repo} without a commit SHA`);
    }
    return {
      branch,
      sha: commit.sha,
      message: commit.commit?.message ?? null,
      author: commit.commit?.author?.name ?? null,
      url: commit.html_url ?? null,
    };
  }

  /**
   * The files of `from...to` as GitHub compares them (from the merge base). A comparison lists at
   * most 300 files: when it lists that many, the files are gathered commit by commit instead, so
   * none is missed. When `to` is not ahead of `from` (a branch reset or force-pushed), the files
   * on the `from` side are added too: a path filter sees both sides of the change.
   */
  async changedFiles(repo: string, fromSha: string, toSha: string): Promise<string[]> {
    const path = repoPath(repo);
    requireSha(fromSha, 'fromSha');
    requireSha(toSha, 'toSha');
    if (fromSha === toSha) return [];
    const forward = await this.rangeFiles(repo, path, fromSha, toSha);
    if (forward.status === 'behind' || forward.status === 'diverged') {
      for (const file of (await this.rangeFiles(repo, path, toSha, fromSha)).files) forward.files.add(file);
    }
    return [...forward.files].sort();
  }

  private async rangeFiles(repo: string, path: string, base: string, head: string): Promise<{ files: Set<string>; status: string }> {
    const what = `commits ${base.slice(0, 12)} and ${head.slice(0, 12)} in ${repo}`;
    const first = await this.get<Comparison>(`repos/${path}/compare/${base}...${head}?per_page=${COMPARE_PAGE}`, what);
    const listed = first.files ?? [];
    if (listed.length < COMPARE_FILE_CAP) return { files: fileNames(listed), status: first.status ?? 'ahead' };
    const total = first.total_commits ?? 0;
    if (total > MAX_RANGE_COMMITS) {
      throw new ScmHostError(
        'invalid',
        `${base.slice(0, 12)}...${head.slice(0, 12)} in ${repo} changes more than ${COMPARE_FILE_CAP} files over ${total} commits; GitHub cannot list them all (at most ${MAX_RANGE_COMMITS} commits are listed file by file)`,
      );
    }
    const shas = (first.commits ?? []).map((commit) => commit.sha);
    for (let page = 2; shas.length < total && page <= Math.ceil(total / COMPARE_PAGE); page++) {
      const more = await this.get<Comparison>(`repos/${path}/compare/${base}...${head}?per_page=${COMPARE_PAGE}&page=${page}`, what);
      shas.push(...(more.commits ?? []).map((commit) => commit.sha));
    }
    const files = new Set<string>();
    for (const sha of shas) for (const file of await this.commitFiles(repo, path, sha)) files.add(file);
    return { files, status: first.status ?? 'ahead' };
  }

  private async commitFiles(repo: string, path: string, sha: string): Promise<Set<string>> {
    const files = new Set<string>();
    let count = 0;
    let url: URL | undefined = this.url(`repos/${path}/commits/${requireSha(sha, 'a commit of the range')}`);
    while (url) {
      const { body, headers } = await getJson<Commit>(url, this.clientFor(`commit ${sha.slice(0, 12)} in ${repo}`));
      count += (body.files ?? []).length;
      for (const file of fileNames(body.files ?? [])) files.add(file);
      url = nextLink(headers.get('link'));
    }
    if (count >= COMMIT_FILE_CAP) {
      throw new ScmHostError('invalid', `commit ${sha.slice(0, 12)} in ${repo} changes ${COMMIT_FILE_CAP} files or more; GitHub cannot list them all`);
    }
    return files;
  }

  private async get<T>(path: string, what: string): Promise<T> {
    return (await getJson<T>(this.url(path), this.clientFor(what))).body;
  }

  private clientFor(what: string): JsonClientOptions {
    return { ...this.client, classify: (answer) => this.classify(answer, what) };
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }

  /** GitHub's 422 (a SHA it does not know, in a comparison) and 409 (an empty repository) are "not found" too. */
  private classify(answer: HostAnswer, what = 'this'): ScmHostError | undefined {
    const detail = hostMessage(answer.text);
    if (answer.status === 422 || answer.status === 409) {
      return new ScmHostError('not_found', `GitHub has no ${what}${detail ? ` (${detail.slice(0, 300)})` : ''}`, { status: answer.status });
    }
    return statusFailure('GitHub', answer, what, detail);
  }
}

/** `owner/name`, each part encoded; anything else is refused with the form expected. */
function repoPath(repo: string): string {
  const match = typeof repo === 'string' ? /^([A-Za-z0-9][A-Za-z0-9_.-]*)\/([A-Za-z0-9_.-]+?)(?:\.git)?$/.exec(repo.trim()) : null;
  if (!match || match[2] === '.' || match[2] === '..') {
    throw new ScmHostError('invalid', `repo "${String(repo).slice(0, 100)}" is not a GitHub repository name; use owner/name, e.g. octo-org/customer-api`);
  }
  return `${encodeURIComponent(match[1])}/${encodeURIComponent(match[2])}`;
}

function fileNames(entries: DiffEntry[]): Set<string> {
  const names = new Set<string>();
  for (const entry of entries) {
    names.add(entry.filename);
    // A rename moves a file out of one path and into another: a filter may watch either.
    if (entry.previous_filename) names.add(entry.previous_filename);
  }
  return names;
}

/** The `rel="next"` target of a Link header (RFC 8288), as GitHub paginates. */
export function nextLink(link: string | null): URL | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (match && /\brel="?next"?/.test(match[2])) return new URL(match[1]);
  }
  return undefined;
}
