/** Where an automation saw a commit: a webhook delivery that started it, or a poll of a branch. */
export const SHA_SOURCES = ['webhook', 'poll'] as const;
export type ShaSource = (typeof SHA_SOURCES)[number];

/** A commit an automation ran for (or is about to), kept for the webhook/poll dedup. */
export interface ShaClaim {
  sha: string;
  source: ShaSource;
  /** The run started for it: the caller chooses the id before it starts the run. */
  runId: string;
  seenAt: Date;
}

export type ShaClaimResult = { first: true } | { first: false; earlier: ShaClaim };

/**
 * Whether an earlier claim of the same automation and SHA makes a new one a duplicate: it must
 * come from the other source and be younger than the window. A claim from the same source never
 * does: two branches at one commit each run, a delivery sent twice is caught by its delivery id,
 * and a poll that died between its claim and its run claims again and runs. A window of 0 turns
 * the dedup off. (The claims repository makes the same decision in SQL, in one statement.)
 */
export function isDuplicateClaim(earlier: ShaClaim, source: ShaSource, at: Date, windowSeconds: number): boolean {
  return windowSeconds > 0 && earlier.source !== source && at.getTime() - earlier.seenAt.getTime() < windowSeconds * 1000;
}

/** What claims SHAs for the dedup; the server's repository implements it over the database. */
export interface ShaClaims {
  /**
   * Records `claim` for the automation unless a claim that isDuplicateClaim holds is there, in one
   * step that concurrent callers (on any server) see in order: of two that race, one is first.
   */
  claimSha(automationId: string, claim: ShaClaim, windowSeconds: number): Promise<ShaClaimResult>;
  /** The claim recorded for the automation and SHA, however old, without changing anything. */
  findSha(automationId: string, sha: string): Promise<ShaClaim | null>;
}

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const NO_COMMIT = /^0+$/;

/**
 * The commit a webhook delivery announces, for the dedup: a GitHub `push` (`after`), an Azure
 * DevOps `git.push` (the first ref update's `newObjectId`), or any payload with a top-level
 * `sha`. Only full SHA-1 or SHA-256 object names count, lower-cased; a push that deletes a branch
 * (all zeros) announces none.
 */
export function deliveredSha(payload: unknown): string | null {
  if (!isObject(payload)) return null;
  const candidate = githubPushSha(payload) ?? azurePushSha(payload) ?? payload.sha;
  if (typeof candidate !== 'string') return null;
  const sha = candidate.trim().toLowerCase();
  return FULL_SHA.test(sha) && !NO_COMMIT.test(sha) ? sha : null;
}

function githubPushSha(payload: Record<string, unknown>): unknown {
  return typeof payload.ref === 'string' && typeof payload.before === 'string' ? payload.after : undefined;
}

function azurePushSha(payload: Record<string, unknown>): unknown {
  if (payload.eventType !== 'git.push' || !isObject(payload.resource)) return undefined;
  const updates = payload.resource.refUpdates;
  return Array.isArray(updates) && isObject(updates[0]) ? updates[0].newObjectId : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
