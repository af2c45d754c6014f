import { queryStoppedDatabase } from '../support/test-database';
import { given, TestServer } from '../support/test-server';
import { createRunner, mergedPullRequest, sendGithub, waitFor, waitForTask, type TestRunner } from '../support/task-runners';

// Two servers, 72 signed deliveries and 12 operator resumes: minutes on a machine shared with other runs.
jest.setTimeout(240_000);

const SECRET = 'multi-parking-secret';
const TASKS = 12;
const COPIES = 3;

// Two server processes on one PostgreSQL database: events, operators and deadlines race for each task.
describe('parked tasks on several servers sharing one PostgreSQL database', () => {
  let first: TestServer;
  let second: TestServer;
  let runner: TestRunner;
  let automationId: string;

  beforeAll(async () => {
    first = await TestServer.start({ HOOKLINE_CATALOG_TTL: '100ms' });
    second = await TestServer.start({ HOOKLINE_CATALOG_TTL: '100ms' }, first.database);
    await given(first).provider({ name: 'GitHub', matchScript: 'return request.headers["x-github-event"] !== undefined', verification: { scheme: 'github', secret: SECRET }, eventFormat: 'github' });
    automationId = (await first.post('/api/automations', { name: 'review', target: { kind: 'task', name: 'Review {{vars.n}}', instructions: 'Review it' } })).body.id;
    runner = await createRunner(first, 'agent');
    await new Promise((r) => setTimeout(r, 300));
  });

  afterAll(async () => {
    await second.stop();
    await first.close();
  });

  /** `count` tasks, each claimed and parked with `park(i)`. */
  async function parkedTasks(count: number, park: (i: number) => Record<string, unknown>): Promise<any[]> {
    const tasks: any[] = [];
    for (let i = 0; i < count; i++) {
      await first.post(`/api/automations/${automationId}/run`, { vars: { n: i } });
      const claimed = await waitFor('a task to claim', () => runner.call('POST', '/api/tasks/claim'), (c) => c.status === 200);
      expect((await runner.call('POST', `/api/tasks/${claimed.body.id}/park`, park(i))).status).toBe(200);
      tasks.push(claimed.body);
    }
    return tasks;
  }

  it('resumes each task once when matching deliveries and operators reach both servers at once', async () => {
    const tasks = await parkedTasks(TASKS, (i) => ({ waitFor: [{ key: 'pull_request:merged', repository: 'acme/multi', pullRequest: 100 + i }] }));
    const deliveries = tasks.flatMap((_, i) =>
      Array.from({ length: COPIES * 2 }, (_, copy) => sendGithub(copy % 2 ? second : first, 'gh', SECRET, 'pull_request', mergedPullRequest('acme/multi', 100 + i))),
    );
    // Operators press Resume on both servers while the deliveries arrive.
    const resumes = tasks.slice(0, 4).flatMap((task) => [first.post(`/api/tasks/${task.id}/resume`, {}), second.post(`/api/tasks/${task.id}/resume`, {})]);
    const [delivered, resumed] = await Promise.all([Promise.all(deliveries), Promise.all(resumes)]);
    expect(delivered.every((d) => d.status === 202)).toBe(true);
    for (let i = 0; i < 4; i++) expect([resumed[2 * i].status, resumed[2 * i + 1].status].filter((s) => s === 200).length).toBeLessThanOrEqual(1);

    const messageIds = delivered.map((d) => d.body.messageId as string);
    for (const task of tasks) {
      const queued = await waitForTask(first, task.id, 'queued');
      const resumes = queued.history.filter((h: any) => h.status === 'queued' && h.cause !== 'automation');
      expect(resumes).toHaveLength(1);
      expect(['event', 'operator']).toContain(resumes[0].cause);
    }
    // Every event has been matched once the last message is numbered: the trace of every message lists the tasks it resumed.
    const traced = new Map<string, number>();
    for (const id of messageIds) {
      const message = await first.waitForMessage(id, ['processed', 'no_function']);
      for (const t of message.trace.resumedTasks ?? []) traced.set(t.taskId, (traced.get(t.taskId) ?? 0) + 1);
    }
    for (const task of tasks) {
      const detail = (await second.get(`/api/tasks/${task.id}`)).body;
      expect(traced.get(task.id) ?? 0).toBe(detail.resumedBy.operator ? 0 : 1);
    }

    // The event log holds one taskResumed row per task: read once both servers have stopped.
    await second.stop();
    await first.stop();
    const rows = await queryStoppedDatabase(first.database, `SELECT task_id, count(*)::int AS n FROM event_log WHERE kind = 'taskResumed' GROUP BY task_id`);
    expect(new Map(rows.map((r: any) => [r.task_id, r.n]))).toEqual(new Map(tasks.map((t) => [t.id, 1])));
  });
});
