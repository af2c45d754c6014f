/**
 * A version as the API answers it. Plain types only, no imports: the console can import this
 * file too, so the contract is written once.
 */
export interface VersionSummaryView {
  /** 1, 2, 3… for each provider and function, and for the provider order. */
  version: number;
  comment: string | null;
  /** The user who saved it; null when the server did (built-in seeding, upgrade, the order before its first change). */
  createdBy: string | null;
  createdAt: string;
}

/**
 * One version with its content. Provider: `{matchScript, verification: {scheme, options},
 * eventFormat}`, and `descriptor` when it has one. Function: `{script, condition, timeoutMs}`. Provider order:
 * `{providers: [{id, name}]}`, first runs first. Never holds secrets.
 */
export interface VersionView extends VersionSummaryView {
  content: Record<string, unknown>;
}

/** A page of versions, newest first; pass `nextCursor` as `cursor` for the next one. */
export interface VersionPage {
  items: VersionSummaryView[];
  nextCursor: string | null;
}
