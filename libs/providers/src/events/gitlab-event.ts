import { at, buildEvent, buildStatus, fallbackKey, fieldsOf, firstText, header, integer, isZeroSha, lookup, pullRequestState, refParts, text, type EventParts } from './event-fields';
import type { EventDescription, EventInput, NormalizedEvent } from './event-types';

/**
 * GitLab: the event is the `X-Gitlab-Event` header (`Push Hook`, `Merge Request Hook`, ...);
 * the body's `object_kind` says the same in snake case and `object_attributes.action` the action.
 *
 * Delivery id: `Idempotency-Key` first. It is unique per delivery and stable across retries;
 * `X-Gitlab-Event-UUID` can be recycled from the request that caused the event (GitLab's
 * recursion detection), so two different events may share it. Older GitLab sends only the UUID.
 */
export function describeGitlabEvent({ headers, payload }: EventInput): EventDescription {
  const eventType = header(headers, 'x-gitlab-event');
  const deliveryId = header(headers, 'idempotency-key', 'x-gitlab-event-uuid');
  const body = fieldsOf(payload);
  const event = eventType === null || body === undefined ? null : gitlabEvent(eventType, body);
  return { eventType, event, deliveryId };
}

function gitlabEvent(type: string, body: Record<string, unknown>): NormalizedEvent {
  // `Confidential Issue Hook` and `Issue Hook` share object_kind `issue`; the kind is the stable part.
  const kind = text(body, 'object_kind') ?? text(body, 'event_name') ?? type.replace(/ Hook$/i, '').trim().toLowerCase().replace(/\s+/g, '_');
  const action = text(body, 'object_attributes', 'action') ?? null;
  const common = {
    action,
    repository: text(body, 'project', 'path_with_namespace'),
    actor: firstText(text(body, 'user', 'username'), text(body, 'user_username')),
  };
  return buildEvent('gitlab', type, { ...common, ...details(kind, action, body) });
}

const MERGE_REQUEST_KEYS: Record<string, string> = {
  open: 'pull_request:opened',
  reopen: 'pull_request:reopened',
  close: 'pull_request:closed',
  merge: 'pull_request:merged',
  update: 'pull_request:updated',
  // `approval` is one reviewer approving, `approved` all required approvals given: both approve.
  approval: 'pull_request:approved',
  approved: 'pull_request:approved',
  unapproval: 'pull_request:unapproved',
  unapproved: 'pull_request:unapproved',
};

const ISSUE_KEYS: Record<string, string> = {
  open: 'issue:created',
  update: 'issue:updated',
  close: 'issue:closed',
  reopen: 'issue:reopened',
};

const FINISHED_PIPELINE = new Set(['success', 'failed', 'canceled', 'skipped']);

function details(kind: string, action: string | null, body: Record<string, unknown>): EventParts {
  switch (kind) {
    case 'push':
    case 'tag_push': {
      const { branch, tag } = refParts(text(body, 'ref'));
      const after = text(body, 'after');
      const before = text(body, 'before');
      return {
        key: kind === 'tag_push' || tag !== undefined ? 'tag:push' : 'push',
        branch,
        tag,
        // checkout_sha is null when a ref is deleted; after is then all zeros.
        sha: text(body, 'checkout_sha') ?? after,
        beforeSha: before,
        url: pushUrl(text(body, 'project', 'web_url'), before, after, tag),
      };
    }
    case 'merge_request': {
      const number = integer(body, 'object_attributes', 'iid');
      const state = text(body, 'object_attributes', 'state');
      const merged = action === 'merge' || state === 'merged';
      return {
        key: lookup(MERGE_REQUEST_KEYS, action) ?? fallbackKey(kind, action),
        branch: text(body, 'object_attributes', 'source_branch'),
        targetBranch: text(body, 'object_attributes', 'target_branch'),
        sha: text(body, 'object_attributes', 'last_commit', 'id'),
        beforeSha: text(body, 'object_attributes', 'oldrev'),
        url: text(body, 'object_attributes', 'url'),
        pullRequest: number === undefined ? undefined : { number, state: pullRequestState(state, merged), merged },
      };
    }
    case 'note': {
      const key = action === 'update' ? 'comment:updated' : action === null || action === 'create' ? 'comment:created' : fallbackKey(kind, action);
      const number = integer(body, 'merge_request', 'iid');
      const state = text(body, 'merge_request', 'state');
      return {
        key,
        url: text(body, 'object_attributes', 'url'),
        branch: text(body, 'merge_request', 'source_branch'),
        targetBranch: text(body, 'merge_request', 'target_branch'),
        pullRequest: number === undefined ? undefined : { number, state: pullRequestState(state, state === 'merged'), merged: state === 'merged' },
        issue: integer(body, 'issue', 'iid'),
      };
    }
    case 'issue':
    case 'work_item':
      return { key: lookup(ISSUE_KEYS, action) ?? fallbackKey(kind, action), url: text(body, 'object_attributes', 'url'), issue: integer(body, 'object_attributes', 'iid') };
    case 'pipeline': {
      const status = text(body, 'object_attributes', 'status');
      const ref = text(body, 'object_attributes', 'ref');
      const isTag = at(body, 'object_attributes', 'tag') === true;
      const id = text(body, 'object_attributes', 'id');
      const web = text(body, 'project', 'web_url');
      return {
        key: status !== undefined && FINISHED_PIPELINE.has(status) ? 'build:completed' : fallbackKey(kind, status),
        branch: isTag ? undefined : ref,
        tag: isTag ? ref : undefined,
        sha: text(body, 'object_attributes', 'sha'),
        beforeSha: text(body, 'object_attributes', 'before_sha'),
        url: text(body, 'object_attributes', 'url') ?? (web !== undefined && id !== undefined ? `${web}/-/pipelines/${id}` : undefined),
        status: status !== undefined && FINISHED_PIPELINE.has(status) ? buildStatus(status) : undefined,
      };
    }
    case 'build':
      // A single CI job: `job:<status>`, so that it never reads as a whole pipeline finishing.
      return {
        key: fallbackKey('job', text(body, 'build_status')),
        branch: body.tag === true ? undefined : text(body, 'ref'),
        tag: body.tag === true ? text(body, 'ref') : undefined,
        sha: text(body, 'sha'),
        beforeSha: text(body, 'before_sha'),
      };
    default:
      return { key: fallbackKey(kind, action) };
  }
}

function pushUrl(web: string | undefined, before: string | undefined, after: string | undefined, tag: string | undefined): string | undefined {
  if (web === undefined || after === undefined || isZeroSha(after)) return undefined;
  if (tag !== undefined) return `${web}/-/tags/${tag}`;
  if (before !== undefined && !isZeroSha(before)) return `${web}/-/compare/${before}...${after}`;
  return `${web}/-/commit/${after}`;
}
