/** How a provider's messages name their event, listed once. Built-in providers each have one; admins pick one for their own. */
export const EVENT_FORMATS = [
  'github',
  'gitlab',
  'bitbucket',
  'azure-devops',
  'jira',
  'slack',
  'stripe',
  'standard-webhooks',
  'generic',
  'descriptor',
  'none',
] as const;

export type EventFormat = (typeof EVENT_FORMATS)[number];

/** What happened, the same shape whoever sent it. Scripts and conditions see it as `event`. */
export interface NormalizedEvent {
  /** The event format that produced it, e.g. `github`. */
  provider: EventFormat;
  /** The sender's own event name, e.g. `pull_request`, `Merge Request Hook`, `payment_intent.succeeded`. */
  type: string;
  /** The sender's action when it has one, e.g. `opened`, `closed`; otherwise null. */
  action: string | null;
  /** A stable, sender-independent key: `push`, `pull_request:opened`, `pull_request:merged`, `comment:created`, `issue:updated`, `payment_intent.succeeded`. */
  key: string;
  /** `owner/name` style full name, where the sender has one (Azure DevOps: `project/repository`). */
  repository?: string;
  /** The branch pushed to, or a pull request's source branch; without `refs/heads/`. */
  branch?: string;
  /** A pull request's target branch; without `refs/heads/`. */
  targetBranch?: string;
  /** The tag of a tag push (key `tag:push`); without `refs/tags/`. */
  tag?: string;
  /** The commit after the push, or a pull request's head commit. */
  sha?: string;
  /** The commit before the push. */
  beforeSha?: string;
  /** Login or username of who did it. */
  actor?: string;
  /** The web page of the thing: pull request, compare view, issue, comment, pipeline. */
  url?: string;
  /** The issue or work item: a tracker key such as `PROJ-12` (Jira), else its number (GitHub, GitLab, Bitbucket, Azure DevOps). */
  issue?: string | number;
  /** `state` is `open`, `closed` or `merged` whoever sent it. */
  pullRequest?: { number: number; state: string; merged: boolean };
  /** For `build:completed`: `success`, `failure`, `cancelled`, or the sender's own word in lower case. */
  status?: string;
}

export interface EventDescription {
  /** The sender's event name as the issue defines it per sender (header or body field), or null. */
  eventType: string | null;
  event: NormalizedEvent | null;
  /** The sender's delivery id, stable across its retries, for duplicate detection; null when it has none. */
  deliveryId: string | null;
}

export interface EventInput {
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The parsed JSON body, else the parsed form fields, else null. */
  payload: unknown;
}
