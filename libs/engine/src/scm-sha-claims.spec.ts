import { isDuplicateClaim, type ShaClaim } from './scm-sha-claims';

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
