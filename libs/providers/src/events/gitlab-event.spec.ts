import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEvent } from './describe-event';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'gitlab');
const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

const UUID = '4c4e1bd8-1f7a-4a2e-9d7c-2b6c1f0e9a11';
const IDEMPOTENCY_KEY = 'f3a0c1de-5b8e-4f61-a2b7-0c9d8e7f6a51';

function describeGitlab(hook: string, payload: unknown, headers: Record<string, string> = { 'x-gitlab-event-uuid': UUID }) {
  return describeEvent('gitlab', { headers: { 'x-gitlab-event': hook, ...headers }, payload });
}

describe('describeEvent: GitLab', () => {
  it('names a push by its header, with branch, commits, project and pusher', () => {
    expect(describeGitlab('Push Hook', fixture('push.json'))).toEqual({
      eventType: 'Push Hook',
      deliveryId: UUID,
      event: {
        provider: 'gitlab',
        type: 'Push Hook',
        action: null,
        key: 'push',
        branch: 'master',
        sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
        beforeSha: '95790bf891e76fee5e1747ab589903a6a1f80f22',
        repository: 'mike/diaspora',
        actor: 'jsmith',
        url: 'http://example.com/mike/diaspora/-/compare/95790bf891e76fee5e1747ab589903a6a1f80f22...da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      },
    });
  });

  it('prefers Idempotency-Key, stable across retries, over X-Gitlab-Event-UUID', () => {
    const described = describeGitlab('Push Hook', fixture('push.json'), { 'x-gitlab-event-uuid': UUID, 'idempotency-key': IDEMPOTENCY_KEY });
    expect(described.deliveryId).toBe(IDEMPOTENCY_KEY);
  });

  it('keys a tag push as tag:push with the tag', () => {
    expect(describeGitlab('Tag Push Hook', fixture('tag-push.json')).event).toMatchObject({
      key: 'tag:push',
      tag: 'v1.0.0',
      sha: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
      repository: 'jsmith/example',
      url: 'http://example.com/jsmith/example/-/tags/v1.0.0',
    });
  });

  it('an opened merge request is pull_request:opened with iid, branches and last commit', () => {
    expect(describeGitlab('Merge Request Hook', fixture('merge-request.json')).event).toMatchObject({
      type: 'Merge Request Hook',
      action: 'open',
      key: 'pull_request:opened',
      pullRequest: { number: 1, state: 'open', merged: false },
      branch: 'ms-viewport',
      targetBranch: 'master',
      sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      repository: 'gitlabhq/gitlab-test',
      actor: 'root',
      url: 'http://example.com/diaspora/merge_requests/1',
    });
  });

  it.each([
    ['merge', 'merged', 'pull_request:merged', { state: 'merged', merged: true }],
    ['close', 'closed', 'pull_request:closed', { state: 'closed', merged: false }],
    ['update', 'opened', 'pull_request:updated', { state: 'open', merged: false }],
    ['approved', 'opened', 'pull_request:approved', { state: 'open', merged: false }],
    ['approval', 'opened', 'pull_request:approved', { state: 'open', merged: false }],
    ['unapproved', 'opened', 'pull_request:unapproved', { state: 'open', merged: false }],
  ])('merge request action %s (state %s) is %s', (action, state, key, pullRequest) => {
    const body = fixture('merge-request.json');
    body.object_attributes.action = action;
    body.object_attributes.state = state;
    expect(describeGitlab('Merge Request Hook', body).event).toMatchObject({ key, pullRequest: { number: 1, ...pullRequest } });
  });

  it('a comment on a merge request is comment:created, with the merge request', () => {
    expect(describeGitlab('Note Hook', fixture('note-merge-request.json')).event).toMatchObject({
      key: 'comment:created',
      action: 'create',
      url: 'http://example.com/gitlab-org/gitlab-test/merge_requests/1#note_1244',
      pullRequest: { number: 1, state: 'open', merged: false },
      actor: 'root',
    });
  });

  it('issue open and close are issue:created and issue:closed', () => {
    const issue = fixture('issue.json');
    expect(describeGitlab('Issue Hook', issue).event).toMatchObject({ key: 'issue:created', url: 'http://example.com/diaspora/issues/23', issue: 23 });
    issue.object_attributes.action = 'close';
    expect(describeGitlab('Issue Hook', issue).event?.key).toBe('issue:closed');
  });

  it('a finished pipeline is build:completed; a running one is pipeline:running', () => {
    const pipeline = fixture('pipeline.json');
    expect(describeGitlab('Pipeline Hook', pipeline).event).toMatchObject({
      key: 'build:completed',
      status: 'success',
      branch: 'master',
      sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2',
      url: 'http://example.com/gitlab-org/gitlab-test/-/pipelines/31',
    });
    pipeline.object_attributes.status = 'failed';
    expect(describeGitlab('Pipeline Hook', pipeline).event).toMatchObject({ key: 'build:completed', status: 'failure' });
    pipeline.object_attributes.status = 'running';
    expect(describeGitlab('Pipeline Hook', pipeline).event?.key).toBe('pipeline:running');
  });

  it('an unmapped hook is keyed by its object kind and action', () => {
    const wiki = { object_kind: 'wiki_page', user: { username: 'root' }, object_attributes: { action: 'create' } };
    expect(describeGitlab('Wiki Page Hook', wiki).event).toMatchObject({ key: 'wiki_page:create', actor: 'root' });
  });

  it('without a payload keeps what the headers say', () => {
    expect(describeGitlab('Push Hook', null)).toEqual({ eventType: 'Push Hook', event: null, deliveryId: UUID });
    expect(describeEvent('gitlab', { headers: {}, payload: fixture('push.json') })).toEqual({ eventType: null, event: null, deliveryId: null });
  });
});
