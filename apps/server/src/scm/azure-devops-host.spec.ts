import { scmFailure } from '../../../../test/support/scm-failure';
import { FakeScmHost } from '../../../../test/support/fake-scm-host';
import { AzureDevOpsHost } from './azure-devops-host';

const PAT = 'azdo-pat-4f1c9e7b2a6d';
const REPO = 'Fabrikam Web/customer-api';

describe('AzureDevOpsHost', () => {
  let azure: FakeScmHost;
  let host: AzureDevOpsHost;

  beforeEach(async () => {
    azure = await FakeScmHost.start({ kind: 'azure-devops', token: PAT, login: 'Normal Paulk', organization: 'fabrikam' });
    host = new AzureDevOpsHost({ baseUrl: azure.baseUrl, token: PAT, timeoutMs: 5000 });
  });

  afterEach(async () => {
    await azure.close();
  });

  it('checks the PAT with connectionData, sent as Basic with an empty user name', async () => {
    expect(await host.check()).toEqual({ identity: 'Normal Paulk <normal.paulk@fabrikam.com>' });
    expect(azure.requests[0].url).toBe('/fabrikam/_apis/connectionData');
    expect(azure.requests[0].headers.authorization).toBe(`Basic ${Buffer.from(`:${PAT}`).toString('base64')}`);
  });

  it('reads a branch head from the branch stats API, and builds the commit link', async () => {
    azure.commit(REPO, 'release/2024.1', { files: ['a.txt'] });
    const sha = azure.commit(REPO, 'release/2024.1', { message: 'Ship it', author: 'Chuck Reinhart' });
    expect(await host.head(REPO, 'release/2024.1')).toEqual({
      branch: 'release/2024.1',
      sha,
      message: 'Ship it',
      author: 'Chuck Reinhart',
      url: `${azure.baseUrl}/Fabrikam%20Web/_git/customer-api/commit/${sha}`,
    });
    expect(azure.requests.at(-1)?.url).toBe('/fabrikam/Fabrikam%20Web/_apis/git/repositories/customer-api/stats/branches?name=release%2F2024.1&api-version=7.1');
  });

  it('takes the repository as its URL in the organisation, and refuses other forms saying which to use', async () => {
    const sha = azure.commit(REPO, 'main');
    expect((await host.head(`${azure.baseUrl}/Fabrikam%20Web/_git/customer-api`, 'main')).sha).toBe(sha);
    for (const repo of ['customer-api', 'a/b/c', `${azure.url}/other-org/Fabrikam%20Web/_git/customer-api`, 'https://example.com/x/y']) {
      const error = await scmFailure(host.head(repo, 'main'));
      expect(error.kind).toBe('invalid');
      expect(error.message).toMatch(/<project>\/<repository>|is not in/);
    }
  });

  it('follows the continuation token through every branch', async () => {
    for (let i = 0; i < 2100; i++) azure.commit(REPO, `topic/${i}`);
    const names = await host.branches(REPO);
    expect(names).toHaveLength(2100);
    expect(names).toContain('topic/2099');
    expect(azure.requests.map((r) => new URL(r.url, azure.url).searchParams.get('continuationToken'))).toEqual([null, '1000', '2000']);
  });

  it('lists the paths that differ between two commits with the diffs API, paging, and skipping folders', async () => {
    const from = azure.commit(REPO, 'main', { files: ['README.md'] });
    azure.commit(REPO, 'main', { files: ['src/api/a.ts'] });
    const to = azure.commit(REPO, 'main', { files: Array.from({ length: 1500 }, (_, i) => `gen/f${i}.json`) });
    const files = await host.changedFiles(REPO, from, to);
    expect(files).toHaveLength(1501);
    expect(files).toContain('src/api/a.ts');
    expect(files).not.toContain('gen');
    const diffs = azure.requests.filter((r) => r.url.includes('/diffs/commits')).map((r) => new URL(r.url, azure.url).searchParams);
    expect(diffs.map((q) => q.get('$skip'))).toEqual(['0', '1000']);
    expect(diffs[0].get('diffCommonCommit')).toBe('false');
    expect(diffs[0].get('baseVersion')).toBe(from);
    expect(diffs[0].get('targetVersionType')).toBe('commit');
  });

  it('takes the 203 sign-in page answered without credentials, and a 401 for a bad PAT, as auth', async () => {
    azure.commit(REPO, 'main');
    const anonymous = await scmFailure(new AzureDevOpsHost({ baseUrl: azure.baseUrl, token: null, timeoutMs: 5000 }).head(REPO, 'main'));
    expect(anonymous.kind).toBe('auth');
    expect(anonymous.details.status).toBe(203);
    const wrong = await scmFailure(new AzureDevOpsHost({ baseUrl: azure.baseUrl, token: 'expired-pat-000000', timeoutMs: 5000 }).check());
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).not.toContain('expired-pat-000000');
  });

  it('takes a redirect to the sign-in host as auth', async () => {
    azure.answerNext({ status: 302, headers: { location: 'https://login.example.com/oauth2/authorize' } });
    expect((await scmFailure(host.check())).kind).toBe('auth');
  });

  it('maps an unknown repository, branch or commit to not_found', async () => {
    const from = azure.commit(REPO, 'main');
    expect((await scmFailure(host.head('Fabrikam Web/nothing', 'main'))).message).toContain('TF401019');
    expect((await scmFailure(host.head(REPO, 'gone'))).kind).toBe('not_found');
    expect((await scmFailure(host.changedFiles(REPO, from, 'c'.repeat(40)))).kind).toBe('not_found');
  });

  it('maps a 429 with Retry-After to rate_limited, and a 503 to unavailable', async () => {
    azure.commit(REPO, 'main');
    azure.rateLimitNext({ retryAfterSeconds: 30 });
    const before = Date.now();
    const limited = await scmFailure(host.head(REPO, 'main'));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.details.retryAt!.getTime()).toBeGreaterThanOrEqual(before + 30_000);
    azure.answerNext({ status: 503, body: '' });
    expect((await scmFailure(host.head(REPO, 'main'))).kind).toBe('unavailable');
  });
});
