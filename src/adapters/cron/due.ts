/**
 * When a shop's digest is due, as pure functions of the shop's settings and an instant, so the
 * schedule is tested with an injected clock across time zones and DST changes without waiting.
 */
import { HOUR_MS, isoDate, localDate, MINUTE_MS, zonedTimeToUtc } from '../../core/zoned-time.ts';

/** A digest missed while the process was down is still sent this long after its time, marked late. */
export const CATCH_UP_MS = 12 * HOUR_MS;
/** Sent more than this after its time, a digest is marked late (a minute tick is never that slow). */
export const LATE_AFTER_MS = 10 * MINUTE_MS;
/** The digest time of a shop whose setting cannot be read. */
export const DEFAULT_DIGEST_TIME = '21:00';

/** The digest a shop should have sent by now. */
export interface DueDigest {
  /** YYYY-MM-DD in the shop's zone: the day the digest is about. */
  localDate: string;
  scheduledAt: Date;
  late: boolean;
}

/** "21:00" → 21 × 60; undefined for anything that is not a time of day. */
export function parseDigestTime(text: string): { hour: number; minute: number } | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

/** When a shop's digest for a local date (YYYY-MM-DD) is scheduled. */
export function scheduledAt(date: string, digestTime: string, timeZone: string): Date {
  const time = parseDigestTime(digestTime) ?? (parseDigestTime(DEFAULT_DIGEST_TIME) as { hour: number; minute: number });
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return zonedTimeToUtc(timeZone, y, m, d, time.hour, time.minute);
}

/**
 * The digest a shop should have sent by `now`: the latest scheduled time at or before now, if it was
 * no more than CATCH_UP_MS ago. Whether it was already sent is the database's business (the claim).
 */
export function dueDigest(shop: { timeZone: string; digestTime: string }, now: Date): DueDigest | undefined {
  const today = localDate(now, shop.timeZone);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  // Today's slot, else yesterday's (a 23:30 digest caught up at 01:00 is yesterday's).
  for (const date of [today, isoDate(y, m, d - 1)]) {
    const at = scheduledAt(date, shop.digestTime, shop.timeZone);
    if (at > now) continue;
    const age = now.getTime() - at.getTime();
    if (age > CATCH_UP_MS) return undefined;
    return { localDate: date, scheduledAt: at, late: age > LATE_AFTER_MS };
  }
  return undefined;
}

/** Waits between attempts of a failed delivery: 1, 2, 4, 8, 16 then 30 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MINUTE_MS * 2 ** Math.max(0, attempts - 1), 30 * MINUTE_MS);
}

/** A delivery failing this many times is given up. */
export const MAX_ATTEMPTS = 8;
