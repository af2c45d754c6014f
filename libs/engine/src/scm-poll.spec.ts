import { ScmHostError } from './scm-hosts';
import {
  backoffSeconds,
  checkChangedPaths,
  compareHead,
  freshBranchState,
  nextPollAt,
  pathsAllowRun,
  recordPollFailure,
  recordPollSuccess,
  resolveScmPollSettings,
  SCM_RECENT_ERRORS,
  scmEnvPrefix,
  scmPollEnvironment,
  scmPollPayload,
  scmPollTrigger,
  isWatchedBranch,
  toScmPollFailure,
  watchedBranches,
  watchedEntries,
} from './scm-poll';

const at = (iso: string) => new Date(`2026-03-01T${iso}Z`);
const settings = resolveScmPollSettings({ providerName: 'gh', repo: 'acme/customer-api', branch: 'main' });

describe('resolveScmPollSettings', () => {
  it('fills every field left out with its default', () => {
    expect(settings).toEqual({
      providerName: 'gh',
      repo: 'acme/customer-api',
      branch: 'main',
      paths: [],
      minIntervalSeconds: 60,
      webhookDedupWindowSeconds: 300,
      backoff: { baseSeconds: 30, maxSeconds: 1800, threshold: 3 },
    });
  });

  it('keeps the fields given, a part of backoff included, and a branch list as a list', () => {
    const stored = { providerName: 'gh', repo: 'r', branches: ['main', 'release/*'], paths: ['src/**'], minIntervalSeconds: 300, webhookDedupWindowSeconds: 0 };
    const resolved = resolveScmPollSettings({ ...stored, backoff: { threshold: 5 } });
    expect(resolved).toEqual({ ...stored, backoff: { baseSeconds: 30, maxSeconds: 1800, threshold: 5 } });
    expect('branch' in resolved).toBe(false);
  });
});

describe('watched branches', () => {
  it('watches the one branch, or each entry of the list', () => {
    expect(watchedEntries({ branch: 'main' })).toEqual(['main']);
    expect(watchedEntries({ branches: ['main', 'release/*'] })).toEqual(['main', 'release/*']);
  });

  it('keeps exact names even when the host did not list them, and adds each listed branch a pattern matches once', () => {
    const listed = ['main', 'release/1.0', 'release/2.0', 'release/2.0/hotfix', 'feature/x', 'hotfix/1'];
    expect(watchedBranches(['gone', 'release/*', 'main', 'release/2.*', '*fix/?'], listed)).toEqual(['gone', 'main', 'release/1.0', 'release/2.0', 'hotfix/1']);
    expect(watchedBranches(['release/*'], [])).toEqual([]);
  });
});

describe('isWatchedBranch', () => {
  it('keeps the states of the entries and of branches a pattern matches, and no others', () => {
    const entries = ['main', 'release/*'];
    expect(['main', 'release/*', 'release/1.0', 'release/1.0/x', 'develop', 'hotfix/*'].filter((branch) => isWatchedBranch(branch, entries))).toEqual(['main', 'release/*', 'release/1.0']);
  });
});

describe('compareHead', () => {
  it('takes the first SHA as the baseline, the same SHA as no change and a new one as a move from old to new', () => {
    expect(compareHead(null, 'a1')).toEqual({ kind: 'baseline', sha: 'a1' });
    expect(compareHead('a1', 'a1')).toEqual({ kind: 'unchanged', sha: 'a1' });
    expect(compareHead('a1', 'b2')).toEqual({ kind: 'moved', oldSha: 'a1', newSha: 'b2' });
  });
});

describe('the paths filter', () => {
  it('says which changed files match and lets the branch run only when one does', () => {
    const check = checkChangedPaths(['src/api/**', 'package.json'], 'a1', 'b2', ['README.md', 'src/api/users.ts', 'src/web/app.ts', 'package.json']);
    expect(check).toEqual({
      patterns: ['src/api/**', 'package.json'],
      fromSha: 'a1',
      toSha: 'b2',
      compared: true,
      changedCount: 4,
      matched: ['src/api/users.ts', 'package.json'],
      matchedCount: 2,
      changedSample: ['README.md', 'src/api/users.ts', 'src/web/app.ts', 'package.json'],
    });
    expect(pathsAllowRun(check)).toBe(true);
    const miss = checkChangedPaths(['src/api/**'], 'a1', 'b2', ['docs/x.md']);
    expect([miss.matchedCount, pathsAllowRun(miss)]).toEqual([0, false]);
  });

  it('lists at most 20 files of each kind but counts them all', () => {
    const changed = Array.from({ length: 45 }, (_, i) => `src/f${i}.ts`);
    const check = checkChangedPaths(['src/**'], 'a', 'b', changed);
    expect([check.matched.length, check.matchedCount, check.changedSample.length, check.changedCount]).toEqual([20, 45, 20, 45]);
  });

  it('lets a branch run with no filter, or when the range could not be compared', () => {
    expect(pathsAllowRun(null)).toBe(true);
    expect(pathsAllowRun({ ...checkChangedPaths(['src/**'], 'a', 'b', []), compared: false })).toBe(true);
  });
});

describe('backoff', () => {
  const backoff = { baseSeconds: 30, maxSeconds: 1800, threshold: 3 };

  it('waits nothing below the threshold, then doubles from the base up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 5000].map((errors) => backoffSeconds(errors, backoff))).toEqual([0, 0, 0, 30, 60, 120, 240, 1800, 1800, 1800, 1800]);
  });

  it('keeps the minimum interval as a floor between polls, errors or not', () => {
    const now = at('10:00:00');
    expect(nextPollAt(now, settings, 0)).toEqual(at('10:01:00'));
    expect(nextPollAt(now, settings, 3)).toEqual(at('10:01:00'));
    expect(nextPollAt(now, settings, 5)).toEqual(at('10:02:00'));
    expect(nextPollAt(now, { ...settings, minIntervalSeconds: 600 }, 5)).toEqual(at('10:10:00'));
  });

  it('waits for a rate limit to end when that is later than the backoff', () => {
    const now = at('10:00:00');
    expect(nextPollAt(now, settings, 1, at('10:17:00'))).toEqual(at('10:17:00'));
    expect(nextPollAt(now, settings, 1, at('10:00:10'))).toEqual(at('10:01:00'));
  });
});

describe('branch state after a poll', () => {
  const failure = { kind: 'unavailable' as const, message: 'GitHub answered 502' };

  it('records the baseline time once, on the first successful poll', () => {
    const first = recordPollSuccess(freshBranchState('main'), 'a1', settings, at('10:00:00'));
    expect(first).toEqual({
      branch: 'main',
      lastSha: 'a1',
      lastPollAt: at('10:00:00'),
      lastError: null,
      consecutiveErrors: 0,
      nextAttemptAt: at('10:01:00'),
      baselineAt: at('10:00:00'),
      recentErrors: [],
    });
    const later = recordPollSuccess(first, 'b2', settings, at('10:05:00'));
    expect([later.lastSha, later.baselineAt, later.nextAttemptAt]).toEqual(['b2', at('10:00:00'), at('10:06:00')]);
  });

  it('counts errors, backs off past the threshold, keeps the SHA, and resets on the next success', () => {
    let state = recordPollSuccess(freshBranchState('main'), 'a1', settings, at('10:00:00'));
    const waits: number[] = [];
    let now = at('10:00:00');
    for (let i = 0; i < 7; i++) {
      now = state.nextAttemptAt as Date;
      state = recordPollFailure(state, failure, settings, now);
      waits.push(((state.nextAttemptAt as Date).getTime() - now.getTime()) / 1000);
    }
    expect(waits).toEqual([60, 60, 60, 60, 120, 240, 480]);
    expect([state.lastSha, state.consecutiveErrors, state.lastError]).toEqual(['a1', 7, 'GitHub answered 502']);
    expect(state.recentErrors).toHaveLength(SCM_RECENT_ERRORS);
    expect(state.recentErrors[0]).toEqual({ at: now, kind: 'unavailable', message: 'GitHub answered 502' });
    const recovered = recordPollSuccess(state, 'a1', settings, at('12:00:00'));
    expect([recovered.consecutiveErrors, recovered.lastError, recovered.nextAttemptAt]).toEqual([0, null, at('12:01:00')]);
    expect(recovered.recentErrors).toHaveLength(SCM_RECENT_ERRORS);
  });

  it('leaves the SHA and the baseline of a pattern listing empty', () => {
    const listed = recordPollSuccess(freshBranchState('release/*'), null, settings, at('10:00:00'));
    expect([listed.lastSha, listed.baselineAt, listed.lastPollAt]).toEqual([null, null, at('10:00:00')]);
  });
});

describe('toScmPollFailure', () => {
  it("keeps a host error's kind and its rate limit's end, and counts anything else as the host unavailable", () => {
    const retryAt = at('10:30:00');
    expect(toScmPollFailure(new ScmHostError('rate_limited', 'rate limited until 10:30', { status: 403, retryAt }))).toEqual({ kind: 'rate_limited', message: 'rate limited until 10:30', retryAt });
    expect(toScmPollFailure(new ScmHostError('auth', 'bad credentials', { status: 401 }))).toEqual({ kind: 'auth', message: 'bad credentials' });
    expect(toScmPollFailure(new TypeError('fetch failed'))).toEqual({ kind: 'unavailable', message: 'fetch failed' });
    expect(toScmPollFailure('odd')).toEqual({ kind: 'unavailable', message: 'odd' });
  });
});

describe('environment variable names', () => {
  it("upper-cases the repository's last path segment and turns hyphens into underscores", () => {
    expect(scmPollEnvironment({ repo: 'customer-api', branch: 'main', newSha: '0123456789abcdef0123456789abcdef01234567' })).toEqual({
      CUSTOMER_API_BRANCH: 'main',
      CUSTOMER_API_TRIGGER_SHA: '0123456789abcdef0123456789abcdef01234567',
      CUSTOMER_API_SHA: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  it("gives a task the run's scmPoll record with the environment beside it", () => {
    const head = { branch: 'main', sha: 'b'.repeat(40), message: 'Fix', author: 'Ada', url: null };
    const trigger = scmPollTrigger({ providerName: 'gh', repo: 'acme/customer-api' }, head, 'a'.repeat(40), 12);
    expect(scmPollPayload(trigger)).toEqual({ scmPoll: trigger, env: { CUSTOMER_API_BRANCH: 'main', CUSTOMER_API_TRIGGER_SHA: 'b'.repeat(40), CUSTOMER_API_SHA: 'b'.repeat(40) } });
  });

  it('takes the name from owner/name, an Azure DevOps URL and a remote URL ending in .git', () => {
    expect(scmEnvPrefix('acme/customer-api')).toBe('CUSTOMER_API');
    expect(scmEnvPrefix('https://dev.azure.com/acme/shop/_git/billing-service')).toBe('BILLING_SERVICE');
    expect(scmEnvPrefix('https://git.example.com/team/customer-api.git/')).toBe('CUSTOMER_API');
    expect(scmEnvPrefix('git@example.com:team/Web.App.GIT')).toBe('WEB_APP');
  });

  it('turns dots, spaces and letters outside A-Z into underscores and guards a leading digit', () => {
    expect(scmEnvPrefix('shop/web.app')).toBe('WEB_APP');
    expect(scmEnvPrefix('shop/my%20repo')).toBe('MY_REPO');
    expect(scmEnvPrefix('shop/café')).toBe('CAF_');
    expect(scmEnvPrefix('shop/3d-viewer')).toBe('_3D_VIEWER');
    expect(scmEnvPrefix('shop/100%')).toBe('_100_');
    expect(scmEnvPrefix('.git')).toBe('REPO');
  });
});

describe('scmPollTrigger', () => {
  it('carries what the templates read as scmPoll, from the settings, the head and the poll', () => {
    const head = { branch: 'main', sha: 'b2', message: 'Fix login', author: 'Ada', url: 'https://github.com/acme/customer-api/commit/b2' };
    expect(scmPollTrigger(settings, head, 'a1', 84)).toEqual({
      providerName: 'gh',
      repo: 'acme/customer-api',
      branch: 'main',
      oldSha: 'a1',
      newSha: 'b2',
      commitMessage: 'Fix login',
      author: 'Ada',
      commitUrl: 'https://github.com/acme/customer-api/commit/b2',
      latencyMs: 84,
    });
  });
});
