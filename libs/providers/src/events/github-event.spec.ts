import { describeEvent } from './describe-event';

// The one sender with real payloads on npm: 329 examples of 58 events, as GitHub sends them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const EXAMPLES: Array<{ name: string; examples: Array<Record<string, any>> }> = require('@octokit/webhooks-examples/api.github.com/index.json');

const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

function example(name: string, pick: (example: Record<string, any>) => boolean = () => true): Record<string, any> {
  const found = EXAMPLES.find((event) => event.name === name)?.examples.find(pick);
  if (found === undefined) throw new Error(`no ${name} example matches`);
  return structuredClone(found);
}

function describeGithub(name: string, payload: unknown) {
  return describeEvent('github', { headers: { 'x-github-event': name, 'x-github-delivery': DELIVERY }, payload });
}

describe('describeEvent: GitHub', () => {
  it('has the examples it iterates', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(58);
    expect(EXAMPLES.reduce((sum, event) => sum + event.examples.length, 0)).toBeGreaterThanOrEqual(329);
  });

  it.each(EXAMPLES.map((event) => [event.name, event.examples] as const))(
    'names every %s example by its header, with a key and the delivery id',
    (name, examples) => {
      for (const payload of examples) {
        const described = describeGithub(name, payload);
        expect(described.eventType).toBe(name);
        expect(described.deliveryId).toBe(DELIVERY);
        expect(described.event).toMatchObject({ provider: 'github', type: name, key: expect.stringMatching(/^\S+$/) });
        expect(described.event?.action).toBe(typeof payload.action === 'string' ? payload.action : null);
      }
    },
  );

  describe('push', () => {
    it('gives branch, commits, repository and pusher of a branch push', () => {
      const { event } = describeGithub('push', example('push', (e) => e.ref === 'refs/heads/master'));
      expect(event).toEqual({
        provider: 'github',
        type: 'push',
        action: null,
        key: 'push',
        branch: 'master',
        sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        beforeSha: '0000000000000000000000000000000000000000',
        repository: 'Codertocat/Hello-World',
        actor: 'Codertocat',
        url: 'https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      });
    });

    it('keys a tag push as tag:push, with the tag and no branch', () => {
      const { event } = describeGithub('push', example('push', (e) => e.ref === 'refs/tags/simple-tag' && e.created === true));
      expect(event).toMatchObject({ key: 'tag:push', tag: 'simple-tag', sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' });
      expect(event?.branch).toBeUndefined();
    });

    it('reads a form-encoded delivery from its payload field', () => {
      const push = example('push', (e) => e.ref === 'refs/heads/master');
      const fromForm = describeGithub('push', { payload: JSON.stringify(push) });
      expect(fromForm).toEqual(describeGithub('push', push));
      expect(fromForm.event).toMatchObject({ key: 'push', branch: 'master' });
    });
  });

  describe('pull_request', () => {
    it('opened: number, state, branches and head commit', () => {
      const { event } = describeGithub('pull_request', example('pull_request', (e) => e.action === 'opened'));
      expect(event).toMatchObject({
        key: 'pull_request:opened',
        action: 'opened',
        pullRequest: { number: 2, state: 'open', merged: false },
        branch: 'changes',
        targetBranch: 'master',
        sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
        repository: 'Codertocat/Hello-World',
        actor: 'Codertocat',
        url: 'https://github.com/Codertocat/Hello-World/pull/2',
      });
    });

    it('closed with merged true is pull_request:merged', () => {
      const merged = example('pull_request', (e) => e.action === 'closed');
      merged.pull_request.merged = true;
      const { event } = describeGithub('pull_request', merged);
      expect(event).toMatchObject({ key: 'pull_request:merged', action: 'closed', pullRequest: { number: 2, state: 'merged', merged: true } });
    });

    it('closed without merging is pull_request:closed', () => {
      const closed = example('pull_request', (e) => e.action === 'closed');
      expect(closed.pull_request.merged).toBe(false);
      const { event } = describeGithub('pull_request', closed);
      expect(event).toMatchObject({ key: 'pull_request:closed', pullRequest: { number: 2, state: 'closed', merged: false } });
    });

    it('synchronize is pull_request:updated; other actions keep their own name', () => {
      expect(describeGithub('pull_request', example('pull_request', (e) => e.action === 'synchronize')).event?.key).toBe('pull_request:updated');
      expect(describeGithub('pull_request', example('pull_request', (e) => e.action === 'labeled')).event?.key).toBe('pull_request:labeled');
    });
  });

  describe('pull_request_review', () => {
    it('an approving review is pull_request:approved', () => {
      const review = example('pull_request_review', (e) => e.action === 'submitted');
      review.review.state = 'approved';
      const { event } = describeGithub('pull_request_review', review);
      expect(event).toMatchObject({
        key: 'pull_request:approved',
        pullRequest: { number: 2, state: 'open', merged: false },
        url: 'https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671',
      });
    });

    it('a comment-only review is not an approval', () => {
      const review = example('pull_request_review', (e) => e.action === 'submitted');
      expect(review.review.state).toBe('commented');
      expect(describeGithub('pull_request_review', review).event?.key).toBe('pull_request_review:submitted');
    });
  });

  it('issue_comment created is comment:created with the comment link', () => {
    const { event } = describeGithub('issue_comment', example('issue_comment', (e) => e.action === 'created'));
    expect(event).toMatchObject({
      key: 'comment:created',
      actor: 'Codertocat',
      repository: 'Codertocat/Hello-World',
      url: 'https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400',
      issue: 1,
    });
    expect(event).not.toHaveProperty('pullRequest');
  });

  it("a comment in a pull request's conversation names the pull request by its number", () => {
    // The examples hold only comments on plain issues; GitHub marks a pull request's with `issue.pull_request`.
    const onPullRequest = example('issue_comment', (e) => e.action === 'created');
    const number = onPullRequest.issue.number;
    onPullRequest.issue.pull_request = { url: `https://api.github.com/repos/Codertocat/Hello-World/pulls/${number}`, merged_at: null };
    expect(describeGithub('issue_comment', onPullRequest).event).toMatchObject({ key: 'comment:created', issue: number, pullRequest: { number, state: 'open', merged: false } });
    onPullRequest.issue.state = 'closed';
    onPullRequest.issue.pull_request.merged_at = '2019-05-15T15:20:33Z';
    expect(describeGithub('issue_comment', onPullRequest).event?.pullRequest).toEqual({ number, state: 'merged', merged: true });
  });

  it('a review comment names its pull request and branches', () => {
    const comment = example('pull_request_review_comment', (e) => e.action === 'created');
    expect(describeGithub('pull_request_review_comment', comment).event).toMatchObject({
      key: 'comment:created',
      pullRequest: { number: comment.pull_request.number },
      branch: comment.pull_request.head.ref,
    });
  });

  it('issues opened and edited are issue:created and issue:updated', () => {
    const opened = describeGithub('issues', example('issues', (e) => e.action === 'opened')).event;
    expect(opened).toMatchObject({ key: 'issue:created', url: 'https://github.com/Codertocat/Hello-World/issues/1', issue: 1 });
    expect(describeGithub('issues', example('issues', (e) => e.action === 'edited')).event?.key).toBe('issue:updated');
  });

  it('ping is ping, with the repository when the hook has one', () => {
    expect(describeGithub('ping', example('ping', (e) => e.repository !== undefined)).event).toMatchObject({ key: 'ping', repository: 'Octocoders/Hello-World' });
    const orgPing = describeGithub('ping', example('ping', (e) => e.repository === undefined)).event;
    expect(orgPing).toMatchObject({ key: 'ping', actor: 'Codertocat' });
    expect(orgPing).not.toHaveProperty('repository');
  });

  it('a completed workflow run is build:completed with its branch, commit and outcome', () => {
    const run = example('workflow_run', (e) => e.action === 'completed' && e.workflow_run.conclusion === 'success');
    expect(describeGithub('workflow_run', run).event).toMatchObject({ key: 'build:completed', status: 'success', branch: run.workflow_run.head_branch, sha: run.workflow_run.head_sha });
  });

  it('without a payload keeps the header names and has no event', () => {
    for (const payload of [null, undefined, 'push', 42, []]) {
      expect(describeGithub('push', payload)).toEqual({ eventType: 'push', event: null, deliveryId: DELIVERY });
    }
  });

  it('with a form payload field that is not JSON gives a partial event', () => {
    const described = describeGithub('push', { payload: '{not json' });
    expect(described).toEqual({ eventType: 'push', deliveryId: DELIVERY, event: { provider: 'github', type: 'push', action: null, key: 'push' } });
  });

  it('without the event header names nothing but still finds the delivery id', () => {
    const push = example('push');
    expect(describeEvent('github', { headers: { 'x-github-delivery': DELIVERY }, payload: push })).toEqual({ eventType: null, event: null, deliveryId: DELIVERY });
  });

  it('survives a payload whose fields have the wrong types', () => {
    const odd = { action: 7, ref: { heads: 'main' }, repository: 'x', sender: [], pull_request: { number: 'two', head: null } };
    for (const name of ['push', 'pull_request', 'pull_request_review', 'issues', 'workflow_run', 'anything']) {
      const described = describeGithub(name, odd);
      expect(described.eventType).toBe(name);
      expect(described.event?.key).toEqual(expect.any(String));
    }
  });
});
