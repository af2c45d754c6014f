/**
 * What a parked task waits for, and whether an event is it. Pure: the server stores waits in
 * `task_waits`, looks them up by `candidatePatterns`, and checks the pins here before it runs a
 * wait's `where` expression in the sandbox.
 */

/** One condition a parked task waits for; any one of a task's conditions resumes it. */
export interface TaskWait {
  /** An event key (`pull_request:merged`), or a prefix ending in `*` (`pull_request:*`, `*`). */
  key: string;
  /** `owner/name`; compared without regard to case, as Git hosts do. */
  repository?: string | null;
  branch?: string | null;
  /** A pull request's number. */
  pullRequest?: number | null;
  /** A tracker key (`PROJ-12`) or an issue number, compared as text. */
  issue?: string | number | null;
  /** An expression over `event` and `payload`, evaluated like a function's condition. */
  where?: string | null;
}

/** The parts of a normalized event a wait's pins look at. */
export interface WaitedEvent {
  key: string;
  repository?: string | null;
  branch?: string | null;
  pullRequest?: { number: number } | null;
  issue?: string | number | null;
}

/** Event keys are short words joined by `:` or `.`; a key pattern may end in one `*`. */
const KEY_PATTERN = /^[^\s*]{0,200}\*?$/;

/** Whether `pattern` is a key a wait may name: no spaces, at most one `*`, and only at the end. */
export function isKeyPattern(pattern: string): boolean {
  return pattern.length > 0 && pattern.length <= 201 && KEY_PATTERN.test(pattern);
}

/**
 * Every stored pattern that can match `key`: the key itself and each of its prefixes followed by
 * `*` (for `a:b`: `a:b`, `*`, `a*`, `a:*`, `a:b*`). Looking these up by equality lets an index
 * find the waits for an event without reading every parked task.
 */
export function candidatePatterns(key: string): string[] {
  const patterns = [key];
  for (let end = 0; end <= key.length; end++) patterns.push(`${key.slice(0, end)}*`);
  return patterns;
}

/** Whether `key` matches `pattern` (exact, or a prefix when the pattern ends in `*`). */
export function matchesKeyPattern(pattern: string, key: string): boolean {
  return pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : pattern === key;
}

/** The stored form of a repository pin, so that an index can compare it by equality. */
export function repositoryPin(repository: string): string {
  return repository.toLowerCase();
}

/** Whether the event has the key and every pinned field of the wait; `where` is left to the caller. */
export function matchesWaitPins(wait: TaskWait, event: WaitedEvent): boolean {
  if (!matchesKeyPattern(wait.key, event.key)) return false;
  if (wait.repository != null && (event.repository == null || repositoryPin(event.repository) !== repositoryPin(wait.repository))) return false;
  if (wait.branch != null && event.branch !== wait.branch) return false;
  if (wait.pullRequest != null && event.pullRequest?.number !== wait.pullRequest) return false;
  if (wait.issue != null && (event.issue == null || String(event.issue) !== String(wait.issue))) return false;
  return true;
}

/** A short description of a wait, for reasons and lists: `pull_request:merged on acme/app #12`. */
export function describeWait(wait: TaskWait): string {
  const parts = [wait.key];
  if (wait.repository != null) parts.push(`on ${wait.repository}`);
  if (wait.branch != null) parts.push(`branch ${wait.branch}`);
  if (wait.pullRequest != null) parts.push(`#${wait.pullRequest}`);
  if (wait.issue != null) parts.push(`issue ${wait.issue}`);
  if (wait.where != null) parts.push(`where ${wait.where}`);
  return parts.join(' ');
}
