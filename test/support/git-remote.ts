import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Monalisa Octocat',
  GIT_AUTHOR_EMAIL: 'mona@example.com',
  GIT_COMMITTER_NAME: 'Monalisa Octocat',
  GIT_COMMITTER_EMAIL: 'mona@example.com',
};

export function git(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...GIT_ENV, ...options.env }, encoding: 'utf8' }, (error, stdout, stderr) =>
      error ? reject(new Error(`git ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface GitRemoteOptions {
  /** `git`: git daemon (git://); `http`: git http-backend behind node:http (http://), with Basic credentials when given. */
  protocol: 'git' | 'http';
  credentials?: { username: string; token: string };
  /** HTTP only: answer in protocol v0, where a server hands out only commits that are branch tips. */
  protocolV0?: boolean;
}

/**
 * A real bare repository served on a free local port. Commits are made straight into it with
 * git's plumbing (no work tree), so a test moves a branch the way a push would:
 *
 *   const remote = await GitRemote.start({ protocol: 'http', credentials: { username: 'ci', token: 's3cret' } });
 *   const first = await remote.commit('main', { 'README.md': 'hello' });
 *   const second = await remote.commit('main', { 'src/a.ts': 'export {}' }, 'Add a');
 *   remote.url // http://127.0.0.1:<port>/app.git
 */
export class GitRemote {
  /** Authorization headers the HTTP server saw, in order. */
  readonly authorizations: Array<string | undefined> = [];
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  private daemon?: ChildProcess;
  private http?: Server;

  private constructor(
    readonly root: string,
    readonly url: string,
    readonly bare: string,
  ) {}

  static async start(options: GitRemoteOptions, name = 'app.git'): Promise<GitRemote> {
    const root = mkdtempSync(join(tmpdir(), 'hookline-remote-'));
    const served = join(root, 'served');
    mkdirSync(served);
    const bare = join(served, name);
    await git(['init', '--bare', '--quiet', '--initial-branch=main', bare]);
    const port = await freePort();
    const remote = new GitRemote(root, `${options.protocol}://127.0.0.1:${port}/${name}`, bare);
    if (options.protocol === 'git') await remote.startDaemon(served, port);
    else await remote.startHttp(served, port, options.credentials, options.protocolV0 === true);
    return remote;
  }

  /**
   * A commit on `branch` (created from nothing if new) that writes the files given (null deletes
   * one); moves the branch to it and returns its SHA.
   */
  async commit(branch: string, files: Record<string, string | null>, message = `Change ${Object.keys(files).join(', ')}`): Promise<string> {
    const index = join(this.root, `index-${process.hrtime.bigint()}`);
    const env = { GIT_DIR: this.bare, GIT_INDEX_FILE: index };
    const parent = await this.headOf(branch);
    if (parent) await git(['read-tree', parent], { env });
    for (const [path, content] of Object.entries(files)) {
      if (content === null) {
        await git(['update-index', '--index-info'], { env, input: `0 ${'0'.repeat(40)}\t${path}\n` });
        continue;
      }
      const blob = (await git(['hash-object', '-w', '--stdin'], { env, input: content })).trim();
      await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { env });
    }
    const tree = (await git(['write-tree'], { env })).trim();
    rmSync(index, { force: true });
    const sha = (await git(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message], { env })).trim();
    await git(['update-ref', `refs/heads/${branch}`, sha], { env });
    return sha;
  }

  /** Points a branch at a commit: a new branch, or a force-push. */
  async setBranch(branch: string, sha: string): Promise<void> {
    await git(['update-ref', `refs/heads/${branch}`, sha], { env: { GIT_DIR: this.bare } });
  }

  async deleteBranch(branch: string): Promise<void> {
    await git(['update-ref', '-d', `refs/heads/${branch}`], { env: { GIT_DIR: this.bare } });
  }

  async headOf(branch: string): Promise<string | undefined> {
    try {
      return (await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { env: { GIT_DIR: this.bare } })).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** Removes unreachable commits, as a host's garbage collection would after a force-push. */
  async prune(): Promise<void> {
    await git(['reflog', 'expire', '--expire=now', '--all'], { env: { GIT_DIR: this.bare } });
    await git(['gc', '--prune=now', '--quiet'], { env: { GIT_DIR: this.bare } });
  }

  async stop(): Promise<void> {
    const daemon = this.daemon;
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
      await new Promise<void>((resolve) => {
        daemon.once('exit', () => resolve());
        daemon.kill('SIGTERM');
      });
    }
    if (this.http) {
      this.http.closeAllConnections();
      await new Promise<void>((resolve) => this.http?.close(() => resolve()));
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  private async startDaemon(served: string, port: number): Promise<void> {
    const daemon = spawn('git', ['daemon', '--export-all', `--base-path=${served}`, `--port=${port}`, '--listen=127.0.0.1', '--reuseaddr', '--verbose', '--informative-errors', served], {
      env: { PATH: process.env.PATH ?? '', ...GIT_ENV },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.daemon = daemon;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      daemon.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to rumble')) resolve();
      });
      daemon.once('exit', (code) => reject(new Error(`git daemon exited with ${code}: ${output}`)));
    });
  }

  /** git http-backend as CGI behind node:http, refusing requests without the right Basic credentials. */
  private async startHttp(served: string, port: number, credentials: { username: string; token: string } | undefined, protocolV0: boolean): Promise<void> {
    const expected = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.token}`).toString('base64')}` : undefined;
    this.http = createServer((req, res) => {
      this.authorizations.push(req.headers.authorization);
      this.requests.push({ url: req.url ?? '', headers: req.headers });
      if (expected && req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end('Unauthorized');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const cgi = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env.PATH ?? '',
          ...GIT_ENV,
          GIT_PROJECT_ROOT: served,
          GIT_HTTP_EXPORT_ALL: '1',
          REQUEST_METHOD: req.method ?? 'GET',
          PATH_INFO: decodeURIComponent(url.pathname),
          QUERY_STRING: url.search.slice(1),
          CONTENT_TYPE: req.headers['content-type'] ?? '',
          ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
          ...(req.headers['git-protocol'] && !protocolV0 ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
          REMOTE_USER: credentials?.username ?? '',
          REMOTE_ADDR: '127.0.0.1',
        },
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      req.pipe(cgi.stdin);
      let head = Buffer.alloc(0);
      let headersDone = false;
      cgi.stdout.on('data', (chunk: Buffer) => {
        if (headersDone) {
          res.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        headersDone = true;
        let status = 200;
        for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
          const colon = line.indexOf(':');
          const name = line.slice(0, colon).trim();
          const value = line.slice(colon + 1).trim();
          if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
          else res.setHeader(name, value);
        }
        res.writeHead(status);
        res.write(head.subarray(end + 4));
      });
      cgi.stdout.on('end', () => res.end());
    });
    await new Promise<void>((resolve) => this.http!.listen(port, '127.0.0.1', resolve));
  }
}
