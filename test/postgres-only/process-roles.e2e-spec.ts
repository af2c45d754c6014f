import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Client } from 'pg';
import { MIGRATIONS } from '../../apps/server/src/database/open-database';
import { createTestDatabase } from '../support/test-database';
import { given, TestServer } from '../support/test-server';

const MASTER_KEY = randomBytes(32).toString('hex');

/**
 * Roles split across processes on one PostgreSQL database: one ingress, two workers (one of them
 * also the scheduler), each its own server process. A worker killed with SIGKILL mid-function
 * loses nothing: its leases run out and the other worker finishes its messages.
 */
describe('ingress, worker and scheduler roles in separate processes', () => {
  let ingress: TestServer;
  let doomed: TestServer;
  let survivor: TestServer;
  let receiver: Server;
  let receiverPort = 0;
  const begun = new Map<string, number>();
  const ended = new Map<string, number>();
  let ticks = 0;
  const runCalls: number[] = [];
  const bump = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);

  beforeAll(async () => {
    // The function calls /begin, then /slow (answered after 300 ms, so that messages are mid-flight
    // when the worker dies), then /end: begin twice means a second worker ran it again.
    receiver = createServer((req, res) => {
      const [, step, id] = req.url!.split('/');
      if (step === 'begin') bump(begun, id);
      if (step === 'end') bump(ended, id);
      if (step === 'tick') ticks++;
      if (step === 'run') runCalls.push(Date.now());
      // The first call of the run's target hangs: its worker is killed while waiting for it.
      if (step === 'run' && runCalls.length === 1) return;
      if (step === 'slow') setTimeout(() => res.end('ok'), 300);
      else res.end('ok');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverPort = (receiver.address() as { port: number }).port;
    const env = { HOOKLINE_SCRIPT_HTTP_ALLOW: `127.0.0.1:${receiverPort}`, HOOKLINE_QUEUE_LEASE: '2s', HOOKLINE_SCHEDULER_TICK: '200ms', HOOKLINE_MASTER_KEY: MASTER_KEY };
    ingress = await TestServer.start({ ...env, HOOKLINE_ROLE: 'ingress' });
    doomed = await TestServer.launch({ ...env, HOOKLINE_ROLE: 'worker' }, ingress.database);
    survivor = await TestServer.launch({ ...env, HOOKLINE_ROLE: 'worker,scheduler' }, ingress.database);
  });

  afterAll(async () => {
    await doomed.kill();
    await survivor.stop();
    await ingress.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  /** The worker process whose lease `lockedBy` names (host:pid:random). */
  const holderOf = (lockedBy: string | null) => [doomed, survivor].find((worker) => lockedBy?.includes(`:${worker.pid}:`));

  it('names its roles at start, in /ready, and serves only the probes without the ingress role', async () => {
    expect(ingress.logs).toMatch(/Listening on http:\/\/127\.0\.0\.1:\d+ \(roles: ingress; database: PostgreSQL;/);
    expect(survivor.logs).toMatch(/Listening on http:\/\/127\.0\.0\.1:\d+ \(roles: worker, scheduler, serving only \/health, \/ready, \/metrics; database: PostgreSQL;/);
    expect((await ingress.get('/ready')).body).toEqual({ status: 'ready', roles: ['ingress'], checks: { database: 'ok', migrations: 'ok', sandbox: 'ok' } });
    expect((await doomed.get('/ready')).body).toEqual({ status: 'ready', roles: ['worker'], checks: { database: 'ok', migrations: 'ok', sandbox: 'ok' } });
    expect((await doomed.get('/health')).body).toEqual({ status: 'ok' });

    for (const path of ['/api/messages', '/webhooks/anything', '/']) {
      const refused = await survivor.request('GET', path, undefined, { auth: false });
      expect(refused.status).toBe(404);
      expect(refused.body.message).toBe(
        'This process has the role worker,scheduler (HOOKLINE_ROLE) and serves only /health, /ready, /metrics; webhooks, the API and the console are served by processes with the ingress role',
      );
    }
    const webhook = await doomed.webhook('roles/queue', { lost: true });
    expect(webhook.status).toBe(404);
  });

  it('fires schedules in the scheduler process and runs them in a worker', async () => {
    const automation = await ingress.post('/api/automations', {
      name: 'every second',
      schedule: '* * * * * *',
      target: { kind: 'http', url: `http://127.0.0.1:${receiverPort}/tick/x`, method: 'POST' },
    });
    expect(automation.status).toBe(201);
    const deadline = Date.now() + 20_000;
    while (ticks < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(ticks).toBeGreaterThanOrEqual(2);
    expect((await ingress.put(`/api/automations/${automation.body.id}`, { enabled: false })).status).toBe(200);
    const runs: Array<{ trigger: string; status: string }> = (await ingress.get(`/api/automations/${automation.body.id}/runs`)).body;
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((run) => run.trigger === 'schedule')).toBe(true);
  });

  it('takes up an automation run whose worker was killed with SIGKILL once its lease runs out, not an hour later', async () => {
    const automation = await ingress.post('/api/automations', { name: 'slow call', target: { kind: 'http', url: `http://127.0.0.1:${receiverPort}/run/x`, method: 'POST', timeoutMs: 60_000 } });
    expect(automation.status).toBe(201);
    const started = await ingress.post(`/api/automations/${automation.body.id}/run`, {});
    expect(started.status).toBe(202);
    const runId: string = started.body.id;
    const db = new Client({ connectionString: ingress.database.env.DATABASE_URL });
    await db.connect();
    try {
      const deadline = Date.now() + 20_000;
      while (runCalls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(runCalls.length).toBe(1);
      const [row] = (await db.query(`SELECT status, locked_by FROM runs WHERE id = $1`, [runId])).rows as Array<{ status: string; locked_by: string | null }>;
      expect(row.status).toBe('running');
      const holder = holderOf(row.locked_by)!;
      expect(holder).toBeDefined();
      await holder.kill();
      const finished = await waitForRun(runId, ingress);
      expect(finished).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(runCalls.length).toBe(2);
      // The killed worker comes back for the next test.
      await holder.launch();
    } finally {
      await db.end();
    }
  });

  it('loses no message when a worker is killed with SIGKILL mid-function, and ingress keeps answering 202', async () => {
    const provider = await given(ingress).provider({ name: 'Roles' });
    await given(ingress).fn({
      providerId: provider.id,
      uri: 'roles/queue',
      script: `const base = "http://127.0.0.1:${receiverPort}/";
await http.fetch(base + "begin/" + message.id);
await http.fetch(base + "slow/" + message.id);
await http.fetch(base + "end/" + message.id);
return "done";`,
    });
    const db = new Client({ connectionString: ingress.database.env.DATABASE_URL });
    await db.connect();
    const heldBy = async (server: TestServer): Promise<string[]> => {
      const rows: Array<{ id: string }> = (await db.query(`SELECT id FROM messages WHERE status = 'processing' AND locked_by LIKE $1`, [`%:${server.pid}:%`])).rows;
      return rows.map((row) => row.id);
    };

    const accepted: string[] = [];
    const statuses: number[] = [];
    let sending = true;
    const send = async () => {
      for (let i = 0; sending; i++) {
        const answer = await ingress.webhook('roles/queue', { i });
        statuses.push(answer.status);
        if (answer.status === 202) accepted.push(answer.body.messageId);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const senders = [send(), send()];
    let inFlight: string[] = [];
    try {
      // The doomed worker holds messages whose functions have begun.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        inFlight = (await heldBy(doomed)).filter((id) => begun.has(id));
        if (inFlight.length >= 2) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(inFlight.length).toBeGreaterThanOrEqual(2);
      await doomed.kill();
      // Ingress goes on accepting while the dead worker's leases run out.
      const until = statuses.length + 60;
      while (statuses.length < until) await new Promise((r) => setTimeout(r, 50));
    } finally {
      sending = false;
      await Promise.all(senders);
    }

    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    for (const id of accepted) expect((await ingress.waitForMessage(id, ['processed', 'failed'], 60_000)).status).toBe('processed');
    expect(await heldBy(doomed)).toEqual([]);
    // Taken up again once the killed worker's leases ran out: the messages it had claimed.
    const rows = (await db.query(`SELECT id, attempts FROM messages WHERE id = ANY($1::uuid[])`, [accepted])).rows as Array<{ id: string; attempts: number }>;
    const retried = new Set(rows.filter((row) => row.attempts > 1).map((row) => row.id));
    expect(rows.map((row) => row.attempts).every((attempts) => attempts === 1 || attempts === 2)).toBe(true);
    for (const id of inFlight) {
      expect(retried.has(id)).toBe(true);
      expect(begun.get(id)).toBe(2);
    }
    // Every message ran to its end; only those of the killed worker ran a second time.
    for (const id of accepted) {
      expect(ended.get(id) ?? 0).toBeGreaterThanOrEqual(1);
      if (!retried.has(id)) expect([id, begun.get(id), ended.get(id)]).toEqual([id, 1, 1]);
    }
    await db.end();
  });
});

describe('processes of every role started together on an empty database', () => {
  it('apply the migrations once, one after the other, and all start', async () => {
    const database = await createTestDatabase({ empty: true });
    const servers = await Promise.all(['ingress', 'worker', 'worker,scheduler'].map((role) => TestServer.launch({ HOOKLINE_ROLE: role, HOOKLINE_MASTER_KEY: MASTER_KEY }, database)));
    try {
      for (const server of servers) expect((await server.get('/ready')).body.status).toBe('ready');
      const db = new Client({ connectionString: database.env.DATABASE_URL });
      await db.connect();
      const applied = (await db.query(`SELECT name FROM hookline_migrations ORDER BY id`)).rows.map((row: { name: string }) => row.name);
      await db.end();
      expect(applied).toEqual(MIGRATIONS.map((migration) => new migration().name));
    } finally {
      for (const server of servers.slice(1)) await server.stop();
      await servers[0].close();
    }
  });
});

async function waitForRun(id: string, server: TestServer): Promise<{ status: string; attempts: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const run = (await server.get(`/api/runs/${id}`)).body;
    if (!['pending', 'running'].includes(run.status) || Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}
