import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEvent } from './describe-event';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'jira');
const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

const DELIVERY = '8a1d7a3c-6e0f-4b7e-9a55-3c2b1d0e9f87';
const describeJira = (payload: unknown) => describeEvent('jira', { headers: { 'x-atlassian-webhook-identifier': DELIVERY, 'x-atlassian-webhook-retry': '0' }, payload });

describe('describeEvent: Jira', () => {
  it('names jira:issue_created from webhookEvent, with the delivery header and the browse link', () => {
    expect(describeJira(fixture('issue-created.json'))).toEqual({
      eventType: 'jira:issue_created',
      deliveryId: DELIVERY,
      event: {
        provider: 'jira',
        type: 'jira:issue_created',
        action: 'issue_created',
        key: 'issue:created',
        actor: '5b10a2844c20165700ede21g',
        url: 'https://your-domain.atlassian.net/browse/ED-1',
        issue: 'ED-1',
      },
    });
  });

  it('an update that moves the issue to a done status is issue:closed; other updates issue:updated', () => {
    const update = fixture('issue-updated.json');
    expect(describeJira(update).event).toMatchObject({ key: 'issue:closed', action: 'issue_generic' });
    update.changelog.items = [{ field: 'summary', fromString: 'a', toString: 'b' }];
    expect(describeJira(update).event?.key).toBe('issue:updated');
  });

  it('comment_created is comment:created by the comment author, linking the comment', () => {
    expect(describeJira(fixture('comment-created.json')).event).toMatchObject({
      key: 'comment:created',
      actor: '5b10ac8d82e05b22cc7d4ef5',
      url: 'https://your-domain.atlassian.net/browse/ED-1?focusedCommentId=10100',
    });
  });

  it('prefers the Server and Data Center user name, and keys unmapped events by their own name', () => {
    const body = { webhookEvent: 'worklog_created', user: { name: 'admin', accountId: 'x' } };
    expect(describeJira(body).event).toMatchObject({ key: 'worklog_created', actor: 'admin' });
  });

  it('without a body keeps only the delivery id', () => {
    expect(describeJira(null)).toEqual({ eventType: null, event: null, deliveryId: DELIVERY });
  });
});
