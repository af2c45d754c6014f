import { Cron } from 'croner';
import { errorMessage } from '../sandbox/error-message';

/** `field` says which input is wrong, so a form can put the message next to it. */
export type ScheduleCheck = { ok: true } | { ok: false; error: string; field?: 'cron' | 'timeZone' };

/**
 * Validates a 5-field (`minute hour day-of-month month day-of-week`) or 6-field (seconds first)
 * cron expression and an IANA time zone. Never throws.
 */
export function checkSchedule(cron: string, timeZone: string): ScheduleCheck {
  const shapeError = cronShapeError(cron);
  if (shapeError !== null) return { ok: false, error: shapeError, field: 'cron' };
  try {
    // Syntax alone, before the zone is known to be valid.
    new Cron(cron.trim(), { paused: true, mode: '5-or-6-parts' }).stop();
  } catch (error) {
    return { ok: false, error: `Invalid cron expression "${cron.trim()}": ${cronerMessage(error)}`, field: 'cron' };
  }
  const zoneError = timeZoneError(timeZone);
  if (zoneError !== null) return { ok: false, error: zoneError, field: 'timeZone' };
  // Years are always wildcarded, so an expression that fires at all fires after now too.
  if (nextFireTime(cron, timeZone, new Date()) === null) {
    return { ok: false, error: `Cron expression "${cron.trim()}" never fires (no such date, e.g. 30 February)`, field: 'cron' };
  }
  return { ok: true };
}

/** The first fire time strictly after `after`, or null when the schedule is invalid or never fires. */
export function nextFireTime(cron: string, timeZone: string, after: Date): Date | null {
  if (timeZoneError(timeZone) !== null || cronShapeError(cron) !== null || Number.isNaN(after.getTime())) return null;
  let job: Cron | undefined;
  try {
    job = createJob(cron, timeZone);
    return job.nextRun(after);
  } catch {
    return null;
  } finally {
    job?.stop();
  }
}

/**
 * The fire time after the tick being fired now, which was due at `due`. The clock that found it
 * due (the database's) can run a little ahead of `now`, so the next time is counted from
 * whichever is later: counted from `now` alone it could be `due` itself, and the tick would fire
 * twice.
 */
export function nextFireTimeAfterDue(cron: string, timeZone: string, due: Date | null, now: Date): Date | null {
  return nextFireTime(cron, timeZone, due !== null && due > now ? due : now);
}

// Paused and without a callback: croner only computes dates here, it never starts a timer.
function createJob(cron: string, timeZone: string): Cron {
  return new Cron(cron.trim(), { paused: true, timezone: timeZone, mode: '5-or-6-parts' });
}

function timeZoneError(timeZone: string): string | null {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    return 'Time zone is empty; use an IANA name such as "Europe/Berlin" or "UTC"';
  }
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return null;
  } catch {
    return `Unknown time zone "${timeZone}"; use an IANA name such as "Europe/Berlin" or "UTC"`;
  }
}

// Checked before croner, which would otherwise accept one-off dates and @nicknames.
function cronShapeError(cron: string): string | null {
  if (typeof cron !== 'string' || cron.trim() === '') {
    return 'Cron expression is empty; expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first)';
  }
  const fields = cron.trim().split(/\s+/);
  if (fields[0].startsWith('@')) {
    return `Cron nicknames like "${fields[0]}" are not supported; write 5 fields, e.g. "0 0 * * *" for daily at midnight`;
  }
  if (fields.length !== 5 && fields.length !== 6) {
    return `Cron expression "${cron.trim()}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)`;
  }
  return null;
}

function cronerMessage(error: unknown): string {
  return errorMessage(error).replace(/^CronPattern:\s*/, '');
}
