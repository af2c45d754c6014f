import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScmHostError } from '../../../../libs/engine/src/scm-hosts';
import { scmFailure } from '../../../../test/support/scm-failure';
import { freePort, GitRemote } from '../../../../test/support/git-remote';
import { GitRemoteHost, type GitRemoteHostOptions } from './git-remote-host';

const TOKEN = 'glpat-remote-token-8d2f6a';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('GitRemoteHost', () => {
  let work: string;
  const hosts: GitRemoteHost[] = [];
  const make = (options: Partial<GitRemoteHostOptions> & { remoteUrl: string }) => {
    const host = new GitRemoteHost({ username: null, token: null, cacheRoot: join(work, 'scm-cache'), timeoutMs: 20_000, ...options });
    hosts.push(host);
    return host;
  };

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'hookline-git-host-'));
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  describe('over git daemon', () => {
    let remote: GitRemote;

    beforeAll(async () => {
      remote = await GitRemote.start({ protocol: 'git' });
    });

    afterAll(async () => {
      await remote.stop();
    });

    it('lists branches and reads a head with ls-remote, naming the remote as the identity', async () => {
      const main = await remote.commit('main', { 'README.md': 'hello' });
      const release = await remote.commit('release/1.0', { 'VERSION': '1.0' });
      const host = make({ remoteUrl: remote.url });
      expect(await host.check()).toEqual({ identity: remote.url });
      expect((await host.branches('ignored')).sort()).toEqual(['main', 'release/1.0']);
      expect(await host.head('ignored', 'release/1.0')).toEqual({ branch: 'release/1.0', sha: release, message: null, author: null, url: null });
      expect((await host.head('ignored', 'main')).sha).toBe(main);
    });

    it('does not take a branch whose name only ends like the one asked for', async () => {
      await remote.commit('feature/main', { 'f.txt': 'f' });
      await remote.deleteBranch('main');
      const host = make({ remoteUrl: remote.url });
      const error = await scmFailure(host.head('x', 'main'));
      expect(error.kind).toBe('not_found');
      expect(error.message).toContain('has no branch main');
      await remote.commit('main', { 'README.md': 'again' });
    });

    it('lists the files changed over several commits, both paths of a move, and then knows the head commit', async () => {
      const from = await remote.commit('main', { 'src/api/a.ts': 'a', 'docs/old.md': 'old' });
      await remote.commit('main', { 'src/api/b.ts': 'b' }, 'Add b');
      await remote.commit('main', { 'docs/old.md': null, 'docs/new.md': 'old' }, 'Move the doc');
      const to = await remote.commit('main', { 'package.json': '{}' }, 'Touch the package\n\nWith a body.');
      const host = make({ remoteUrl: remote.url });
      expect(await host.changedFiles('x', from, to)).toEqual(['docs/new.md', 'docs/old.md', 'package.json', 'src/api/b.ts']);
      expect(await host.head('x', 'main')).toEqual({ branch: 'main', sha: to, message: 'Touch the package\n\nWith a body.', author: 'Monalisa Octocat', url: null });
      // Again from the cache, with the ends of the range kept as its only pinned refs.
      expect(await host.changedFiles('x', from, to)).toEqual(['docs/new.md', 'docs/old.md', 'package.json', 'src/api/b.ts']);
      expect(await host.changedFiles('x', to, to)).toEqual([]);
    });

    it('diffs across a force-push while the old commit exists, and says not_found once it is gone', async () => {
      const base = await remote.commit('hotfix', { 'a.txt': '1' });
      const abandoned = await remote.commit('hotfix', { 'b.txt': '2' });
      await remote.setBranch('hotfix', base);
      const rewritten = await remote.commit('hotfix', { 'c.txt': '3' });
      const host = make({ remoteUrl: remote.url });
      expect(await host.changedFiles('x', abandoned, rewritten)).toEqual(['b.txt', 'c.txt']);
      const gone = await remote.commit('hotfix', { 'd.txt': '4' });
      await remote.setBranch('hotfix', rewritten);
      await remote.prune();
      const error = await scmFailure(make({ remoteUrl: remote.url, cacheRoot: join(work, 'other-cache') }).changedFiles('x', gone, rewritten));
      expect(error.kind).toBe('not_found');
      expect(error.message).toContain(gone.slice(0, 12));
    });

    it('refuses option-looking or malformed values before git sees them', async () => {
      const host = make({ remoteUrl: remote.url });
      for (const call of [
        () => host.changedFiles('x', '--upload-pack=touch /tmp/pwned', 'a'.repeat(40)),
        () => host.changedFiles('x', 'a'.repeat(40), 'HEAD'),
        () => host.head('x', '--output=/tmp/x'),
        () => host.head('x', 'a..b'),
      ]) {
        expect((await scmFailure(call())).kind).toBe('invalid');
      }
      for (const remoteUrl of ['--upload-pack=touch /tmp/x', 'ext::sh -c touch% /tmp/x', '/srv/git/app.git', 'ssh://-oProxyCommand=x/app.git', 'https://user:pw@example.com/app.git']) {
        expect(() => make({ remoteUrl })).toThrow(ScmHostError);
      }
      expect(() => make({ remoteUrl: 'git@example.com:team/app.git', token: TOKEN })).toThrow(/only to http/);
    });

    it('says not_found for a repository the daemon does not serve, and unavailable for a port nobody listens on', async () => {
      const missing = await scmFailure(make({ remoteUrl: remote.url.replace('app.git', 'nope.git') }).check());
      expect(missing.kind).toBe('not_found');
      const closed = await scmFailure(make({ remoteUrl: `git://127.0.0.1:${await freePort()}/app.git` }).branches('x'));
      expect(closed.kind).toBe('unavailable');
    });
  });

  describe('over HTTP with credentials', () => {
    let remote: GitRemote;

    beforeAll(async () => {
      remote = await GitRemote.start({ protocol: 'http', credentials: { username: 'ci-bot', token: TOKEN } });
    });

    afterAll(async () => {
      await remote.stop();
    });

    it('sends the credentials as a header, never in argv, the URL or the cache', async () => {
      const from = await remote.commit('main', { 'a.txt': 'a' });
      const to = await remote.commit('main', { 'b.txt': 'b' });
      const log = join(work, 'argv.log');
      const wrapper = join(work, 'git-wrapper.sh');
      writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${log}'\nenv | grep -v '^GIT_CONFIG_VALUE' | cut -d= -f2- >> '${log}'\nexec git "$@"\n`);
      chmodSync(wrapper, 0o755);
      const host = make({ remoteUrl: remote.url, username: 'ci-bot', token: TOKEN, gitBinary: wrapper });
      expect(await host.check()).toEqual({ identity: remote.url });
      expect(await host.changedFiles('x', from, to)).toEqual(['b.txt']);
      const header = `Basic ${Buffer.from(`ci-bot:${TOKEN}`).toString('base64')}`;
      expect(remote.authorizations.filter((sent) => sent === header).length).toBeGreaterThan(1);
      const argv = readFileSync(log, 'utf8');
      expect(argv).toContain('ls-remote');
      expect(argv).toContain('fetch');
      expect(argv).not.toContain(TOKEN);
      expect(argv).not.toContain(header.slice(6));
      const cache = join(work, 'scm-cache');
      expect(existsSync(cache)).toBe(true);
      for (const file of filesUnder(cache).filter((path) => !path.includes('/objects/'))) {
        const text = readFileSync(file, 'latin1');
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(header.slice(6));
      }
    });

    it('says auth for a wrong token or none, without the token in the message', async () => {
      const wrong = await scmFailure(make({ remoteUrl: remote.url, username: 'ci-bot', token: 'wrong-token-123456' }).check());
      expect(wrong.kind).toBe('auth');
      expect(wrong.message).not.toContain('wrong-token-123456');
      expect(wrong.message).toContain(remote.url);
      const none = await scmFailure(make({ remoteUrl: remote.url }).branches('x'));
      expect(none.kind).toBe('auth');
    });
  });

  it('falls back to fetching every branch when the server will not hand out a commit by SHA', async () => {
    const remote = await GitRemote.start({ protocol: 'http', protocolV0: true });
    try {
      const from = await remote.commit('main', { 'a.txt': 'a' });
      await remote.commit('main', { 'b.txt': 'b' });
      const to = await remote.commit('main', { 'c.txt': 'c' });
      const host = make({ remoteUrl: remote.url });
      expect(await host.changedFiles('x', from, to)).toEqual(['b.txt', 'c.txt']);
    } finally {
      await remote.stop();
    }
  });

  it('gives up on a remote that does not answer within the time limit', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const error = await scmFailure(make({ remoteUrl: `http://127.0.0.1:${port}/app.git`, timeoutMs: 1500 }).check());
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('did not finish');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
