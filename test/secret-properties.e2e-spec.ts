import { queryStoppedDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';

const DEPLOY_TOKEN = 'deploy-token-value-4321';
const MATCH_KEY = 'match-key-value-8765';

describe('secret provider properties', () => {
  let server: TestServer;
  let provider: any;

  beforeAll(async () => {
    server = await TestServer.start();
    provider = await given(server).provider({
      name: 'Deployer',
      matchScript: 'return request.headers["x-key"] === provider.secrets.matchKey',
      properties: { project: 'web' },
      secretProperties: { deployToken: DEPLOY_TOKEN, matchKey: MATCH_KEY },
    });
    await given(server).fn({
      providerId: provider.id,
      uri: 'deploy',
      script: `return { tokenOk: provider.secrets.deployToken === ${JSON.stringify(DEPLOY_TOKEN)}, names: Object.keys(provider.secrets).sort(), properties: provider.properties }`,
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('accepts secret properties on write and shows only their names', async () => {
    expect(provider.secretProperties).toEqual(['deployToken', 'matchKey']);
    expect(provider.properties).toEqual({ project: 'web' });
    const read = (await server.get(`/api/providers/${provider.id}`)).body;
    const listed = (await server.get('/api/providers')).body.find((p: any) => p.id === provider.id);
    for (const view of [provider, read, listed]) {
      expect(view.secretProperties).toEqual(['deployToken', 'matchKey']);
      expect(JSON.stringify(view)).not.toContain(DEPLOY_TOKEN);
      expect(JSON.stringify(view)).not.toContain(MATCH_KEY);
    }
  });

  it('gives them to match and function scripts as provider.secrets, apart from provider.properties', async () => {
    const sent = await server.webhook('deploy', {}, { 'x-key': MATCH_KEY, 'flex-sync-webhook': 'true' });
    expect(sent.status).toBe(200);
    expect(sent.body.functions[0].result).toEqual({ tokenOk: true, names: ['deployToken', 'matchKey'], properties: { project: 'web' } });
    const message = (await server.get(`/api/messages/${sent.body.messageId}`)).body;
    expect(JSON.stringify(message.trace)).not.toContain(DEPLOY_TOKEN);
    const unmatched = await server.webhook('deploy', {}, { 'x-key': 'not-the-key' });
    expect((await server.waitForMessage(unmatched.body.messageId, ['no_provider'])).status).toBe('no_provider');
  });

  it('sets, keeps and removes them one name at a time', async () => {
    const other = await given(server).provider({ name: 'Rotating', secretProperties: { a: 'value-a', b: 'value-b' } });
    const changed = await server.put(`/api/providers/${other.id}`, { secretProperties: { a: null, c: 'value-c' } });
    expect(changed.status).toBe(200);
    expect(changed.body.secretProperties).toEqual(['b', 'c']);
    const untouched = await server.put(`/api/providers/${other.id}`, { description: 'renamed' });
    expect(untouched.body.secretProperties).toEqual(['b', 'c']);
  });

  it('refuses bad secret properties, naming the field', async () => {
    const notString = await server.post('/api/providers', { name: 'Bad', matchScript: 'return true', secretProperties: { token: 42 } });
    expect(notString.status).toBe(400);
    expect(notString.body.fields).toEqual({ 'secretProperties.token': 'must be a string, or null to remove it' });
    const empty = await server.post('/api/providers', { name: 'Bad', matchScript: 'return true', secretProperties: { token: '' } });
    expect(empty.body.fields).toEqual({ 'secretProperties.token': 'must not be empty; use null to remove it' });
    const notObject = await server.post('/api/providers', { name: 'Bad', matchScript: 'return true', secretProperties: 'token' });
    expect(notObject.body.fields).toEqual({ secretProperties: 'must be an object of names to strings' });
  });

  it('keeps them encrypted at rest', async () => {
    await server.stop();
    const rows = await queryStoppedDatabase(server.database, `SELECT secret_properties::text AS sealed FROM providers WHERE name = 'Deployer'`);
    expect(rows).toHaveLength(1);
    expect(Object.keys(JSON.parse(rows[0].sealed)).sort()).toEqual(['deployToken', 'matchKey']);
    expect(rows[0].sealed).not.toContain(DEPLOY_TOKEN);
    expect(rows[0].sealed).not.toContain(MATCH_KEY);
  });
});
