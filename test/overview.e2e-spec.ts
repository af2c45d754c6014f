import { given, TestServer } from './support/test-server';

describe('the overview aggregate', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
    const provider = await given(server).provider({ name: 'Counted', matchScript: 'return request.headers["x-counted"] === "yes"' });
    await given(server).fn({ providerId: provider.id, name: 'slow', uri: 'count/ok', script: 'const end = Date.now() + 40; while (Date.now() < end) {} return "ok"' });
    await given(server).fn({ providerId: provider.id, name: 'quick', uri: 'count/ok', script: 'return "ok"' });
    await given(server).fn({ providerId: provider.id, name: 'broken', uri: 'count/fail', script: 'throw new Error("no")' });
    const sync = { 'x-counted': 'yes', 'flex-sync-webhook': 'true' };
    for (let n = 0; n < 3; n++) expect((await server.webhook('count/ok', { n }, sync)).status).toBe(200);
    for (let n = 0; n < 2; n++) expect((await server.webhook('count/fail', { n }, sync)).status).toBe(500);
    const orphan = await server.webhook('count/nobody', { n: 0 });
    await server.waitForMessage(orphan.body.messageId, ['no_provider']);
  });

  afterAll(async () => {
    await server.close();
  });

  it('counts the last hour per minute by status, with the failure rate, queue and slowest functions', async () => {
    const result = await server.get('/api/overview?range=1h');
    expect(result.status).toBe(200);
    const overview = result.body;
    expect(overview.bucketSeconds).toBe(60);
    expect(overview.buckets.length).toBeGreaterThanOrEqual(60);
    expect(overview.buckets.length).toBeLessThanOrEqual(61);
    expect(overview.totals.messages).toBe(6);
    expect(overview.totals.byStatus).toMatchObject({ processed: 3, failed: 2, no_provider: 1, queued: 0 });
    const summed: Record<string, number> = {};
    for (const bucket of overview.buckets) for (const [status, n] of Object.entries(bucket.byStatus as Record<string, number>)) summed[status] = (summed[status] ?? 0) + n;
    expect(summed).toEqual({ processed: 3, failed: 2, no_provider: 1 });
    expect(overview.buckets.reduce((sum: number, bucket: any) => sum + bucket.total, 0)).toBe(6);
    expect(overview.failureRate).toBe(0.4);
    expect(overview.queue).toEqual({ queued: 0, processing: 0, waitingForRetry: 0 });

    const [slowest, ...rest] = overview.slowestFunctions;
    expect(slowest).toMatchObject({ functionName: 'slow', runs: 3, failures: 0 });
    expect(slowest.p95Ms).toBeGreaterThanOrEqual(35);
    expect(slowest.maxMs).toBeGreaterThanOrEqual(slowest.p95Ms);
    expect(rest.map((f: any) => f.functionName).sort()).toEqual(['broken', 'quick']);
    expect(rest.find((f: any) => f.functionName === 'broken')).toMatchObject({ runs: 2, failures: 2 });
  });

  it('counts the last day in 15-minute buckets', async () => {
    const overview = (await server.get('/api/overview?range=24h')).body;
    expect(overview.bucketSeconds).toBe(900);
    expect(overview.buckets.length).toBeGreaterThanOrEqual(96);
    expect(overview.totals.byStatus).toMatchObject({ processed: 3, failed: 2, no_provider: 1 });
    expect(new Date(overview.buckets[1].start).getTime() - new Date(overview.buckets[0].start).getTime()).toBe(900_000);
  });

  it('refuses an unknown range, naming the ones there are', async () => {
    const bad = await server.get('/api/overview?range=7d');
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({ range: 'must be one of 1h, 24h' });
    const anonymous = await server.request('GET', '/api/overview', undefined, { auth: false });
    expect(anonymous.status).toBe(401);
  });
});
