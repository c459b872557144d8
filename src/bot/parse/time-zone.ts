/**
 * Wall-clock arithmetic in the shop's IANA zone using only Intl, so results never depend on the
 * machine's own zone (servers usually run in UTC while shops live in Asia/Shanghai).
 */

/** A local calendar date and time in some zone. */
export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows; returns its canonical spelling. */
export function canonicalTimeZone(timeZone: string): string | undefined {
  if (timeZone.length === 0 || timeZone.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function partsFromFormatter(instant: Date, timeZone: string): LocalDateTime {
  const out: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        out.year = Number(part.value);
        break;
      case 'month':
        out.month = Number(part.value);
        break;
      case 'day':
        out.day = Number(part.value);
        break;
      case 'hour':
        out.hour = Number(part.value);
        break;
      case 'minute':
        out.minute = Number(part.value);
        break;
      case 'second':
        out.second = Number(part.value);
        break;
      default:
        break;
    }
  }
  return out;
}

// Zone offsets change only on whole quarter hours (UTC), so one lookup per zone and 15-minute
// slot is exact; Intl formatting is otherwise the slowest step of a dated message.
const SLOT_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();

/** Minutes the zone is ahead of UTC at `instant` (Asia/Shanghai → 480). */
export function offsetMinutes(timeZone: string, instant: Date): number {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return 0;
  const slot = Math.floor(ms / SLOT_MS);
  const key = `${timeZone}|${slot}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const at = new Date(slot * SLOT_MS);
  const p = partsFromFormatter(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const offset = Math.round((asUtc - at.getTime()) / 60000);
  if (offsetCache.size > 4096) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** The local date and time in `timeZone` at `instant`. */
export function localParts(instant: Date, timeZone: string): LocalDateTime {
  const local = new Date(instant.getTime() + offsetMinutes(timeZone, instant) * 60000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/**
 * The UTC instant of a local wall-clock time in `timeZone`. Out-of-range fields roll over like
 * Date.UTC (day 0 is the last day of the previous month), which keeps period arithmetic simple.
 */
export function zonedTimeToUtc(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Two rounds settle the offset even when the wall time sits next to a DST change.
  const first = wall - offsetMinutes(timeZone, new Date(wall)) * 60000;
  const second = wall - offsetMinutes(timeZone, new Date(first)) * 60000;
  return new Date(second);
}

/** Local midnight starting the given local day, as a UTC instant. */
export function startOfLocalDay(timeZone: string, year: number, month: number, day: number): Date {
  return zonedTimeToUtc(timeZone, year, month, day, 0, 0);
}

/** Day of week of a local calendar date, Monday = 1 … Sunday = 7 (weeks start on Monday). */
export function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** True when year/month/day name a real calendar date (rejects 2月30日). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
