import { pollAutomation, SCM_POLL_HOLD_SECONDS, type ScmPollPorts, type ScmPollRuns, type ScmPollStateStore } from './scm-poll-automation';
import { failingScmHost, ScmHostError, type BranchHead, type ScmHost } from './scm-hosts';
import { resolveScmPollSettings, type ScmBranchState, type ScmPollTrigger, type StoredScmPoll } from './scm-poll';
import { isDuplicateClaim, type ShaClaim, type ShaClaimResult, type ShaClaims } from './scm-sha-claims';

/** A repository in memory: branches point at commits, each commit knows its parent and the files it changed. */
class MemoryHost implements ScmHost {
  readonly calls: string[] = [];
  /** Thrown by the next calls of a method, in order. */
  readonly failures: Partial<Record<'branches' | 'head' | 'changedFiles', unknown[]>> = {};
  private readonly heads = new Map<string, string>();
  private readonly commits = new Map<string, { parent: string | null; files: string[]; message: string }>();
  private count = 0;

  constructor(private readonly clock: Clock) {}

  commit(branch: string, files: string[] = ['README.md'], message = `change ${this.count + 1}`): string {
    const sha = (++this.count).toString(16).padStart(40, '0');
    this.commits.set(sha, { parent: this.heads.get(branch) ?? null, files, message });
    this.heads.set(branch, sha);
    return sha;
  }

  /** A branch at an existing commit, as `git branch new old` makes it. */
  branchAt(branch: string, sha: string): void {
    this.heads.set(branch, sha);
  }

  /** The branch's history thrown away: its next commit has no parent (a force push of new history). */
  rewrite(branch: string): void {
    this.heads.delete(branch);
  }

  async check() {
    return { identity: 'memory' };
  }

  async branches(repo: string): Promise<string[]> {
    this.calls.push(`branches ${repo}`);
    this.failIfAsked('branches');
    return [...this.heads.keys()];
  }

  async head(repo: string, branch: string): Promise<BranchHead> {
    this.calls.push(`head ${repo} ${branch}`);
    this.clock.advance(40);
    this.failIfAsked('head');
    const sha = this.heads.get(branch);
    if (!sha) throw new ScmHostError('not_found', `no branch ${branch}`, { status: 404 });
    const commit = this.commits.get(sha)!;
    return { branch, sha, message: commit.message, author: 'Ada', url: `https://git.example/commit/${sha}` };
  }

  async changedFiles(repo: string, fromSha: string, toSha: string): Promise<string[]> {
    this.calls.push(`changedFiles ${repo} ${fromSha.slice(-2)}..${toSha.slice(-2)}`);
    this.failIfAsked('changedFiles');
    const files: string[] = [];
    for (let sha: string | null = toSha; sha !== fromSha; sha = this.commits.get(sha)!.parent) {
      if (sha === null) throw new ScmHostError('not_found', `${fromSha} is not an ancestor of ${toSha}`, { status: 404 });
      files.push(...this.commits.get(sha)!.files);
    }
    return [...new Set(files)];
  }

  private failIfAsked(method: 'branches' | 'head' | 'changedFiles'): void {
    const error = this.failures[method]?.shift();
    if (error !== undefined) throw error;
  }
}

class Clock {
  constructor(private time = Date.parse('2026-03-01T10:00:00Z')) {}
  now = () => new Date(this.time);
  advance(ms: number): void {
    this.time += ms;
  }
}

class MemoryState implements ScmPollStateStore {
  readonly rows = new Map<string, ScmBranchState>();
  writes = 0;

  async readPollState(automationId: string) {
    return [...this.rows.entries()].filter(([key]) => key.startsWith(`${automationId} `)).map(([, state]) => structuredClone(state));
  }

  async takeDueBranches(automationId: string, branches: string[], now: Date, holdUntil: Date) {
    const taken: ScmBranchState[] = [];
    for (const branch of branches) {
      const key = `${automationId} ${branch}`;
      const state = this.rows.get(key) ?? { branch, lastSha: null, lastPollAt: null, lastError: null, consecutiveErrors: 0, nextAttemptAt: null, baselineAt: null, recentErrors: [] };
      if (state.nextAttemptAt && state.nextAttemptAt > now) continue;
      this.rows.set(key, { ...state, nextAttemptAt: holdUntil });
      taken.push(structuredClone({ ...state, nextAttemptAt: holdUntil }));
    }
    return taken;
  }

  async writeBranchState(automationId: string, state: ScmBranchState) {
    this.writes++;
    this.rows.set(`${automationId} ${state.branch}`, structuredClone(state));
  }

  get(branch: string): ScmBranchState | undefined {
    return this.rows.get(`a1 ${branch}`);
  }
}

class MemoryClaims implements ShaClaims {
  readonly rows = new Map<string, ShaClaim>();

  async claimSha(automationId: string, claim: ShaClaim, windowSeconds: number): Promise<ShaClaimResult> {
    const key = `${automationId} ${claim.sha}`;
    const earlier = this.rows.get(key);
    if (earlier && isDuplicateClaim(earlier, claim.source, claim.seenAt, windowSeconds)) return { first: false, earlier };
    this.rows.set(key, claim);
    return { first: true };
  }

  async findSha(automationId: string, sha: string) {
    return this.rows.get(`${automationId} ${sha}`) ?? null;
  }
}

class MemoryRuns implements ScmPollRuns {
  readonly started: Array<{ runId: string; trigger: ScmPollTrigger }> = [];
  readonly skipped: Array<{ runId: string; trigger: ScmPollTrigger; reason: string }> = [];

  async startRun(runId: string, trigger: ScmPollTrigger) {
    this.started.push({ runId, trigger });
  }

  async skipRun(runId: string, trigger: ScmPollTrigger, reason: string) {
    this.skipped.push({ runId, trigger, reason });
  }
}

function setUp(stored: Partial<StoredScmPoll> = {}) {
  const clock = new Clock();
  const host = new MemoryHost(clock);
  const state = new MemoryState();
  const claims = new MemoryClaims();
  const runs = new MemoryRuns();
  let ids = 0;
  const ports: ScmPollPorts = { host, state, claims, runs, now: clock.now, newId: () => `run-${++ids}` };
  const settings = resolveScmPollSettings({ providerName: 'gh', repo: 'acme/customer-api', branch: 'main', ...stored } as StoredScmPoll);
  return {
    clock,
    host,
    state,
    claims,
    runs,
    poll: (options: { dryRun?: boolean } = {}) => pollAutomation('a1', settings, ports, options),
    /** A baseline on main, then a push that a webhook ran at once: the pushed SHA. */
    pushedByWebhook: async () => {
      host.commit('main');
      await pollAutomation('a1', settings, ports);
      const pushed = host.commit('main');
      await claims.claimSha('a1', { sha: pushed, source: 'webhook', runId: 'webhook-run', seenAt: clock.now() }, 300);
      return pushed;
    },
    /** Polls once the minimum interval has passed. */
    pollLater: (seconds = 60) => {
      clock.advance(seconds * 1000);
      return pollAutomation('a1', settings, ports);
    },
  };
}

describe('pollAutomation', () => {
  it('records the first SHA as the baseline and runs nothing', async () => {
    const { host, state, runs, poll, clock } = setUp();
    const sha = host.commit('main');
    const report = await poll();
    expect(report.branches).toEqual([
      expect.objectContaining({ branch: 'main', outcome: 'baseline', wouldTrigger: false, previousSha: null, head: expect.objectContaining({ sha }), latencyMs: 40, runId: null }),
    ]);
    expect(runs.started).toEqual([]);
    expect(state.get('main')).toEqual({
      branch: 'main',
      lastSha: sha,
      lastPollAt: clock.now(),
      lastError: null,
      consecutiveErrors: 0,
      nextAttemptAt: new Date(clock.now().getTime() + 60_000),
      baselineAt: clock.now(),
      recentErrors: [],
    });
  });

  it('runs once for a new SHA, with the old and new SHA, and not again for the same SHA', async () => {
    const { host, runs, poll, pollLater } = setUp();
    const first = host.commit('main');
    await poll();
    expect((await pollLater()).branches[0]).toMatchObject({ outcome: 'unchanged', wouldTrigger: false });
    const second = host.commit('main', ['src/a.ts'], 'Fix login');
    const report = await pollLater();
    expect(report.branches[0]).toMatchObject({ outcome: 'triggered', wouldTrigger: true, previousSha: first, runId: 'run-1' });
    expect(runs.started).toEqual([
      {
        runId: 'run-1',
        trigger: { providerName: 'gh', repo: 'acme/customer-api', branch: 'main', oldSha: first, newSha: second, commitMessage: 'Fix login', author: 'Ada', commitUrl: `https://git.example/commit/${second}`, latencyMs: 40 },
      },
    ]);
    expect((await pollLater()).branches[0].outcome).toBe('unchanged');
    expect(runs.started).toHaveLength(1);
  });

  it('does not poll a branch again before its minimum interval', async () => {
    const { host, poll, pollLater } = setUp({ minIntervalSeconds: 300 });
    host.commit('main');
    await poll();
    host.commit('main');
    const early = await pollLater(299);
    expect(early.branches[0]).toMatchObject({ outcome: 'waiting', nextAttemptAt: new Date(Date.parse('2026-03-01T10:05:00.040Z')) });
    expect(host.calls).toEqual(['head acme/customer-api main']);
    expect((await pollLater(1)).branches[0].outcome).toBe('triggered');
  });

  it('watches each branch a pattern matches on its own, and finds new ones when it lists again', async () => {
    const { host, state, runs, poll, pollLater } = setUp({ branch: undefined, branches: ['main', 'release/*'] });
    host.commit('main');
    host.commit('release/1.0');
    host.commit('feature/x');
    const first = await poll();
    expect(first.listing).toMatchObject({ patterns: ['release/*'], outcome: 'listed', matched: ['release/1.0'] });
    expect(first.branches.map((b) => [b.branch, b.outcome])).toEqual([
      ['main', 'baseline'],
      ['release/1.0', 'baseline'],
    ]);
    expect(state.get('release/*')).toMatchObject({ lastSha: null, consecutiveErrors: 0, nextAttemptAt: new Date(Date.parse('2026-03-01T10:01:00Z')) });
    host.commit('main');
    host.commit('release/1.0');
    host.commit('feature/x');
    host.commit('release/2.0');
    const second = await pollLater();
    expect(second.branches.map((b) => [b.branch, b.outcome])).toEqual([
      ['main', 'triggered'],
      ['release/1.0', 'triggered'],
      ['release/2.0', 'baseline'],
    ]);
    expect(runs.started.map((run) => run.trigger.branch)).toEqual(['main', 'release/1.0']);
  });

  it('runs two branches that moved to one commit each once', async () => {
    const { host, runs, poll, pollLater } = setUp({ branch: undefined, branches: ['main', 'release/*'] });
    host.commit('main');
    host.commit('release/1.0');
    await poll();
    const shared = host.commit('main');
    host.branchAt('release/1.0', shared);
    await pollLater();
    expect(runs.started.map((run) => [run.trigger.branch, run.trigger.newSha])).toEqual([
      ['main', shared],
      ['release/1.0', shared],
    ]);
  });

  it('polls the branches found before while the listing waits, and records a failed listing on the pattern', async () => {
    const { host, state, runs, poll, pollLater } = setUp({ branch: undefined, branches: ['release/*'] });
    host.commit('release/1.0');
    await poll();
    host.failures.branches = [new ScmHostError('unavailable', 'GitHub answered 503', { status: 503 })];
    host.commit('release/1.0');
    const failedListing = await pollLater();
    expect(failedListing.listing).toMatchObject({ outcome: 'failed', matched: [], error: { kind: 'unavailable', message: 'GitHub answered 503' } });
    expect(failedListing.branches).toEqual([]);
    expect(state.get('release/*')).toMatchObject({ consecutiveErrors: 1, lastError: 'GitHub answered 503' });
    // The listing and the branch are due at different times now: the branch is polled alone.
    state.rows.set('a1 release/*', { ...state.get('release/*')!, nextAttemptAt: new Date(Date.parse('2026-03-01T11:00:00Z')) });
    const waitingListing = await pollLater();
    expect(waitingListing.listing).toMatchObject({ outcome: 'waiting', matched: ['release/1.0'] });
    expect(waitingListing.branches.map((b) => [b.branch, b.outcome])).toEqual([['release/1.0', 'triggered']]);
    expect(runs.started).toHaveLength(1);
  });

  it('runs only when a file changed over the whole old..new range matches paths, and says what it compared', async () => {
    const { host, runs, poll, pollLater } = setUp({ paths: ['src/api/**', 'package.json'] });
    const base = host.commit('main');
    await poll();
    host.commit('main', ['docs/intro.md']);
    host.commit('main', ['src/api/users.ts']);
    const third = host.commit('main', ['README.md']);
    const moved = await pollLater();
    expect(moved.branches[0]).toMatchObject({
      outcome: 'triggered',
      paths: { patterns: ['src/api/**', 'package.json'], fromSha: base, toSha: third, compared: true, changedCount: 3, matched: ['src/api/users.ts'], matchedCount: 1 },
    });
    const docsOnly = host.commit('main', ['docs/setup.md', 'src/web/app.ts']);
    const filtered = await pollLater();
    expect(filtered.branches[0]).toMatchObject({ outcome: 'filtered', wouldTrigger: false, runId: 'run-2', paths: { matchedCount: 0, changedSample: ['docs/setup.md', 'src/web/app.ts'] } });
    expect(runs.started).toHaveLength(1);
    expect(runs.skipped).toEqual([
      { runId: 'run-2', trigger: expect.objectContaining({ oldSha: third, newSha: docsOnly }), reason: `no file changed in ${third}..${docsOnly} matches src/api/**, package.json (2 changed)` },
    ]);
    // The SHA moved all the same: the next poll compares from there.
    expect((await pollLater()).branches[0].outcome).toBe('unchanged');
  });

  it('runs a branch whose range the host cannot compare, and retries the comparison after other failures', async () => {
    const { host, runs, poll, pollLater } = setUp({ paths: ['src/**'] });
    host.commit('main');
    await poll();
    host.commit('main', ['src/a.ts']);
    host.failures.changedFiles = [new ScmHostError('unavailable', 'compare timed out')];
    const failed = await pollLater();
    expect(failed.branches[0]).toMatchObject({ outcome: 'failed', error: { kind: 'unavailable', message: 'compare timed out' }, runId: null });
    expect((await pollLater()).branches[0]).toMatchObject({ outcome: 'triggered', paths: { matched: ['src/a.ts'] } });
    // A force push: the old SHA is no ancestor of the new one.
    host.rewrite('main');
    host.commit('main', ['docs/only.md']);
    const rewritten = await pollLater();
    expect(rewritten.branches[0]).toMatchObject({ outcome: 'triggered', paths: { compared: false, reason: expect.stringContaining('is not an ancestor') } });
    expect(runs.started).toHaveLength(2);
  });

  it('backs off after the threshold of consecutive errors and resets on a success', async () => {
    const { host, state, poll, clock } = setUp({ backoff: { baseSeconds: 120, maxSeconds: 600, threshold: 2 } });
    host.commit('main');
    await poll();
    host.failures.head = Array.from({ length: 5 }, () => new ScmHostError('unavailable', 'GitHub answered 502', { status: 502 }));
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(state.get('main')!.nextAttemptAt!.getTime() - clock.now().getTime());
      const report = await poll();
      expect(report.branches[0]).toMatchObject({ outcome: 'failed', error: { kind: 'unavailable' } });
      waits.push((report.branches[0].nextAttemptAt!.getTime() - clock.now().getTime()) / 1000);
      clock.advance(1000);
      expect((await poll()).branches[0].outcome).toBe('waiting');
      clock.advance(-1000);
    }
    expect(waits).toEqual([60, 120, 240, 480, 600]);
    expect(state.get('main')).toMatchObject({ consecutiveErrors: 5, lastError: 'GitHub answered 502' });
    clock.advance(600_000);
    expect((await poll()).branches[0]).toMatchObject({ outcome: 'unchanged', nextAttemptAt: new Date(clock.now().getTime() + 60_000) });
    expect(state.get('main')).toMatchObject({ consecutiveErrors: 0, lastError: null });
    expect(state.get('main')!.recentErrors).toHaveLength(5);
  });

  it('waits for the end of a rate limit', async () => {
    const { host, clock, poll, pollLater } = setUp();
    host.commit('main');
    await poll();
    const retryAt = new Date(clock.now().getTime() + 900_000);
    host.failures.head = [new ScmHostError('rate_limited', 'API rate limit exceeded', { status: 403, retryAt })];
    expect((await pollLater()).branches[0]).toMatchObject({ outcome: 'failed', nextAttemptAt: retryAt });
    expect((await pollLater(600)).branches[0].outcome).toBe('waiting');
    expect((await pollLater(300)).branches[0].outcome).toBe('unchanged');
  });

  it('reports an error that is no ScmHostError as the host unavailable, and a missing branch as not found', async () => {
    const { host, poll } = setUp({ branch: undefined, branches: ['main', 'gone'] });
    host.commit('main');
    host.failures.head = [new TypeError('fetch failed')];
    const report = await poll();
    expect(report.branches.map((b) => [b.branch, b.outcome, b.error?.kind])).toEqual([
      ['main', 'failed', 'unavailable'],
      ['gone', 'failed', 'not_found'],
    ]);
  });

  it('records a provider that cannot be asked at all as an error of the listing and of each branch, with backoff', async () => {
    const { state, claims, runs, clock } = setUp();
    const gone = new ScmHostError('invalid', 'No Git provider is named "gh"');
    const settings = resolveScmPollSettings({ providerName: 'gh', repo: 'acme/api', branches: ['main', 'release/*'], backoff: { threshold: 1 } });
    const report = await pollAutomation('a1', settings, { host: failingScmHost(gone), state, claims, runs, now: clock.now });
    expect(report.listing).toMatchObject({ outcome: 'failed', error: { kind: 'invalid', message: 'No Git provider is named "gh"' } });
    expect(report.branches.map((b) => [b.branch, b.outcome, b.error?.message])).toEqual([['main', 'failed', 'No Git provider is named "gh"']]);
    expect([state.get('main')?.consecutiveErrors, state.get('release/*')?.consecutiveErrors]).toEqual([1, 1]);
    expect(runs.started).toEqual([]);
  });

  it('skips a SHA a webhook ran within the dedup window, records why, and moves on', async () => {
    const { runs, state, pushedByWebhook, pollLater } = setUp();
    const pushed = await pushedByWebhook();
    const report = await pollLater();
    expect(report.branches[0]).toMatchObject({ outcome: 'duplicate', wouldTrigger: false, runId: 'run-1', duplicateOf: { source: 'webhook', runId: 'webhook-run' } });
    expect(runs.started).toEqual([]);
    expect(runs.skipped).toEqual([{ runId: 'run-1', trigger: expect.objectContaining({ newSha: pushed }), reason: expect.stringMatching(/^the webhook run webhook-run already ran [0-9a-f]{40} at /) }]);
    expect(state.get('main')!.lastSha).toBe(pushed);
  });

  it("runs a SHA whose webhook claim is older than the window, and claims it for the webhook's dedup", async () => {
    const { claims, runs, pushedByWebhook, pollLater, clock } = setUp({ webhookDedupWindowSeconds: 30 });
    const pushed = await pushedByWebhook();
    expect((await pollLater()).branches[0].outcome).toBe('triggered');
    expect(runs.started.map((run) => run.runId)).toEqual(['run-1']);
    const late = await claims.claimSha('a1', { sha: pushed, source: 'webhook', runId: 'late-webhook', seenAt: clock.now() }, 30);
    expect(late).toEqual({ first: false, earlier: { sha: pushed, source: 'poll', runId: 'run-1', seenAt: expect.any(Date) } });
  });

  it('neither claims nor checks SHAs with a dedup window of 0', async () => {
    const { claims, runs, pushedByWebhook, pollLater } = setUp({ webhookDedupWindowSeconds: 0 });
    const pushed = await pushedByWebhook();
    expect((await pollLater()).branches[0].outcome).toBe('triggered');
    expect(runs.started).toHaveLength(1);
    expect(claims.rows.get(`a1 ${pushed}`)!.runId).toBe('webhook-run');
  });

  it('in a dry run, polls every branch whether due or not, reports what would happen, and changes nothing', async () => {
    const { host, state, claims, runs, poll } = setUp({ branch: undefined, branches: ['main', 'release/*'], paths: ['src/**'] });
    host.commit('main');
    host.commit('release/1.0');
    const dryFirst = await poll({ dryRun: true });
    expect(dryFirst.branches.map((b) => [b.branch, b.outcome])).toEqual([
      ['main', 'baseline'],
      ['release/1.0', 'baseline'],
    ]);
    expect([state.rows.size, state.writes]).toEqual([0, 0]);
    await poll();
    const writes = state.writes;
    const before = structuredClone([...state.rows.entries()]);
    host.commit('main', ['src/a.ts']);
    const webhookSha = host.commit('release/1.0', ['src/b.ts']);
    await claims.claimSha('a1', { sha: webhookSha, source: 'webhook', runId: 'webhook-run', seenAt: new Date(Date.parse('2026-03-01T10:00:00Z')) }, 300);
    // Straight after the real poll: nothing is due, yet the dry run polls.
    const dry = await poll({ dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.listing).toMatchObject({ outcome: 'listed', matched: ['release/1.0'] });
    expect(dry.branches.map((b) => [b.branch, b.outcome, b.wouldTrigger, b.runId, b.paths?.matched])).toEqual([
      ['main', 'triggered', true, null, ['src/a.ts']],
      ['release/1.0', 'duplicate', false, null, ['src/b.ts']],
    ]);
    expect([...state.rows.entries()]).toEqual(before);
    expect(state.writes).toBe(writes);
    expect(claims.rows.size).toBe(1);
    expect([runs.started, runs.skipped]).toEqual([[], []]);
  });

  it('polls a branch once when two pollers tick together, and lets a poller that died hand it on after the hold', async () => {
    const { host, runs, state, poll, clock } = setUp();
    host.commit('main');
    await poll();
    host.commit('main');
    clock.advance(60_000);
    const [one, two] = await Promise.all([poll(), poll()]);
    expect([one.branches[0].outcome, two.branches[0].outcome].sort()).toEqual(['triggered', 'waiting']);
    expect(runs.started).toHaveLength(1);
    // A poller takes the branch and dies before writing: the branch waits out the hold.
    clock.advance(60_000);
    await state.takeDueBranches('a1', ['main'], clock.now(), new Date(clock.now().getTime() + SCM_POLL_HOLD_SECONDS * 1000));
    host.commit('main');
    expect((await poll()).branches[0].outcome).toBe('waiting');
    clock.advance(SCM_POLL_HOLD_SECONDS * 1000);
    expect((await poll()).branches[0].outcome).toBe('triggered');
  });
});
