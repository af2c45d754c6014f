import { at, fieldsOf, formJson, header, isZeroSha, refParts, text } from './event-fields';

/** The commit a webhook delivery announces: what SCM polling would find as the branch's new head. */
export interface DeliveredCommit {
  sha: string;
  /** The branch it was pushed to, where the payload says. */
  branch: string | null;
}

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The commit of a GitHub `push` (the `after` of a branch push), an Azure DevOps `git.push`
 * (its first ref update's new object), or any JSON payload with a top-level `sha`. Only full
 * SHAs count, since a poll sees full ones; tag pushes and deleted branches announce none.
 */
export function deliveredCommit(headers: Record<string, string>, payload: unknown): DeliveredCommit | null {
  const body = fieldsOf(formJson(payload, 'payload')) ?? fieldsOf(payload);
  if (body === undefined) return null;
  if (header(headers, 'x-github-event') === 'push' || (typeof body.ref === 'string' && typeof body.after === 'string' && body.repository !== undefined)) {
    return branchCommit(text(body, 'ref'), text(body, 'after'));
  }
  if (text(body, 'eventType') === 'git.push') {
    const update = at(body, 'resource', 'refUpdates', 0);
    return branchCommit(text(update, 'name'), text(update, 'newObjectId'));
  }
  const sha = text(body, 'sha')?.toLowerCase();
  if (sha === undefined || !FULL_SHA.test(sha)) return null;
  const { branch } = refParts(text(body, 'branch') ?? text(body, 'ref'));
  return { sha, branch: branch ?? null };
}

function branchCommit(ref: string | undefined, after: string | undefined): DeliveredCommit | null {
  const sha = after?.toLowerCase();
  const { branch, tag } = refParts(ref);
  if (sha === undefined || tag !== undefined || isZeroSha(sha) || !FULL_SHA.test(sha)) return null;
  return { sha, branch: branch ?? null };
}
