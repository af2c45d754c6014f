import { FakeScmHost } from './support/fake-scm-host';
import { GitRemote } from './support/git-remote';
import { describeDatabase, queryStoppedDatabase } from './support/test-database';
import { TestServer } from './support/test-server';

const GITHUB_TOKEN = 'ghp_e2eGitHubToken0123456789abcdef';
const AZURE_PAT = 'azdoE2ePat9876543210zyxwvu';
const GIT_TOKEN = 'glpat-e2e-remote-token-5c3b';

describe(`Git providers API (${describeDatabase()})`, () => {
  let server: TestServer;
  let github: FakeScmHost;
  let azure: FakeScmHost;
  let remote: GitRemote;

  beforeAll(async () => {
    [server, github, azure, remote] = await Promise.all([
      TestServer.start(),
      FakeScmHost.start({ kind: 'github', token: GITHUB_TOKEN, login: 'mona' }),
      FakeScmHost.start({ kind: 'azure-devops', token: AZURE_PAT, login: 'Normal Paulk', organization: 'fabrikam' }),
      GitRemote.start({ protocol: 'http', credentials: { username: 'ci-bot', token: GIT_TOKEN } }),
    ]);
    await remote.commit('main', { 'README.md': 'hello' });
  });

  afterAll(async () => {
    await Promise.all([server.close(), github.close(), azure.close(), remote.stop()]);
  });

  const create = async (body: Record<string, unknown>) => {
    const created = await server.post('/api/git-providers', body);
    if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
    return created.body;
  };

  it('creates, reads, lists, changes and deletes a GitHub provider, never showing its token', async () => {
    const created = await create({ name: 'github-main', kind: 'github', token: GITHUB_TOKEN });
    expect(created).toMatchObject({ name: 'github-main', kind: 'github', baseUrl: 'https://api.github.com', remoteUrl: null, username: null, tokenConfigured: true });
    const read = await server.get(`/api/git-providers/${created.id}`);
    const listed = await server.get('/api/git-providers');
    expect(read.body).toEqual(created);
    expect(listed.body.map((p: any) => p.name)).toContain('github-main');
    for (const text of [JSON.stringify(created), read.text, listed.text]) expect(text).not.toContain(GITHUB_TOKEN);

    const renamed = await server.put(`/api/git-providers/${created.id}`, { name: 'github-primary', baseUrl: 'https://github.example.com/api/v3/' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'github-primary', baseUrl: 'https://github.example.com/api/v3', tokenConfigured: true });
    const cleared = await server.put(`/api/git-providers/${created.id}`, { token: null });
    expect(cleared.body.tokenConfigured).toBe(false);

    expect((await server.delete(`/api/git-providers/${created.id}`)).status).toBe(204);
    expect((await server.get(`/api/git-providers/${created.id}`)).status).toBe(404);
  });

  it('refuses a second provider with the same name with a 409 that says so', async () => {
    await create({ name: 'azure-fabrikam', kind: 'azure-devops', baseUrl: azure.baseUrl, token: AZURE_PAT });
    const again = await server.post('/api/git-providers', { name: 'azure-fabrikam', kind: 'github' });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('A Git provider named "azure-fabrikam" already exists; automations refer to Git providers by name, so names are unique');
  });

  it('answers bad input with a 400 naming each field and what to fix', async () => {
    const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ kind: 'github' }, { name: 'is required' }],
      [{ name: 'x', kind: 'gitlab' }, { kind: 'must be one of github, azure-devops, git' }],
      [{ name: 'x' }, { kind: 'is required: one of github, azure-devops, git' }],
      [{ name: 'x', kind: 'azure-devops' }, { baseUrl: 'is required for Azure DevOps: the organisation URL, e.g. https://dev.azure.com/fabrikam' }],
      [{ name: 'x', kind: 'azure-devops', baseUrl: 'https://dev.azure.com/fabrikam/Web' }, { baseUrl: 'must be the organisation URL alone, without a project, e.g. https://dev.azure.com/fabrikam' }],
      [{ name: 'x', kind: 'github', baseUrl: 'ftp://github.example.com' }, { baseUrl: 'must be an http(s) URL, e.g. https://api.github.com, or https://github.example.com/api/v3 for GitHub Enterprise Server' }],
      [{ name: 'x', kind: 'git' }, { remoteUrl: 'is required for git providers, e.g. https://git.example.com/team/app.git' }],
      [{ name: 'x', kind: 'git', remoteUrl: '--upload-pack=touch /tmp/x' }, { remoteUrl: 'must not start with "-"' }],
      [{ name: 'x', kind: 'git', remoteUrl: 'https://bot:secret@git.example.com/app.git' }, { remoteUrl: 'must not hold credentials: put the user name in username and the token in token' }],
      [{ name: 'x', kind: 'git', remoteUrl: 'ext::sh -c id' }, { remoteUrl: 'must not contain spaces or control characters' }],
      [{ name: 'x', kind: 'git', remoteUrl: 'git@git.example.com:team/app.git', token: 'abc12345' }, { token: 'is sent only to http:// and https:// remotes; remove it, or use an https:// remote URL' }],
      [{ name: 'x', kind: 'git', remoteUrl: 'https://git.example.com/app.git', username: 'bot' }, { username: 'needs a token: set token too, or leave username out' }],
      [{ name: 'x', kind: 'github', remoteUrl: 'https://git.example.com/app.git' }, { remoteUrl: 'is only for git providers; github providers use baseUrl' }],
      [{ name: 'x', kind: 'github', token: 'two words' }, { token: 'must be printable ASCII without spaces or line breaks' }],
      [{ name: 'x', kind: 'github', secret: 'x' }, { secret: 'is not a field here; the fields are name, kind, baseUrl, token, remoteUrl, username' }],
    ];
    for (const [body, fields] of cases) {
      const answer = await server.post('/api/git-providers', body);
      expect({ body, status: answer.status, fields: answer.body.fields }).toEqual({ body, status: 400, fields });
    }
    const provider = await create({ name: 'github-for-bad-puts', kind: 'github' });
    const badPut = await server.put(`/api/git-providers/${provider.id}`, { kind: 'azure-devops' });
    expect(badPut.status).toBe(400);
    expect(badPut.body.fields).toEqual({ baseUrl: 'is required for Azure DevOps: the organisation URL, e.g. https://dev.azure.com/fabrikam' });
    expect((await server.get('/api/git-providers/not-an-id')).status).toBe(404);
  });

  it("drops the old kind's settings when the kind changes", async () => {
    const provider = await create({ name: 'moving', kind: 'github', baseUrl: 'https://github.example.com/api/v3', token: 'ghp_moving1234' });
    const moved = await server.put(`/api/git-providers/${provider.id}`, { kind: 'git', remoteUrl: remote.url, username: 'ci-bot' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ kind: 'git', baseUrl: null, remoteUrl: remote.url, username: 'ci-bot', tokenConfigured: true });
  });

  it('checks credentials against each kind of host and says for whom they work', async () => {
    const githubProvider = await create({ name: 'gh-check', kind: 'github', baseUrl: github.baseUrl, token: GITHUB_TOKEN });
    const azureProvider = await create({ name: 'azdo-check', kind: 'azure-devops', baseUrl: azure.baseUrl, token: AZURE_PAT });
    const gitProvider = await create({ name: 'git-check', kind: 'git', remoteUrl: remote.url, username: 'ci-bot', token: GIT_TOKEN });
    expect((await server.post(`/api/git-providers/${githubProvider.id}/check`)).body).toEqual({ ok: true, identity: 'mona' });
    expect(github.requests.at(-1)?.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
    expect((await server.post(`/api/git-providers/${azureProvider.id}/check`)).body).toEqual({ ok: true, identity: 'Normal Paulk <normal.paulk@fabrikam.com>' });
    const gitCheck = await server.post(`/api/git-providers/${gitProvider.id}/check`);
    expect(gitCheck.status).toBe(200);
    expect(gitCheck.body).toEqual({ ok: true, identity: remote.url });
  });

  it('answers a failing check with a 200 that says what failed, never with the token', async () => {
    const wrongGithub = await create({ name: 'gh-wrong', kind: 'github', baseUrl: github.baseUrl, token: 'ghp_notTheRightOne42' });
    const wrongGit = await create({ name: 'git-wrong', kind: 'git', remoteUrl: remote.url, username: 'ci-bot', token: 'not-the-git-token-77' });
    const missingAzure = await create({ name: 'azdo-anonymous', kind: 'azure-devops', baseUrl: azure.baseUrl });
    const cases: Array<[any, string, string]> = [
      [wrongGithub, 'auth', 'ghp_notTheRightOne42'],
      [wrongGit, 'auth', 'not-the-git-token-77'],
      [missingAzure, 'auth', AZURE_PAT],
    ];
    for (const [provider, kind, token] of cases) {
      const answer = await server.post(`/api/git-providers/${provider.id}/check`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ ok: false, kind });
      expect(answer.body.message.length).toBeGreaterThan(10);
      expect(answer.text).not.toContain(token);
    }
    github.answerNext({ status: 503, body: '{"message":"Service Unavailable"}' });
    const down = await server.post(`/api/git-providers/${wrongGithub.id}/check`);
    expect(down.body).toMatchObject({ ok: false, kind: 'unavailable' });
    for (const token of [GITHUB_TOKEN, AZURE_PAT, GIT_TOKEN, 'ghp_notTheRightOne42', 'not-the-git-token-77']) expect(server.logs).not.toContain(token);
  });

  it('describes the routes in the OpenAPI document and keeps them behind the admin login', async () => {
    const docs = await server.get('/api/docs');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/git-providers', '/api/git-providers/{id}', '/api/git-providers/{id}/check']));
    expect(docs.body.components.schemas.GitProviderInput.required).toEqual(['name', 'kind']);
    expect((await server.request('GET', '/api/git-providers', undefined, { auth: false })).status).toBe(401);
  });

  it('keeps tokens sealed at rest', async () => {
    await server.stop();
    const rows = await queryStoppedDatabase(server.database, `SELECT name, token_sealed FROM git_providers WHERE name IN ('azure-fabrikam', 'gh-check', 'git-check') ORDER BY name`);
    expect(rows.map((row) => row.name)).toEqual(['azure-fabrikam', 'gh-check', 'git-check']);
    for (const row of rows) {
      expect(row.token_sealed).toMatch(/^v1:/);
      for (const token of [GITHUB_TOKEN, AZURE_PAT, GIT_TOKEN]) expect(row.token_sealed).not.toContain(token);
    }
  });
});
