import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ScmBranchState, ScmErrorRecord, ScmPollStateStore } from '../../../../libs/engine/src';
import { DATA_SOURCE } from '../common/tokens';

interface StateRow {
  branch: string;
  last_sha: string | null;
  last_poll_at: Date | null;
  last_error: string | null;
  consecutive_errors: number;
  next_attempt_at: Date | null;
  baseline_at: Date | null;
  recent_errors: Array<Omit<ScmErrorRecord, 'at'> & { at: string }>;
}

const COLUMNS = 'branch, last_sha, last_poll_at, last_error, consecutive_errors, next_attempt_at, baseline_at, recent_errors';

/** The poll state of each watched branch of each automation (table scm_poll_state). */
@Injectable()
export class ScmPollStateRepository implements ScmPollStateStore {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async readPollState(automationId: string): Promise<ScmBranchState[]> {
    const rows: StateRow[] = await this.db.query(`SELECT ${COLUMNS} FROM scm_poll_state WHERE automation_id = $1 ORDER BY branch`, [automationId]);
    return rows.map(toState);
  }

  /**
   * Takes the due branches in one statement: a branch without a row gets one, a row that is due
   * gets next_attempt_at = holdUntil; a row another caller holds, or that waits for its minimum
   * interval or backoff, is left alone and not returned. Two servers asking at once both try to
   * write the same rows: the second waits for the first to commit, then finds next_attempt_at in
   * the future and takes nothing (ON CONFLICT re-reads the row it waited for). The branches go in
   * a fixed order, so two callers asking for overlapping branches cannot deadlock.
   */
  async takeDueBranches(automationId: string, branches: string[], now: Date, holdUntil: Date): Promise<ScmBranchState[]> {
    if (branches.length === 0) return [];
    const rows: StateRow[] = await this.db.query(
      `INSERT INTO scm_poll_state AS s (automation_id, branch, next_attempt_at)
       SELECT $1, branch, $4 FROM unnest($2::text[]) AS branch ORDER BY branch
       ON CONFLICT (automation_id, branch) DO UPDATE SET next_attempt_at = EXCLUDED.next_attempt_at
        WHERE s.next_attempt_at IS NULL OR s.next_attempt_at <= $3
       RETURNING ${COLUMNS}`,
      [automationId, [...new Set(branches)].sort(), now, holdUntil],
    );
    return rows.map(toState);
  }

  async writeBranchState(automationId: string, state: ScmBranchState): Promise<void> {
    await this.db.query(
      `INSERT INTO scm_poll_state (automation_id, ${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
       ON CONFLICT (automation_id, branch) DO UPDATE SET
         last_sha = EXCLUDED.last_sha, last_poll_at = EXCLUDED.last_poll_at, last_error = EXCLUDED.last_error,
         consecutive_errors = EXCLUDED.consecutive_errors, next_attempt_at = EXCLUDED.next_attempt_at,
         baseline_at = EXCLUDED.baseline_at, recent_errors = EXCLUDED.recent_errors`,
      [
        automationId,
        state.branch,
        state.lastSha,
        state.lastPollAt,
        state.lastError,
        state.consecutiveErrors,
        state.nextAttemptAt,
        state.baselineAt,
        JSON.stringify(state.recentErrors),
      ],
    );
  }

  /** Drops the state of these branches (or patterns): polled again, they start with a new baseline. */
  async forgetBranches(automationId: string, branches: string[]): Promise<void> {
    if (branches.length === 0) return;
    await this.db.query(`DELETE FROM scm_poll_state WHERE automation_id = $1 AND branch = ANY($2::text[])`, [automationId, branches]);
  }

  /** Drops every branch state of the automation. */
  async forgetAll(automationId: string): Promise<void> {
    await this.db.query(`DELETE FROM scm_poll_state WHERE automation_id = $1`, [automationId]);
  }
}

function toState(row: StateRow): ScmBranchState {
  return {
    branch: row.branch,
    lastSha: row.last_sha,
    lastPollAt: row.last_poll_at,
    lastError: row.last_error,
    consecutiveErrors: row.consecutive_errors,
    nextAttemptAt: row.next_attempt_at,
    baselineAt: row.baseline_at,
    recentErrors: row.recent_errors.map((error) => ({ ...error, at: new Date(error.at) })),
  };
}
