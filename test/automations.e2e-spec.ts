import { createServer, type IncomingMessage, type Server } from 'node:http';
import { given, TestServer } from './support/test-server';

const RUNNER_TOKEN = 'preconfigured-runner-token-0123456789abcdef';

describe('automations', () => {
  let server: TestServer;
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  let failFirst = 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (failFirst > 0) {
          failFirst--;
          res.statusCode = 503;
          res.end('try again');
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ build: 42 }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    server = await TestServer.start({ HOOKLINE_HTTP_BACKOFF: '50ms', HOOKLINE_RUNNER_TOKEN: RUNNER_TOKEN, HOOKLINE_SCHEDULER_TICK: '200ms' });
  });

  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function automation(fields: Record<string, unknown>) {
    const result = await server.post('/api/automations', { name: `auto-${Math.random().toString(36).slice(2, 8)}`, ...fields });
    if (result.status !== 201) throw new Error(`automation: ${result.status} ${result.text}`);
    return result.body;
  }

  async function waitForRun(id: string, statuses = ['succeeded', 'failed', 'skipped'], timeoutMs = 20_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let run: any;
    while (Date.now() < deadline) {
      run = (await server.get(`/api/runs/${id}`)).body;
      if (statuses.includes(run.status)) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`run ${id} stayed ${run?.status}`);
  }

  it('validates automations, naming the bad field', async () => {
    const badCron = await server.post('/api/automations', { name: 'x', schedule: 'every day', target: { kind: 'command', command: 'true' } });
    expect(badCron.status).toBe(400);
    expect(Object.keys(badCron.body.fields)).toEqual(['schedule']);
    const badZone = await server.post('/api/automations', { name: 'x', schedule: '0 9 * * *', timeZone: 'Mars/Olympus', target: { kind: 'command', command: 'true' } });
    expect(badZone.body.fields.schedule ?? badZone.body.fields.timeZone).toMatch(/Mars\/Olympus/);
    const badKind = await server.post('/api/automations', { name: 'x', target: { kind: 'carrier-pigeon' } });
    expect(badKind.status).toBe(400);
    expect(Object.keys(badKind.body.fields)[0]).toMatch(/^target/);
    const noCommand = await server.post('/api/automations', { name: 'x', target: { kind: 'command' } });
    expect(noCommand.body.fields['target.command']).toBeDefined();
  });

  it('runs a shell command by hand in a fresh directory with its payload file, rendering variables shell-quoted', async () => {
    const auto = await automation({
      target: { kind: 'command', shell: true, command: 'echo {{vars.greeting}}; echo "$HOOKLINE_RUN_ID"; test -f "$WEBHOOK_PAYLOAD_PATH" && echo has-payload; pwd' },
    });
    const started = await server.post(`/api/automations/${auto.id}/run`, { vars: { greeting: "it's $(touch pwned) `id`" } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ trigger: 'manual', status: 'pending' });
    const run = await waitForRun(started.body.id);
    expect(run.status).toBe('succeeded');
    const lines = run.output.stdout.trim().split('\n');
    expect(lines[0]).toBe("it's $(touch pwned) `id`");
    expect(lines[1]).toBe(run.id);
    expect(lines[2]).toBe('has-payload');
    expect(lines[3]).toMatch(new RegExp(`runs/${run.id}$`));
    expect(run.rendered.command).toContain(`'it'\\''s $(touch pwned) \`id\`'`);
    expect(run.output.exitCode).toBe(0);

    const listed = await server.get(`/api/automations/${auto.id}/runs`);
    expect(listed.body.map((r: any) => r.id)).toEqual([run.id]);
  });

  it('records a failing command with its exit code and stderr, and a missing template value as a warning', async () => {
    const auto = await automation({ target: { kind: 'command', shell: true, command: 'echo [ {{vars.missing}} ] >&2; exit 3' } });
    const run = await waitForRun((await server.post(`/api/automations/${auto.id}/run`, {})).body.id);
    expect(run).toMatchObject({ status: 'failed', statusReason: 'exited with code 3' });
    expect(run.output.stderr).toBe("[  ]\n");
    expect(run.warnings).toEqual([expect.stringContaining('{{vars.missing}}')]);
  });

  it('skips a disabled automation with the reason', async () => {
    const auto = await automation({ enabled: false, target: { kind: 'command', command: 'true' } });
    const started = await server.post(`/api/automations/${auto.id}/run`, {});
    expect(started.body).toMatchObject({ status: 'skipped', statusReason: 'the automation is disabled' });
  });

  it('calls another system over HTTP with templated URL, headers and body, retrying a failure', async () => {
    const provider = await given(server).provider({ name: 'CI', matchScript: 'return request.headers["x-ci"] === "1"' });
    const auto = await automation({
      target: {
        kind: 'http',
        url: `${receiverUrl}/build/{{webhook.repository.name}}`,
        headers: { 'x-commit': '{{webhook.head_commit.id}}', 'content-type': 'application/json' },
        body: '{"ref": "{{webhook.ref}}", "message": "{{message.id}}"}',
        retries: 2,
      },
    });
    await given(server).fn({ providerId: provider.id, uri: 'ci/push', script: '', automationIds: [auto.id] });
    failFirst = 1;
    received.length = 0;
    const delivered = await server.webhook('ci/push', { ref: 'refs/heads/main', head_commit: { id: 'c0ffee' }, repository: { name: 'api' } }, { 'x-ci': '1', 'flex-sync-webhook': 'true' });
    expect(delivered.status).toBe(200);
    const triggered = delivered.body.functions[0].result.triggered;
    expect(triggered).toEqual([{ automation: auto.name, runId: expect.any(String), status: 'pending' }]);
    const run = await waitForRun(triggered[0].runId);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'function', messageId: delivered.body.messageId });
    // Each attempt is its own claim of the run; the failed one is kept in earlierAttempts.
    expect(run.earlierAttempts.map((a: any) => a.output.status)).toEqual([503]);
    expect(run.output.status).toBe(200);
    expect(run.retries).toBe(1);
    expect(run.output.preview).toBe('{"build":42}');
    expect(received).toHaveLength(2);
    expect(received[1]).toMatchObject({ method: 'POST', url: '/build/api', body: `{"ref": "refs/heads/main", "message": "${delivered.body.messageId}"}` });
    expect(received[1].headers['x-commit']).toBe('c0ffee');

    const message = (await server.get(`/api/messages/${delivered.body.messageId}`)).body;
    expect(message.trace.automations).toEqual([expect.objectContaining({ automationId: auto.id, runId: run.id })]);
  });

  it('percent-encodes values placed into an http URL, and takes a placeholder at its start as the base URL', async () => {
    const auto = await automation({
      target: { kind: 'http', method: 'GET', url: '{{vars.base}}/build/{{vars.repo}}?ref={{vars.ref}}&n=1', retries: 0 },
    });
    failFirst = 0;
    received.length = 0;
    const vars = { base: receiverUrl, repo: '../admin?x=1#frag', ref: 'a&admin=true b/é' };
    const run = await waitForRun((await server.post(`/api/automations/${auto.id}/run`, { vars })).body.id);
    expect(run.status).toBe('succeeded');
    expect(received.map((r) => r.url)).toEqual(['/build/..%2Fadmin%3Fx%3D1%23frag?ref=a%26admin%3Dtrue%20b%2F%C3%A9&n=1']);

    const badBase = await waitForRun((await server.post(`/api/automations/${auto.id}/run`, { vars: { ...vars, base: 'file:///etc' } })).body.id);
    expect(badBase).toMatchObject({
      status: 'failed',
      statusReason: '{{vars.base}} starts the URL, so it must be an absolute http or https URL (a base such as https://ci.example.com), but its value is "file:///etc"',
    });
    expect(received).toHaveLength(1);
  });

  it('does not retry a run that fails before anything starts, as no retry could change it', async () => {
    const http = await automation({ target: { kind: 'http', url: '{{vars.base}}/hooks' } });
    const command = await automation({ target: { kind: 'command', command: 'echo {{vars.flag}}' }, retry: { attempts: 3, delayMs: 50 } });
    expect(http.retry.attempts).toBeGreaterThan(0);
    const runs = [
      await waitForRun((await server.post(`/api/automations/${http.id}/run`, { vars: { base: 'ftp://x' } })).body.id, ['failed', 'dead']),
      await waitForRun((await server.post(`/api/automations/${command.id}/run`, { vars: { flag: '-rf' } })).body.id, ['failed', 'dead']),
    ];
    expect(runs.map((run) => [run.status, run.retries, run.statusReason])).toEqual([
      ['failed', 0, '{{vars.base}} starts the URL, so it must be an absolute http or https URL (a base such as https://ci.example.com), but its value is "ftp://x"'],
      ['failed', 0, 'the value of {{vars.flag}} starts with "-", so the program would read it as an option; nothing was run. Write {{vars.flag | option}} if an option is meant'],
    ]);
  });

  it('lets a script start a linked automation by name with variables, and refuses one that is not linked', async () => {
    const provider = await given(server).provider({ name: 'Scripted', matchScript: 'return request.headers["x-scripted"] === "1"' });
    const deploy = await automation({ name: 'deploy-it', target: { kind: 'command', command: 'echo deploying {{vars.env}} {{webhook.ref}}' } });
    const other = await automation({ name: 'not-linked', target: { kind: 'command', command: 'true' } });
    await given(server).fn({
      providerId: provider.id,
      uri: 'scripted',
      automationIds: [deploy.id],
      script: `const runId = await automations.trigger("deploy-it", { env: "prod" });
let refused = null;
try { await automations.trigger("${other.name}"); } catch (e) { refused = e.message; }
return { runId, refused };`,
    });
    const delivered = await server.webhook('scripted', { ref: 'refs/heads/main' }, { 'x-scripted': '1', 'flex-sync-webhook': 'true' });
    expect(delivered.status).toBe(200);
    const { runId, refused } = delivered.body.functions[0].result;
    expect(refused).toBe('no automation named "not-linked" is linked to this function');
    const run = await waitForRun(runId);
    expect(run).toMatchObject({ status: 'succeeded', vars: { env: 'prod' }, automationName: 'deploy-it' });
    expect(run.output.stdout).toBe('deploying prod refs/heads/main\n');
  });

  it('refuses to link a function to an automation that does not exist', async () => {
    const provider = await given(server).provider();
    const result = await server.post('/api/functions', { name: 'x', providerId: provider.id, uri: 'x', automationIds: ['5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10'] });
    expect(result.status).toBe(400);
    expect(result.body.fields.automationIds).toMatch(/name no automation/);
  });

  describe('tasks for runners', () => {
    it('hands each task to exactly one of several runners polling at once, and takes their results', async () => {
      const created = await server.post('/api/runners', { name: 'agent-a' });
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^hlr_/);
      expect((await server.get('/api/runners')).text).not.toContain(created.body.token);

      const auto = await automation({ target: { kind: 'task', name: 'Review {{vars.n}}', instructions: 'Look at {{webhook.payloadPath}}', params: { n: '{{vars.n}}' } } });
      const runIds: string[] = [];
      for (let n = 0; n < 6; n++) runIds.push((await server.post(`/api/automations/${auto.id}/run`, { vars: { n } })).body.id);
      for (const id of runIds) await waitForRun(id, ['running']);

      const runner = (token: string) => (method: string, path: string, body?: unknown) =>
        server.request(method, path, body, { auth: false, headers: { authorization: `Bearer ${token}` } });
      const a = runner(created.body.token);
      const b = runner(RUNNER_TOKEN);
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b)('POST', '/api/tasks/claim')));
      const tasks = claims.filter((c) => c.status === 200).map((c) => c.body);
      expect(claims.filter((c) => c.status === 204)).toHaveLength(2);
      expect(new Set(tasks.map((t) => t.id)).size).toBe(6);
      expect(tasks.map((t) => t.name).sort()).toEqual(['Review 0', 'Review 1', 'Review 2', 'Review 3', 'Review 4', 'Review 5']);

      const task = tasks[0];
      const owner = claims.findIndex((c) => c.body?.id === task.id) % 2 ? a : b;
      expect(task.instructions).toBe(`Look at ${server.url}/api/tasks/${task.id}/payload`);
      const payload = await owner('GET', `/api/tasks/${task.id}/payload`);
      expect(payload.status).toBe(200);
      const done = await owner('POST', `/api/tasks/${task.id}/complete`, { status: 'succeeded', output: { approved: true } });
      expect(done.status).toBe(200);
      const run = await waitForRun(task.runId);
      expect(run).toMatchObject({ status: 'succeeded', output: expect.objectContaining({ taskId: task.id, result: { approved: true } }) });
      expect((await owner('POST', `/api/tasks/${task.id}/complete`, { status: 'failed' })).status).toBe(409);

      // A runner's output is stored with NUL made storable, not refused as admin input would be.
      const second = tasks[1];
      const secondOwner = claims.findIndex((c) => c.body?.id === second.id) % 2 ? a : b;
      expect((await secondOwner('POST', `/api/tasks/${second.id}/complete`, { status: 'succeeded', output: { log: 'a\u0000b' } })).status).toBe(200);
      expect(await waitForRun(second.runId)).toMatchObject({ status: 'succeeded', output: expect.objectContaining({ result: { log: 'a\ufffdb' } }) });

      expect((await server.delete(`/api/runners/${created.body.id}`)).status).toBe(204);
      expect((await a('POST', '/api/tasks/claim')).status).toBe(401);
      expect((await server.request('POST', '/api/tasks/claim', undefined, { auth: false })).status).toBe(401);
      // An admin login is not a runner token.
      expect((await server.request('POST', '/api/tasks/claim', undefined, {})).status).toBe(401);
    });
  });

  it('fires a cron schedule on time, recorded with trigger schedule', async () => {
    const auto = await automation({ schedule: '* * * * * *', target: { kind: 'command', command: 'echo tick' } });
    expect(auto.nextRunAt).not.toBeNull();
    const deadline = Date.now() + 10_000;
    let runs: any[] = [];
    while (Date.now() < deadline && runs.length < 2) {
      runs = (await server.get(`/api/automations/${auto.id}/runs`)).body;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((r) => r.trigger === 'schedule')).toBe(true);
    await server.put(`/api/automations/${auto.id}`, { schedule: null });
    expect((await server.get(`/api/automations/${auto.id}`)).body.nextRunAt).toBeNull();
  });

  it('keeps a schedule across a restart: its next time is in the database', async () => {
    const auto = await automation({ schedule: '* * * * * *', target: { kind: 'command', command: 'true' } });
    const runsOf = async () => (await server.get(`/api/automations/${auto.id}/runs`)).body as any[];
    const waitForMore = async (count: number) => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (await runsOf()).length <= count) await new Promise((r) => setTimeout(r, 200));
      return runsOf();
    };
    const before = await waitForMore(0);
    await server.stop();
    await new Promise((r) => setTimeout(r, 1500));
    const restartedAt = Date.now();
    await server.launch();
    await server.login();
    const after = await waitForMore(before.length);
    await server.put(`/api/automations/${auto.id}`, { schedule: null });
    const fresh = after.filter((run) => new Date(run.createdAt).getTime() >= restartedAt);
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    expect(fresh.every((run) => run.trigger === 'schedule')).toBe(true);
  });
});
