import { scmFailure } from '../../../../test/support/scm-failure';
import { FakeScmHost } from '../../../../test/support/fake-scm-host';
import { GitHubHost } from './github-host';

const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const REPO = 'octo-org/customer-api';

describe('GitHubHost', () => {
  let github: FakeScmHost;
  let host: GitHubHost;

  beforeEach(async () => {
    github = await FakeScmHost.start({ kind: 'github', token: TOKEN, login: 'mona' });
    host = new GitHubHost({ baseUrl: github.baseUrl, token: TOKEN, timeoutMs: 5000 });
  });

  afterEach(async () => {
    await github.close();
  });

  it('checks the token with GET /user, sent as a Bearer token, and names the login', async () => {
    expect(await host.check()).toEqual({ identity: 'mona' });
    expect(github.requests[0].url).toBe('/api/v3/user');
    expect(github.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('says when it runs without a token', async () => {
    github.token = null;
    const anonymous = new GitHubHost({ baseUrl: github.baseUrl, token: null, timeoutMs: 5000 });
    expect((await anonymous.check()).identity).toMatch(/^anonymous \(no token\)/);
    expect(github.requests[0].headers.authorization).toBeUndefined();
  });

  it('reads a branch head from the commits API, with message, author and link, encoding the branch', async () => {
    github.commit(REPO, 'release/v1+hotfix#2', { files: ['a.txt'] });
    const sha = github.commit(REPO, 'release/v1+hotfix#2', { message: 'Fix the totals\n\nRounding was off.', author: 'Jamal Hartnett' });
    expect(await host.head(REPO, 'release/v1+hotfix#2')).toEqual({
      branch: 'release/v1+hotfix#2',
      sha,
      message: 'Fix the totals\n\nRounding was off.',
      author: 'Jamal Hartnett',
      url: `${github.url}/${REPO}/commit/${sha}`,
    });
    expect(github.requests.at(-1)?.url).toBe('/api/v3/repos/octo-org/customer-api/commits/release/v1%2Bhotfix%232');
  });

  it('follows Link pagination through every branch', async () => {
    for (let i = 0; i < 230; i++) github.commit(REPO, `feature/${String(i).padStart(3, '0')}`);
    const names = await host.branches(REPO);
    expect(names).toHaveLength(230);
    expect(names).toContain('feature/229');
    expect(github.requests.map((r) => r.url)).toEqual([
      '/api/v3/repos/octo-org/customer-api/branches?per_page=100',
      '/api/v3/repos/octo-org/customer-api/branches?per_page=100&page=2',
      '/api/v3/repos/octo-org/customer-api/branches?per_page=100&page=3',
    ]);
  });

  it('lists the files changed over a range of several commits from the compare API', async () => {
    const from = github.commit(REPO, 'main', { files: ['README.md'] });
    github.commit(REPO, 'main', { files: ['src/api/orders.ts'] });
    const to = github.commit(REPO, 'main', { files: ['package.json', 'src/api/orders.ts'] });
    expect(await host.changedFiles(REPO, from, to)).toEqual(['package.json', 'src/api/orders.ts']);
    expect(github.requests.at(-1)?.url).toBe(`/api/v3/repos/octo-org/customer-api/compare/${from}...${to}?per_page=100`);
  });

  it('lists the files commit by commit when the comparison hits its 300-file cap, so none is missed', async () => {
    const from = github.commit(REPO, 'main', { files: ['README.md'] });
    const many = Array.from({ length: 320 }, (_, i) => `generated/file-${String(i).padStart(3, '0')}.json`);
    const middle = github.commit(REPO, 'main', { files: many });
    const to = github.commit(REPO, 'main', { files: ['src/watched/last.ts'] });
    const files = await host.changedFiles(REPO, from, to);
    expect(files).toHaveLength(321);
    expect(files).toContain('src/watched/last.ts');
    expect(files).toContain('generated/file-319.json');
    expect(github.requests.map((r) => r.url)).toContain(`/api/v3/repos/octo-org/customer-api/commits/${middle}?page=2`);
  });

  it('adds the files on the old side when the branch was reset behind it', async () => {
    const base = github.commit(REPO, 'main', { files: ['a.txt'] });
    const dropped = github.commit(REPO, 'main', { files: ['dropped.txt'] });
    github.setBranch(REPO, 'main', base);
    const rewritten = github.commit(REPO, 'main', { files: ['new.txt'] });
    expect(await host.changedFiles(REPO, dropped, rewritten)).toEqual(['dropped.txt', 'new.txt']);
    expect(await host.changedFiles(REPO, dropped, base)).toEqual(['dropped.txt']);
  });

  it('maps a refused token to auth, without the token in the message', async () => {
    const wrong = new GitHubHost({ baseUrl: github.baseUrl, token: 'ghp_wrongwrongwrong', timeoutMs: 5000 });
    const error = await scmFailure(wrong.check());
    expect(error.kind).toBe('auth');
    expect(error.details.status).toBe(401);
    expect(error.message).toContain('Bad credentials');
    expect(error.message).not.toContain('ghp_wrongwrongwrong');
  });

  it('maps an unknown repository or branch to not_found, and a comparison of unknown SHAs too', async () => {
    const from = github.commit(REPO, 'main');
    expect((await scmFailure(host.head('octo-org/nothing', 'main'))).kind).toBe('not_found');
    expect((await scmFailure(host.head(REPO, 'no-such-branch'))).kind).toBe('not_found');
    expect((await scmFailure(host.changedFiles(REPO, from, 'f'.repeat(40)))).kind).toBe('not_found');
    github.answerNext({ status: 422, body: '{"message":"No commit found for SHA: ffff"}' });
    const unprocessable = await scmFailure(host.changedFiles(REPO, from, 'e'.repeat(40)));
    expect(unprocessable.kind).toBe('not_found');
    expect(unprocessable.details.status).toBe(422);
  });

  it('maps a 403 with x-ratelimit-remaining 0 to rate_limited until x-ratelimit-reset', async () => {
    github.commit(REPO, 'main');
    const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 600_000);
    github.rateLimitNext({ resetAt });
    const error = await scmFailure(host.head(REPO, 'main'));
    expect(error.kind).toBe('rate_limited');
    expect(error.details.retryAt?.toISOString()).toBe(resetAt.toISOString());
  });

  it('maps a 429 with retry-after to rate_limited that many seconds on', async () => {
    github.commit(REPO, 'main');
    github.rateLimitNext({ retryAfterSeconds: 120 });
    const before = Date.now();
    const error = await scmFailure(host.head(REPO, 'main'));
    const after = Date.now();
    expect(error.kind).toBe('rate_limited');
    expect(error.details.retryAt!.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    expect(error.details.retryAt!.getTime()).toBeLessThanOrEqual(after + 120_000);
  });

  it('maps a 5xx, a closed port and a silent host to unavailable', async () => {
    github.commit(REPO, 'main');
    github.answerNext({ status: 502, body: '{"message":"Server Error"}' });
    expect((await scmFailure(host.head(REPO, 'main'))).kind).toBe('unavailable');
    github.answerNext({ status: 200, hang: true });
    const slow = new GitHubHost({ baseUrl: github.baseUrl, token: TOKEN, timeoutMs: 300 });
    const timedOut = await scmFailure(slow.head(REPO, 'main'));
    expect(timedOut.kind).toBe('unavailable');
    expect(timedOut.message).toContain('no answer within 0.3 s');
    await github.close();
    expect((await scmFailure(host.head(REPO, 'main'))).kind).toBe('unavailable');
    github = await FakeScmHost.start({ kind: 'github' });
  });

  it('refuses a repository that is not owner/name, and SHAs or branches that could be options', async () => {
    for (const call of [
      () => host.head('customer-api', 'main'),
      () => host.head('octo-org/customer-api/extra', 'main'),
      () => host.head(REPO, '-main'),
      () => host.changedFiles(REPO, 'main', 'a'.repeat(40)),
    ]) {
      expect((await scmFailure(call())).kind).toBe('invalid');
    }
    expect(github.requests).toHaveLength(0);
  });

  it('does not follow a next-page link to another host, so the token stays home', async () => {
    github.commit(REPO, 'main');
    github.answerNext({ status: 200, body: '[{"name":"main"}]', headers: { link: '<https://elsewhere.example/api/v3/repos/x/y/branches?page=2>; rel="next"' } });
    const error = await scmFailure(host.branches(REPO));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('https://elsewhere.example');
  });
});
