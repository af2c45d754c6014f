import { queryStoppedDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';

const GITLAB_TOKEN = 'gitlab-token-value-1234';
const BEARER_NOW = 'bearer-current-5678';
const BEARER_BEFORE = 'bearer-previous-9012';
const AZURE_TOKEN = 'azure-header-token-3456';
const ENDPOINT_TOKEN = 'endpoint-bearer-7890';
const SECRETS = [GITLAB_TOKEN, BEARER_NOW, BEARER_BEFORE, AZURE_TOKEN, ENDPOINT_TOKEN];

describe('credential headers', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
    const gitlab = await given(server).provider({
      name: 'GitLab',
      matchScript: 'return request.headers["x-gitlab-event"] !== undefined',
      verification: { scheme: 'gitlab-token', secret: GITLAB_TOKEN },
    });
    await given(server).fn({ providerId: gitlab.id, uri: 'gitlab', script: 'return { token: request.headers["x-gitlab-token"], event: request.headers["x-gitlab-event"] }' });
    const bearer = await given(server).provider({
      name: 'Bearer',
      matchScript: 'return request.headers["x-kind"] === "bearer"',
      verification: { scheme: 'bearer', secret: BEARER_NOW, previousSecret: BEARER_BEFORE },
    });
    await given(server).fn({ providerId: bearer.id, uri: 'bearer', script: 'return request.headers.authorization' });
    await given(server).provider({
      name: 'Azure',
      matchScript: 'return request.headers["x-kind"] === "azure"',
      verification: { scheme: 'azure-devops', secret: AZURE_TOKEN, options: { headerName: 'X-Hook-Token' } },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('stores and shows a GitLab token redacted, says which secret matched, and hides it from scripts', async () => {
    const sent = await server.webhook('gitlab', { object_kind: 'push' }, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': GITLAB_TOKEN, 'flex-sync-webhook': 'true' });
    expect(sent.status).toBe(200);
    expect(sent.body.functions[0].result).toEqual({ token: '[redacted]', event: 'Push Hook' });
    const message = (await server.get(`/api/messages/${sent.body.messageId}`)).body;
    expect(message.headers['x-gitlab-token']).toBe('[redacted]');
    expect(message.headers['x-gitlab-event']).toBe('Push Hook');
    expect(message.trace.verification).toEqual({ scheme: 'gitlab-token', ok: true, matchedSecret: 'current' });
    expect(JSON.stringify(message)).not.toContain(GITLAB_TOKEN);
  });

  it('redacts a bearer Authorization header and names the previous secret when it matched', async () => {
    const sent = await server.webhook('bearer', {}, { 'x-kind': 'bearer', authorization: `Bearer ${BEARER_BEFORE}`, 'flex-sync-webhook': 'true' });
    expect(sent.status).toBe(200);
    expect(sent.body.functions[0].result).toBe('[redacted]');
    const message = (await server.get(`/api/messages/${sent.body.messageId}`)).body;
    expect(message.headers.authorization).toBe('[redacted]');
    expect(message.trace.verification).toEqual({ scheme: 'bearer', ok: true, matchedSecret: 'previous' });
    expect(JSON.stringify(message)).not.toContain(BEARER_BEFORE);
  });

  it('redacts the header a provider names in its options', async () => {
    const sent = await server.webhook('azure', {}, { 'x-kind': 'azure', 'x-hook-token': AZURE_TOKEN });
    const message = await server.waitForMessage(sent.body.messageId, ['processed', 'no_function']);
    expect(message.headers['x-hook-token']).toBe('[redacted]');
    expect(message.trace.verification).toMatchObject({ scheme: 'azure-devops', ok: true, matchedSecret: 'current' });
  });

  it('redacts a wrong token too, and still refuses it', async () => {
    const sent = await server.webhook('gitlab', {}, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'a-wrong-guess' });
    expect(sent.status).toBe(401);
    const message = (await server.get(`/api/messages/${sent.body.messageId}`)).body;
    expect(message.headers['x-gitlab-token']).toBe('[redacted]');
    expect(message.trace.verification).toEqual({ scheme: 'gitlab-token', ok: false, reason: 'X-Gitlab-Token does not match' });
    expect(JSON.stringify(message)).not.toContain('a-wrong-guess');
  });

  it('verifies a resubmitted message with the credential it came with', async () => {
    const sent = await server.webhook('gitlab', {}, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': GITLAB_TOKEN, 'flex-sync-webhook': 'true' });
    const again = await server.post(`/api/messages/${sent.body.messageId}/resubmit`, { sync: true });
    expect(again.status).toBe(200);
    expect(again.body.functions[0].result).toEqual({ token: '[redacted]', event: 'Push Hook' });
    const copy = (await server.get(`/api/messages/${again.body.messageId}`)).body;
    expect(copy.headers['x-gitlab-token']).toBe('[redacted]');
    expect(copy.trace.verification).toEqual({ scheme: 'gitlab-token', ok: true, matchedSecret: 'current' });

    const orphan = await server.webhook('nobody', {}, { authorization: `Bearer ${BEARER_NOW}` });
    await server.waitForMessage(orphan.body.messageId, ['no_provider']);
    expect((await server.get(`/api/messages/${orphan.body.messageId}`)).body.headers.authorization).toBe('[redacted]');
    const late = await given(server).provider({ name: 'Late', matchScript: 'return request.uri === "nobody"', verification: { scheme: 'bearer', secret: BEARER_NOW } });
    await given(server).fn({ providerId: late.id, uri: 'nobody', script: 'return "verified late"' });
    const caughtUp = await server.post(`/api/messages/${orphan.body.messageId}/resubmit`, { sync: true });
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body.functions[0].result).toBe('verified late');
  });

  it('redacts an endpoint delivery\'s credential and verifies its resubmit', async () => {
    const automation = (await server.post('/api/automations', { name: 'noop', target: { kind: 'command', command: 'true' } })).body;
    const endpoint = (await server.post('/api/webhooks', { name: 'bearer-endpoint', automationIds: [automation.id], verification: { scheme: 'bearer', secret: ENDPOINT_TOKEN } })).body;
    const path = new URL(endpoint.url).pathname;
    const sent = await server.request('POST', path, undefined, { auth: false, raw: '{}', headers: { authorization: `Bearer ${ENDPOINT_TOKEN}` } });
    expect(sent.status).toBe(200);
    const message = (await server.get(`/api/messages/${sent.body.messageId}`)).body;
    expect(message.headers.authorization).toBe('[redacted]');
    expect(message.trace.verification).toEqual({ scheme: 'bearer', ok: true, matchedSecret: 'current' });
    const again = await server.post(`/api/messages/${sent.body.messageId}/resubmit`, {});
    expect(again.status).toBe(200);
  });

  it('keeps no credential in clear in the database', async () => {
    await server.stop();
    const rows = await queryStoppedDatabase(server.database, `SELECT headers::text AS headers, trace::text AS trace, credentials_sealed FROM messages`);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const stored = JSON.stringify(rows);
    for (const secret of SECRETS) expect(stored).not.toContain(secret);
    expect(rows.filter((row) => row.credentials_sealed !== null).length).toBeGreaterThanOrEqual(8);
  });
});
