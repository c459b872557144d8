/**
 * Zoned time: the one place that turns instants into a shop's wall-clock dates and back. Only Intl is
 * used, so nothing depends on the machine's own zone (servers run in UTC, shops in Asia/Shanghai).
 *
 * The DST rule, for every caller: a wall time that happens twice (clocks go back) is taken the first
 * time; a wall time that never happens (clocks jump forward) is taken as the same distance past the
 * jump (02:30 in a 02:00→03:00 gap is 03:30; a day starting in a gap starts when the clocks jump).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A local calendar date and time in some zone. */
export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** A calendar date. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
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
    if (part.type === 'year' || part.type === 'month' || part.type === 'day' || part.type === 'hour' || part.type === 'minute' || part.type === 'second') {
      out[part.type] = Number(part.value);
    }
  }
  return out;
}

// Zone offsets change only on whole quarter hours (UTC), so one lookup per zone and 15-minute slot
// is exact; Intl formatting is otherwise the slowest step of a dated message or an imported row.
const SLOT_MS = 15 * MINUTE_MS;
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
  const offset = Math.round((asUtc - at.getTime()) / MINUTE_MS);
  if (offsetCache.size > 4096) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** The zone's offset from UTC at an instant, in milliseconds. */
export function offsetMs(at: Date, timeZone: string): number {
  return offsetMinutes(timeZone, at) * MINUTE_MS;
}

/** The local date and time in `timeZone` at `instant`. */
export function localParts(instant: Date, timeZone: string): LocalDateTime {
  const local = new Date(instant.getTime() + offsetMs(instant, timeZone));
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
 * The instant a wall-clock time occurs in a zone, by the DST rule above. Out-of-range fields roll
 * over like Date.UTC (day 0 is the last day of the month before), which keeps period arithmetic simple.
 */
export function zonedTimeToUtc(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const before = offsetMs(new Date(wall - DAY_MS), timeZone);
  const after = offsetMs(new Date(wall + DAY_MS), timeZone);
  if (before === after && offsetMs(new Date(wall - before), timeZone) === before) return new Date(wall - before);
  const candidates = [...new Set([before, after])].map((o) => wall - o).sort((a, b) => a - b);
  const exact = candidates.find((t) => offsetMs(new Date(t), timeZone) === wall - t);
  // In a gap neither offset reproduces the wall time; the earlier offset lands just after the jump.
  return new Date(exact ?? wall - before);
}

/** Local midnight starting the given local day, as a UTC instant. */
export function startOfLocalDay(timeZone: string, year: number, month: number, day: number): Date {
  return zonedTimeToUtc(timeZone, year, month, day);
}

/** Local midnight starting the day that contains `at`. */
export function startOfDayAt(at: Date, timeZone: string): Date {
  const p = localParts(at, timeZone);
  return startOfLocalDay(timeZone, p.year, p.month, p.day);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar date of an instant in a zone, as YYYY-MM-DD. */
export function localDate(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "11月27日" in the zone (no leading zeros). */
export function localDay(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.month}月${p.day}日`;
}

/** "11-27 14:05" in the zone. */
export function localTime(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "2026-11-27 10:05" in the zone. */
export function localDateTime(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "21:00" in the zone. */
export function localClock(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * The instant as the zone's wall-clock time read as UTC: the way Excel dates, which have no zone,
 * are written and read.
 */
export function wallClockDate(at: Date, timeZone: string): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000 + offsetMs(at, timeZone));
}

/** YYYY-MM-DD of a (possibly overflowing) calendar day, e.g. day 0 is the last of the month before. */
export function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** True when year/month/day name a real calendar date (rejects 2月30日). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A calendar date: 2026-11-27 → { year, month, day }, or undefined for anything else (also 2026-02-30). */
export function parseIsoDate(text: string): LocalDate | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** Day of week of a local calendar date, Monday = 1 … Sunday = 7 (weeks start on Monday). */
export function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}
