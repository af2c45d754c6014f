import { TestServer } from './support/test-server';

describe('bulk resubmit: count first, then a job with progress', () => {
  let server: TestServer;
  const originals: string[] = [];

  beforeAll(async () => {
    server = await TestServer.start();
    for (let n = 0; n < 5; n++) originals.push((await server.webhook('jobs/a', { n })).body.messageId);
    await server.webhook('jobs/b', { n: 'other' });
    for (const id of originals) await server.waitForMessage(id, ['no_provider']);
  });

  afterAll(async () => {
    await server.close();
  });

  it('counts what a bulk resubmit would take without resubmitting anything', async () => {
    const all = await server.post('/api/messages/resubmit', { uri: 'jobs/a', status: 'no_provider', dryRun: true });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ dryRun: true, matching: 5, count: 5, limit: 1000 });
    const capped = await server.post('/api/messages/resubmit', { uriPrefix: 'jobs/', dryRun: true, limit: 3 });
    expect(capped.body).toEqual({ dryRun: true, matching: 6, count: 3, limit: 3 });
    const listed = (await server.get('/api/messages?uriPrefix=jobs/')).body.items;
    expect(listed).toHaveLength(6);
    expect(listed.every((m: any) => m.triggeredBy === 'webhook')).toBe(true);
  });

  it('runs the resubmit as a job whose progress can be read to the end', async () => {
    const started = await server.post('/api/messages/resubmit-jobs', { uri: 'jobs/a', status: 'no_provider' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ total: 5, failed: 0, selection: { uri: 'jobs/a', status: 'no_provider' } });
    expect(['running', 'done']).toContain(started.body.status);

    const seen: number[] = [];
    let job = started.body;
    const deadline = Date.now() + 20_000;
    while (job.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      job = (await server.get(`/api/messages/resubmit-jobs/${started.body.id}`)).body;
      seen.push(job.done);
    }
    expect(job).toMatchObject({ status: 'done', total: 5, done: 5, failed: 0, errors: [] });
    expect(job.finishedAt).toEqual(expect.any(String));
    // Progress only goes forward.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    for (const id of originals) {
      const original = (await server.get(`/api/messages/${id}`)).body;
      expect(original.resubmissions).toHaveLength(1);
      expect(original.resubmissions[0]).toMatchObject({ resubmittedFrom: id, triggeredBy: 'resubmit' });
    }
  });

  it('finishes at once when nothing matches, and refuses a job without a filter', async () => {
    const none = await server.post('/api/messages/resubmit-jobs', { uri: 'jobs/none' });
    expect(none.status).toBe(202);
    expect(none.body).toMatchObject({ status: 'done', total: 0, done: 0 });
    const everything = await server.post('/api/messages/resubmit-jobs', { limit: 20000 });
    expect(everything.status).toBe(400);
    expect(everything.body.fields).toEqual({ body: expect.stringMatching(/at least one filter/) });
    const badLimit = await server.post('/api/messages/resubmit-jobs', { uri: 'jobs/a', limit: 20000 });
    expect(badLimit.body.fields).toEqual({ limit: 'must be a whole number from 1 to 10000' });
    const badDryRun = await server.post('/api/messages/resubmit', { uri: 'jobs/a', dryRun: 'yes' });
    expect(badDryRun.status).toBe(400);
    expect(badDryRun.body.fields).toEqual({ dryRun: 'must be true or false' });
    expect((await server.get('/api/messages/resubmit-jobs/5b0c6a7e-3f1c-4c8e-9a37-2f4f2b8d9e10')).status).toBe(404);
  });
});
