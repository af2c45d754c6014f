import { randomUUID } from 'node:crypto';
import { signDelivery } from './support/signers';
import { given, TestServer } from './support/test-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const GITHUB_EXAMPLES: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples/api.github.com/index.json');

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const SECRET = 'metrics-webhook-secret';
const PROVIDER = 'GitHub metrics';

/** A real merged pull request delivery, as GitHub sends it. */
function mergedPullRequest(): string {
  const closed = GITHUB_EXAMPLES.find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'closed');
  return JSON.stringify({ ...closed, pull_request: { ...closed.pull_request, merged: true } });
}

/** The sum of the samples named `name` whose labels include every one of `labels`; 0 when there are none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) sum += Number(match[3]);
  }
  return sum;
}

describe('GET /metrics with HOOKLINE_METRICS_TOKEN', () => {
  let server: TestServer;
  let listenerUrl: string;

  const scrape = async (base = server.url): Promise<string> => {
    const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    if (response.status !== 200) throw new Error(`metrics: ${response.status} ${await response.text()}`);
    return response.text();
  };

  /** Scrapes until `check` holds on the text, or fails with the last value it saw. */
  const scrapeUntil = async (check: (text: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await scrape();
      if (check(text)) return text;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`metrics never showed ${what}:\n${text.split('\n').filter((line) => line.startsWith('hookline_')).join('\n')}`);
  };

  const deliver = (uri: string, body: string, secret: string | null, extra: Record<string, string> = {}) =>
    server.webhook(uri, body, {
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      ...(secret === null ? {} : signDelivery('github', { secret, body })),
      ...extra,
    });

  beforeAll(async () => {
    server = await TestServer.start({
      HOOKLINE_METRICS_TOKEN: METRICS_TOKEN,
      WEBHOOK_INGRESS_MODE: 'listener',
      WEBHOOK_INGRESS_PORT: '0',
      WEBHOOK_INGRESS_HOST: '127.0.0.1',
      // One worker and one local place: further async messages go to the shared queue at once.
      HOOKLINE_QUEUE_CONCURRENCY: '1',
      HOOKLINE_QUEUE_BACKLOG: '1',
      HOOKLINE_QUEUE_BACKLOG_WAIT: '20ms',
    });
    listenerUrl = /Webhook listener on (http:\/\/\S+)/.exec(server.logs)![1];
    const provider = await given(server).provider({
      name: PROVIDER,
      matchScript: 'return request.uri.startsWith("git/")',
      verification: { scheme: 'github', secret: SECRET },
    });
    await given(server).fn({ name: 'metrics-ok', providerId: provider.id, uri: 'git/ok', script: 'return request.json.pull_request.merged' });
    await given(server).fn({ name: 'metrics-fail', providerId: provider.id, uri: 'git/fail', script: 'throw new Error("no deploy today")' });
    // Busy for a while in its isolate, so that messages behind it wait in the queue.
    await given(server).fn({ name: 'metrics-slow', providerId: provider.id, uri: 'git/slow', timeoutMs: 20_000, script: 'const end = Date.now() + 1500; while (Date.now() < end) {} return 1' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers 401 without the token or with a wrong one, and the text format with it', async () => {
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(((await none.json()) as any).message).toMatch(/Authorization: Bearer <HOOKLINE_METRICS_TOKEN>/);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).message).toMatch(/token is wrong/);
    // An admin login is not the metrics token.
    const admin = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(admin.status).toBe(401);

    const right = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await right.text();
    expect(text).not.toContain(METRICS_TOKEN);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_total_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^# TYPE hookline_messages_total counter$/m);
    expect(text).toMatch(/^# TYPE hookline_function_duration_seconds histogram$/m);
  });

  it('asks for the token on the webhook-only listener too', async () => {
    expect((await fetch(`${listenerUrl}/metrics`)).status).toBe(401);
    expect(sample(await scrape(listenerUrl), 'hookline_queue_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts each message once at its final status, by provider, with its functions and the ingress latency', async () => {
    const before = await scrape();
    const ok = await deliver('git/ok', mergedPullRequest(), SECRET, { 'flex-sync-webhook': 'true' });
    expect(ok.status).toBe(200);
    expect(ok.body.functions[0].result).toBe(true);
    const failed = await deliver('git/fail', mergedPullRequest(), SECRET, { 'flex-sync-webhook': 'true' });
    expect(failed.status).toBe(500);
    const nobody = await deliver('elsewhere/hook', mergedPullRequest(), SECRET);
    expect(nobody.body.status).toBe('no_provider');

    const delta = (text: string, name: string, labels: Record<string, string>) => sample(text, name, labels) - sample(before, name, labels);
    const after = await scrapeUntil((text) => delta(text, 'hookline_messages_total', { provider: 'none' }) === 1, 'the no_provider message');
    expect(delta(after, 'hookline_messages_total', { provider: PROVIDER, status: 'processed' })).toBe(1);
    expect(delta(after, 'hookline_messages_total', { provider: PROVIDER, status: 'failed' })).toBe(1);
    expect(delta(after, 'hookline_messages_total', { provider: 'none', status: 'no_provider' })).toBe(1);
    // Nothing is counted while queued or processing.
    expect(delta(after, 'hookline_messages_total', { status: 'queued' }) + delta(after, 'hookline_messages_total', { status: 'processing' })).toBe(0);
    expect(delta(after, 'hookline_function_duration_seconds_count', { function: 'metrics-ok', outcome: 'succeeded' })).toBe(1);
    expect(delta(after, 'hookline_function_duration_seconds_count', { function: 'metrics-fail', outcome: 'failed' })).toBe(1);
    expect(delta(after, 'hookline_ingress_duration_seconds_count', { mode: 'sync' })).toBe(2);
    expect(delta(after, 'hookline_ingress_duration_seconds_count', { mode: 'async' })).toBe(1);
  });

  it('counts signatures refused by scheme and kind of failure, never with the signature itself', async () => {
    const before = await scrape();
    const wrongSecret = await deliver('git/ok', mergedPullRequest(), 'not-the-secret');
    expect(wrongSecret.status).toBe(401);
    const unsigned = await deliver('git/ok', mergedPullRequest(), null);
    expect(unsigned.status).toBe(401);

    const after = await scrapeUntil(
      (text) => sample(text, 'hookline_messages_total', { status: 'unauthorized' }) - sample(before, 'hookline_messages_total', { status: 'unauthorized' }) === 2,
      'two unauthorized messages',
    );
    const delta = (labels: Record<string, string>) => sample(after, 'hookline_signature_failures_total', labels) - sample(before, 'hookline_signature_failures_total', labels);
    expect(delta({ scheme: 'github', reason: 'mismatch' })).toBe(1);
    expect(delta({ scheme: 'github', reason: 'missing' })).toBe(1);
    expect(sample(after, 'hookline_messages_total', { provider: PROVIDER, status: 'unauthorized' }) - sample(before, 'hookline_messages_total', { provider: PROVIDER, status: 'unauthorized' })).toBe(2);
    // Reasons come from a fixed set, whatever the schemes' own wording.
    const reasons = [...after.matchAll(/^hookline_signature_failures_total\{.*reason="([^"]*)".*\} /gm)].map((m) => m[1]);
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    for (const reason of reasons) expect(['missing', 'malformed', 'mismatch', 'stale', 'no_secret', 'misconfigured', 'other']).toContain(reason);
    expect(after).not.toContain(SECRET);
  });

  it('counts an automation run by target kind and outcome', async () => {
    const before = await scrape();
    const auto = (await server.post('/api/automations', { name: 'metrics-noop', target: { kind: 'command', command: 'true' } })).body;
    const broken = (await server.post('/api/automations', { name: 'metrics-false', target: { kind: 'command', command: 'false' } })).body;
    expect((await server.post(`/api/automations/${auto.id}/run`, {})).status).toBe(202);
    expect((await server.post(`/api/automations/${broken.id}/run`, {})).status).toBe(202);
    const delta = (text: string, outcome: string) =>
      sample(text, 'hookline_automation_runs_total', { kind: 'command', outcome }) - sample(before, 'hookline_automation_runs_total', { kind: 'command', outcome });
    const after = await scrapeUntil((text) => delta(text, 'succeeded') === 1 && delta(text, 'failed') === 1, 'a succeeded and a failed command run');
    expect(delta(after, 'dead')).toBe(0);
  });

  it('shows the queue depth and the oldest message’s wait while messages queue behind a busy worker', async () => {
    const before = await scrape();
    // Signed first (each signature takes a child process), then sent together.
    const body = mergedPullRequest();
    const signed = signDelivery('github', { secret: SECRET, body });
    const sent = await Promise.all(
      [1, 2, 3, 4].map(() => server.webhook('git/slow', body, { 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), ...signed })),
    );
    expect(sent.map((result) => result.status)).toEqual([202, 202, 202, 202]);

    const busy = await scrapeUntil((text) => sample(text, 'hookline_queue_messages', { state: 'queued' }) >= 2, 'two queued messages');
    expect(sample(busy, 'hookline_queue_messages', { state: 'processing' })).toBeGreaterThanOrEqual(1);
    expect(sample(busy, 'hookline_sandbox_isolates_in_use', { pool: 'function' })).toBeGreaterThanOrEqual(1);
    // The oldest queued message has waited since it was written: the gauge grows while it waits.
    await scrapeUntil((text) => sample(text, 'hookline_queue_oldest_age_seconds') > 0.5, 'the oldest wait growing');

    for (const result of sent) await server.waitForMessage(result.body.messageId, ['processed'], 30_000);
    const done = await scrapeUntil((text) => sample(text, 'hookline_queue_messages', { state: 'queued' }) === 0, 'an empty queue');
    expect(sample(done, 'hookline_queue_oldest_age_seconds')).toBe(0);
    const processed = (text: string) => sample(text, 'hookline_messages_total', { provider: PROVIDER, status: 'processed' });
    expect(processed(done) - processed(before)).toBe(4);
    expect(sample(done, 'hookline_function_duration_seconds_count', { function: 'metrics-slow' }) - sample(before, 'hookline_function_duration_seconds_count', { function: 'metrics-slow' })).toBe(4);
  });
});

describe('GET /metrics without a token', () => {
  let server: TestServer;
  let listenerUrl: string;

  beforeAll(async () => {
    server = await TestServer.start({ WEBHOOK_INGRESS_MODE: 'listener', WEBHOOK_INGRESS_PORT: '0', WEBHOOK_INGRESS_HOST: '127.0.0.1' });
    listenerUrl = /Webhook listener on (http:\/\/\S+)/.exec(server.logs)![1];
  });

  afterAll(async () => {
    await server.close();
  });

  it('is served on neither port, and both say how to turn it on', async () => {
    for (const url of [server.url, listenerUrl]) {
      const answer = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } });
      expect(answer.status).toBe(404);
      const { message } = (await answer.json()) as { message: string };
      expect(message).toMatch(/^Metrics are off: set HOOKLINE_METRICS_TOKEN/);
      expect((await fetch(`${url}/metrics`)).status).toBe(404);
    }
  });

  it('is described in the OpenAPI document with its own token', async () => {
    const docs = await server.get('/api/docs');
    expect(docs.body.paths['/metrics'].get.security).toEqual([{ metricsToken: [] }]);
  });
});
