import { candidatePatterns, describeWait, isKeyPattern, matchesKeyPattern, matchesWaitPins } from './task-waits';

describe('candidatePatterns', () => {
  it('lists the key and every prefix followed by a star', () => {
    expect(candidatePatterns('pull_request:merged')).toEqual(expect.arrayContaining(['pull_request:merged', '*', 'p*', 'pull_request*', 'pull_request:*', 'pull_request:merged*']));
    expect(candidatePatterns('a:b')).toEqual(['a:b', '*', 'a*', 'a:*', 'a:b*']);
  });

  it('finds exactly the patterns that match the key', () => {
    const patterns = ['pull_request:merged', 'pull_request:*', 'pull_request:opened', 'push', '*', 'comment:*', 'pull_request:merged:x'];
    const candidates = new Set(candidatePatterns('pull_request:merged'));
    expect(patterns.filter((p) => candidates.has(p))).toEqual(patterns.filter((p) => matchesKeyPattern(p, 'pull_request:merged')));
    expect(patterns.filter((p) => candidates.has(p))).toEqual(['pull_request:merged', 'pull_request:*', '*']);
  });
});

describe('isKeyPattern', () => {
  it('accepts keys and keys ending in one star', () => {
    expect(['push', 'pull_request:merged', 'pull_request:*', '*', 'payment_intent.succeeded'].every(isKeyPattern)).toBe(true);
  });

  it('refuses empty keys, spaces and a star anywhere but the end', () => {
    expect(['', 'pull request', '*:merged', 'pull_*:merged', '**', 'x'.repeat(202)].filter(isKeyPattern)).toEqual([]);
  });
});

describe('matchesWaitPins', () => {
  const merged = { key: 'pull_request:merged', repository: 'Acme/App', branch: 'feature', pullRequest: { number: 12 }, issue: 'PROJ-12' };

  it('matches when every pinned field is the same, repository without regard to case', () => {
    expect(matchesWaitPins({ key: 'pull_request:merged', repository: 'acme/app', pullRequest: 12 }, merged)).toBe(true);
    expect(matchesWaitPins({ key: 'pull_request:*', branch: 'feature', issue: 'PROJ-12' }, merged)).toBe(true);
    expect(matchesWaitPins({ key: '*' }, merged)).toBe(true);
  });

  it('does not match another repository, number, branch, issue or key', () => {
    expect(matchesWaitPins({ key: 'pull_request:merged', repository: 'acme/other' }, merged)).toBe(false);
    expect(matchesWaitPins({ key: 'pull_request:merged', pullRequest: 13 }, merged)).toBe(false);
    expect(matchesWaitPins({ key: 'pull_request:merged', branch: 'main' }, merged)).toBe(false);
    expect(matchesWaitPins({ key: 'pull_request:merged', issue: 'PROJ-1' }, merged)).toBe(false);
    expect(matchesWaitPins({ key: 'pull_request:opened' }, merged)).toBe(false);
    expect(matchesWaitPins({ key: 'push', repository: 'acme/app' }, { key: 'push' })).toBe(false);
  });

  it('compares issues as text, so a number pin matches a numeric issue and its string form', () => {
    expect(matchesWaitPins({ key: 'issue:*', issue: 7 }, { key: 'issue:updated', issue: '7' })).toBe(true);
    expect(matchesWaitPins({ key: 'issue:*', issue: '7' }, { key: 'issue:updated', issue: 7 })).toBe(true);
  });
});

describe('describeWait', () => {
  it('names the key and each pin', () => {
    expect(describeWait({ key: 'pull_request:merged', repository: 'acme/app', pullRequest: 12 })).toBe('pull_request:merged on acme/app #12');
  });
});
