import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures', 'scm');

export type FakeScmKind = 'github' | 'azure-devops';

export interface FakeCommit {
  sha: string;
  parent: string | null;
  message: string;
  author: string;
  files: string[];
}

export interface RecordedRequest {
  method: string;
  /** The path and query exactly as sent, still percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
}

/** An answer given instead of the real one, to the next `times` requests whose URL matches. */
export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  times?: number;
  match?: RegExp;
  /** Never answer (for time limits). */
  hang?: boolean;
}

interface FakeRepo {
  branches: Map<string, string>;
  commits: Map<string, FakeCommit>;
}

function fixture(path: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
}

/**
 * A GitHub or Azure DevOps REST API on a free local port, answering the documented response
 * shapes (test/fixtures/scm) for the repositories, branches and commits a test makes. It checks
 * the credentials, records every request, and answers 401/404/5xx/rate limits on demand.
 *
 *   const github = await FakeScmHost.start({ kind: 'github', token: 'ghp_x' });
 *   const first = github.commit('octo/app', 'main', { files: ['README.md'] });
 *   const second = github.commit('octo/app', 'main', { files: ['src/a.ts'], message: 'Add a' });
 *   // new GitHubHost({ baseUrl: github.baseUrl, token: 'ghp_x', timeoutMs: 5000 })
 */
export class FakeScmHost {
  readonly requests: RecordedRequest[] = [];
  private readonly repos = new Map<string, FakeRepo>();
  private readonly canned: CannedAnswer[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private counter = 0;
  private origin = '';

  private constructor(
    readonly kind: FakeScmKind,
    /** The token a request must carry; null lets anonymous requests in. */
    public token: string | null,
    readonly login: string,
    readonly organization: string,
    private readonly server: Server,
  ) {}

  static async start(options: { kind: FakeScmKind; token?: string | null; login?: string; organization?: string }): Promise<FakeScmHost> {
    const server = createServer();
    const host = new FakeScmHost(options.kind, options.token ?? null, options.login ?? 'octocat', options.organization ?? 'fabrikam', server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => host.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return host;
  }

  /** What a Git provider's baseUrl is set to: GitHub Enterprise's `/api/v3`, or the Azure DevOps organisation URL. */
  get baseUrl(): string {
    return this.kind === 'github' ? `${this.origin}/api/v3` : `${this.origin}/${this.organization}`;
  }

  get url(): string {
    return this.origin;
  }

  /** Adds a commit on top of `branch` (creating both as needed) and moves the branch to it; returns its SHA. */
  commit(repo: string, branch: string, change: { files?: string[]; message?: string; author?: string } = {}): string {
    const target = this.repo(repo);
    const parent = target.branches.get(branch) ?? null;
    const sha = createHash('sha1').update(`${repo}\0${branch}\0${++this.counter}`).digest('hex');
    target.commits.set(sha, { sha, parent, message: change.message ?? `Commit ${this.counter}`, author: change.author ?? 'Monalisa Octocat', files: change.files ?? [] });
    target.branches.set(branch, sha);
    return sha;
  }

  /** Points a branch at any known commit (a new branch, or a force-push). */
  setBranch(repo: string, branch: string, sha: string): void {
    const target = this.repo(repo);
    if (!target.commits.has(sha)) throw new Error(`no commit ${sha} in ${repo}`);
    target.branches.set(branch, sha);
  }

  headOf(repo: string, branch: string): string | undefined {
    return this.repos.get(repo.toLowerCase())?.branches.get(branch);
  }

  /** Answers the next matching request(s) with this instead. */
  answerNext(answer: CannedAnswer): void {
    this.canned.push({ times: 1, ...answer });
  }

  /** The documented rate-limit answers: GitHub's 403 with the reset time, or a 429 with Retry-After. */
  rateLimitNext(form: { resetAt: Date } | { retryAfterSeconds: number }, match?: RegExp): void {
    const body = this.kind === 'github' ? JSON.stringify(fixture('github/rate-limited.json')) : '{"message":"Request was blocked due to exceeding usage of resource."}';
    if ('resetAt' in form) {
      this.answerNext({ status: 403, match, body, headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(form.resetAt.getTime() / 1000)) } });
    } else {
      this.answerNext({ status: 429, match, body, headers: { 'retry-after': String(form.retryAfterSeconds) } });
    }
  }

  clearAnswers(): void {
    this.canned.length = 0;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private repo(name: string): FakeRepo {
    const key = name.toLowerCase();
    let repo = this.repos.get(key);
    if (!repo) {
      repo = { branches: new Map(), commits: new Map() };
      this.repos.set(key, repo);
    }
    return repo;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const raw = req.url ?? '/';
    this.requests.push({ method: req.method ?? 'GET', url: raw, headers: req.headers });
    const canned = this.canned.find((answer) => (answer.times ?? 1) > 0 && (!answer.match || answer.match.test(raw)));
    if (canned) {
      canned.times = (canned.times ?? 1) - 1;
      if (canned.hang) {
        this.hanging.add(res);
        return;
      }
      res.writeHead(canned.status, { 'content-type': 'application/json; charset=utf-8', ...canned.headers }).end(canned.body ?? '');
      return;
    }
    const url = new URL(raw, this.origin);
    try {
      if (this.kind === 'github') this.github(req, url, res);
      else this.azure(req, url, res);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (err as Error).message }));
    }
  }

  // ---- GitHub ---------------------------------------------------------------------------------

  private github(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void =>
      void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', ...headers }).end(JSON.stringify(body));
    const authorization = req.headers.authorization;
    if (this.token !== null && authorization !== undefined && authorization !== `Bearer ${this.token}`) return send(401, fixture('github/bad-credentials.json'));
    if (this.token !== null && authorization === undefined && url.pathname !== '/api/v3/rate_limit') return send(401, { ...fixture('github/bad-credentials.json'), message: 'Requires authentication' });
    const path = url.pathname.replace(/^\/api\/v3/, '');
    if (path === '/user') return authorization ? send(200, { ...fixture('github/user.json'), login: this.login }) : send(401, { ...fixture('github/bad-credentials.json'), message: 'Requires authentication' });
    if (path === '/rate_limit') return send(200, fixture('github/rate-limit.json'));
    const match = /^\/repos\/([^/]+)\/([^/]+)\/(branches|commits|compare)(?:\/(.+))?$/.exec(path);
    const repo = match ? this.repos.get(`${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`.toLowerCase()) : undefined;
    if (!match || !repo) return send(404, fixture('github/not-found.json'));
    const repoName = `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`;
    const webUrl = `${this.origin}/${repoName}`;
    if (match[3] === 'branches') {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = [...repo.branches.entries()].sort(([a], [b]) => a.localeCompare(b));
      const template = fixture('github/branches.json')[0];
      const items = all.slice((page - 1) * perPage, page * perPage).map(([name, sha]) => ({ ...template, name, commit: { sha, url: `${this.baseUrl}/repos/${repoName}/commits/${sha}` } }));
      const more = page * perPage < all.length;
      return send(200, items, more ? { link: `<${this.baseUrl}/repos/${repoName}/branches?per_page=${perPage}&page=${page + 1}>; rel="next", <${this.baseUrl}/repos/${repoName}/branches?per_page=${perPage}&page=${Math.ceil(all.length / perPage)}>; rel="last"` } : {});
    }
    if (match[3] === 'commits') {
      const ref = (match[4] ?? '').split('/').map(decodeURIComponent).join('/');
      const commit = repo.commits.get(ref) ?? repo.commits.get(repo.branches.get(ref) ?? '');
      if (!commit) return send(422, { ...fixture('github/no-commit.json'), message: `No commit found for SHA: ${ref}` });
      const page = Number(url.searchParams.get('page') ?? 1);
      const files = commit.files.slice((page - 1) * 300, page * 300);
      const more = page * 300 < Math.min(commit.files.length, 3000);
      return send(200, this.githubCommit(commit, webUrl, files), more ? { link: `<${this.baseUrl}/repos/${repoName}/commits/${commit.sha}?page=${page + 1}>; rel="next"` } : {});
    }
    const range = /^([0-9a-f]+)\.\.\.([0-9a-f]+)$/.exec(decodeURIComponent(match[4] ?? ''));
    if (!range || !repo.commits.has(range[1]) || !repo.commits.has(range[2])) return send(404, fixture('github/not-found.json'));
    const ahead = commitsSince(repo, range[2], range[1]);
    const behind = commitsSince(repo, range[1], range[2]);
    const paged = url.searchParams.has('per_page') || url.searchParams.has('page');
    const perPage = paged ? Number(url.searchParams.get('per_page') ?? 30) : 250;
    const page = Number(url.searchParams.get('page') ?? 1);
    const chronological = [...ahead].reverse();
    const template = fixture('github/compare.json');
    const files = page === 1 ? [...new Set(ahead.flatMap((c) => c.files))].slice(0, 300) : [];
    return send(200, {
      ...template,
      url: `${this.baseUrl}/repos/${repoName}/compare/${range[1]}...${range[2]}`,
      html_url: `${webUrl}/compare/${range[1]}...${range[2]}`,
      status: ahead.length === 0 ? (behind.length === 0 ? 'identical' : 'behind') : behind.length === 0 ? 'ahead' : 'diverged',
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: chronological.slice((page - 1) * perPage, page * perPage).map((c) => this.githubCommit(c, webUrl, undefined)),
      files: files.map((filename) => ({ ...template.files[0], filename, status: 'modified' })),
    });
  }

  private githubCommit(commit: FakeCommit, webUrl: string, files: string[] | undefined): any {
    const template = fixture('github/commit.json');
    const body: any = {
      ...template,
      sha: commit.sha,
      html_url: `${webUrl}/commit/${commit.sha}`,
      commit: { ...template.commit, message: commit.message, author: { ...template.commit.author, name: commit.author } },
      parents: commit.parent ? [{ sha: commit.parent, url: `${this.baseUrl}/commits/${commit.parent}` }] : [],
    };
    if (files) body.files = files.map((filename) => ({ ...template.files[0], filename }));
    else delete body.files;
    return body;
  }

  // ---- Azure DevOps ---------------------------------------------------------------------------

  private azure(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void =>
      void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
    const authorization = req.headers.authorization;
    if (this.token !== null) {
      // Azure DevOps shows a client without credentials its sign-in page, with 203.
      if (!authorization) return void res.writeHead(203, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(join(FIXTURES, 'azure-devops/sign-in.html')));
      const pat = /^Basic (.+)$/.exec(authorization)?.[1];
      const password = pat ? Buffer.from(pat, 'base64').toString('utf8').split(':').slice(1).join(':') : '';
      if (password !== this.token) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('Access Denied: The Personal Access Token used has expired.');
    }
    const prefix = `/${this.organization}/`;
    if (!url.pathname.startsWith(prefix)) return send(404, { message: 'No such organisation' });
    const path = url.pathname.slice(prefix.length - 1);
    if (path === '/_apis/connectionData') {
      const data = fixture('azure-devops/connection-data.json');
      data.authenticatedUser.providerDisplayName = this.login;
      return send(200, data);
    }
    const match = /^\/([^/]+)\/_apis\/git\/repositories\/([^/]+)\/(refs|stats\/branches|diffs\/commits)$/.exec(path);
    const repoName = match ? `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}` : '';
    const repo = this.repos.get(repoName.toLowerCase());
    if (!match || !repo) return send(404, fixture('azure-devops/repository-not-found.json'));
    if (url.searchParams.get('api-version') !== '7.1') return send(400, { message: 'VS800006: The api-version query parameter is required, e.g. 7.1' });
    if (match[3] === 'refs') {
      const top = Number(url.searchParams.get('$top') ?? 100);
      const start = Number(url.searchParams.get('continuationToken') ?? 0);
      const all = [...repo.branches.entries()].filter(([name]) => `heads/${name}`.startsWith(url.searchParams.get('filter') ?? ''));
      const template = fixture('azure-devops/refs.json').value[0];
      const value = all.slice(start, start + top).map(([name, objectId]) => ({ ...template, name: `refs/heads/${name}`, objectId }));
      return send(200, { value, count: value.length }, start + top < all.length ? { 'x-ms-continuationtoken': String(start + top) } : {});
    }
    if (match[3] === 'stats/branches') {
      const name = url.searchParams.get('name') ?? '';
      const commit = repo.commits.get(repo.branches.get(name) ?? '');
      if (!commit) return send(404, { ...fixture('azure-devops/repository-not-found.json'), message: `TF401175:The version descriptor <Branch: ${name} > could not be resolved to a version on the repository ${match[2]}`, typeKey: 'GitUnresolvableToCommitException' });
      const stats = fixture('azure-devops/branch-stats.json');
      return send(200, { ...stats, name, commit: { ...stats.commit, commitId: commit.sha, comment: commit.message, author: { ...stats.commit.author, name: commit.author } } });
    }
    const base = url.searchParams.get('baseVersion') ?? '';
    const target = url.searchParams.get('targetVersion') ?? '';
    if (!repo.commits.has(base) || !repo.commits.has(target)) return send(404, { ...fixture('azure-devops/repository-not-found.json'), message: `TF401174: The item ${repo.commits.has(base) ? target : base} could not be found in the repository.` });
    const files = [...new Set([...commitsSince(repo, target, base), ...commitsSince(repo, base, target)].flatMap((c) => c.files))].sort();
    const folders = [...new Set(files.map((file) => file.split('/').slice(0, -1).join('/')).filter(Boolean))];
    const template = fixture('azure-devops/diffs-commits.json');
    const changes = [
      ...folders.map((folder) => ({ item: { ...template.changes[0].item, commitId: target, path: `/${folder}` }, changeType: 'edit' })),
      ...files.map((file) => ({ item: { ...template.changes[1].item, commitId: target, path: `/${file}` }, changeType: 'edit' })),
    ];
    const top = Number(url.searchParams.get('$top') ?? 100);
    const skip = Number(url.searchParams.get('$skip') ?? 0);
    return send(200, { ...template, changes: changes.slice(skip, skip + top), allChangesIncluded: skip + top >= changes.length, commonCommit: base, baseCommit: base, targetCommit: target });
  }
}

/** The commits reachable from `head` and not from `base`, newest first (git's base..head). */
function commitsSince(repo: FakeRepo, head: string, base: string): FakeCommit[] {
  const excluded = new Set<string>();
  for (let sha: string | null = base; sha; sha = repo.commits.get(sha)?.parent ?? null) excluded.add(sha);
  const result: FakeCommit[] = [];
  for (let sha: string | null = head; sha && !excluded.has(sha); sha = repo.commits.get(sha)?.parent ?? null) {
    const commit = repo.commits.get(sha);
    if (commit) result.push(commit);
  }
  return result;
}
