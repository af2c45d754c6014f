import type { StatusTone } from '../shared/tone-badge';
import type { Run } from './automation-types';
import type { ScmBranchOutcome, RunScmPoll } from './scm-poll-types';

/** A SHA as Git shows it in short: its first seven characters. */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : '—';
}

/** The commit a poll-triggered run was started for; null for other runs. */
export function scmPollOf(run: Run): RunScmPoll | null {
  return run.scmPoll;
}

/** Whether a watched entry is a glob, whose poll state is the listing of the branches it matches. */
export function isBranchGlob(entry: string): boolean {
  return entry.includes('*') || entry.includes('?');
}

/** What a Test Poll's outcome for a branch means, in words and a tone. */
export function outcomeOf(outcome: ScmBranchOutcome): { label: string; tone: StatusTone } {
  switch (outcome) {
    case 'baseline':
      return { label: 'baseline: first SHA, no run', tone: 'wait' };
    case 'unchanged':
      return { label: 'unchanged', tone: 'other' };
    case 'triggered':
      return { label: 'moved: would run', tone: 'ok' };
    case 'filtered':
      return { label: 'moved, no path matched', tone: 'other' };
    case 'duplicate':
      return { label: 'moved, already run by a webhook', tone: 'other' };
    case 'failed':
      return { label: 'failed', tone: 'bad' };
    case 'waiting':
      return { label: 'not due yet', tone: 'wait' };
  }
}
