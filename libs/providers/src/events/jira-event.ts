import { at, buildEvent, fallbackKey, fieldsOf, firstText, header, lookup, text, type EventParts } from './event-fields';
import type { EventDescription, EventInput, NormalizedEvent } from './event-types';

/**
 * Jira: the event is the body's `webhookEvent` (`jira:issue_created`, `comment_created`, ...);
 * `X-Atlassian-Webhook-Identifier` is unique per delivery and unchanged across retries.
 */
export function describeJiraEvent({ headers, payload }: EventInput): EventDescription {
  const body = fieldsOf(payload);
  const eventType = text(body, 'webhookEvent') ?? null;
  const deliveryId = header(headers, 'x-atlassian-webhook-identifier');
  const event = eventType === null || body === undefined ? null : jiraEvent(eventType, body);
  return { eventType, event, deliveryId };
}

const KEYS: Record<string, string> = {
  'jira:issue_created': 'issue:created',
  'jira:issue_updated': 'issue:updated',
  'jira:issue_deleted': 'issue:deleted',
  comment_created: 'comment:created',
  comment_updated: 'comment:updated',
  comment_deleted: 'comment:deleted',
};

function jiraEvent(type: string, body: Record<string, unknown>): NormalizedEvent {
  // issue_event_type_name refines jira:issue_updated (issue_generic, issue_assigned, issue_commented, ...).
  const action = text(body, 'issue_event_type_name') ?? null;
  let key = lookup(KEYS, type) ?? fallbackKey(type, null);
  if (key === 'issue:updated' && isNowDone(body)) key = 'issue:closed';
  const parts: EventParts = {
    key,
    action,
    actor: user(at(body, 'user')) ?? user(at(body, 'comment', 'author')),
    url: key.startsWith('comment:') ? commentUrl(body) : issueUrl(body),
    issue: text(body, 'issue', 'key'),
  };
  return buildEvent('jira', type, parts);
}

/** The update moved the issue's status, and it now sits in the "done" category. */
function isNowDone(body: Record<string, unknown>): boolean {
  const items = at(body, 'changelog', 'items');
  const statusChanged = Array.isArray(items) && items.some((item) => text(item, 'field') === 'status');
  return statusChanged && text(body, 'issue', 'fields', 'status', 'statusCategory', 'key') === 'done';
}

/** Server and Data Center users have a `name`; Cloud only an `accountId` (names were removed for privacy). */
function user(value: unknown): string | undefined {
  return firstText(text(value, 'name'), text(value, 'accountId'), text(value, 'displayName'));
}

/** The browse page, from the REST `self` link: `https://x.atlassian.net/rest/api/2/issue/10002` → `/browse/KEY`. */
function issueUrl(body: Record<string, unknown>): string | undefined {
  const self = text(body, 'issue', 'self');
  const key = text(body, 'issue', 'key');
  const base = self?.split('/rest/api/')[0];
  return base !== undefined && base !== self && key !== undefined ? `${base}/browse/${key}` : undefined;
}

function commentUrl(body: Record<string, unknown>): string | undefined {
  const issue = issueUrl(body);
  const id = text(body, 'comment', 'id');
  return issue !== undefined && id !== undefined ? `${issue}?focusedCommentId=${id}` : issue;
}
