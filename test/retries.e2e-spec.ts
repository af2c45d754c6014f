import { createServer, type Server } from 'node:http';
import { given, TestServer } from './support/test-server';

const RUNNER_TOKEN = 'retries-runner-token-0123456789abcdef';

/**
 * Durable retries: a local upstream answers 500 for as many calls per key as the test says
 * (`failuresLeft`), then 200; alerts posted by failure-event automations land in `alerts`.
 */
describe('retries and the dead state', () => {
  let server: TestServer;
  let upstream: Server;
  let upstreamUrl = '';
  const failuresLeft = new Map<string, number>();
  const calls = new Map<string, number>();
  const alerts: Array<{ url: string; body: string }> = [];
  const fast = { delayMs: 50, maxDelayMs: 200 };

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const url = req.url ?? '';
        if (url.startsWith('/alerts')) {
          alerts.push({ url, body });
          res.end('ok');
          return;
        }
        const key = url.replace(/^\/flaky\//, '');
        calls.set(key, (calls.get(key) ?? 0) + 1);
        const left = failuresLeft.get(key) ?? 0;
        if (left > 0) failuresLeft.set(key, left - 1);
        res.statusCode = left > 0 ? 500 : 200;
        res.end(left > 0 ? 'down' : 'up');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    upstreamUrl = `http://127.0.0.1:${port}`;
    server = await TestServer.start({ HOOKLINE_SCRIPT_HTTP_ALLOW: `127.0.0.1:${port}`, HOOKLINE_RUNNER_TOKEN: RUNNER_TOKEN });
  });

  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  /** A function that throws while the upstream answers 500 for its key. */
  const flakyScript = (key: string) => `const r = await http.fetch("${upstreamUrl}/flaky/${key}"); if (!r.ok) throw new Error("upstream answered " + r.status); return "done";`;

  async function automation(fields: Record<string, unknown>) {
    const result = await server.post('/api/automations', { name: `auto-${Math.random().toString(36).slice(2, 8)}`, ...fields });
    if (result.status !== 201) throw new Error(`automation: ${result.status} ${result.text}`);
    return result.body;
  }

  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T = await read();
    while (!done(last)) {
      if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 100));
      last = await read();
    }
    return last;
  }

  const waitForRun = (id: string, statuses: string[]) =>
    waitFor(async () => (await server.get(`/api/runs/${id}`)).body, (run) => statuses.includes(run.status), `run ${id}`);

  it('retries a failed function in the background until it succeeds, running only the one that failed', async () => {
    const provider = await given(server).provider({ name: 'Flaky', matchScript: 'return request.headers["x-flaky"] === "1"' });
    const flaky = await given(server).fn({ providerId: provider.id, uri: 'retry/ok', script: flakyScript('fn-ok'), retry: { attempts: 3, ...fast } });
    const steady = await given(server).fn({ providerId: provider.id, uri: 'retry/ok', script: flakyScript('fn-steady') });
    expect(flaky.retry).toEqual({ attempts: 3, ...fast });
    expect(steady.retry).toMatchObject({ attempts: 0 });
    failuresLeft.set('fn-ok', 2);

    const answered = await server.webhook('retry/ok', { n: 1 }, { 'x-flaky': '1', 'flex-sync-webhook': 'true' });
    expect(answered.status).toBe(500);
    const message = await server.waitForMessage(answered.body.messageId, ['processed', 'dead', 'failed']);

    expect(message.status).toBe('processed');
    const flakyRuns = message.trace.functions.filter((r: any) => r.functionId === flaky.id);
    expect(flakyRuns.map((r: any) => [r.attempt, r.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'succeeded'],
    ]);
    expect(flakyRuns[0].error.message).toBe('Error: upstream answered 500');
    expect(message.trace.functions.filter((r: any) => r.functionId === steady.id).map((r: any) => r.status)).toEqual(['succeeded']);
    expect(calls.get('fn-steady')).toBe(1);
    expect(calls.get('fn-ok')).toBe(3);
    expect(message.trace.retries).toBe(2);
    expect(message.trace.interruptedAttempts).toBeUndefined();
  });

  it('marks a message dead when its attempts run out; the filter finds it and a resubmit brings it back', async () => {
    const provider = await given(server).provider({ name: 'Doomed', matchScript: 'return request.headers["x-doomed"] === "1"' });
    const doomed = await given(server).fn({ name: 'doomed-fn', providerId: provider.id, uri: 'retry/dead', script: flakyScript('fn-dead'), retry: { attempts: 1, ...fast } });
    const alert = await automation({
      events: ['message.dead'],
      target: { kind: 'http', url: `${upstreamUrl}/alerts/message`, body: '{{vars.event}} {{vars.message.id}} {{vars.message.functions}}: {{vars.message.reason}}' },
    });
    expect(alert.events).toEqual(['message.dead']);
    failuresLeft.set('fn-dead', 100);

    const accepted = await server.webhook('retry/dead', { n: 2 }, { 'x-doomed': '1' });
    expect(accepted.status).toBe(202);
    const id = accepted.body.messageId;
    const dead = await server.waitForMessage(id, ['dead', 'processed', 'failed']);
    expect(dead.status).toBe('dead');
    expect(dead.statusReason).toBe('doomed-fn failed 2 times: Error: upstream answered 500');
    expect(dead.trace.functions.map((r: any) => [r.functionId, r.attempt, r.status])).toEqual([
      [doomed.id, 1, 'failed'],
      [doomed.id, 2, 'failed'],
    ]);

    const listed = await server.get('/api/messages?status=dead');
    expect(listed.body.items.map((m: any) => m.id)).toContain(id);
    expect(listed.body.items.every((m: any) => m.status === 'dead')).toBe(true);

    const posted = await waitFor(async () => alerts.filter((a) => a.url === '/alerts/message'), (found) => found.length > 0, 'message.dead alert');
    expect(posted[0].body).toBe(`message.dead ${id} doomed-fn: doomed-fn failed 2 times: Error: upstream answered 500`);

    failuresLeft.set('fn-dead', 0);
    const again = await server.post(`/api/messages/${id}/resubmit`, {});
    expect(again.status).toBe(202);
    const copy = await server.waitForMessage(again.body.messageId, ['processed', 'dead', 'failed']);
    expect(copy).toMatchObject({ status: 'processed', resubmittedFrom: id });
    const original = (await server.get(`/api/messages/${id}`)).body;
    expect(original.status).toBe('dead');
    expect(original.trace.resubmittedAs).toEqual([again.body.messageId]);
  });

  it('keeps a scheduled retry across a restart and makes it afterwards', async () => {
    const provider = await given(server).provider({ name: 'Restart', matchScript: 'return request.headers["x-restart"] === "1"' });
    // A fixed 3 s wait (delay = maximum) leaves the test time to stop the server before the retry is due.
    const fn = await given(server).fn({ providerId: provider.id, uri: 'retry/restart', script: flakyScript('fn-restart'), retry: { attempts: 1, delayMs: 3000, maxDelayMs: 3000 } });
    failuresLeft.set('fn-restart', 1);
    const accepted = await server.webhook('retry/restart', { n: 3 }, { 'x-restart': '1' });
    const id = accepted.body.messageId;
    const waiting = await waitFor(async () => (await server.get(`/api/messages/${id}`)).body, (m) => m.nextAttemptAt !== null && m.nextAttemptAt !== undefined, 'retry scheduled');
    expect(waiting.status).toBe('queued');
    await server.stop();
    await server.launch();
    await server.login();

    const message = await server.waitForMessage(id, ['processed', 'dead', 'failed']);
    expect(message.status).toBe('processed');
    expect(message.nextAttemptAt).toBeNull();
    const records = message.trace.functions.filter((r: any) => r.functionId === fn.id);
    expect(records.map((r: any) => r.status)).toEqual(['failed', 'succeeded']);
    expect(Date.parse(records[1].startedAt)).toBeGreaterThanOrEqual(Date.parse(waiting.nextAttemptAt));
    expect(calls.get('fn-restart')).toBe(2);
  });

  it('retries an http automation that answered 500 in a later attempt, keeping the earlier one', async () => {
    const auto = await automation({ target: { kind: 'http', url: `${upstreamUrl}/flaky/run-ok` }, retry: { attempts: 2, ...fast } });
    expect(auto.retry).toEqual({ attempts: 2, ...fast });
    failuresLeft.set('run-ok', 1);
    const started = await server.post(`/api/automations/${auto.id}/run`, {});
    const run = await waitForRun(started.body.id, ['succeeded', 'dead', 'failed']);
    expect(run.status).toBe('succeeded');
    expect(run.output.status).toBe(200);
    expect(run.retries).toBe(1);
    expect(run.earlierAttempts).toEqual([expect.objectContaining({ statusReason: 'HTTP 500', output: expect.objectContaining({ status: 500 }) })]);
    expect(calls.get('run-ok')).toBe(2);
  });

  it('sends a dead run to an automation linked to run.dead, and brings the run back on retry', async () => {
    const failing = await automation({ name: 'nightly-export', target: { kind: 'http', url: `${upstreamUrl}/flaky/run-dead` }, retry: { attempts: 1, ...fast } });
    await automation({
      events: ['run.dead'],
      target: { kind: 'http', url: `${upstreamUrl}/alerts/run`, body: '{"text": "{{vars.run.automationName}} run {{vars.run.id}} is {{vars.run.status}}: {{vars.run.error}}"}' },
    });
    failuresLeft.set('run-dead', 100);
    const started = await server.post(`/api/automations/${failing.id}/run`, {});
    const run = await waitForRun(started.body.id, ['succeeded', 'dead', 'failed']);
    expect(run.status).toBe('dead');
    expect(run.statusReason).toBe('HTTP 500');
    expect(run.earlierAttempts).toHaveLength(1);

    const listed = await server.get(`/api/runs?status=dead&automationId=${failing.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: any) => r.id)).toEqual([run.id]);

    const posted = await waitFor(async () => alerts.filter((a) => a.url === '/alerts/run'), (found) => found.length > 0, 'run.dead alert');
    expect(JSON.parse(posted[0].body)).toEqual({ text: `nightly-export run ${run.id} is dead: HTTP 500` });

    failuresLeft.set('run-dead', 0);
    const retried = await server.post(`/api/runs/${run.id}/retry`, {});
    expect(retried.status).toBe(202);
    expect(retried.body.status).toBe('pending');
    const back = await waitForRun(run.id, ['succeeded', 'dead', 'failed']);
    expect(back.status).toBe('succeeded');
    expect(back.earlierAttempts.map((a: any) => a.statusReason)).toEqual(['HTTP 500', 'HTTP 500']);

    const refused = await server.post(`/api/runs/${run.id}/retry`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/succeeded/);
  });

  it('retries dead runs in bulk by filter', async () => {
    const failing = await automation({ target: { kind: 'http', url: `${upstreamUrl}/flaky/run-bulk` }, retry: { attempts: 0 } });
    failuresLeft.set('run-bulk', 2);
    const ids: string[] = [];
    for (let n = 0; n < 2; n++) ids.push((await server.post(`/api/automations/${failing.id}/run`, {})).body.id);
    for (const id of ids) expect((await waitForRun(id, ['succeeded', 'dead', 'failed'])).status).toBe('failed');
    const counted = await server.post('/api/runs/retry', { automationId: failing.id, dryRun: true, limit: 1 });
    expect(counted.status).toBe(200);
    expect(counted.body).toEqual({ dryRun: true, matching: 2, count: 1, limit: 1 });
    for (const id of ids) expect((await server.get(`/api/runs/${id}`)).body.status).toBe('failed');
    expect((await server.post('/api/runs/retry', { automationId: failing.id, dryRun: 'yes' })).body.fields).toEqual({ dryRun: 'must be true or false' });
    const bulk = await server.post('/api/runs/retry', { status: 'failed', automationId: failing.id });
    expect(bulk.status).toBe(202);
    expect(bulk.body.count).toBe(2);
    for (const id of ids) expect((await waitForRun(id, ['succeeded', 'dead', 'failed'])).status).toBe('succeeded');
    const everything = await server.post('/api/runs/retry', {});
    expect(everything.status).toBe(400);
  });

  it('does not raise failure events about a run that a failure event started', async () => {
    const alerting = await automation({ events: ['run.failed'], target: { kind: 'http', url: `${upstreamUrl}/flaky/alert-down` }, retry: { attempts: 0 } });
    const failing = await automation({ target: { kind: 'command', shell: true, command: 'exit 3' } });
    failuresLeft.set('alert-down', 100);
    const started = await server.post(`/api/automations/${failing.id}/run`, {});
    expect((await waitForRun(started.body.id, ['succeeded', 'dead', 'failed'])).statusReason).toBe('exited with code 3');
    const alertRuns = await waitFor(async () => (await server.get(`/api/automations/${alerting.id}/runs`)).body, (runs: any[]) => runs.some((r) => r.status === 'failed'), 'alert run');
    expect(alertRuns).toHaveLength(1);
    expect(alertRuns[0]).toMatchObject({ trigger: 'event', vars: expect.objectContaining({ event: 'run.failed' }) });
    // A second failure of the watched automation: exactly one more alert run, none about the alert's own failure.
    await server.post(`/api/automations/${failing.id}/run`, {});
    const after = await waitFor(async () => (await server.get(`/api/automations/${alerting.id}/runs`)).body, (runs: any[]) => runs.filter((r) => r.status === 'failed').length === 2, 'second alert run');
    expect(after).toHaveLength(2);
  });

  it('gives a task run whose runner reported failure a new task when its policy allows a retry', async () => {
    const auto = await automation({ target: { kind: 'task', name: 'Rotate keys' }, retry: { attempts: 1, ...fast } });
    expect(auto.retry.attempts).toBe(1);
    const started = await server.post(`/api/automations/${auto.id}/run`, {});
    await waitForRun(started.body.id, ['running']);
    const runner = (method: string, path: string, body?: unknown) => server.request(method, path, body, { auth: false, headers: { authorization: `Bearer ${RUNNER_TOKEN}` } });
    const claimTask = () => waitFor(() => runner('POST', '/api/tasks/claim'), (claimed) => claimed.status === 200, 'a task to claim');
    const first = (await claimTask()).body;
    expect((await runner('POST', `/api/tasks/${first.id}/complete`, { status: 'failed', output: { why: 'disk full' } })).status).toBe(200);
    const second = (await claimTask()).body;
    expect(second.id).not.toBe(first.id);
    expect(second.runId).toBe(started.body.id);
    expect((await runner('POST', `/api/tasks/${second.id}/complete`, { status: 'succeeded' })).status).toBe(200);
    const run = await waitForRun(started.body.id, ['succeeded', 'dead', 'failed']);
    expect(run.status).toBe('succeeded');
    expect(run.earlierAttempts).toEqual([expect.objectContaining({ statusReason: 'runner HOOKLINE_RUNNER_TOKEN reported failure', output: expect.objectContaining({ result: { why: 'disk full' } }) })]);
  });

  it('names the bad field of a retry policy or an event link', async () => {
    const provider = await given(server).provider({ name: 'Checks' });
    const badFn = await server.post('/api/functions', { name: 'x', providerId: provider.id, uri: 'x', retry: { attempts: -1, delayMs: 'soon' } });
    expect(badFn.status).toBe(400);
    expect(badFn.body.fields['retry.attempts']).toBe('must be at least 0');
    expect(badFn.body.fields['retry.delayMs']).toBe('must be a whole number of milliseconds');
    const badEvent = await server.post('/api/automations', { name: 'x', events: ['message.exploded'], target: { kind: 'command', command: 'true' } });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.fields['events.0']).toMatch(/message.failed, message.dead, run.failed, run.dead/);
    const badFilter = await server.get('/api/runs?status=sleeping');
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.fields.status).toMatch(/dead/);
  });
});
