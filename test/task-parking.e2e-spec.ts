import { describeDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';
import { createRunner, githubSample, mergedPullRequest, sendGithub, waitFor, waitForTask, type TestRunner } from './support/task-runners';

const SECRET = 'parking-secret-5d21';
const REPO = 'acme/app';

describe(`parked tasks (${describeDatabase()})`, () => {
  let server: TestServer;
  let runner: TestRunner;
  let automationId: string;
  let otherProviderId: string;
  let taskNumber = 0;

  beforeAll(async () => {
    server = await TestServer.start();
    await given(server).provider({
      name: 'GitHub',
      matchScript: 'return request.headers["x-github-event"] !== undefined && request.headers["x-sender"] !== "other"',
      verification: { scheme: 'github', secret: SECRET },
      eventFormat: 'github',
    });
    const other = await given(server).provider({
      name: 'Other GitHub',
      matchScript: 'return request.headers["x-sender"] === "other"',
      verification: { scheme: 'github', secret: SECRET },
      eventFormat: 'github',
    });
    otherProviderId = other.id;
    const automation = await server.post('/api/automations', { name: 'review', target: { kind: 'task', name: 'Review {{vars.n}}', instructions: 'Review it' } });
    automationId = automation.body.id;
    runner = await createRunner(server, 'agent');
  });

  afterAll(async () => {
    await server.close();
  });

  /** A task started by a run and claimed by `by`. */
  async function claimedTask(by: TestRunner = runner): Promise<any> {
    const name = `Review ${++taskNumber}`;
    const run = await server.post(`/api/automations/${automationId}/run`, { vars: { n: taskNumber } });
    expect(run.status).toBe(202);
    const claimed = await waitFor('a task to claim', () => by.call('POST', '/api/tasks/claim'), (c) => c.status === 200);
    expect(claimed.body).toMatchObject({ name, status: 'claimed', runId: run.body.id });
    return claimed.body;
  }

  /** A claimed task, parked with `body`. */
  async function parkedTask(body: Record<string, unknown>, by: TestRunner = runner): Promise<any> {
    const task = await claimedTask(by);
    const parked = await by.call('POST', `/api/tasks/${task.id}/park`, body);
    expect(parked.status).toBe(200);
    expect(parked.body.status).toBe('parked');
    return task;
  }

  /** Claims the task that was resumed (the only queued one) and completes it. */
  async function claimResumed(id: string, by: TestRunner = runner): Promise<any> {
    const claimed = await by.call('POST', '/api/tasks/claim');
    expect(claimed.status).toBe(200);
    expect(claimed.body.id).toBe(id);
    expect((await by.call('POST', `/api/tasks/${id}/complete`, { status: 'succeeded' })).status).toBe(200);
    return claimed.body;
  }

  /** Sends a delivery that resumes a fresh control task, and waits for it: everything sent before has been matched by then. */
  async function afterEverythingSent(): Promise<void> {
    const control = await parkedTask({ waitFor: [{ key: 'pull_request:merged', repository: 'acme/control', pullRequest: 1 }] });
    expect((await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest('acme/control', 1))).status).toBe(202);
    await waitForTask(server, control.id, 'queued');
    await claimResumed(control.id);
  }

  it('resumes exactly the task waiting for a merged pull request of its repository, and hands it back with the event', async () => {
    const waiting = await parkedTask({ waitFor: [{ key: 'pull_request:merged', repository: REPO, pullRequest: 12 }], timeoutSeconds: 600 });
    const bystander = await parkedTask({ waitFor: [{ key: 'pull_request:merged', repository: REPO, pullRequest: 13 }] });
    const parked = (await server.get('/api/tasks?state=parked')).body;
    expect(parked.map((t: any) => t.id).sort()).toEqual([waiting.id, bystander.id].sort());
    expect(parked.find((t: any) => t.id === waiting.id)).toMatchObject({ waitFor: [{ key: 'pull_request:merged', repository: REPO, pullRequest: 12 }], parkedBy: runner.id, runnerId: null });
    expect(parked[0].parkedAt).toEqual(expect.any(String));

    const delivered = await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest('Acme/App', 12));
    expect(delivered.status).toBe(202);
    const resumed = await waitForTask(server, waiting.id, 'queued');
    expect(resumed.resumedBy).toMatchObject({ messageId: delivered.body.messageId, providerName: 'GitHub', event: { key: 'pull_request:merged', repository: 'Acme/App', pullRequest: { number: 12, merged: true } } });
    expect(resumed.history.map((h: any) => [h.status, h.cause])).toEqual([
      ['queued', 'automation'],
      ['claimed', 'runner'],
      ['parked', 'runner'],
      ['queued', 'event'],
    ]);
    expect(resumed.history[3]).toMatchObject({ messageId: delivered.body.messageId, key: 'pull_request:merged' });

    const claimed = await runner.call('POST', '/api/tasks/claim');
    expect(claimed.body).toMatchObject({ id: waiting.id, status: 'claimed', resumedBy: { messageId: delivered.body.messageId, event: { pullRequest: { number: 12 } } } });
    const payload = await runner.call('GET', `/api/tasks/${waiting.id}/payload`);
    expect(payload.status).toBe(200);
    expect(JSON.parse(payload.text)).toEqual({ n: expect.any(Number) });
    expect((await runner.call('POST', `/api/tasks/${waiting.id}/complete`, { status: 'succeeded' })).status).toBe(200);

    const message = await server.get(`/api/messages/${delivered.body.messageId}`);
    expect(message.body.trace.resumedTasks).toEqual([{ taskId: waiting.id, name: waiting.name }]);
    expect((await server.get(`/api/tasks/${bystander.id}`)).body.status).toBe('parked');
    expect((await server.post(`/api/tasks/${bystander.id}/resume`, {})).status).toBe(200);
    await claimResumed(bystander.id);
  });

  it('resumes nothing for another repository, another number or another key', async () => {
    const waiting = await parkedTask({ waitFor: [{ key: 'pull_request:merged', repository: REPO, pullRequest: 21 }] });
    const sent = [
      await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest('acme/other', 21)),
      await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest(REPO, 22)),
      await sendGithub(server, 'gh', SECRET, 'pull_request', { ...githubSample('pull_request', 'closed'), number: 21, repository: { full_name: REPO } }),
    ];
    expect(sent.map((s) => s.status)).toEqual([202, 202, 202]);
    await afterEverythingSent();
    const task = (await server.get(`/api/tasks/${waiting.id}`)).body;
    expect(task).toMatchObject({ status: 'parked', resumedBy: null });
    for (const s of sent) expect((await server.get(`/api/messages/${s.body.messageId}`)).body.trace.resumedTasks).toBeUndefined();
    await server.post(`/api/tasks/${waiting.id}/resume`, {});
    await claimResumed(waiting.id);
  });

  it('matches keys ending in a star, and several tasks on one event', async () => {
    const anyPullRequest = await parkedTask({ waitFor: [{ key: 'pull_request:*', repository: REPO }] });
    const anything = await parkedTask({ waitFor: [{ key: '*', repository: REPO }] });
    const commentSample = githubSample('issue_comment', 'created');
    const otherIssue = await parkedTask({ waitFor: [{ key: 'comment:created', issue: commentSample.issue.number + 1 }] });
    const comment = await parkedTask({ waitFor: [{ key: 'comment:created', issue: String(commentSample.issue.number) }, { key: 'push', branch: 'nowhere' }] });
    const opened = githubSample('pull_request', 'opened');
    opened.repository.full_name = REPO;
    const delivered = await sendGithub(server, 'gh', SECRET, 'pull_request', opened);
    await waitForTask(server, anyPullRequest.id, 'queued');
    await waitForTask(server, anything.id, 'queued');
    const trace = (await server.get(`/api/messages/${delivered.body.messageId}`)).body.trace;
    expect(trace.resumedTasks.map((t: any) => t.taskId).sort()).toEqual([anyPullRequest.id, anything.id].sort());
    expect((await server.get(`/api/tasks/${comment.id}`)).body.status).toBe('parked');

    await sendGithub(server, 'gh', SECRET, 'issue_comment', commentSample);
    const byComment = await waitForTask(server, comment.id, 'queued');
    expect(byComment.resumedBy.event).toMatchObject({ key: 'comment:created', issue: commentSample.issue.number });
    expect((await server.get(`/api/tasks/${otherIssue.id}`)).body.status).toBe('parked');
    await server.post(`/api/tasks/${otherIssue.id}/resume`, {});
    for (let i = 0; i < 4; i++) {
      const claimed = await runner.call('POST', '/api/tasks/claim');
      expect((await runner.call('POST', `/api/tasks/${claimed.body.id}/complete`, { status: 'succeeded' })).status).toBe(200);
    }
  });

  it('resumes on a where expression over the event and payload only when it holds', async () => {
    const shipIt = await parkedTask({ waitFor: [{ key: 'pull_request:merged', where: 'payload.pull_request.title.includes("ship") && event.pullRequest.number == 31' }] });
    const never = await parkedTask({ waitFor: [{ key: 'pull_request:merged', where: 'payload.pull_request.title.includes("never")' }] });
    const throws = await parkedTask({ waitFor: [{ key: 'pull_request:merged', where: 'payload.missing.deeper == 1' }] });
    await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest(REPO, 31, 'ship the parser'));
    await waitForTask(server, shipIt.id, 'queued');
    await claimResumed(shipIt.id);
    await afterEverythingSent();
    expect((await server.get(`/api/tasks/${never.id}`)).body.status).toBe('parked');
    expect((await server.get(`/api/tasks/${throws.id}`)).body.status).toBe('parked');
    for (const id of [never.id, throws.id]) {
      await server.post(`/api/tasks/${id}/resume`, {});
      await claimResumed(id);
    }
  });

  it("resumes a scoped runner's task only on its providers' events", async () => {
    const scoped = await createRunner(server, 'scoped-agent', [otherProviderId]);
    const task = await parkedTask({ waitFor: [{ key: 'pull_request:merged', repository: 'acme/scoped' }] }, scoped);
    await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest('acme/scoped', 41));
    await afterEverythingSent();
    expect((await server.get(`/api/tasks/${task.id}`)).body.status).toBe('parked');
    const fromOther = await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest('acme/scoped', 42), { 'x-sender': 'other' });
    const resumed = await waitForTask(server, task.id, 'queued');
    expect(resumed.resumedBy).toMatchObject({ messageId: fromOther.body.messageId, provider: otherProviderId, providerName: 'Other GitHub' });
    await claimResumed(task.id, scoped);
  });

  it('fails a task whose wait times out with onTimeout fail, and settles its run failed naming the wait', async () => {
    const task = await parkedTask({ waitFor: [{ key: 'pull_request:merged', repository: REPO, pullRequest: 51 }], timeoutSeconds: 1, onTimeout: 'fail' });
    const failed = await waitForTask(server, task.id, 'failed');
    expect(failed.history[failed.history.length - 1]).toMatchObject({ status: 'failed', cause: 'timeout', onTimeout: 'fail' });
    const run = await waitFor('the run failing', async () => (await server.get(`/api/runs/${task.runId}`)).body, (r) => r.status === 'failed');
    expect(run.statusReason).toBe(`task "${task.name}" timed out while parked waiting for pull_request:merged on ${REPO} #51`);
    expect((await runner.call('POST', `/api/tasks/${task.id}/complete`, { status: 'succeeded' })).status).toBe(404);
  });

  it('queues a task whose wait times out with onTimeout resume, saying so', async () => {
    const task = await parkedTask({ waitFor: [{ key: 'push' }], timeoutSeconds: 1, onTimeout: 'resume' });
    const resumed = await waitForTask(server, task.id, 'queued');
    expect(resumed.resumedBy).toMatchObject({ timeout: true, waitedFor: [{ key: 'push' }] });
    expect(resumed.history[resumed.history.length - 1]).toMatchObject({ status: 'queued', cause: 'timeout', onTimeout: 'resume' });
    const claimed = await claimResumed(task.id);
    expect(claimed.resumedBy.timeout).toBe(true);
  });

  it('lets an operator write to the inbox and resume a parked task, once', async () => {
    const task = await parkedTask({ waitFor: [{ key: 'pull_request:merged', repository: REPO, pullRequest: 61 }] });
    const note = await server.post(`/api/tasks/${task.id}/messages`, { text: 'Rebase first, please' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ text: 'Rebase first, please', by: 'admin' });
    const resumed = await server.post(`/api/tasks/${task.id}/resume`, { message: 'Go ahead without the merge' });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'queued', resumedBy: { operator: 'admin', message: 'Go ahead without the merge' } });
    expect(resumed.body.inbox.map((m: any) => m.text)).toEqual(['Rebase first, please', 'Go ahead without the merge']);
    expect(resumed.body.history[resumed.body.history.length - 1]).toMatchObject({ status: 'queued', cause: 'operator', user: 'admin' });
    const again = await server.post(`/api/tasks/${task.id}/resume`, {});
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/is queued, not parked/);

    const claimed = await runner.call('POST', '/api/tasks/claim');
    expect(claimed.body).toMatchObject({ id: task.id, resumedBy: { operator: 'admin' } });
    expect(claimed.body.inbox).toHaveLength(2);
    expect((await server.post(`/api/tasks/${task.id}/messages`, { text: 'while you work' })).status).toBe(201);
    const own = await runner.call('GET', `/api/tasks/${task.id}`);
    expect(own.status).toBe(200);
    expect(own.body.inbox.map((m: any) => m.text)).toEqual(['Rebase first, please', 'Go ahead without the merge', 'while you work']);
    expect(own.body.history.map((h: any) => h.cause)).toEqual(['automation', 'runner', 'runner', 'operator', 'runner']);
    expect((await runner.call('POST', `/api/tasks/${task.id}/complete`, { status: 'succeeded' })).status).toBe(200);
    const late = await server.post(`/api/tasks/${task.id}/messages`, { text: 'too late' });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/finished task/);
  });

  it('refuses bad park requests with a reason, another runner with 404 and a task in the wrong state with 409', async () => {
    const task = await claimedTask();
    const park = (body: unknown, by: TestRunner = runner) => by.call('POST', `/api/tasks/${task.id}/park`, body);
    const empty = await park({ waitFor: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.fields).toEqual({ waitFor: 'must list at least one condition' });
    const badKey = await park({ waitFor: [{ key: 'pull_*:merged' }] });
    expect(badKey.status).toBe(400);
    expect(badKey.body.fields['waitFor.0.key']).toMatch(/prefix ending in \*/);
    const badWhere = await park({ waitFor: [{ key: 'push' }, { key: 'push', where: 'payload.(' }] });
    expect(badWhere.status).toBe(400);
    expect(badWhere.body.fields['waitFor.1.where']).toMatch(/^does not compile/);
    for (const timeoutSeconds of [0, -5, 1.5, 31 * 24 * 3600, '60']) {
      const bad = await park({ waitFor: [{ key: 'push' }], timeoutSeconds });
      expect(bad.status).toBe(400);
      expect(bad.body.fields.timeoutSeconds).toBeDefined();
    }
    expect((await park({ waitFor: [{ key: 'push' }], onTimeout: 'explode' })).body.fields.onTimeout).toBe('must be fail or resume');
    expect((await runner.call('GET', `/api/tasks/${task.id}`)).body.status).toBe('claimed');

    const stranger = await createRunner(server, 'stranger');
    expect((await park({ waitFor: [{ key: 'push' }] }, stranger)).status).toBe(404);
    expect((await stranger.call('GET', `/api/tasks/${task.id}`)).status).toBe(404);
    expect((await stranger.call('GET', '/api/tasks?state=parked')).status).toBe(401);
    expect((await stranger.call('POST', `/api/tasks/${task.id}/resume`, {})).status).toBe(401);

    expect((await runner.call('POST', `/api/tasks/${task.id}/complete`, { status: 'succeeded' })).status).toBe(200);
    const finished = await park({ waitFor: [{ key: 'push' }] });
    expect(finished.status).toBe(409);
    expect(finished.body.message).toMatch(/already succeeded/);
    expect((await server.post(`/api/tasks/${task.id}/resume`, {})).status).toBe(409);
    expect((await server.get('/api/tasks/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await server.get('/api/tasks?state=waiting')).body.fields.state).toMatch(/queued, claimed, parked, succeeded, failed/);
    expect((await server.post(`/api/tasks/${task.id}/messages`, { text: '' })).status).toBe(400);
  });
});
