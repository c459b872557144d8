// One zoned-time module (src/core/zoned-time.ts) with one DST rule, used by the chat's periods, the
// digest's day, the digest schedule and spreadsheet dates: they must agree on days that start in a gap.
import { describe, expect, it } from 'vitest';
import { scheduledAt } from '../../src/adapters/cron/due.ts';
import { parseDate } from '../../src/adapters/files/cells.ts';
import { digestWindow } from '../../src/bot/digest.ts';
import { parsePeriod } from '../../src/bot/parse/index.ts';
import { localDate, localDay, localParts, localTime, startOfDayAt, startOfLocalDay, zonedTimeToUtc } from '../../src/core/zoned-time.ts';

const at = (iso: string) => new Date(iso);

describe('zoned time', () => {
  it('turns instants into the shop’s wall clock whatever the machine’s zone', () => {
    const i = at('2026-11-27T17:30:00Z'); // 01:30 on the 28th in Shanghai
    expect(localDate(i, 'Asia/Shanghai')).toBe('2026-11-28');
    expect(localDay(i, 'Asia/Shanghai')).toBe('11月28日');
    expect(localTime(i, 'Asia/Shanghai')).toBe('11-28 01:30');
    expect(startOfDayAt(i, 'Asia/Shanghai')).toEqual(at('2026-11-27T16:00:00Z'));
    expect(localParts(i, 'America/New_York')).toMatchObject({ year: 2026, month: 11, day: 27, hour: 12, minute: 30 });
  });

  it('takes a repeated wall time the first time and a skipped one past the jump', () => {
    expect(zonedTimeToUtc('America/New_York', 2026, 11, 1, 1, 30)).toEqual(at('2026-11-01T05:30:00Z')); // 01:30 EDT, not EST
    expect(zonedTimeToUtc('America/New_York', 2026, 3, 8, 2, 30)).toEqual(at('2026-03-08T07:30:00Z')); // 03:30 EDT
  });

  it('starts a day that begins in a DST gap when the clocks jump, in every surface', () => {
    // Chile moves 00:00 → 01:00 on 6 September 2026: the day starts at 01:00 local (04:00Z), not at
    // 23:00 of the day before.
    const zone = 'America/Santiago';
    const start = at('2026-09-06T04:00:00Z');
    expect(startOfLocalDay(zone, 2026, 9, 6)).toEqual(start);
    expect(localDate(startOfLocalDay(zone, 2026, 9, 6), zone)).toBe('2026-09-06');
    expect(digestWindow(at('2026-09-06T15:00:00Z'), zone).dayFrom).toEqual(start);
    expect(parsePeriod('今天', at('2026-09-06T15:00:00Z'), zone)?.from).toEqual(start);
    expect(scheduledAt('2026-09-06', '00:30', zone)).toEqual(at('2026-09-06T04:30:00Z'));
    const cell = parseDate('2026-09-06', zone);
    expect(cell.ok && cell.value).toEqual(start);
  });
});
