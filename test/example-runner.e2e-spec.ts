import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describeDatabase, ROOT } from './support/test-database';
import { given, TestServer } from './support/test-server';
import { createRunner, mergedPullRequest, sendGithub, waitFor } from './support/task-runners';

const SECRET = 'example-runner-secret';

describe(`the example runner, examples/runner.mjs (${describeDatabase()})`, () => {
  let server: TestServer;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill();
    await server.close();
  });

  it('claims a task, parks it until a pull request of its repository is merged, and completes it with the event', async () => {
    await given(server).provider({ name: 'GitHub', matchScript: 'return request.headers["x-github-event"] !== undefined', verification: { scheme: 'github', secret: SECRET }, eventFormat: 'github' });
    const automation = await server.post('/api/automations', { name: 'merge-watch', target: { kind: 'task', name: 'Watch {{vars.repository}}', instructions: 'Wait for the merge' } });
    const run = await server.post(`/api/automations/${automation.body.id}/run`, { vars: { repository: 'acme/example' } });
    expect(run.status).toBe(202);
    const runner = await createRunner(server, 'example');

    let output = '';
    const running = spawn(process.execPath, [join(ROOT, 'examples', 'runner.mjs')], {
      env: { ...process.env, HOOKLINE_URL: server.url, HOOKLINE_RUNNER_TOKEN: runner.token, HOOKLINE_POLL_MS: '200' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = running;
    running.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    running.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));

    await waitFor('the runner parking its task', async () => output, (text) => /parked task \S+ \(Watch acme\/example\) until a pull request of acme\/example is merged/.test(text));
    const parked = (await server.get('/api/tasks?state=parked')).body;
    expect(parked).toHaveLength(1);
    expect(parked[0].waitFor).toEqual([{ key: 'pull_request:merged', repository: 'acme/example' }]);

    // Another repository's merge leaves it parked; its own resumes it.
    expect((await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest('acme/unrelated', 3))).status).toBe(202);
    const merged = await sendGithub(server, 'gh', SECRET, 'pull_request', mergedPullRequest('acme/example', 7));
    expect(merged.status).toBe(202);
    expect(await exited).toBe(0);
    expect(output).toMatch(/completed task/);

    const finished = await waitFor('the run succeeding', async () => (await server.get(`/api/runs/${run.body.id}`)).body, (r) => r.status === 'succeeded');
    expect(finished.output.result).toMatchObject({ merged: 7, url: expect.stringContaining('/pull/') });
    const task = (await server.get(`/api/tasks/${parked[0].id}`)).body;
    expect(task.resumedBy.messageId).toBe(merged.body.messageId);
    expect(task.history.map((h: any) => `${h.status}:${h.cause}`)).toEqual(['queued:automation', 'claimed:runner', 'parked:runner', 'queued:event', 'claimed:runner', 'succeeded:runner']);
  });
});
