import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deliveredCommit } from './delivered-commit';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const GITHUB: Array<{ name: string; examples: Array<Record<string, any>> }> = require('@octokit/webhooks-examples/api.github.com/index.json');
const AZURE_PUSH = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/azure-devops/git-push.json'), 'utf8'));

function githubExamples(name: string): Array<Record<string, any>> {
  return structuredClone(GITHUB.find((event) => event.name === name)?.examples ?? []);
}

describe('deliveredCommit', () => {
  it("gives the new head of every GitHub branch push example, and nothing for tag pushes and deleted branches", () => {
    const pushes = githubExamples('push');
    expect(pushes.length).toBeGreaterThan(1);
    for (const push of pushes) {
      const found = deliveredCommit({ 'x-github-event': 'push' }, push);
      const isBranchPush = push.ref.startsWith('refs/heads/') && !/^0+$/.test(push.after);
      expect(found).toEqual(isBranchPush ? { sha: push.after, branch: push.ref.slice('refs/heads/'.length) } : null);
    }
    expect(pushes.some((push) => deliveredCommit({ 'x-github-event': 'push' }, push) !== null)).toBe(true);
  });

  it('reads a GitHub push sent form-encoded, and one without its event header', () => {
    const push = githubExamples('push').find((p) => p.ref === 'refs/heads/master' && !/^0+$/.test(p.after)) as Record<string, any>;
    expect(deliveredCommit({}, { payload: JSON.stringify(push) })).toEqual({ sha: push.after, branch: 'master' });
    expect(deliveredCommit({}, push)).toEqual({ sha: push.after, branch: 'master' });
  });

  it('announces no commit for other GitHub events', () => {
    for (const name of ['pull_request', 'issues', 'create', 'release']) {
      for (const payload of githubExamples(name)) expect(deliveredCommit({ 'x-github-event': name }, payload)).toBeNull();
    }
  });

  it("gives an Azure DevOps git.push's first ref update", () => {
    expect(deliveredCommit({}, AZURE_PUSH)).toEqual({ sha: '33b55f7cb7e7e245323987634f960cf4a6e6bc74', branch: 'master' });
  });

  it('takes a full top-level sha from any payload, with its branch if named, and refuses short or odd ones', () => {
    const sha = 'A'.repeat(40);
    expect(deliveredCommit({}, { sha, branch: 'main' })).toEqual({ sha: 'a'.repeat(40), branch: 'main' });
    expect(deliveredCommit({}, { sha: 'b'.repeat(64), ref: 'refs/heads/release/1.2' })).toEqual({ sha: 'b'.repeat(64), branch: 'release/1.2' });
    for (const odd of ['abc1234', 'z'.repeat(40), 42, null, ['a'.repeat(40)]]) expect(deliveredCommit({}, { sha: odd })).toBeNull();
    expect(deliveredCommit({}, 'a'.repeat(40))).toBeNull();
    expect(deliveredCommit({}, JSON.parse('{"__proto__":{"sha":"' + 'c'.repeat(40) + '"}}'))).toBeNull();
  });
});
