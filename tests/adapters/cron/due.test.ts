import { describe, expect, it } from 'vitest';
import { dueDigest, parseDigestTime, retryDelayMs, scheduledAt } from '../../../src/adapters/cron/due.ts';
import { zonedTimeToUtc } from '../../../src/core/zoned-time.ts';

const zonedTime = (y: number, m: number, d: number, h: number, mi: number, zone: string) => zonedTimeToUtc(zone, y, m, d, h, mi);

const shanghai = { timeZone: 'Asia/Shanghai', digestTime: '21:00' };
const newYork = { timeZone: 'America/New_York', digestTime: '21:00' };
const at = (iso: string) => new Date(iso);

describe('scheduledAt', () => {
  it('is the local time in a zone without DST', () => {
    expect(scheduledAt('2026-11-27', '21:00', 'Asia/Shanghai')).toEqual(at('2026-11-27T13:00:00Z'));
    expect(scheduledAt('2026-06-27', '21:00', 'Asia/Shanghai')).toEqual(at('2026-06-27T13:00:00Z'));
  });

  it('follows New York across both clock changes of 2026', () => {
    // EDT (UTC−4) until 1 November, EST (UTC−5) after; EST until 8 March, EDT after.
    expect(scheduledAt('2026-10-31', '21:00', 'America/New_York')).toEqual(at('2026-11-01T01:00:00Z'));
    expect(scheduledAt('2026-11-01', '21:00', 'America/New_York')).toEqual(at('2026-11-02T02:00:00Z'));
    expect(scheduledAt('2026-03-07', '21:00', 'America/New_York')).toEqual(at('2026-03-08T02:00:00Z'));
    expect(scheduledAt('2026-03-08', '21:00', 'America/New_York')).toEqual(at('2026-03-09T01:00:00Z'));
  });

  it('takes a time that happens twice the first time, and a skipped time just after the jump', () => {
    expect(zonedTime(2026, 11, 1, 1, 30, 'America/New_York')).toEqual(at('2026-11-01T05:30:00Z')); // 01:30 EDT
    expect(zonedTime(2026, 3, 8, 2, 30, 'America/New_York')).toEqual(at('2026-03-08T07:30:00Z')); // 03:30 EDT
  });

  it('falls back to 21:00 for a time it cannot read', () => {
    expect(parseDigestTime('25:00')).toBeUndefined();
    expect(parseDigestTime('9:05')).toEqual({ hour: 9, minute: 5 });
    expect(scheduledAt('2026-11-27', 'nonsense', 'Asia/Shanghai')).toEqual(at('2026-11-27T13:00:00Z'));
  });
});

describe('dueDigest', () => {
  it('is nothing before the time and on time from the minute it comes', () => {
    expect(dueDigest(shanghai, at('2026-11-27T12:59:59Z'))).toBeUndefined();
    expect(dueDigest(shanghai, at('2026-11-27T13:00:00Z'))).toEqual({ localDate: '2026-11-27', scheduledAt: at('2026-11-27T13:00:00Z'), late: false });
    expect(dueDigest(shanghai, at('2026-11-27T13:09:00Z'))?.late).toBe(false);
    expect(dueDigest(shanghai, at('2026-11-27T13:11:00Z'))?.late).toBe(true);
  });

  it('still owes yesterday’s digest for 12 hours, as late, then lets it go', () => {
    expect(dueDigest(shanghai, at('2026-11-28T00:59:00Z'))).toEqual({ localDate: '2026-11-27', scheduledAt: at('2026-11-27T13:00:00Z'), late: true });
    expect(dueDigest(shanghai, at('2026-11-28T01:01:00Z'))).toBeUndefined();
  });

  it('names the local date of the shop, not of UTC', () => {
    // 21:00 on 31 October in New York is already 1 November in UTC.
    expect(dueDigest(newYork, at('2026-11-01T01:00:00Z'))).toMatchObject({ localDate: '2026-10-31', late: false });
    expect(dueDigest(newYork, at('2026-11-01T12:00:00Z'))).toMatchObject({ localDate: '2026-10-31', late: true }); // 07:00 EST, 12 h after 21:00 EDT
    expect(dueDigest(newYork, at('2026-11-02T01:59:00Z'))).toBeUndefined(); // 20:59 EST on the 1st
    expect(dueDigest(newYork, at('2026-11-02T02:00:00Z'))).toMatchObject({ localDate: '2026-11-01', late: false });
  });

  it('catches up a digest near midnight on the next local day', () => {
    const lateNight = { timeZone: 'Asia/Shanghai', digestTime: '23:30' };
    expect(dueDigest(lateNight, at('2026-11-27T17:00:00Z'))).toMatchObject({ localDate: '2026-11-27', late: true }); // 01:00 on the 28th
  });
});

describe('retryDelayMs', () => {
  it('doubles from a minute and stops at half an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 16, 30, 30]);
  });
});
