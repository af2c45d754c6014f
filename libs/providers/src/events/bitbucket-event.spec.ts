import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEvent } from './describe-event';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'bitbucket');
const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

const CLOUD_REQUEST = '{641e2cc8-4a39-4f7e-9a4d-7f1a3b3d9e21}';
const DC_REQUEST = 'a6b7c8d9-0e1f-4a2b-8c3d-4e5f6a7b8c9d';

function cloud(key: string, payload: unknown) {
  return describeEvent('bitbucket', { headers: { 'x-event-key': key, 'x-request-uuid': CLOUD_REQUEST, 'x-hook-uuid': '{hook}' }, payload });
}

function dataCenter(key: string, payload: unknown) {
  return describeEvent('bitbucket', { headers: { 'x-event-key': key, 'x-request-id': DC_REQUEST }, payload });
}

describe('describeEvent: Bitbucket Cloud', () => {
  it('names a repo:push by X-Event-Key, with branch, commits, repository and actor', () => {
    expect(cloud('repo:push', fixture('repo-push.json'))).toEqual({
      eventType: 'repo:push',
      deliveryId: CLOUD_REQUEST,
      event: {
        provider: 'bitbucket',
        type: 'repo:push',
        action: null,
        key: 'push',
        branch: 'name-of-branch',
        sha: '709d658dc5b6d6afcd46049c2f332ee3f515a67d',
        beforeSha: '1e65c05c1d5171631d92438a13901ca7dae9618c',
        repository: 'team_name/repo_name',
        actor: 'emmap1',
        url: 'https://bitbucket.org/team_name/repo_name/branches/compare/709d658dc5b6d6afcd46049c2f332ee3f515a67d..1e65c05c1d5171631d92438a13901ca7dae9618c',
      },
    });
  });

  it('keys a pushed tag as tag:push, and names a deleted branch from its old side', () => {
    const tag = fixture('repo-push.json');
    tag.push.changes[0].new.type = 'tag';
    tag.push.changes[0].new.name = 'v2.0.0';
    expect(cloud('repo:push', tag).event).toMatchObject({ key: 'tag:push', tag: 'v2.0.0' });

    const deleted = fixture('repo-push.json');
    deleted.push.changes[0].new = null;
    const event = cloud('repo:push', deleted).event;
    expect(event).toMatchObject({ key: 'push', branch: 'name-of-branch', beforeSha: '1e65c05c1d5171631d92438a13901ca7dae9618c' });
    expect(event).not.toHaveProperty('sha');
  });

  it('pullrequest:fulfilled is pull_request:merged', () => {
    expect(cloud('pullrequest:fulfilled', fixture('pullrequest-fulfilled.json')).event).toMatchObject({
      key: 'pull_request:merged',
      pullRequest: { number: 1, state: 'merged', merged: true },
      branch: 'branch2',
      targetBranch: 'master',
      sha: 'd3022fc0ca3d',
      repository: 'team_name/repo_name',
      url: 'https://bitbucket.org/team_name/repo_name/pull-requests/1',
    });
  });

  it('pullrequest:approved is pull_request:approved by the approver', () => {
    expect(cloud('pullrequest:approved', fixture('pullrequest-approved.json')).event).toMatchObject({
      key: 'pull_request:approved',
      actor: 'tux',
      pullRequest: { number: 1, state: 'open', merged: false },
    });
  });

  it.each([
    ['pullrequest:created', 'pull_request:opened'],
    ['pullrequest:updated', 'pull_request:updated'],
    ['pullrequest:rejected', 'pull_request:closed'],
    ['pullrequest:comment_created', 'comment:created'],
    ['repo:fork', 'repo:fork'],
  ])('%s is %s', (eventKey, key) => {
    expect(cloud(eventKey, fixture('pullrequest-approved.json')).event?.key).toBe(key);
  });
});

describe('describeEvent: Bitbucket Data Center', () => {
  it('names repo:refs_changed as a push, with X-Request-Id as the delivery id', () => {
    expect(dataCenter('repo:refs_changed', fixture('dc-repo-refs-changed.json'))).toEqual({
      eventType: 'repo:refs_changed',
      deliveryId: DC_REQUEST,
      event: {
        provider: 'bitbucket',
        type: 'repo:refs_changed',
        action: null,
        key: 'push',
        branch: 'feature/wip',
        sha: '32a0b8a740c2963c6f56bd8baf3dc05683d299e0',
        beforeSha: 'cde6c45a4210afe81638aa1f3aa960d633c66a90',
        repository: 'PROJ/webhook-test',
        actor: 'gopher',
      },
    });
  });

  it('pr:merged is pull_request:merged with the pull request link', () => {
    expect(dataCenter('pr:merged', fixture('dc-pr-merged.json')).event).toMatchObject({
      key: 'pull_request:merged',
      pullRequest: { number: 5, state: 'merged', merged: true },
      branch: 'feature/wip',
      targetBranch: 'master',
      sha: '32a0b8a740c2963c6f56bd8baf3dc05683d299e0',
      repository: 'PROJ/webhook-test',
      actor: 'gopher',
      url: 'https://bitbucket.example.com/projects/PROJ/repos/webhook-test/pull-requests/5',
    });
  });

  it('pr:opened and pr:reviewer:approved map to opened and approved', () => {
    const body = fixture('dc-pr-merged.json');
    body.pullRequest.state = 'OPEN';
    body.eventKey = 'pr:opened';
    expect(dataCenter('pr:opened', body).event).toMatchObject({ key: 'pull_request:opened', pullRequest: { state: 'open', merged: false } });
    expect(dataCenter('pr:reviewer:approved', body).event?.key).toBe('pull_request:approved');
  });

  it('takes the event from the body eventKey when the header is missing', () => {
    const described = describeEvent('bitbucket', { headers: {}, payload: fixture('dc-pr-merged.json') });
    expect(described).toMatchObject({ eventType: 'pr:merged', deliveryId: null, event: { key: 'pull_request:merged' } });
  });
});
