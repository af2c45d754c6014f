import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ShaClaim, ShaClaimResult, ShaClaims, ShaSource } from '../../../../libs/engine/src';
import { DATA_SOURCE } from '../common/tokens';

interface ClaimRow {
  sha: string;
  source: ShaSource;
  run_id: string;
  seen_at: Date;
}

/**
 * Claims a SHA for an automation in one statement. Two claims of one SHA take the row lock on
 * (automation_id, sha): the second waits for the first to commit and then sees its row. The row
 * becomes the new claim unless the earlier one holds, by the rule of isDuplicateClaim: from the
 * other source and younger than the window ($6 seconds; 0 never holds). Each returned row names
 * the claim now in force, so the caller is first exactly when it names the caller's run.
 */
const CLAIM_SHA = `
  INSERT INTO scm_seen_shas AS s (automation_id, sha, source, run_id, seen_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (automation_id, sha) DO UPDATE SET
    source = CASE WHEN $6 > 0 AND s.source <> EXCLUDED.source AND s.seen_at > EXCLUDED.seen_at - $6 * interval '1 second'
                  THEN s.source ELSE EXCLUDED.source END,
    run_id = CASE WHEN $6 > 0 AND s.source <> EXCLUDED.source AND s.seen_at > EXCLUDED.seen_at - $6 * interval '1 second'
                  THEN s.run_id ELSE EXCLUDED.run_id END,
    seen_at = CASE WHEN $6 > 0 AND s.source <> EXCLUDED.source AND s.seen_at > EXCLUDED.seen_at - $6 * interval '1 second'
                   THEN s.seen_at ELSE EXCLUDED.seen_at END
  RETURNING sha, source, run_id, seen_at`;

/** The commits each automation ran for, by webhook or poll (table scm_seen_shas), for the dedup between the two. */
@Injectable()
export class ShaClaimsRepository implements ShaClaims {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async claimSha(automationId: string, claim: ShaClaim, windowSeconds: number): Promise<ShaClaimResult> {
    const [row]: ClaimRow[] = await this.db.query(CLAIM_SHA, [automationId, claim.sha, claim.source, claim.runId, claim.seenAt, windowSeconds]);
    return row.run_id === claim.runId ? { first: true } : { first: false, earlier: toClaim(row) };
  }

  async findSha(automationId: string, sha: string): Promise<ShaClaim | null> {
    const [row]: ClaimRow[] = await this.db.query(`SELECT sha, source, run_id, seen_at FROM scm_seen_shas WHERE automation_id = $1 AND sha = $2`, [automationId, sha]);
    return row ? toClaim(row) : null;
  }

  /** Removes claims seen before `before`: past every window, they can no longer hold. */
  async pruneClaims(before: Date): Promise<number> {
    const [, removed]: [unknown, number] = await this.db.query(`DELETE FROM scm_seen_shas WHERE seen_at < $1`, [before]);
    return removed;
  }
}

function toClaim(row: ClaimRow): ShaClaim {
  return { sha: row.sha, source: row.source, runId: row.run_id, seenAt: row.seen_at };
}
