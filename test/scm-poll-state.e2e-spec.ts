import { randomUUID } from 'node:crypto';
import { RepositoryProcess } from './support/repository-process';
import { createTestDatabase, describeDatabase, type TestDatabase } from './support/test-database';

const SECOND = 1000;
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * SECOND);
const sha = (n: number) => n.toString(16).padStart(40, 'a');

// The repositories behind SCM polling, called as a server calls them, on the database under test.
describe(`SCM poll state and SHA claims on ${describeDatabase()}`, () => {
  let database: TestDatabase;
  let one: RepositoryProcess;
  /** A second server on the same database; on PGlite, which only one process may open, the same one. */
  let two: RepositoryProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    one = await RepositoryProcess.open(database);
    two = database.kind === 'postgres' ? await RepositoryProcess.open(database) : one;
  });

  afterAll(async () => {
    if (two !== one) await two.close();
    await one.close();
    await database.drop();
  });

  async function automation(): Promise<string> {
    const created = await one.call('automations', 'insert', {
      name: `poll-${randomUUID().slice(0, 8)}`,
      schedule: '* * * * *',
      target: { kind: 'command', command: 'true', argv: ['true'], shell: false, timeoutMs: 1000 },
      scmPoll: { providerName: 'gh', repo: 'acme/api', branches: ['main', 'release/*'] },
    });
    return created.id;
  }

  function state(branch: string, fields: Record<string, unknown> = {}) {
    return { branch, lastSha: null, lastPollAt: null, lastError: null, consecutiveErrors: 0, nextAttemptAt: null, baselineAt: null, recentErrors: [], ...fields };
  }

  describe('poll state', () => {
    it('takes a branch never polled, holds it until the hold ends, and gives it to no one else meanwhile', async () => {
      const id = await automation();
      const taken = await one.call('pollState', 'takeDueBranches', id, ['main'], at(0), at(600));
      expect(taken).toEqual([state('main', { nextAttemptAt: at(600) })]);
      expect(await two.call('pollState', 'takeDueBranches', id, ['main'], at(1), at(601))).toEqual([]);
      expect(await two.call('pollState', 'takeDueBranches', id, ['main'], at(599), at(1199))).toEqual([]);
      expect(await two.call('pollState', 'takeDueBranches', id, ['main'], at(600), at(1200))).toEqual([state('main', { nextAttemptAt: at(1200) })]);
    });

    it('writes a branch result whole and reads every branch of the automation back', async () => {
      const id = await automation();
      const other = await automation();
      const written = state('main', {
        lastSha: sha(1),
        lastPollAt: at(10),
        lastError: 'GitHub answered 502',
        consecutiveErrors: 4,
        nextAttemptAt: at(70),
        baselineAt: at(0),
        recentErrors: [
          { at: at(10), kind: 'unavailable', message: 'GitHub answered 502' },
          { at: at(5), kind: 'rate_limited', message: 'API rate limit exceeded' },
        ],
      });
      await one.call('pollState', 'writeBranchState', id, written);
      await one.call('pollState', 'writeBranchState', id, state('release/*', { lastPollAt: at(10), nextAttemptAt: at(70) }));
      await one.call('pollState', 'writeBranchState', other, state('main', { lastSha: sha(9) }));
      expect(await two.call('pollState', 'readPollState', id)).toEqual([written, state('release/*', { lastPollAt: at(10), nextAttemptAt: at(70) })]);
      const recovered = { ...written, lastSha: sha(2), lastError: null, consecutiveErrors: 0, nextAttemptAt: at(200) };
      await two.call('pollState', 'writeBranchState', id, recovered);
      expect((await one.call('pollState', 'readPollState', id))[0]).toEqual(recovered);
    });

    it('takes only the branches that are due: none written yet, or their next attempt reached', async () => {
      const id = await automation();
      await one.call('pollState', 'writeBranchState', id, state('waiting', { lastSha: sha(1), nextAttemptAt: at(60) }));
      await one.call('pollState', 'writeBranchState', id, state('due', { lastSha: sha(2), nextAttemptAt: at(30) }));
      await one.call('pollState', 'writeBranchState', id, state('never', { lastSha: sha(3) }));
      const taken = await one.call('pollState', 'takeDueBranches', id, ['waiting', 'due', 'never', 'new', 'new'], at(30), at(630));
      expect(taken.map((row: any) => [row.branch, row.lastSha, row.nextAttemptAt]).sort()).toEqual([
        ['due', sha(2), at(630)],
        ['never', sha(3), at(630)],
        ['new', null, at(630)],
      ]);
      expect(await one.call('pollState', 'takeDueBranches', id, [], at(30), at(630))).toEqual([]);
    });

    it('gives each due branch to exactly one of two servers taking the same branches at once, in opposite orders', async () => {
      const id = await automation();
      const branches = Array.from({ length: 30 }, (_, i) => `feature/${i}`);
      for (let round = 0; round < 3; round++) {
        const now = at(round * 1000);
        const hold = at(round * 1000 + 600);
        const [first, second] = await Promise.all([
          one.call('pollState', 'takeDueBranches', id, branches, now, hold),
          two.call('pollState', 'takeDueBranches', id, [...branches].reverse(), now, hold),
          ...branches.slice(0, 10).map((branch) => two.call('pollState', 'takeDueBranches', id, [branch], now, hold)),
        ]).then(([a, b, ...singles]) => [a, [...b, ...singles.flat()]]);
        const names = [...first, ...second].map((row: any) => row.branch).sort();
        expect(names).toEqual([...branches].sort());
      }
    });

    it('forgets the branches no entry watches any more, and everything when the repository changes', async () => {
      const id = await automation();
      for (const branch of ['main', 'release/*', 'release/1.0', 'develop']) await one.call('pollState', 'writeBranchState', id, state(branch, { lastSha: sha(1) }));
      const before = { providerName: 'gh', repo: 'acme/api', branches: ['main', 'develop', 'release/*'] };
      await one.call('scmPollSetting', 'settle', id, before, { ...before, branches: ['main', 'release/*'] });
      expect((await one.call('pollState', 'readPollState', id)).map((row: any) => row.branch)).toEqual(['main', 'release/*', 'release/1.0']);
      await one.call('scmPollSetting', 'settle', id, before, { ...before, branch: 'main', branches: undefined });
      expect((await one.call('pollState', 'readPollState', id)).map((row: any) => row.branch)).toEqual(['main']);
      await one.call('scmPollSetting', 'settle', id, { ...before, branch: 'main' }, { ...before, repo: 'acme/web', branch: 'main' });
      expect(await one.call('pollState', 'readPollState', id)).toEqual([]);
    });
  });

  describe('SHA claims', () => {
    const claim = (n: number, source: 'webhook' | 'poll', seconds: number, runId = randomUUID()) => ({ sha: sha(n), source, runId, seenAt: at(seconds) });

    it('lets the first claim of a SHA through and holds the other source back within the window', async () => {
      const id = await automation();
      const webhook = claim(1, 'webhook', 0);
      expect(await one.call('claims', 'claimSha', id, webhook, 300)).toEqual({ first: true });
      expect(await two.call('claims', 'claimSha', id, claim(1, 'poll', 299), 300)).toEqual({ first: false, earlier: webhook });
      expect(await two.call('claims', 'findSha', id, sha(1))).toEqual(webhook);
      expect(await two.call('claims', 'findSha', id, sha(2))).toBeNull();
    });

    it('takes a claim over from the same source, once the window has passed, and with the window 0', async () => {
      const id = await automation();
      await one.call('claims', 'claimSha', id, claim(1, 'poll', 0), 300);
      const samePoll = claim(1, 'poll', 10);
      expect(await one.call('claims', 'claimSha', id, samePoll, 300)).toEqual({ first: true });
      const late = claim(1, 'webhook', 310);
      expect(await two.call('claims', 'claimSha', id, late, 300)).toEqual({ first: true });
      expect(await two.call('claims', 'findSha', id, sha(1))).toEqual(late);
      expect(await one.call('claims', 'claimSha', id, claim(1, 'poll', 311), 0)).toEqual({ first: true });
    });

    it('keeps the claims of each automation apart', async () => {
      const [a, b] = [await automation(), await automation()];
      expect(await one.call('claims', 'claimSha', a, claim(1, 'webhook', 0), 300)).toEqual({ first: true });
      expect(await one.call('claims', 'claimSha', b, claim(1, 'poll', 1), 300)).toEqual({ first: true });
    });

    it('lets exactly one of a webhook and a poll claiming the same SHAs at once on two servers through', async () => {
      const id = await automation();
      const shas = Array.from({ length: 40 }, (_, i) => 100 + i);
      const results = await Promise.all(
        shas.flatMap((n) => [
          one.call('claims', 'claimSha', id, claim(n, 'webhook', 0), 300).then((result) => ({ n, source: 'webhook', ...result })),
          two.call('claims', 'claimSha', id, claim(n, 'poll', 0), 300).then((result) => ({ n, source: 'poll', ...result })),
        ]),
      );
      for (const n of shas) {
        const pair = results.filter((result) => result.n === n);
        expect(pair.filter((result) => result.first)).toHaveLength(1);
        const held = pair.find((result) => !result.first) as any;
        expect(held.earlier.source).toBe(pair.find((result) => result.first)!.source);
      }
    });

    it('prunes claims older than a time', async () => {
      const id = await automation();
      await one.call('claims', 'claimSha', id, claim(1, 'webhook', 0), 300);
      await one.call('claims', 'claimSha', id, claim(2, 'webhook', 100), 300);
      expect(await one.call('claims', 'pruneClaims', at(50))).toBeGreaterThanOrEqual(1);
      expect(await one.call('claims', 'findSha', id, sha(1))).toBeNull();
      expect(await one.call('claims', 'findSha', id, sha(2))).not.toBeNull();
    });
  });

  it('removes the poll state and the claims of an automation with it', async () => {
    const id = await automation();
    const kept = await automation();
    await one.call('pollState', 'writeBranchState', id, state('main', { lastSha: sha(1) }));
    await one.call('pollState', 'writeBranchState', kept, state('main', { lastSha: sha(1) }));
    await one.call('claims', 'claimSha', id, { sha: sha(1), source: 'poll', runId: randomUUID(), seenAt: at(0) }, 300);
    await one.call('automations', 'delete', id);
    expect(await two.call('pollState', 'readPollState', id)).toEqual([]);
    expect(await two.call('claims', 'findSha', id, sha(1))).toBeNull();
    expect(await two.call('pollState', 'readPollState', kept)).toHaveLength(1);
  });
});
