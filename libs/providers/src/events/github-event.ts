import { at, buildEvent, buildStatus, fallbackKey, fieldsOf, formJson, header, integer, pullRequestState, refParts, text, type EventParts } from './event-fields';
import type { EventDescription, EventInput, NormalizedEvent } from './event-types';

/**
 * GitHub: the event is the `X-GitHub-Event` header and the action the body's `action`;
 * `X-GitHub-Delivery` stays the same on redelivery. Form-encoded hooks carry the JSON in
 * the form field `payload`.
 */
export function describeGithubEvent({ headers, payload }: EventInput): EventDescription {
  const eventType = header(headers, 'x-github-event');
  const deliveryId = header(headers, 'x-github-delivery');
  const body = fieldsOf(formJson(payload, 'payload')) ?? fieldsOf(payload);
  const event = eventType === null || body === undefined ? null : githubEvent(eventType, body);
  return { eventType, event, deliveryId };
}

function githubEvent(type: string, body: Record<string, unknown>): NormalizedEvent {
  const action = text(body, 'action') ?? null;
  const common = {
    action,
    repository: text(body, 'repository', 'full_name'),
    actor: text(body, 'sender', 'login'),
  };
  return buildEvent('github', type, { ...common, ...details(type, action, body) });
}

function details(type: string, action: string | null, body: Record<string, unknown>): EventParts {
  switch (type) {
    case 'push': {
      const { branch, tag } = refParts(text(body, 'ref'));
      return {
        key: tag !== undefined ? 'tag:push' : 'push',
        branch,
        tag,
        sha: text(body, 'after'),
        beforeSha: text(body, 'before'),
        url: text(body, 'compare'),
        // The pusher's name is a login too; sender is missing on some GHES pushes.
        actor: text(body, 'sender', 'login') ?? text(body, 'pusher', 'name'),
      };
    }
    case 'pull_request':
      return { key: pullRequestKey(action, at(body, 'pull_request', 'merged') === true), ...pullRequest(body), url: text(body, 'pull_request', 'html_url') };
    case 'pull_request_review': {
      const state = (text(body, 'review', 'state') ?? '').toLowerCase();
      const key =
        action === 'submitted' && state === 'approved'
          ? 'pull_request:approved'
          : action === 'submitted' && state === 'changes_requested'
            ? 'pull_request:changes_requested'
            : fallbackKey(type, action);
      return { key, ...pullRequest(body), url: text(body, 'review', 'html_url') };
    }
    case 'issue_comment':
    case 'commit_comment':
    case 'pull_request_review_comment':
    case 'discussion_comment':
      return { key: commentKey(type, action), url: text(body, 'comment', 'html_url'), ...commentedOn(body) };
    case 'issues':
      return { key: issueKey(type, action), url: text(body, 'issue', 'html_url'), issue: integer(body, 'issue', 'number') };
    case 'ping':
      return { key: 'ping' };
    case 'check_suite':
    case 'workflow_run': {
      const run = type === 'workflow_run' ? 'workflow_run' : 'check_suite';
      return {
        key: action === 'completed' ? 'build:completed' : fallbackKey(type, action),
        branch: text(body, run, 'head_branch'),
        sha: text(body, run, 'head_sha'),
        url: text(body, run, 'html_url'),
        status: action === 'completed' ? buildStatus(text(body, run, 'conclusion')) : undefined,
      };
    }
    default:
      return { key: fallbackKey(type, action) };
  }
}

function pullRequestKey(action: string | null, merged: boolean): string {
  switch (action) {
    case 'opened':
    case 'reopened':
      return `pull_request:${action}`;
    case 'closed':
      return merged ? 'pull_request:merged' : 'pull_request:closed';
    case 'synchronize':
    case 'edited':
      return 'pull_request:updated';
    default:
      return fallbackKey('pull_request', action);
  }
}

function commentKey(type: string, action: string | null): string {
  switch (action) {
    case 'created':
      return 'comment:created';
    case 'edited':
      return 'comment:updated';
    case 'deleted':
      return 'comment:deleted';
    default:
      return fallbackKey(type, action);
  }
}

function issueKey(type: string, action: string | null): string {
  switch (action) {
    case 'opened':
      return 'issue:created';
    case 'edited':
      return 'issue:updated';
    case 'closed':
    case 'reopened':
    case 'deleted':
      return `issue:${action}`;
    default:
      return fallbackKey(type, action);
  }
}

/**
 * What a comment was made on. GitHub files a pull request's conversation comments as issue
 * comments: the issue then has a `pull_request` link, and its number is the pull request's.
 */
function commentedOn(body: Record<string, unknown>): Partial<EventParts> {
  if (at(body, 'pull_request') !== undefined) return pullRequest(body);
  const number = integer(body, 'issue', 'number');
  if (number === undefined) return {};
  if (at(body, 'issue', 'pull_request') === undefined) return { issue: number };
  const merged = typeof at(body, 'issue', 'pull_request', 'merged_at') === 'string';
  return { issue: number, pullRequest: { number, state: pullRequestState(text(body, 'issue', 'state'), merged), merged } };
}

function pullRequest(body: Record<string, unknown>): Partial<EventParts> {
  const number = integer(body, 'pull_request', 'number') ?? integer(body, 'number');
  const merged = at(body, 'pull_request', 'merged') === true;
  return {
    branch: text(body, 'pull_request', 'head', 'ref'),
    targetBranch: text(body, 'pull_request', 'base', 'ref'),
    sha: text(body, 'pull_request', 'head', 'sha'),
    pullRequest: number === undefined ? undefined : { number, state: pullRequestState(text(body, 'pull_request', 'state'), merged), merged },
  };
}
