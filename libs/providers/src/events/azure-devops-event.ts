import { at, buildEvent, buildStatus, fallbackKey, fieldsOf, firstText, integer, isZeroSha, pullRequestState, refParts, text, type EventParts } from './event-fields';
import type { EventDescription, EventInput, NormalizedEvent } from './event-types';

/**
 * Azure DevOps service hooks: no identifying headers, everything is in the envelope. The event is
 * the body's `eventType` (`git.push`, `git.pullrequest.created`, `build.complete`, ...), the
 * delivery id its `id`, and the thing that changed is `resource`.
 */
export function describeAzureDevopsEvent({ payload }: EventInput): EventDescription {
  const body = fieldsOf(payload);
  const eventType = text(body, 'eventType') ?? null;
  const deliveryId = text(body, 'id') ?? null;
  const event = eventType === null || body === undefined ? null : azureEvent(eventType, fieldsOf(body.resource) ?? {});
  return { eventType, event, deliveryId };
}

/** Work item states that mean it is finished, across the Agile, Scrum, CMMI and Basic processes. */
const FINISHED_STATES = new Set(['closed', 'done', 'resolved', 'removed', 'completed']);

function azureEvent(type: string, resource: Record<string, unknown>): NormalizedEvent {
  const repository = repositoryName(at(resource, 'repository')) ?? repositoryName(at(resource, 'pullRequest', 'repository'));
  return buildEvent('azure-devops', type, { repository, ...details(type, resource) });
}

function details(type: string, resource: Record<string, unknown>): EventParts {
  switch (type) {
    case 'git.push': {
      const update = at(resource, 'refUpdates', 0);
      const { branch, tag } = refParts(text(update, 'name'));
      const sha = text(update, 'newObjectId');
      const remote = text(resource, 'repository', 'remoteUrl');
      return {
        key: tag !== undefined ? 'tag:push' : 'push',
        branch,
        tag,
        sha,
        beforeSha: text(update, 'oldObjectId'),
        actor: identity(at(resource, 'pushedBy')),
        url: text(resource, 'commits', 0, 'url') ?? (remote !== undefined && sha !== undefined && !isZeroSha(sha) ? `${remote}/commit/${sha}` : undefined),
      };
    }
    case 'git.pullrequest.created':
    case 'git.pullrequest.updated':
    case 'git.pullrequest.merged':
      return { key: pullRequestKey(type, text(resource, 'status')), ...pullRequest(resource), actor: pullRequestActor(type, resource) };
    case 'ms.vss-code.git-pullrequest-comment-event': {
      const pr = fieldsOf(resource.pullRequest) ?? {};
      return { key: 'comment:created', ...pullRequest(pr), actor: identity(at(resource, 'comment', 'author')) };
    }
    case 'build.complete': {
      // Newer payloads have sourceBranch/sourceVersion; older ones `LG:refs/heads/main:<sha>`.
      const legacy = /^LG:(refs\/[^:]+):([0-9a-f]+)$/i.exec(text(resource, 'sourceGetVersion') ?? '');
      return {
        key: 'build:completed',
        branch: refParts(text(resource, 'sourceBranch') ?? legacy?.[1]).branch,
        sha: text(resource, 'sourceVersion') ?? legacy?.[2],
        status: buildStatus(text(resource, 'result') ?? text(resource, 'status')),
        url: text(resource, '_links', 'web', 'href'),
        actor: identity(at(resource, 'requestedFor')) ?? identity(at(resource, 'requests', 0, 'requestedFor')),
      };
    }
    case 'workitem.created':
      return { key: 'issue:created', url: text(resource, '_links', 'html', 'href'), actor: workItemField(resource, 'System.CreatedBy'), issue: workItemId(resource) };
    case 'workitem.updated': {
      const newState = text(resource, 'fields', 'System.State', 'newValue');
      return {
        key: newState !== undefined && FINISHED_STATES.has(newState.toLowerCase()) ? 'issue:closed' : 'issue:updated',
        url: text(resource, '_links', 'html', 'href'),
        issue: workItemId(resource),
        actor: identity(at(resource, 'revisedBy')) ?? workItemField(resource, 'System.ChangedBy') ?? text(resource, 'revision', 'fields', 'System.ChangedBy'),
      };
    }
    case 'workitem.deleted':
    case 'workitem.restored':
      return { key: `issue:${type.slice('workitem.'.length)}`, url: text(resource, '_links', 'html', 'href'), issue: workItemId(resource) };
    case 'workitem.commented':
      return { key: 'comment:created', url: text(resource, '_links', 'html', 'href'), actor: workItemField(resource, 'System.ChangedBy'), issue: workItemId(resource) };
    default:
      return { key: fallbackKey(type, null) };
  }
}

/**
 * `git.pullrequest.merged` is documented as "merge attempted": Azure creates merge commits for
 * active pull requests too. Only a completed pull request counts as merged.
 */
function pullRequestKey(type: string, status: string | undefined): string {
  if (type === 'git.pullrequest.created') return 'pull_request:opened';
  if (status === 'completed') return 'pull_request:merged';
  if (type === 'git.pullrequest.merged') return 'pull_request:merge_attempted';
  if (status === 'abandoned') return 'pull_request:closed';
  return 'pull_request:updated';
}

function pullRequestActor(type: string, resource: Record<string, unknown>): string | undefined {
  if (type === 'git.pullrequest.created') return identity(at(resource, 'createdBy'));
  const status = text(resource, 'status');
  // Other updates do not say who made them; the creator would be a guess.
  return status === 'completed' || status === 'abandoned' ? identity(at(resource, 'closedBy')) : undefined;
}

function pullRequest(resource: Record<string, unknown>): Partial<EventParts> {
  const number = integer(resource, 'pullRequestId');
  const status = text(resource, 'status');
  const remote = text(resource, 'repository', 'remoteUrl');
  return {
    branch: refParts(text(resource, 'sourceRefName')).branch,
    targetBranch: refParts(text(resource, 'targetRefName')).branch,
    sha: text(resource, 'lastMergeSourceCommit', 'commitId'),
    url: text(resource, '_links', 'web', 'href') ?? (remote !== undefined && number !== undefined ? `${remote}/pullrequest/${number}` : undefined),
    pullRequest: number === undefined ? undefined : { number, state: pullRequestState(status, status === 'completed'), merged: status === 'completed' },
  };
}

/** Azure has no owner/name: `project/repository` identifies a repository within an organisation. */
function repositoryName(repository: unknown): string | undefined {
  const name = text(repository, 'name');
  const project = text(repository, 'project', 'name');
  if (name === undefined) return undefined;
  return project === undefined ? name : `${project}/${name}`;
}

/** An identity's `uniqueName` (its sign-in name), else its display name. */
function identity(value: unknown): string | undefined {
  return firstText(text(value, 'uniqueName'), text(value, 'displayName'));
}

/** A work item field given as a plain string, `{ newValue }` (updates) or an identity object. */
function workItemField(resource: Record<string, unknown>, name: string): string | undefined {
  const value = at(resource, 'fields', name);
  if (typeof value === 'string') return value === '' ? undefined : value;
  return firstText(text(value, 'newValue'), identity(value));
}

/** An update names its work item in `workItemId` (its own `id` is the revision's); the other events in `id`. */
function workItemId(resource: Record<string, unknown>): number | undefined {
  return integer(resource, 'workItemId') ?? integer(resource, 'id');
}
