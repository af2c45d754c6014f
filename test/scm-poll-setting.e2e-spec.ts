import { TestServer } from './support/test-server';

const target = { kind: 'command', command: 'true' };
const DEFAULTS = { paths: [], minIntervalSeconds: 60, webhookDedupWindowSeconds: 300, backoff: { baseSeconds: 30, maxSeconds: 1800, threshold: 3 } };

describe('the scmPoll setting of automations', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
    for (const name of ['github-main', 'gh']) expect((await server.post('/api/git-providers', { name, kind: 'github', token: 'ghp_test' })).status).toBe(201);
  });

  afterAll(async () => {
    await server.close();
  });

  const create = (fields: Record<string, unknown>) => server.post('/api/automations', { name: `poll-${Math.random().toString(36).slice(2, 8)}`, schedule: '*/5 * * * *', target, ...fields });

  it('is stored on create and shown with its defaults filled in', async () => {
    const created = await create({ scmPoll: { providerName: 'github-main', repo: 'acme/customer-api', branch: 'main' } });
    expect(created.status).toBe(201);
    expect(created.body.scmPoll).toEqual({ providerName: 'github-main', repo: 'acme/customer-api', branch: 'main', ...DEFAULTS });
    expect((await server.get(`/api/automations/${created.body.id}`)).body.scmPoll).toEqual(created.body.scmPoll);
    const plain = await create({});
    expect(plain.body.scmPoll).toBeNull();
  });

  it('keeps the advanced fields, and takes its own answer back unchanged on PUT', async () => {
    const scmPoll = {
      providerName: ' github-main ',
      repo: 'acme/customer-api',
      branches: ['main', 'release/*', 'main'],
      paths: ['src/api/**', 'package.json'],
      minIntervalSeconds: 120,
      webhookDedupWindowSeconds: 0,
      backoff: { threshold: 5 },
    };
    const created = await create({ scmPoll });
    expect(created.status).toBe(201);
    expect(created.body.scmPoll).toEqual({
      providerName: 'github-main',
      repo: 'acme/customer-api',
      branches: ['main', 'release/*'],
      paths: ['src/api/**', 'package.json'],
      minIntervalSeconds: 120,
      webhookDedupWindowSeconds: 0,
      backoff: { baseSeconds: 30, maxSeconds: 1800, threshold: 5 },
    });
    const again = await server.put(`/api/automations/${created.body.id}`, { scmPoll: created.body.scmPoll });
    expect(again.status).toBe(200);
    expect(again.body.scmPoll).toEqual(created.body.scmPoll);
  });

  it('is kept by a PUT that leaves it out, replaced whole by one that names it, and removed with null', async () => {
    const { body } = await create({ scmPoll: { providerName: 'gh', repo: 'acme/api', branch: 'main', paths: ['src/**'] } });
    const renamed = await server.put(`/api/automations/${body.id}`, { description: 'polls main' });
    expect(renamed.body.scmPoll).toEqual(body.scmPoll);
    const replaced = await server.put(`/api/automations/${body.id}`, { scmPoll: { providerName: 'gh', repo: 'acme/api', branches: ['develop'] } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.scmPoll).toEqual({ providerName: 'gh', repo: 'acme/api', branches: ['develop'], ...DEFAULTS });
    const removed = await server.put(`/api/automations/${body.id}`, { scmPoll: null });
    expect(removed.status).toBe(200);
    expect(removed.body.scmPoll).toBeNull();
    expect((await server.get(`/api/automations/${body.id}`)).body.scmPoll).toBeNull();
  });

  it('refuses bad settings with a 400 naming each field and what to fix', async () => {
    const problems = async (scmPoll: unknown) => {
      const answer = await create({ scmPoll });
      expect(answer.status).toBe(400);
      return answer.body.fields;
    };
    const base = { providerName: 'gh', repo: 'acme/api' };
    expect(await problems({ ...base, branch: 'main', branches: ['dev'] })).toEqual({ 'scmPoll.branches': expect.stringContaining('cannot be given with branch') });
    expect(await problems(base)).toEqual({ 'scmPoll.branch': expect.stringContaining('is required: the branch to watch') });
    expect(await problems({ ...base, branch: 'main', minIntervalSeconds: 30 })).toEqual({ 'scmPoll.minIntervalSeconds': 'must be at least 60' });
    expect(await problems({ ...base, branch: 'main', minIntervalSeconds: 90.5 })).toEqual({ 'scmPoll.minIntervalSeconds': 'must be a whole number of seconds' });
    expect(await problems({ ...base, branch: 'main', webhookDedupWindowSeconds: -1 })).toEqual({ 'scmPoll.webhookDedupWindowSeconds': 'must be at least 0' });
    expect(await problems({ ...base, branch: 'main', backoff: { baseSeconds: 600, maxSeconds: 60 } })).toEqual({ 'scmPoll.backoff.maxSeconds': 'must be at least baseSeconds (600)' });
    expect(await problems({ ...base, branch: 'main', backoff: { threshold: 0 } })).toEqual({ 'scmPoll.backoff.threshold': 'must be at least 1' });
    expect(await problems({ ...base, branch: 'main', interval: 60 })).toEqual({ 'scmPoll.interval': expect.stringContaining('is not a field here') });
    expect(await problems({ ...base, branch: 'main', backoff: { factor: 2 } })).toEqual({ 'scmPoll.backoff.factor': expect.stringContaining('is not a field here') });
    expect(await problems({ ...base, branch: '--upload-pack=touch /tmp/x' })).toEqual({ 'scmPoll.branch': expect.stringContaining('without spaces') });
    expect(await problems({ ...base, branch: '-main' })).toEqual({ 'scmPoll.branch': expect.stringContaining('may not start with "-"') });
    expect(await problems({ ...base, branches: ['main', 'a..b'] })).toEqual({ 'scmPoll.branches.1': expect.stringContaining('contain ".."') });
    expect(await problems({ ...base, branches: [] })).toEqual({ 'scmPoll.branches': 'must name at least one branch or glob' });
    expect(await problems({ ...base, branch: 'main', paths: ['src/**', ''] })).toEqual({ 'scmPoll.paths.1': 'must not be empty' });
    expect(await problems({ providerName: '', repo: 'acme/api', branch: 'main' })).toEqual({ 'scmPoll.providerName': 'is required: the name of a Git provider' });
    expect(await problems({ providerName: 'gh', branch: 'main' })).toEqual({ 'scmPoll.repo': expect.any(String) });
    expect(await problems('github')).toEqual({ scmPoll: 'must be an object with providerName, repo and branch or branches; null stops polling' });
  });

  it('refuses scmPoll on an automation without a schedule, and removing the schedule of one that polls', async () => {
    const scmPoll = { providerName: 'gh', repo: 'acme/api', branch: 'main' };
    const unscheduled = await create({ schedule: null, scmPoll });
    expect(unscheduled.status).toBe(400);
    expect(unscheduled.body.fields).toEqual({ scmPoll: expect.stringMatching(/^needs a schedule/) });
    const webhookOnly = await create({ schedule: null });
    const added = await server.put(`/api/automations/${webhookOnly.body.id}`, { scmPoll });
    expect(added.status).toBe(400);
    expect(added.body.fields).toEqual({ scmPoll: expect.stringMatching(/^needs a schedule/) });

    const polling = await create({ scmPoll });
    const unscheduling = await server.put(`/api/automations/${polling.body.id}`, { schedule: null });
    expect(unscheduling.status).toBe(400);
    expect(unscheduling.body.fields).toEqual({ schedule: expect.stringContaining('cannot be removed while scmPoll is set') });
    expect((await server.get(`/api/automations/${polling.body.id}`)).body).toMatchObject({ schedule: '*/5 * * * *', scmPoll: expect.objectContaining({ branch: 'main' }) });
    const both = await server.put(`/api/automations/${polling.body.id}`, { schedule: '', scmPoll: null });
    expect(both.status).toBe(200);
    expect([both.body.schedule, both.body.scmPoll]).toEqual([null, null]);
  });

  it('refuses a provider name no Git provider has, and keeps a provider that automations poll with from being deleted or renamed', async () => {
    const unknown = await create({ scmPoll: { providerName: 'gitlab-main', repo: 'acme/api', branch: 'main' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toEqual({ 'scmPoll.providerName': expect.stringContaining('names no Git provider: "gitlab-main"') });

    const provider = (await server.post('/api/git-providers', { name: 'in-use', kind: 'github' })).body;
    const polling = await create({ name: 'uses-it', scmPoll: { providerName: 'in-use', repo: 'acme/api', branch: 'main' } });
    expect(polling.status).toBe(201);
    const deleting = await server.delete(`/api/git-providers/${provider.id}`);
    expect(deleting.status).toBe(409);
    expect(deleting.body.message).toBe('Git provider "in-use" cannot be deleted: automation "uses-it" polls with it; change or remove their scmPoll first');
    const renaming = await server.put(`/api/git-providers/${provider.id}`, { name: 'renamed' });
    expect(renaming.status).toBe(409);
    expect((await server.put(`/api/git-providers/${provider.id}`, { token: 'ghp_new' })).status).toBe(200);

    expect((await server.put(`/api/automations/${polling.body.id}`, { scmPoll: null })).status).toBe(200);
    expect((await server.delete(`/api/git-providers/${provider.id}`)).status).toBe(204);
  });

  it('is described in the OpenAPI document from its validator', async () => {
    const { components } = (await server.get('/api/docs')).body;
    expect(Object.keys(components.schemas.ScmPollInput.properties)).toEqual(['providerName', 'repo', 'branch', 'branches', 'paths', 'minIntervalSeconds', 'webhookDedupWindowSeconds', 'backoff']);
    expect(components.schemas.ScmPollInput.properties.minIntervalSeconds.minimum).toBe(60);
    // Answers fill in every default, so the setting as answered is a schema of its own: branch or branches, each field required.
    expect(components.schemas.ScmPoll.anyOf.map((side: { required: string[] }) => side.required)).toEqual([
      ['providerName', 'repo', 'paths', 'minIntervalSeconds', 'webhookDedupWindowSeconds', 'backoff', 'branch'],
      ['providerName', 'repo', 'paths', 'minIntervalSeconds', 'webhookDedupWindowSeconds', 'backoff', 'branches'],
    ]);
    expect(components.schemas.Automation.properties.scmPoll.anyOf[0]).toEqual({ $ref: '#/components/schemas/ScmPoll' });
    expect(components.schemas.AutomationInput.properties.scmPoll.anyOf[0]).toEqual({ $ref: '#/components/schemas/ScmPollInput' });
  });
});

describe('the scmPoll setting with HOOKLINE_SCM_POLLING=false', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_SCM_POLLING: 'false' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('refuses any scmPoll with a 400 saying polling is turned off, and still takes automations without it', async () => {
    const scmPoll = { providerName: 'gh', repo: 'acme/api', branch: 'main' };
    const refused = await server.post('/api/automations', { name: 'polling', schedule: '*/5 * * * *', target, scmPoll });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ scmPoll: 'cannot be set: SCM polling is turned off on this server (HOOKLINE_SCM_POLLING=false)' });
    const plain = await server.post('/api/automations', { name: 'plain', schedule: '*/5 * * * *', target, scmPoll: null });
    expect(plain.status).toBe(201);
    const put = await server.put(`/api/automations/${plain.body.id}`, { scmPoll });
    expect(put.status).toBe(400);
    expect(put.body.fields.scmPoll).toMatch(/turned off/);
  });
});
