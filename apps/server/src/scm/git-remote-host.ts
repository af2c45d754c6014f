import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ScmHostError, type BranchHead, type ScmHost } from '../../../../libs/engine/src/scm-hosts';
import { gitFailure, runGit, type GitCommandOptions } from './git-command';
import { isHttpRemote, remoteUrlProblem } from './git-remote-url';
import { requireBranch, requireSha } from './scm-names';
import { basicAuthorization } from './secret-text';

/** The user name sent with a token when none is set: GitHub, GitLab and Azure DevOps take any. */
export const DEFAULT_GIT_USERNAME = 'git';
/** Refs in the cache that keep the ends of the last range fetched: the next fetch negotiates from them. */
const SEEN_REFS = 'refs/hookline/seen/';

export interface GitRemoteHostOptions {
  remoteUrl: string;
  username: string | null;
  token: string | null;
  /** Where cache repositories live: `<data directory>/scm-cache`. */
  cacheRoot: string;
  timeoutMs: number;
  /** For fetches, which move more data: four times `timeoutMs` unless told. */
  fetchTimeoutMs?: number;
  gitBinary?: string;
}

/** One fetch at a time per cache repository in this process: git's own locks would fail the second. */
const cacheLocks = new Map<string, Promise<unknown>>();

/**
 * Any git remote through the git CLI. It serves one repository, so `repo` is ignored. Heads come
 * from `git ls-remote`; changed files from a bare cache repository under the data directory,
 * into which the two commits are fetched shallow (or, when the remote will not hand out a
 * commit by its SHA, every branch in full), then `git diff --name-only`. A head's message and
 * author are known once its commit is in the cache, after a first changed-files call.
 */
export class GitRemoteHost implements ScmHost {
  private readonly git: GitCommandOptions;
  private readonly cacheDir: string;
  private readonly fetchTimeoutMs: number;

  constructor(private readonly options: GitRemoteHostOptions) {
    const problem = remoteUrlProblem(options.remoteUrl);
    if (problem) throw new ScmHostError('invalid', `The remote URL ${problem}`);
    const config: Array<[string, string]> = [['credential.helper', '']];
    const secrets: string[] = [];
    if (options.token) {
      if (!isHttpRemote(options.remoteUrl)) throw new ScmHostError('invalid', 'A token is sent only to http:// and https:// remotes; remove it, or use an https:// URL');
      const header = basicAuthorization(options.username || DEFAULT_GIT_USERNAME, options.token);
      // Scoped to the remote, so a redirect elsewhere does not carry it.
      config.push([`http.${options.remoteUrl}.extraHeader`, `Authorization: ${header}`]);
      secrets.push(options.token, header.slice('Basic '.length));
    }
    this.git = { binary: options.gitBinary ?? 'git', timeoutMs: options.timeoutMs, config, secrets, remote: options.remoteUrl };
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? options.timeoutMs * 4;
    this.cacheDir = join(options.cacheRoot, createHash('sha256').update(options.remoteUrl).digest('hex').slice(0, 32));
  }

  async check(): Promise<{ identity: string }> {
    await this.lsRemote([]);
    return { identity: this.options.remoteUrl };
  }

  async branches(_repo: string): Promise<string[]> {
    return [...(await this.lsRemote([])).keys()];
  }

  async head(_repo: string, branch: string): Promise<BranchHead> {
    requireBranch(branch);
    const heads = await this.lsRemote([`refs/heads/${branch}`]);
    const sha = heads.get(branch);
    if (!sha) throw new ScmHostError('not_found', `${this.options.remoteUrl} has no branch ${branch}`);
    return { branch, sha, ...(await this.described(sha)), url: null };
  }

  async changedFiles(_repo: string, fromSha: string, toSha: string): Promise<string[]> {
    requireSha(fromSha, 'fromSha');
    requireSha(toSha, 'toSha');
    if (fromSha === toSha) return [];
    return this.locked(async () => {
      await this.ensureCache();
      await this.fetchCommits([fromSha, toSha]);
      const out = await this.cacheGit(['diff', '--name-only', '--no-renames', '-z', fromSha, toSha, '--']);
      return out.split('\0').filter(Boolean).sort();
    });
  }

  /** Branch name to SHA, from `git ls-remote --heads`; `patterns` narrow it (matched from the end, so the exact name is picked out after). */
  private async lsRemote(patterns: string[]): Promise<Map<string, string>> {
    const out = await this.run(['ls-remote', '--heads', '--', this.options.remoteUrl, ...patterns], this.git.timeoutMs);
    const heads = new Map<string, string>();
    for (const line of out.split('\n')) {
      const match = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line.trim());
      if (match) heads.set(match[2], match[1]);
    }
    return heads;
  }

  /**
   * Fetches the commits the cache lacks: shallow, by SHA, which current servers allow (protocol
   * v2). A server that will not hand out a commit that is not a branch tip gets a full fetch of
   * every branch instead. A commit still missing after that is no longer on the remote.
   */
  private async fetchCommits(shas: string[]): Promise<void> {
    const missing: string[] = [];
    for (const sha of shas) if (!(await this.hasCommit(sha))) missing.push(sha);
    if (missing.length > 0) {
      try {
        await this.fetch(['--depth=1'], missing.map((sha) => `${sha}:${SEEN_REFS}${sha}`));
      } catch (err) {
        const failure = gitFailure(err, this.git);
        if (failure.kind !== 'not_found') throw failure;
        const shallow = existsSync(join(this.cacheDir, 'shallow'));
        await this.fetch(shallow ? ['--unshallow'] : [], ['+refs/heads/*:refs/hookline/heads/*']);
      }
      for (const sha of missing) {
        if (!(await this.hasCommit(sha))) throw new ScmHostError('not_found', `commit ${sha.slice(0, 12)} is not on ${this.options.remoteUrl} (was the branch force-pushed?)`);
      }
    }
    await this.keepOnlySeen(shas);
  }

  private async fetch(options: string[], refspecs: string[]): Promise<void> {
    const args = ['--git-dir', this.cacheDir, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', ...options, '--', this.options.remoteUrl, ...refspecs];
    await this.run(args, this.fetchTimeoutMs);
  }

  /** The refs that pin fetched commits: only those of the range just used, so the cache does not grow a ref per poll. */
  private async keepOnlySeen(shas: string[]): Promise<void> {
    for (const sha of shas) if (await this.hasCommit(sha)) await this.cacheGit(['update-ref', `${SEEN_REFS}${sha}`, sha]);
    const refs = (await this.cacheGit(['for-each-ref', '--format=%(refname)', SEEN_REFS])).split('\n').filter(Boolean);
    for (const ref of refs) if (!shas.some((sha) => ref === `${SEEN_REFS}${sha}`)) await this.cacheGit(['update-ref', '-d', ref]);
  }

  /** A commit's author and message from the cache, when it is there; nulls otherwise. */
  private async described(sha: string): Promise<{ message: string | null; author: string | null }> {
    if (!existsSync(join(this.cacheDir, 'HEAD')) || !(await this.hasCommit(sha))) return { message: null, author: null };
    const out = await this.cacheGit(['show', '-s', '--format=%an%x00%B', sha]);
    const [author, ...message] = out.split('\0');
    return { author: author || null, message: message.join('\0').replace(/\n+$/, '') || null };
  }

  private async hasCommit(sha: string): Promise<boolean> {
    try {
      await this.cacheGit(['cat-file', '-e', `${sha}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  }

  private async ensureCache(): Promise<void> {
    if (existsSync(join(this.cacheDir, 'HEAD'))) return;
    mkdirSync(this.options.cacheRoot, { recursive: true });
    await this.run(['init', '--bare', '--quiet', this.cacheDir], this.git.timeoutMs);
  }

  private cacheGit(args: string[]): Promise<string> {
    return this.run(['--git-dir', this.cacheDir, ...args], this.git.timeoutMs);
  }

  private async run(args: string[], timeoutMs: number): Promise<string> {
    try {
      return await runGit(args, { ...this.git, timeoutMs });
    } catch (err) {
      throw gitFailure(err, { ...this.git, timeoutMs });
    }
  }

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    const previous = cacheLocks.get(this.cacheDir) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    cacheLocks.set(this.cacheDir, current);
    try {
      return await current;
    } finally {
      if (cacheLocks.get(this.cacheDir) === current) cacheLocks.delete(this.cacheDir);
    }
  }
}
