import { offsetMinutes } from '../../core/zoned-time.ts';

/**
 * The reference date to hand chrono so it reasons in the shop's wall-clock time.
 *
 * chrono's zh parsers read "today" from the reference with the machine-local getters
 * (`refDate.getDate()`), ignoring a `{ timezone }` option — on a UTC server at 01:00 Shanghai
 * time `昨天` came out two days back. So we give chrono an instant whose machine-local wall
 * clock equals the shop's wall clock and no timezone, and use only the calendar fields it
 * returns (never its Date). Results then do not depend on the machine's zone.
 */
export function chronoReference(now: Date, timeZone: string): Date {
  const wall = now.getTime() + offsetMinutes(timeZone, now) * 60_000;
  // Two rounds settle the machine offset even next to its own DST change.
  let instant = wall + new Date(wall).getTimezoneOffset() * 60_000;
  instant = wall + new Date(instant).getTimezoneOffset() * 60_000;
  return new Date(instant);
}
