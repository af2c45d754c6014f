import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEvent } from './describe-event';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'azure-devops');
const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

const describeAzure = (payload: unknown) => describeEvent('azure-devops', { headers: { 'content-type': 'application/json; charset=utf-8' }, payload });

describe('describeEvent: Azure DevOps', () => {
  it('names git.push from the body, with the envelope id as delivery id', () => {
    expect(describeAzure(fixture('git-push.json'))).toEqual({
      eventType: 'git.push',
      deliveryId: '03c164c2-8912-4d5e-8009-3707d5f83734',
      event: {
        provider: 'azure-devops',
        type: 'git.push',
        action: null,
        key: 'push',
        branch: 'master',
        sha: '33b55f7cb7e7e245323987634f960cf4a6e6bc74',
        beforeSha: 'aad331d8d3b131fa9ae03cf5e53965b51942618a',
        repository: 'Fabrikam-Fiber-Git/Fabrikam-Fiber-Git',
        actor: 'Windows Live ID\\fabrikamfiber4@hotmail.com',
        url: 'https://dev.azure.com/fabrikam-fiber-inc/DefaultCollection/_git/Fabrikam-Fiber-Git/commit/33b55f7cb7e7e245323987634f960cf4a6e6bc74',
      },
    });
  });

  it('git.pullrequest.created is pull_request:opened, with a web link built from the remote URL', () => {
    expect(describeAzure(fixture('git-pullrequest-created.json')).event).toMatchObject({
      key: 'pull_request:opened',
      pullRequest: { number: 1, state: 'open', merged: false },
      branch: 'mytopic',
      targetBranch: 'master',
      sha: '53d54ac915144006c2c9e90d2c7d3880920db49c',
      repository: 'Fabrikam/Fabrikam',
      actor: 'fabrikamfiber4@hotmail.com',
      url: 'https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1',
    });
  });

  it('git.pullrequest.merged of a completed pull request is pull_request:merged', () => {
    expect(describeAzure(fixture('git-pullrequest-merged.json')).event).toMatchObject({
      key: 'pull_request:merged',
      pullRequest: { number: 1, state: 'merged', merged: true },
      url: 'https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1#view=discussion',
    });
  });

  it('a merge attempt on an active pull request is not a merge', () => {
    const attempt = fixture('git-pullrequest-merged.json');
    attempt.resource.status = 'active';
    expect(describeAzure(attempt).event).toMatchObject({ key: 'pull_request:merge_attempted', pullRequest: { state: 'open', merged: false } });
  });

  it.each([
    ['completed', 'pull_request:merged'],
    ['abandoned', 'pull_request:closed'],
    ['active', 'pull_request:updated'],
  ])('git.pullrequest.updated with status %s is %s', (status, key) => {
    const updated = fixture('git-pullrequest-created.json');
    updated.eventType = 'git.pullrequest.updated';
    updated.resource.status = status;
    expect(describeAzure(updated).event?.key).toBe(key);
  });

  it('build.complete is build:completed with the outcome, branch and commit', () => {
    expect(describeAzure(fixture('build-complete.json')).event).toMatchObject({
      key: 'build:completed',
      status: 'success',
      branch: 'master',
      sha: '600c52d2d5b655caa111abfd863e5a9bd304bb0e',
      actor: 'fabrikamfiber16@hotmail.com',
    });
  });

  it('workitem.updated is issue:updated, and issue:closed when it moves to a finished state', () => {
    const update = fixture('workitem-updated.json');
    // An update's own id is the revision's; the work item is workItemId.
    expect(describeAzure(update).event).toMatchObject({ key: 'issue:updated', actor: 'Jamal Hartnett', issue: update.resource.workItemId });
    expect(update.resource.workItemId).not.toBe(update.resource.id);
    update.resource.fields['System.State'].newValue = 'Closed';
    expect(describeAzure(update).event?.key).toBe('issue:closed');
  });

  it('names an unmapped event by its own type, and nothing without an envelope', () => {
    expect(describeAzure({ id: 'x', eventType: 'ms.vss-release.release-created-event', resource: {} }).event?.key).toBe('ms.vss-release.release-created-event');
    expect(describeAzure('not json')).toEqual({ eventType: null, event: null, deliveryId: null });
  });
});
