import { deliveredSha, isDuplicateClaim, type ShaClaim } from './scm-sha-claims';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('isDuplicateClaim', () => {
  const webhook: ShaClaim = { sha: SHA, source: 'webhook', runId: 'r1', seenAt: new Date('2026-03-01T10:00:00Z') };
  const seconds = (n: number) => new Date(webhook.seenAt.getTime() + n * 1000);

  it('holds a claim from the other source younger than the window', () => {
    expect([0, 299].map((n) => isDuplicateClaim(webhook, 'poll', seconds(n), 300))).toEqual([true, true]);
  });

  it('lets a claim be taken over once it is as old as the window', () => {
    expect([300, 3600].map((n) => isDuplicateClaim(webhook, 'poll', seconds(n), 300))).toEqual([false, false]);
  });

  it('never holds against the same source, nor with the window 0', () => {
    expect(isDuplicateClaim(webhook, 'webhook', seconds(1), 300)).toBe(false);
    expect(isDuplicateClaim(webhook, 'poll', seconds(0), 0)).toBe(false);
  });
});

describe('deliveredSha', () => {
  it("takes a GitHub push's after", () => {
    expect(deliveredSha({ ref: 'refs/heads/main', before: 'a'.repeat(40), after: SHA, commits: [] })).toBe(SHA);
  });

  it("takes an Azure DevOps git.push's first ref update", () => {
    const payload = { eventType: 'git.push', resource: { refUpdates: [{ name: 'refs/heads/main', oldObjectId: 'a'.repeat(40), newObjectId: SHA.toUpperCase() }] } };
    expect(deliveredSha(payload)).toBe(SHA);
  });

  it('takes a top-level sha of any other payload, SHA-256 object names included', () => {
    expect(deliveredSha({ sha: SHA, note: 'deploy' })).toBe(SHA);
    expect(deliveredSha({ sha: 'f'.repeat(64) })).toBe('f'.repeat(64));
  });

  it('finds none in a branch deletion, a short or malformed SHA, or a payload that is not an object', () => {
    expect(deliveredSha({ ref: 'refs/heads/old', before: SHA, after: '0'.repeat(40) })).toBeNull();
    expect(deliveredSha({ sha: SHA.slice(0, 7) })).toBeNull();
    expect(deliveredSha({ sha: `${SHA.slice(0, 39)}g` })).toBeNull();
    expect(deliveredSha({ sha: 42 })).toBeNull();
    expect(deliveredSha({ eventType: 'git.push', resource: { refUpdates: [] } })).toBeNull();
    expect(deliveredSha([SHA])).toBeNull();
    expect(deliveredSha('text')).toBeNull();
    expect(deliveredSha(null)).toBeNull();
  });
});
