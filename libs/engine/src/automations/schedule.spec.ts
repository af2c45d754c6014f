import { checkSchedule, nextFireTime, nextFireTimeAfterDue } from './schedule';

describe('checkSchedule', () => {
  it.each([
    ['0 9 * * 1-5', 'Europe/Berlin'],
    ['* * * * *', 'UTC'],
    ['*/15 * * * * *', 'America/New_York'],
    ['  30 2 1,15 jan-jun sun  ', 'Asia/Kolkata'],
  ])('accepts %j in %s', (cron, zone) => {
    expect(checkSchedule(cron, zone)).toEqual({ ok: true });
  });

  it('rejects a minute out of range, naming the field', () => {
    expect(checkSchedule('61 * * * *', 'UTC')).toEqual({
      ok: false,
      error: 'Invalid cron expression "61 * * * *": Invalid value for minute: 61',
      field: 'cron',
    });
  });

  it('rejects illegal characters', () => {
    expect(checkSchedule('a b c d e', 'UTC')).toEqual({
      ok: false,
      error: 'Invalid cron expression "a b c d e": configuration entry 1 (a) contains illegal characters.',
      field: 'cron',
    });
  });

  it('rejects the wrong number of fields, saying how many there are', () => {
    expect(checkSchedule('* * *', 'UTC')).toEqual({
      ok: false,
      error: 'Cron expression "* * *" has 3 fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)',
      field: 'cron',
    });
    const sevenFields = checkSchedule('0 0 9 * * 1-5 2030', 'UTC');
    expect(sevenFields.ok === false && sevenFields.error).toContain('has 7 fields');
  });

  it('rejects an empty expression and nicknames', () => {
    expect(checkSchedule('  ', 'UTC')).toEqual({
      ok: false,
      error: 'Cron expression is empty; expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first)',
      field: 'cron',
    });
    expect(checkSchedule('@daily', 'UTC')).toEqual({
      ok: false,
      error: 'Cron nicknames like "@daily" are not supported; write 5 fields, e.g. "0 0 * * *" for daily at midnight',
      field: 'cron',
    });
  });

  it('rejects an expression that never fires', () => {
    expect(checkSchedule('0 0 30 2 *', 'UTC')).toEqual({
      ok: false,
      error: 'Cron expression "0 0 30 2 *" never fires (no such date, e.g. 30 February)',
      field: 'cron',
    });
  });

  it('rejects an unknown time zone and an empty one, naming the field', () => {
    expect(checkSchedule('0 9 * * 1-5', 'Mars/Olympus_Mons')).toEqual({
      ok: false,
      error: 'Unknown time zone "Mars/Olympus_Mons"; use an IANA name such as "Europe/Berlin" or "UTC"',
      field: 'timeZone',
    });
    expect(checkSchedule('0 9 * * 1-5', '')).toEqual({
      ok: false,
      error: 'Time zone is empty; use an IANA name such as "Europe/Berlin" or "UTC"',
      field: 'timeZone',
    });
  });

  it('gives distinct errors for a bad expression and a bad zone', () => {
    const badCron = checkSchedule('99 * * * *', 'UTC');
    const badZone = checkSchedule('0 * * * *', 'Nowhere/Atlantis');
    expect(badCron.ok || badZone.ok).toBe(false);
    if (badCron.ok || badZone.ok) return;
    expect(badCron.error).not.toBe(badZone.error);
    expect([badCron.field, badZone.field]).toEqual(['cron', 'timeZone']);
  });
});

describe('nextFireTime', () => {
  const weekdaysAtNine = '0 9 * * 1-5';

  it('fires at 09:00 Berlin time on weekdays across the spring DST change', () => {
    // Friday 28 March 2025 is CET (UTC+1); clocks go forward on Sunday 30 March; Monday is CEST (UTC+2).
    const friday = nextFireTime(weekdaysAtNine, 'Europe/Berlin', new Date('2025-03-28T06:00:00Z'));
    expect(friday?.toISOString()).toBe('2025-03-28T08:00:00.000Z');
    const monday = nextFireTime(weekdaysAtNine, 'Europe/Berlin', friday!);
    expect(monday?.toISOString()).toBe('2025-03-31T07:00:00.000Z');
  });

  it('fires at 09:00 Berlin time on weekdays across the autumn DST change', () => {
    const friday = nextFireTime(weekdaysAtNine, 'Europe/Berlin', new Date('2025-10-24T07:30:00Z'));
    expect(friday?.toISOString()).toBe('2025-10-27T08:00:00.000Z');
  });

  it('fires every minute, strictly after the given time', () => {
    expect(nextFireTime('* * * * *', 'UTC', new Date('2025-01-01T10:00:00Z'))?.toISOString()).toBe('2025-01-01T10:01:00.000Z');
    expect(nextFireTime('* * * * *', 'UTC', new Date('2025-01-01T10:00:59.999Z'))?.toISOString()).toBe('2025-01-01T10:01:00.000Z');
  });

  it('honours a seconds field', () => {
    expect(nextFireTime('*/10 * * * * *', 'UTC', new Date('2025-01-01T10:00:03Z'))?.toISOString()).toBe('2025-01-01T10:00:10.000Z');
  });

  it('returns null for an invalid expression, an invalid zone, an invalid date or a schedule that never fires', () => {
    const after = new Date('2025-01-01T00:00:00Z');
    expect(nextFireTime('61 * * * *', 'UTC', after)).toBeNull();
    expect(nextFireTime('@hourly', 'UTC', after)).toBeNull();
    expect(nextFireTime('2025-06-01T00:00:00', 'UTC', after)).toBeNull();
    expect(nextFireTime('* * * * *', 'Mars/Olympus_Mons', after)).toBeNull();
    expect(nextFireTime('* * * * *', 'UTC', new Date('nonsense'))).toBeNull();
    expect(nextFireTime('0 0 30 2 *', 'UTC', after)).toBeNull();
  });
});

describe('nextFireTimeAfterDue', () => {
  it('moves past the tick being fired when the clock that found it due runs ahead of now', () => {
    // The database saw 10:00:01.000 as due while this process still read 10:00:00.998.
    const due = new Date('2025-01-01T10:00:01.000Z');
    const now = new Date('2025-01-01T10:00:00.998Z');
    expect(nextFireTimeAfterDue('* * * * * *', 'UTC', due, now)?.toISOString()).toBe('2025-01-01T10:00:02.000Z');
  });

  it('counts from now when the tick was found late, so missed ticks are not fired one by one', () => {
    const due = new Date('2025-01-01T10:00:01.000Z');
    const now = new Date('2025-01-01T10:00:05.300Z');
    expect(nextFireTimeAfterDue('* * * * * *', 'UTC', due, now)?.toISOString()).toBe('2025-01-01T10:00:06.000Z');
    expect(nextFireTimeAfterDue('* * * * * *', 'UTC', null, now)?.toISOString()).toBe('2025-01-01T10:00:06.000Z');
  });
});
