import { SseClient } from './support/sse-client';
import { describeDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';
import { createRunner, mergedPullRequest, sendGithub, waitFor, waitForTask, type TestRunner } from './support/task-runners';

const SECRET = 'task-stream-secret-81f';

// The runner's side of parking, on the event stream: its own tasks' frames reach it, nobody
// else's do, and an admin sees them all.
describe(`parked tasks on the event stream (${describeDatabase()})`, () => {
  let server: TestServer;
  let parker: TestRunner;
  let bystander: TestRunner;
  let automationId: string;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    server = await TestServer.start();
    await given(server).provider({
      name: 'GitHub',
      matchScript: 'return request.headers["x-github-event"] !== undefined',
      verification: { scheme: 'github', secret: SECRET },
      eventFormat: 'github',
    });
    automationId = (await server.post('/api/automations', { name: 'deploy', target: { kind: 'task', name: 'Deploy {{vars.n}}' } })).body.id;
    parker = await createRunner(server, 'parker');
    bystander = await createRunner(server, 'bystander');
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await server.close();
  });

  const open = async (token: string) => {
    const stream = await SseClient.open(`${server.url}/api/events/stream`, { authorization: `Bearer ${token}` });
    expect(stream.status).toBe(200);
    streams.push(stream);
    return stream;
  };

  it('sends the parking runner taskResumed with the event and taskMessage with the operator’s text; another runner sees neither', async () => {
    const mine = await open(parker.token);
    const theirs = await open(bystander.token);
    const admin = await open(server.token);

    expect((await server.post(`/api/automations/${automationId}/run`, { vars: { n: 1 } })).status).toBe(202);
    const task = (await waitFor('a task to claim', () => parker.call('POST', '/api/tasks/claim'), (c) => c.status === 200)).body;
    const parked = await parker.call('POST', `/api/tasks/${task.id}/park`, { waitFor: [{ key: 'pull_request:merged', repository: 'acme/app', pullRequest: 7 }] });
    expect(parked.status).toBe(200);

    const note = await server.post(`/api/tasks/${task.id}/messages`, { text: 'ship it after the merge' });
    expect(note.status).toBe(201);
    const message = await mine.waitFor((e) => e.event === 'taskMessage');
    expect(message.data).toMatchObject({ taskId: task.id, message: { text: 'ship it after the merge' } });

    const delivered = await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest('acme/app', 7));
    expect(delivered.status).toBe(202);
    const resumed = await mine.waitFor((e) => e.event === 'taskResumed');
    expect(resumed.data).toMatchObject({
      taskId: task.id,
      status: 'queued',
      resumedBy: { messageId: delivered.body.messageId, event: { key: 'pull_request:merged', pullRequest: { number: 7 } } },
    });
    // The webhook's own frame went out first: frames are in the order things happened.
    const webhook = await mine.waitFor((e) => e.event === 'pluginWebhook' && e.data.messageId === delivered.body.messageId);
    expect(Number(webhook.id)).toBeLessThan(Number(resumed.id));
    expect(Number(message.id)).toBeLessThan(Number(webhook.id));

    // An admin sees every task's frames; the other runner sees the webhook but none of the task's.
    await admin.waitFor((e) => e.event === 'taskResumed' && e.data.taskId === task.id);
    expect(admin.events.some((e) => e.event === 'taskMessage' && e.data.taskId === task.id)).toBe(true);
    await theirs.waitFor((e) => e.event === 'pluginWebhook' && e.data.messageId === delivered.body.messageId);
    expect(theirs.events.filter((e) => e.event !== 'pluginWebhook')).toEqual([]);

    await waitForTask(server, task.id, 'queued');
    const claimed = await parker.call('POST', '/api/tasks/claim');
    expect(claimed.body).toMatchObject({ id: task.id, inbox: [{ text: 'ship it after the merge' }] });
    expect((await parker.call('POST', `/api/tasks/${task.id}/complete`, { status: 'succeeded' })).status).toBe(200);
  });

  it('replays a task frame missed while disconnected, from Last-Event-ID', async () => {
    const first = await open(parker.token);
    expect((await server.post(`/api/automations/${automationId}/run`, { vars: { n: 2 } })).status).toBe(202);
    const task = (await waitFor('a task to claim', () => parker.call('POST', '/api/tasks/claim'), (c) => c.status === 200)).body;
    expect((await parker.call('POST', `/api/tasks/${task.id}/park`, { waitFor: [{ key: 'comment:created' }] })).status).toBe(200);
    expect((await server.post(`/api/tasks/${task.id}/messages`, { text: 'first' })).status).toBe(201);
    const seen = await first.waitFor((e) => e.event === 'taskMessage' && e.data.message.text === 'first');
    first.close();

    // While the runner is away, an operator resumes the task with a message.
    expect((await server.post(`/api/tasks/${task.id}/resume`, { message: 'go on without the comment' })).status).toBe(200);

    const again = await SseClient.open(`${server.url}/api/events/stream`, { authorization: `Bearer ${parker.token}`, 'last-event-id': seen.id! });
    streams.push(again);
    const resumed = await again.waitFor((e) => e.event === 'taskResumed' && e.data.taskId === task.id);
    // The operator's message comes with the resume (and is in the task's inbox).
    expect(resumed.data.resumedBy).toMatchObject({ operator: 'admin', message: 'go on without the comment' });
    expect(again.events.some((e) => e.id === seen.id)).toBe(false);
  });
});
