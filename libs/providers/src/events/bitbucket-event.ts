import { at, buildEvent, buildStatus, fallbackKey, fieldsOf, firstText, header, integer, lookup, pullRequestState, refParts, text, type EventParts } from './event-fields';
import type { EventDescription, EventInput, NormalizedEvent } from './event-types';

/**
 * Bitbucket Cloud and Data Center: the event is the `X-Event-Key` header (Cloud `repo:push`,
 * `pullrequest:fulfilled`; Data Center `repo:refs_changed`, `pr:merged`, also in the body's
 * `eventKey`). Delivery id: Cloud `X-Request-UUID`, Data Center `X-Request-Id`.
 */
export function describeBitbucketEvent({ headers, payload }: EventInput): EventDescription {
  const body = fieldsOf(payload);
  const eventType = header(headers, 'x-event-key') ?? text(body, 'eventKey') ?? null;
  const deliveryId = header(headers, 'x-request-uuid', 'x-request-id');
  const event = eventType === null || body === undefined ? null : bitbucketEvent(eventType, body);
  return { eventType, event, deliveryId };
}

const CLOUD_KEYS: Record<string, string> = {
  'pullrequest:created': 'pull_request:opened',
  'pullrequest:updated': 'pull_request:updated',
  'pullrequest:fulfilled': 'pull_request:merged',
  'pullrequest:rejected': 'pull_request:closed',
  'pullrequest:approved': 'pull_request:approved',
  'pullrequest:unapproved': 'pull_request:unapproved',
  'pullrequest:changes_request_created': 'pull_request:changes_requested',
  'pullrequest:comment_created': 'comment:created',
  'pullrequest:comment_updated': 'comment:updated',
  'pullrequest:comment_deleted': 'comment:deleted',
  'repo:commit_comment_created': 'comment:created',
  'issue:created': 'issue:created',
  'issue:updated': 'issue:updated',
  'issue:comment_created': 'comment:created',
};

const DATA_CENTER_KEYS: Record<string, string> = {
  'pr:opened': 'pull_request:opened',
  'pr:from_ref_updated': 'pull_request:updated',
  'pr:modified': 'pull_request:updated',
  'pr:merged': 'pull_request:merged',
  'pr:declined': 'pull_request:closed',
  'pr:reviewer:approved': 'pull_request:approved',
  'pr:reviewer:unapproved': 'pull_request:unapproved',
  'pr:reviewer:needs_work': 'pull_request:changes_requested',
  'pr:comment:added': 'comment:created',
  'pr:comment:edited': 'comment:updated',
  'pr:comment:deleted': 'comment:deleted',
  'repo:comment:added': 'comment:created',
  'repo:comment:edited': 'comment:updated',
  'repo:comment:deleted': 'comment:deleted',
};

function bitbucketEvent(type: string, body: Record<string, unknown>): NormalizedEvent {
  // Data Center bodies carry `eventKey` and camel-case `pullRequest`; Cloud uses `pullrequest`.
  const isDataCenter = body.eventKey !== undefined || body.pullRequest !== undefined || body.changes !== undefined;
  return buildEvent('bitbucket', type, isDataCenter ? dataCenter(type, body) : cloud(type, body));
}

function cloud(type: string, body: Record<string, unknown>): EventParts {
  const common = {
    repository: text(body, 'repository', 'full_name'),
    // Cloud dropped `username` for privacy in 2019; `nickname` replaced it.
    actor: firstText(text(body, 'actor', 'nickname'), text(body, 'actor', 'username'), text(body, 'actor', 'display_name')),
  };
  if (type === 'repo:push') {
    const change = at(body, 'push', 'changes', 0);
    // A deleted ref has `new: null`; the old side still names it.
    const ref = fieldsOf(at(change, 'new')) ?? fieldsOf(at(change, 'old'));
    const isTag = text(ref, 'type') === 'tag';
    const name = text(ref, 'name');
    return {
      ...common,
      key: isTag ? 'tag:push' : 'push',
      branch: isTag ? undefined : name,
      tag: isTag ? name : undefined,
      sha: text(change, 'new', 'target', 'hash'),
      beforeSha: text(change, 'old', 'target', 'hash'),
      url: text(change, 'links', 'html', 'href'),
    };
  }
  if (type === 'repo:commit_status_updated' || type === 'repo:commit_status_created') {
    const state = text(body, 'commit_status', 'state');
    const finished = state !== undefined && state !== 'INPROGRESS';
    return {
      ...common,
      key: finished && type === 'repo:commit_status_updated' ? 'build:completed' : fallbackKey(type, null),
      branch: text(body, 'commit_status', 'refname'),
      sha: text(body, 'commit_status', 'commit', 'hash'),
      url: text(body, 'commit_status', 'url'),
      status: finished ? buildStatus(state) : undefined,
    };
  }
  const key = lookup(CLOUD_KEYS, type) ?? fallbackKey(type, null);
  const pr = fieldsOf(body.pullrequest);
  if (pr === undefined) {
    return { ...common, key, url: firstText(text(body, 'comment', 'links', 'html', 'href'), text(body, 'issue', 'links', 'html', 'href')), issue: integer(body, 'issue', 'id') };
  }
  const number = integer(pr, 'id');
  const merged = type === 'pullrequest:fulfilled' || text(pr, 'state') === 'MERGED';
  return {
    ...common,
    key,
    branch: text(pr, 'source', 'branch', 'name'),
    targetBranch: text(pr, 'destination', 'branch', 'name'),
    sha: text(pr, 'source', 'commit', 'hash'),
    url: key.startsWith('comment:') ? firstText(text(body, 'comment', 'links', 'html', 'href'), text(pr, 'links', 'html', 'href')) : text(pr, 'links', 'html', 'href'),
    pullRequest: number === undefined ? undefined : { number, state: pullRequestState(text(pr, 'state'), merged), merged },
  };
}

function dataCenter(type: string, body: Record<string, unknown>): EventParts {
  const actor = firstText(text(body, 'actor', 'name'), text(body, 'actor', 'slug'));
  if (type === 'repo:refs_changed') {
    const change = at(body, 'changes', 0);
    const isTag = text(change, 'ref', 'type') === 'TAG';
    const { branch, tag } = refParts(text(change, 'ref', 'id') ?? text(change, 'refId'));
    return {
      key: isTag || tag !== undefined ? 'tag:push' : 'push',
      actor,
      repository: dataCenterRepository(at(body, 'repository')),
      branch: isTag ? undefined : branch,
      tag: isTag ? (tag ?? text(change, 'ref', 'displayId')) : undefined,
      sha: text(change, 'toHash'),
      beforeSha: text(change, 'fromHash'),
    };
  }
  const key = lookup(DATA_CENTER_KEYS, type) ?? fallbackKey(type, null);
  const pr = fieldsOf(body.pullRequest);
  if (pr === undefined) return { key, actor, repository: dataCenterRepository(at(body, 'repository')) };
  const number = integer(pr, 'id');
  const merged = type === 'pr:merged' || text(pr, 'state') === 'MERGED';
  return {
    key,
    actor,
    repository: dataCenterRepository(at(pr, 'toRef', 'repository')),
    branch: text(pr, 'fromRef', 'displayId') ?? refParts(text(pr, 'fromRef', 'id')).branch,
    targetBranch: text(pr, 'toRef', 'displayId') ?? refParts(text(pr, 'toRef', 'id')).branch,
    sha: text(pr, 'fromRef', 'latestCommit'),
    url: text(pr, 'links', 'self', 0, 'href'),
    pullRequest: number === undefined ? undefined : { number, state: pullRequestState(text(pr, 'state'), merged), merged },
  };
}

/** Data Center has no full name: `PROJECT/slug` is what its clone URLs use. */
function dataCenterRepository(repository: unknown): string | undefined {
  const project = text(repository, 'project', 'key');
  const slug = text(repository, 'slug');
  return project !== undefined && slug !== undefined ? `${project}/${slug}` : undefined;
}
