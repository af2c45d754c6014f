import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUILTIN_SCHEMES } from '../libs/providers/src';
import { SentSecrets } from './support/server-logs';
import { signDelivery } from './support/signers';
import { ADMIN_PASSWORD, given, TestServer } from './support/test-server';

// Several servers, each driven through many requests, on a machine shared with other runs.
jest.setTimeout(240_000);

/** Every scheme that checks a credential: signed by the sender's library where test/support/sign.mjs has one. */
const SCHEMES = ['github', 'github-sha1', 'bitbucket', 'svix', 'standard-webhooks', 'gitlab-signing', 'stripe', 'slack', 'generic-hmac', 'gitlab-token', 'bearer', 'basic', 'azure-devops', 'custom-hmac'];
/** custom-hmac laid out as Shopify sends it. */
const SHOPIFY_LAYOUT = { algorithm: 'sha256', header: 'X-Shopify-Hmac-Sha256', format: 'base64', signedContent: '{body}' };

function sign(scheme: string, secret: string, body: string): Record<string, string> {
  if (scheme !== 'custom-hmac') return signDelivery(scheme, { secret, body });
  return { 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64') };
}
const RUNNER_TOKEN = 'runner-token-from-env-0123456789abcdef';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SENDER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One local HTTP server standing in for the systems automations and scripts call, and for an OpenTelemetry collector. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitFor<T>(what: string, read: () => T | Promise<T>, isDone: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`waited in vain for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The server's output as records; fails on any line that is not one JSON object. */
function records(output: string): Array<Record<string, any>> {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, any>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status: { code: number };
}

function spansOf(received: Received[]): OtlpSpan[] {
  return received
    .filter((request) => request.path === '/otel/v1/traces')
    .flatMap((request) => JSON.parse(request.body).resourceSpans.flatMap((resource: any) => resource.scopeSpans.flatMap((scope: any) => scope.spans)));
}

describe('structured logs', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: TestServer;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await TestServer.start({
      HOOKLINE_LOG_FORMAT: 'json',
      HOOKLINE_LOG_LEVEL: 'debug',
      HOOKLINE_RUNNER_TOKEN: RUNNER_TOKEN,
      HOOKLINE_SCRIPT_HTTP_ALLOW: new URL(receiver.url).host,
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/otel`,
      OTEL_SERVICE_NAME: 'hookline-under-test',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=collector%20key%201',
    });
  });

  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('writes only JSON lines, with the message fields on every line about a message, and no credential of any kind', async () => {
    expect([...SCHEMES].sort()).toEqual(BUILTIN_SCHEMES.map((scheme) => scheme.name).filter((name) => name !== 'none').sort());
    const secrets: string[] = [ADMIN_PASSWORD, RUNNER_TOKEN, server.token];
    const sent: Array<{ scheme: string; messageId: string; providerId: string }> = [];
    for (const scheme of SCHEMES) {
      // The Standard Webhooks family (Svix, GitLab's signing) takes a base64 key after whsec_; basic, user:password.
      const random = randomBytes(24).toString('base64');
      const secret = ['svix', 'standard-webhooks', 'gitlab-signing'].includes(scheme) ? `whsec_${random}` : scheme === 'basic' ? `sender:${random}` : `${scheme}-secret-${random}`;
      const propertySecret = `property-secret-${scheme}-${Math.random().toString(36).slice(2, 10)}`;
      secrets.push(secret, propertySecret);
      const provider = await given(server).provider({
        name: `logs-${scheme}`,
        matchScript: `return request.headers["x-scheme"] === "${scheme}"`,
        verification: { scheme, secret, ...(scheme === 'custom-hmac' && { options: SHOPIFY_LAYOUT }) },
        secretProperties: { apiKey: propertySecret },
      });
      await given(server).fn({ providerId: provider.id, uri: `logs/${scheme}`, script: 'log.info("ran"); return "ok"' });
      const body = JSON.stringify({ scheme, n: 1 });
      const signed = sign(scheme, secret, body);
      secrets.push(...Object.entries(signed).filter(([name]) => !/-(id|timestamp)$/.test(name)).map(([, value]) => value));
      const delivered = await server.webhook(`logs/${scheme}`, body, { 'x-scheme': scheme, ...signed });
      expect([delivered.status, scheme]).toEqual([202, scheme]);
      sent.push({ scheme, messageId: delivered.body.messageId, providerId: provider.id });
    }
    for (const { messageId, scheme } of sent) {
      const message = await server.waitForMessage(messageId, ['processed', 'failed']);
      expect([scheme, message.status, message.trace.verification.ok]).toEqual([scheme, 'processed', true]);
    }

    // A session cookie, a runner token and a new password on the way as well.
    const login = await server.request('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, { auth: false });
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    secrets.push(cookie.split('=')[1]);
    expect((await server.request('GET', '/api/auth/me', undefined, { auth: false, headers: { cookie } })).body.user.username).toBe('admin');
    const runner = await server.post('/api/runners', { name: 'log-runner' });
    secrets.push(runner.body.token);
    for (const token of [runner.body.token, RUNNER_TOKEN]) {
      expect((await server.request('POST', '/api/tasks/claim', {}, { auth: false, headers: { authorization: `Bearer ${token}` } })).status).toBeLessThan(300);
    }
    expect((await server.request('POST', '/api/auth/login', { username: 'admin', password: 'wrong-password-77' }, { auth: false })).status).toBe(401);
    secrets.push('wrong-password-77');

    await server.stop();
    const lines = records(server.rawLogs);
    for (const line of lines) expect(line).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }));
    for (const { messageId, providerId, scheme } of sent) {
      const about = lines.filter((line) => line.messageId === messageId);
      const ran = about.find((line) => /^Function ".+" succeeded/.test(line.msg));
      expect([scheme, ran]).toEqual([scheme, expect.objectContaining({ providerId, functionId: expect.any(String), traceId: messageId.replace(/-/g, '') })]);
      // Identified before the provider was known; every later line carries it.
      expect(about.filter((line) => line.providerId !== providerId).map((line) => line.msg)).toEqual([]);
      expect(lines.some((line) => line.context === 'HTTP' && line.path === `/webhooks/logs/${scheme}` && line.status === 202)).toBe(true);
    }
    const text = server.rawLogs;
    for (const secret of secrets) expect([secret, text.includes(secret)]).toEqual([secret, false]);
    await server.launch();
    await server.login();
  });

  it('passes the inbound trace on to an http automation and to http.fetch, and a script-set traceparent wins', async () => {
    receiver.received.length = 0;
    const provider = await given(server).provider({ matchScript: 'return request.headers["x-trace-test"] === "1"' });
    const automation = await server.post('/api/automations', { name: 'traced-call', target: { kind: 'http', method: 'POST', url: `${receiver.url}/automation`, retries: 0 } });
    expect(automation.status).toBe(201);
    await given(server).fn({
      providerId: provider.id,
      uri: 'traced/push',
      automationIds: [automation.body.id],
      script: `
        await http.fetch("${receiver.url}/fetched");
        await http.fetch("${receiver.url}/own", { headers: { traceparent: "00-11111111111111111111111111111111-2222222222222222-01" } });
        await automations.trigger("traced-call", {});
        return "ok";`,
    });
    const delivered = await server.webhook('traced/push', { a: 1 }, { 'x-trace-test': '1', traceparent: `00-${TRACE_ID}-${SENDER_SPAN}-01`, 'flex-sync-webhook': 'true' });
    expect(delivered.status).toBe(200);
    const messageId: string = delivered.body.messageId;
    await waitFor('the automation call', () => receiver.received.find((r) => r.path === '/automation'), (found) => found !== undefined);

    const fetched = receiver.received.find((r) => r.path === '/fetched')!;
    const called = receiver.received.find((r) => r.path === '/automation')!;
    const [, fetchTrace, fetchSpan] = TRACEPARENT.exec(String(fetched.headers.traceparent)) ?? [];
    const [, callTrace, callSpan] = TRACEPARENT.exec(String(called.headers.traceparent)) ?? [];
    expect([fetchTrace, callTrace]).toEqual([TRACE_ID, TRACE_ID]);
    expect(new Set([fetchSpan, callSpan, SENDER_SPAN]).size).toBe(3);
    expect(receiver.received.find((r) => r.path === '/own')!.headers.traceparent).toBe('00-11111111111111111111111111111111-2222222222222222-01');

    // Spans reach the collector in a batch, with the collector's headers and the service name.
    const spans = await waitFor('the spans', () => spansOf(receiver.received), (all) => all.some((span) => span.name === 'HTTP POST'));
    const export1 = receiver.received.find((r) => r.path === '/otel/v1/traces')!;
    expect(export1.headers['x-collector-key']).toBe('collector key 1');
    expect(JSON.parse(export1.body).resourceSpans[0].resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'hookline-under-test' } });
    const ours = spans.filter((span) => span.traceId === TRACE_ID);
    const named = (name: string) => ours.find((span) => span.name === name)!;
    const ingress = named('POST /webhooks/traced/push');
    expect(ingress).toMatchObject({ kind: 2, parentSpanId: SENDER_SPAN, status: { code: 1 } });
    expect(ingress.attributes).toContainEqual({ key: 'hookline.message.id', value: { stringValue: messageId } });
    const processing = named('process message');
    expect(processing.parentSpanId).toBe(ingress.spanId);
    expect(ours.find((span) => span.name.startsWith('function '))!.parentSpanId).toBe(processing.spanId);
    expect(ours.filter((span) => span.name === 'http.fetch GET').map((span) => span.spanId)).toContain(fetchSpan);
    const run = named('automation traced-call');
    expect(run.parentSpanId).toBe(ingress.spanId);
    expect(named('HTTP POST')).toMatchObject({ kind: 3, spanId: callSpan, parentSpanId: run.spanId });
  });

  it('starts a trace of its own for a webhook without traceparent: the message id', async () => {
    receiver.received.length = 0;
    const provider = await given(server).provider({ matchScript: 'return request.headers["x-trace-test"] === "2"' });
    await given(server).fn({ providerId: provider.id, uri: 'untraced/push', script: `await http.fetch("${receiver.url}/fetched"); return "ok"` });
    const delivered = await server.webhook('untraced/push', { a: 1 }, { 'x-trace-test': '2', traceparent: 'not-a-traceparent', 'flex-sync-webhook': 'true' });
    expect(delivered.status).toBe(200);
    const fetched = receiver.received.find((r) => r.path === '/fetched')!;
    expect(TRACEPARENT.exec(String(fetched.headers.traceparent))?.[1]).toBe(delivered.body.messageId.replace(/-/g, ''));
  });
});

describe('pretty logs and an absent collector', () => {
  it('prints readable lines, keeps the start-up lines as they were, and answers webhooks while spans cannot be sent', async () => {
    // A port that was just free and is closed again: nothing listens there.
    const closed = await startReceiver();
    await closed.close();
    const server = await TestServer.start({ HOOKLINE_LOG_FORMAT: 'pretty', OTEL_EXPORTER_OTLP_ENDPOINT: closed.url });
    try {
      expect(server.rawLogs).toMatch(/^Listening on http:\/\/127\.0\.0\.1:\d+ \(roles: ingress, worker, scheduler; database: /m);
      expect(server.rawLogs).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Auth\] Created user "admin" with the password from HOOKLINE_ADMIN_PASSWORD$/m);
      expect(server.rawLogs.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
      const provider = await given(server).provider({ matchScript: 'return true' });
      await given(server).fn({ providerId: provider.id, uri: 'down/push', script: 'return "ok"' });
      for (let i = 0; i < 3; i++) {
        const delivered = await server.webhook('down/push', { i }, { 'flex-sync-webhook': 'true' });
        expect(delivered.status).toBe(200);
      }
      await server.waitForLog(/WARN: \[Tracing\] Could not send \d+ span\(s\) to http:\/\/127\.0\.0\.1:\d+\/v1\/traces, dropped them/, 30_000);
    } finally {
      await server.close();
    }
  });
});

describe('the check every test server gets at close()', () => {
  it('finds a sent signature, bearer token or cookie in any line of the output, and nothing else', () => {
    const sent = new SentSecrets();
    sent.headers({ 'x-hub-signature-256': 'sha256=0123456789abcdef0123456789abcdef', authorization: 'Bearer token-abcdefgh-123', 'x-request-id': 'not-a-secret-at-all' });
    sent.add('cookie-value-xyz123');
    const output = ['{"msg":"fine"}', '{"msg":"sig 0123456789abcdef0123456789abcdef"}', 'token-abcdefgh-123 in a stack', '{"msg":"not-a-secret-at-all"}', 'cookie-value-xyz123'].join('\n');
    expect(sent.leaks(output).map((leak) => leak.split(' in: ')[1])).toEqual([
      '{"msg":"sig 0123456789abcdef0123456789abcdef"}',
      'token-abcdefgh-123 in a stack',
      'cookie-value-xyz123',
    ]);
    expect(sent.leaks('{"msg":"fine"}')).toEqual([]);
  });
});

describe('npm run migrate', () => {
  it('logs as the server does: one JSON record a line, naming what it applied, then that nothing is left', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-migrate-'));
    const migrate = join(__dirname, '..', 'dist', 'apps', 'server', 'src', 'migrate.js');
    const run = () =>
      execFileSync(process.execPath, ['--no-node-snapshot', migrate], { env: { ...process.env, DATABASE_URL: '', HOOKLINE_DATA_DIR: dataDir, HOOKLINE_LOG_FORMAT: 'json' }, encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
    try {
      const [applied] = run();
      expect(applied).toMatchObject({ level: 'info', context: 'Migrations', applied: expect.arrayContaining([expect.stringMatching(/^\w+\d{13}$/)]) });
      expect(applied.msg).toBe(`Applied ${applied.applied.join(', ')}`);
      expect(run()).toEqual([expect.objectContaining({ level: 'info', context: 'Migrations', msg: 'The database is up to date' })]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
