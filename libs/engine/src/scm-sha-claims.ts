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

/** Why a run was skipped as a duplicate: which run already took the commit, from which source, and when. */
export function duplicateReason(earlier: ShaClaim): string {
  return `the ${earlier.source} run ${earlier.runId} already ran ${earlier.sha} at ${earlier.seenAt.toISOString()}`;
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
