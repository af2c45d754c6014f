import { randomBytes, randomUUID } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { signDeliveries, signDelivery } from './support/signers';
import { SseClient, type SseEvent } from './support/sse-client';
import { describeDatabase } from './support/test-database';
import { given, TestServer } from './support/test-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const GITHUB_EXAMPLES: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples/api.github.com/index.json');

/** A copy of a real GitHub payload of `event` (the first that `pick` accepts), changed by `change`. */
function example(event: string, pick: (payload: any) => boolean, change: (payload: any) => void = () => undefined): any {
  const found = GITHUB_EXAMPLES.find((group) => group.name === event)!.examples.find(pick);
  if (!found) throw new Error(`no ${event} example of that kind`);
  const copy = structuredClone(found);
  change(copy);
  return copy;
}

const withAction = (event: string, action: string, change?: (payload: any) => void) => example(event, (payload) => payload.action === action, change);
const pushToMaster = (change?: (payload: any) => void) => example('push', (payload) => payload.ref === 'refs/heads/master', change);

const inRepository = (fullName: string) => (payload: any) => {
  payload.repository.full_name = fullName;
};

/** Two GitHub providers, told apart by X-Route, each with its own secret. */
async function githubProviders(server: TestServer) {
  const make = (route: string) =>
    given(server).provider({
      name: `GitHub ${route}`,
      matchScript: `return request.headers["x-route"] === "${route}"`,
      verification: { scheme: 'github', secret: `secret-${route}` },
      eventFormat: 'github',
    });
  return { a: await make('a'), b: await make('b') };
}

/** Sends a signed GitHub delivery through provider `route`, the way GitHub does. */
function deliver(server: TestServer, route: string, event: string | null, payload: unknown, options: { delivery?: string; secret?: string } = {}) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'x-route': route,
    'x-github-delivery': options.delivery ?? randomUUID(),
    ...signDelivery('github', { secret: options.secret ?? `secret-${route}`, body }),
  };
  if (event !== null) headers['x-github-event'] = event;
  return server.webhook('github/events', body, headers);
}

/** Sends many signed pushes, `parallel` at a time; answers the responses in order. */
async function deliverMany(server: TestServer, route: string, payloads: unknown[], parallel = 25) {
  const bodies = payloads.map((payload) => JSON.stringify(payload));
  const signatures = signDeliveries(
    'github',
    bodies.map((body) => ({ secret: `secret-${route}`, body })),
  );
  const answers = [];
  for (let start = 0; start < bodies.length; start += parallel) {
    const batch = bodies.slice(start, start + parallel).map((body, i) =>
      server.webhook('github/events', body, { 'x-route': route, 'x-github-event': 'push', 'x-github-delivery': randomUUID(), ...signatures[start + i] }),
    );
    answers.push(...(await Promise.all(batch)));
  }
  return answers;
}

const streamUrl = (server: TestServer, query = '') => `${server.url}/api/events/stream${query}`;
const adminAuth = (server: TestServer) => ({ authorization: `Bearer ${server.token}` });

async function runner(server: TestServer, fields: Record<string, unknown> = {}) {
  const created = await server.post('/api/runners', { name: `runner-${randomUUID().slice(0, 8)}`, ...fields });
  if (created.status !== 201) throw new Error(`runner: ${created.status} ${created.text}`);
  return created.body as { id: string; token: string; providers: string[] | null };
}

const messageIdsOf = (events: SseEvent[]) => events.map((event) => event.data.messageId);

describe(`the event stream (${describeDatabase()})`, () => {
  let server: TestServer;
  let providers: { a: any; b: any };

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_STREAM_HEARTBEAT: '300ms' });
    providers = await githubProviders(server);
  });

  afterAll(async () => {
    await server.close();
  });

  it('takes a runner token or an admin login, and nothing else', async () => {
    const anonymous = await SseClient.open(streamUrl(server));
    expect(anonymous.status).toBe(401);
    anonymous.close();
    const forged = await SseClient.open(streamUrl(server), { authorization: `Bearer hlr_${randomBytes(32).toString('base64url')}` });
    expect(forged.status).toBe(401);
    forged.close();

    const { token } = await runner(server);
    for (const headers of [{ authorization: `Bearer ${token}` }, adminAuth(server), { cookie: `hookline_session=${server.token}` }]) {
      const stream = await SseClient.open(streamUrl(server), headers);
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      stream.close();
    }

    // A runner token is not an admin login anywhere else.
    expect((await server.request('GET', '/api/providers', undefined, { auth: false, headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('refuses a Last-Event-ID, from or filter it cannot use, naming it', async () => {
    const badId = await server.request('GET', '/api/events/stream', undefined, { headers: { 'last-event-id': 'yesterday' } });
    expect(badId.status).toBe(400);
    expect(badId.body.fields).toEqual({ 'Last-Event-ID': 'must be the id of a frame of this stream (a whole number)' });
    const badFrom = await server.get('/api/events/stream?from=head');
    expect(badFrom.status).toBe(400);
    expect(badFrom.body.fields.from).toMatch(/only 0 is accepted/);
    const unknown = await server.get('/api/events/stream?keys=push');
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields.keys).toMatch(/^is not a field here/);
  });

  it('sends one frame per accepted message with an event, carrying its fields, and none for refused, duplicate or event-less ones', async () => {
    const stream = await SseClient.open(streamUrl(server), adminAuth(server));
    const merged = withAction('pull_request', 'closed', (payload) => {
      payload.pull_request.merged = true;
    });
    const pr = await deliver(server, 'a', 'pull_request', merged);
    expect(pr.status).toBe(202);
    const badSignature = await deliver(server, 'a', 'push', pushToMaster(), { secret: 'not-the-secret' });
    expect(badSignature.status).toBe(401);
    const delivery = randomUUID();
    const push = await deliver(server, 'b', 'push', pushToMaster(), { delivery });
    const again = await deliver(server, 'b', 'push', pushToMaster(), { delivery });
    expect([push.status, again.status, again.body.status]).toEqual([202, 200, 'duplicate']);
    // Without X-GitHub-Event the provider names no event.
    const eventless = await deliver(server, 'a', null, pushToMaster());
    expect(eventless.status).toBe(202);
    const opened = withAction('issues', 'opened');
    const last = await deliver(server, 'a', 'issues', opened);

    await stream.waitFor((event) => event.data.messageId === last.body.messageId);
    expect(messageIdsOf(stream.events)).toEqual([pr.body.messageId, push.body.messageId, last.body.messageId]);
    expect(stream.events.map((event) => event.event)).toEqual(['pluginWebhook', 'pluginWebhook', 'pluginWebhook']);
    const ids = stream.events.map((event) => Number(event.id));
    expect(ids[0]).toBeLessThan(ids[1]);
    expect(ids[1]).toBeLessThan(ids[2]);

    const [prFrame, pushFrame, issueFrame] = stream.events;
    const prMessage = (await server.get(`/api/messages/${pr.body.messageId}`)).body;
    expect(prFrame.data).toEqual({
      id: ids[0],
      messageId: pr.body.messageId,
      provider: providers.a.id,
      providerName: 'GitHub a',
      key: 'pull_request:merged',
      type: 'pull_request',
      action: 'closed',
      repository: merged.repository.full_name,
      branch: merged.pull_request.head.ref,
      sha: merged.pull_request.head.sha,
      pullRequest: { number: merged.pull_request.number, state: 'merged', merged: true },
      issue: null,
      actor: merged.sender.login,
      url: merged.pull_request.html_url,
      receivedAt: prMessage.receivedAt,
    });
    expect(pushFrame.data).toMatchObject({ id: ids[1], provider: providers.b.id, key: 'push', branch: 'master', pullRequest: null, type: 'push', action: null });
    expect(issueFrame.data).toMatchObject({ key: 'issue:created', type: 'issues', action: 'opened', issue: opened.issue.number, branch: null, sha: null });
    stream.close();
  });

  it('filters by key globs and repository, a frame sent only to the streams it matches', async () => {
    const byKey = await SseClient.open(streamUrl(server, '?key=pull_request:*'), adminAuth(server));
    const byKeys = await SseClient.open(streamUrl(server, `?key=${encodeURIComponent('push, pull_request:opened')}`), adminAuth(server));
    const byRepository = await SseClient.open(streamUrl(server, '?repository=octo-org/*'), adminAuth(server));

    const sent = [];
    sent.push(await deliver(server, 'a', 'issues', withAction('issues', 'edited')));
    sent.push(await deliver(server, 'a', 'pull_request', withAction('pull_request', 'closed', (p) => (p.pull_request.merged = true))));
    sent.push(await deliver(server, 'a', 'push', pushToMaster()));
    sent.push(await deliver(server, 'b', 'issues', withAction('issues', 'edited', inRepository('Octo-Org/other'))));
    // Matches all three, and is the last: each stream has had every frame before it once it has this one.
    sent.push(await deliver(server, 'b', 'pull_request', withAction('pull_request', 'opened', inRepository('octo-org/tools'))));
    const [, merged, push, octoIssue, last] = sent.map((answer) => answer.body.messageId as string);

    for (const stream of [byKey, byKeys, byRepository]) await stream.waitFor((event) => event.data.messageId === last);
    expect(messageIdsOf(byKey.events)).toEqual([merged, last]);
    expect(messageIdsOf(byKeys.events)).toEqual([push, last]);
    expect(messageIdsOf(byRepository.events)).toEqual([octoIssue, last]);
    for (const stream of [byKey, byKeys, byRepository]) stream.close();
  });

  it('gives a client that reconnects with Last-Event-ID every frame it missed, none twice, across 1,000 deliveries', async () => {
    const repository = `replay/${randomUUID().slice(0, 8)}`;
    const filter = `?repository=${encodeURIComponent(repository)}`;
    const first = await SseClient.open(streamUrl(server, filter), adminAuth(server));
    const payloads = Array.from({ length: 1000 }, (_, n) =>
      pushToMaster((payload) => {
        payload.repository.full_name = repository;
        payload.after = randomBytes(20).toString('hex');
        payload.n = n;
      }),
    );
    const sending = deliverMany(server, 'a', payloads);
    await first.waitForEvents(300, 120_000);
    first.close();
    const seenFirst = [...first.events];
    const answers = await sending;
    expect(answers.filter((answer) => answer.status !== 202)).toEqual([]);
    expect(seenFirst.length).toBeLessThan(1000);

    const resumed = await SseClient.open(streamUrl(server, filter), { ...adminAuth(server), 'last-event-id': seenFirst[seenFirst.length - 1].id! });
    await resumed.waitForEvents(1000 - seenFirst.length, 120_000);
    const all = [...seenFirst, ...resumed.events];
    const ids = all.map((event) => Number(event.id));
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
    expect(all).toHaveLength(1000);
    expect(new Set(messageIdsOf(all))).toEqual(new Set(answers.map((answer) => answer.body.messageId)));
    // The stream goes on live after the replay.
    const after = await deliver(server, 'a', 'push', pushToMaster(inRepository(repository)));
    await resumed.waitFor((event) => event.data.messageId === after.body.messageId);
    expect(resumed.events).toHaveLength(1000 - seenFirst.length + 1);
    resumed.close();

    // from=0 replays everything kept, the same way (the query's lastEventId as well, for EventSource).
    const replay = await SseClient.open(streamUrl(server, `${filter}&from=0`), adminAuth(server));
    await replay.waitForEvents(1001, 60_000);
    expect(messageIdsOf(replay.events)).toEqual([...messageIdsOf(all), after.body.messageId]);
    replay.close();
    const byQuery = await SseClient.open(streamUrl(server, `${filter}&lastEventId=${ids[998]}`), adminAuth(server));
    await byQuery.waitForEvents(2);
    expect(messageIdsOf(byQuery.events)).toEqual([all[999].data.messageId, after.body.messageId]);
    byQuery.close();
  });

  it('shows a runner scoped to providers only their frames, and asks it to reconnect when its scope changes', async () => {
    const refused = await server.post('/api/runners', { name: 'scoped', providers: [randomUUID(), 'not-an-id'] });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ 'providers.1': 'must be a provider id (a UUID)' });
    const missing = randomUUID();
    const unknown = await server.post('/api/runners', { name: 'scoped', providers: [providers.a.id, missing] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toEqual({ providers: `names no provider: ${missing}` });

    const scoped = await runner(server, { providers: [providers.a.id] });
    const everywhere = await runner(server);
    expect(scoped.providers).toEqual([providers.a.id]);
    const listed = (await server.get('/api/runners')).body as any[];
    expect(listed.find((r) => r.id === scoped.id)).toMatchObject({ providers: [providers.a.id] });
    expect(listed.find((r) => r.id === everywhere.id)).toMatchObject({ providers: null });

    const scopedStream = await SseClient.open(streamUrl(server), { authorization: `Bearer ${scoped.token}` });
    const fullStream = await SseClient.open(streamUrl(server), { authorization: `Bearer ${everywhere.token}` });
    const fromB = await deliver(server, 'b', 'push', pushToMaster());
    const fromA = await deliver(server, 'a', 'push', pushToMaster());
    await scopedStream.waitFor((event) => event.data?.messageId === fromA.body.messageId);
    await fullStream.waitFor((event) => event.data?.messageId === fromA.body.messageId);
    expect(messageIdsOf(scopedStream.events)).toEqual([fromA.body.messageId]);
    expect(messageIdsOf(fullStream.events)).toEqual([fromB.body.messageId, fromA.body.messageId]);

    const rescoped = await server.put(`/api/runners/${scoped.id}`, { providers: [providers.b.id] });
    expect(rescoped.status).toBe(200);
    expect(rescoped.body).toMatchObject({ id: scoped.id, providers: [providers.b.id] });
    const reconnect = await scopedStream.waitFor((event) => event.event === 'reconnect');
    expect(reconnect.data.reason).toMatch(/providers changed/);
    await scopedStream.ended;
    expect((await server.put(`/api/runners/${randomUUID()}`, { providers: null })).status).toBe(404);

    const again = await SseClient.open(streamUrl(server), { authorization: `Bearer ${scoped.token}`, 'last-event-id': scopedStream.events[0].id! });
    const laterB = await deliver(server, 'b', 'push', pushToMaster());
    const laterA = await deliver(server, 'a', 'push', pushToMaster());
    await again.waitFor((event) => event.data?.messageId === laterB.body.messageId);
    expect(messageIdsOf(again.events)).toEqual([laterB.body.messageId]);
    await fullStream.waitFor((event) => event.data?.messageId === laterA.body.messageId);
    again.close();
    fullStream.close();
  });

  it('is described in the OpenAPI document with the runner routes that scope it', async () => {
    await deliver(server, 'a', 'push', pushToMaster());
    const docs = (await server.get('/api/docs')).body;
    const stream = docs.paths['/api/events/stream'].get;
    expect(stream.parameters.map((p: any) => p.name)).toEqual(['key', 'repository', 'lastEventId', 'from', 'Last-Event-ID']);
    const frames: { description: string; properties: object }[] = stream.responses[200].content['text/event-stream'].schema.oneOf;
    const webhookFrame = frames.find((frame) => frame.description.startsWith('event: pluginWebhook'));
    expect(Object.keys(webhookFrame!.properties)).toEqual(Object.keys(await firstFrameData()));
    expect(docs.paths['/api/runners/{id}'].put.requestBody.content['application/json'].schema.properties).toHaveProperty('providers');
    expect(docs.paths['/api/runners'].post.requestBody.content['application/json'].schema.required).toEqual(['name']);
  });

  /** The data of the oldest frame kept. */
  async function firstFrameData(): Promise<Record<string, unknown>> {
    const stream = await SseClient.open(streamUrl(server, '?from=0'), adminAuth(server));
    await stream.waitForEvents(1);
    stream.close();
    return stream.events[0].data;
  }

  it('sends heartbeat comments while nothing happens', async () => {
    const stream = await SseClient.open(streamUrl(server), adminAuth(server));
    const deadline = Date.now() + 10_000;
    while (stream.comments.filter((comment) => comment === 'heartbeat').length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stream.comments.filter((comment) => comment === 'heartbeat').length).toBeGreaterThanOrEqual(3);
    expect(stream.events).toEqual([]);
    stream.close();
  });
});

describe(`the event stream past retention (${describeDatabase()})`, () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_EVENT_RETENTION: '5s', HOOKLINE_RETENTION_INTERVAL: '300ms' });
    await githubProviders(server);
  });

  afterAll(async () => {
    await server.close();
  });

  it('tells a client resuming before the oldest frame kept of the gap, then sends what is kept', async () => {
    const live = await SseClient.open(streamUrl(server), adminAuth(server));
    const old = await deliver(server, 'a', 'push', pushToMaster());
    const oldFrame = await live.waitFor((event) => event.data.messageId === old.body.messageId);
    live.close();
    await server.waitForLog(/Removed 1 event stream frame\(s\) older than HOOKLINE_EVENT_RETENTION/, 30_000);
    const kept = await deliver(server, 'a', 'push', pushToMaster());

    const before = Number(oldFrame.id) - 1;
    const resumed = await SseClient.open(streamUrl(server), { ...adminAuth(server), 'last-event-id': String(before) });
    const [gap, next] = await resumed.waitForEvents(2);
    expect(gap).toEqual({ event: 'gap', data: { requestedAfter: before, oldestAvailable: Number(next.id) } });
    expect(next.data.messageId).toBe(kept.body.messageId);
    resumed.close();

    // A client that saw the removed frame missed nothing; nor does from=0 ask for anything in particular.
    for (const [query, headers] of [['', { 'last-event-id': oldFrame.id! }], ['?from=0', {}]] as const) {
      const stream = await SseClient.open(streamUrl(server, query), { ...adminAuth(server), ...headers });
      const [first] = await stream.waitForEvents(1);
      expect(first.data.messageId).toBe(kept.body.messageId);
      expect(first.event).toBe('pluginWebhook');
      stream.close();
    }
  });
});

/** An admin stream read by a client that stops reading: its response is paused and never resumed until `resume`. */
function stalledStream(server: TestServer): Promise<{ response: IncomingMessage; resume: () => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request(streamUrl(server), { headers: { accept: 'text/event-stream', authorization: `Bearer ${server.token}` } }, (response) => {
      response.pause();
      resolve({
        response,
        resume: () =>
          new Promise((done) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.once('close', () => done(text));
            response.resume();
          }),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Pushes whose frames are large (a long compare URL), so that a few hundred fill any socket buffer. */
function largePushes(count: number) {
  return Array.from({ length: count }, () => pushToMaster((payload) => (payload.compare = `https://github.com/Codertocat/Hello-World/compare/${randomBytes(24 * 1024).toString('hex')}`)));
}

describe.each([
  ['its socket takes no data for the drain timeout', { HOOKLINE_STREAM_DRAIN_TIMEOUT: '1s', HOOKLINE_STREAM_MAX_LAG: '10000000' }, /Cut off the event stream of an admin: its connection took no data for 1000 ms/],
  ['it falls too many frames behind', { HOOKLINE_STREAM_DRAIN_TIMEOUT: '10m', HOOKLINE_STREAM_MAX_LAG: '40' }, /Cut off the event stream of an admin: it fell \d+ frames behind the head/],
])(`a stalled client is cut off when %s, while ingest and other clients go on (${describeDatabase()})`, (_, env, cutOff) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(env);
    await githubProviders(server);
  });

  afterAll(async () => {
    await server.close();
  });

  it('ends the stalled stream and keeps accepting webhooks and streaming to a client that reads', async () => {
    const stalled = await stalledStream(server);
    const reading = await SseClient.open(streamUrl(server), adminAuth(server));
    const answers = await deliverMany(server, 'a', largePushes(300), 10);
    expect(answers.filter((answer) => answer.status !== 202)).toEqual([]);
    await reading.waitForEvents(300, 120_000);
    expect(new Set(messageIdsOf(reading.events))).toEqual(new Set(answers.map((answer) => answer.body.messageId)));
    await server.waitForLog(cutOff, 60_000);

    const text = await stalled.resume();
    const frames = text.split('\n').filter((line) => line.startsWith('event: pluginWebhook')).length;
    expect(frames).toBeLessThan(300);
    // Ingest goes on after the cut-off too.
    const later = await deliver(server, 'a', 'push', pushToMaster());
    expect(later.status).toBe(202);
    await reading.waitFor((event) => event.data.messageId === later.body.messageId);
    reading.close();
  });
});
