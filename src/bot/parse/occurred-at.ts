import * as hans from 'chrono-node/zh/hans';
import { chronoReference } from './chrono-reference.ts';
import { localParts, zonedTimeToUtc } from './time-zone.ts';

/**
 * When a write happened (`昨天`, `上周五`, `3月5日`, `前天下午3点`). Date words are found with a
 * cheap regex first and only that short token is handed to chrono, because chrono on a whole
 * message costs more than the rest of the parse together.
 */

const CN = '[一二三四五六七八九十两]';
const DAY_WORD = '(?:大前天|前天|昨天|昨日|今天|今日|明天|后天)';
const WEEK_WORD = '(?:(?:上|这|本|下)?个?(?:周|星期|礼拜)[一二三四五六日天1-7])';
const MONTH_DAY = `(?:(?:\\d{4}年)?(?:\\d{1,2}|${CN}{1,3})月(?:\\d{1,2}|${CN}{1,3})[日号])`;
const ISO_DAY = '(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2})';
const AGO = `(?:(?:\\d{1,3}|${CN}{1,3})(?:天|个月)前)`;
const MERIDIEM = '(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)';
const CLOCK = `(?:(?:\\d{1,2}|${CN}{1,3})(?:点|时)(?:半|\\d{1,2}分?|${CN}{1,3}分)?|\\d{1,2}:\\d{2})`;
const TIME = `(?:${MERIDIEM}?\\s*${CLOCK})`;
const DATE_SOURCE = `(?:${DAY_WORD}|${WEEK_WORD}|${MONTH_DAY}|${ISO_DAY}|${AGO})(?:\\s*${TIME})?|${MERIDIEM}\\s*${CLOCK}|\\d{1,2}:\\d{2}`;

/** A date word at the very start of a message (`昨天 进货 …`), with the spaces after it. */
export const LEADING_DATE = new RegExp(`^(?:${DATE_SOURCE})\\s*`);
const DATE_ANYWHERE = new RegExp(DATE_SOURCE, 'g');
// Characters every date token contains; most messages have none and skip the big regex.
const DATE_HINT = /[天日号月周期拜前点时:]|\d[-/.]\d/;

/** A date token found in a message. */
export interface DateToken {
  start: number;
  end: number;
  text: string;
}

/** All date tokens in `text`, left to right. */
export function findDateTokens(text: string): DateToken[] {
  if (!DATE_HINT.test(text)) return [];
  const out: DateToken[] = [];
  DATE_ANYWHERE.lastIndex = 0;
  for (let m = DATE_ANYWHERE.exec(text); m !== null; m = DATE_ANYWHERE.exec(text)) {
    if (m[0].length === 0) {
      DATE_ANYWHERE.lastIndex++;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** The instant a date token means, `now` for today without a time, or why it cannot be used. */
export type OccurredAt =
  | { kind: 'at'; date: Date | undefined }
  | { kind: 'future' }
  | { kind: 'unknown' };

/**
 * Resolves a date token for a write. A date without a time is that day at 12:00 local time —
 * noon keeps the day right whichever zone later displays it — except today, which is "now"
 * (undefined). A time in the future is refused by the caller: entries record what happened.
 */
export function resolveOccurredAt(token: string, now: Date, timeZone: string): OccurredAt {
  const today = localParts(now, timeZone);
  const todayKey = today.year * 10000 + today.month * 100 + today.day;
  const found = readDate(token, now, timeZone, todayKey);
  if (found === undefined) return { kind: 'unknown' };
  const dayKey = found.year * 10000 + found.month * 100 + found.day;
  if (found.hour !== undefined) {
    const at = zonedTimeToUtc(timeZone, found.year, found.month, found.day, found.hour, found.minute ?? 0);
    // A minute of slack: "15:30" typed at 15:30:20 is not the future.
    return at.getTime() > now.getTime() + 60_000 ? { kind: 'future' } : { kind: 'at', date: at };
  }
  if (dayKey > todayKey) return { kind: 'future' };
  if (dayKey === todayKey) return { kind: 'at', date: undefined };
  return { kind: 'at', date: zonedTimeToUtc(timeZone, found.year, found.month, found.day, 12, 0) };
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
}

// What a token means depends only on the shop's local day, so chrono runs once per token per
// day and zone instead of once per message ("昨天" is written all day long).
const cache = new Map<string, DateParts | null>();

function readDate(token: string, now: Date, timeZone: string, todayKey: number): DateParts | undefined {
  const key = `${timeZone}|${todayKey}|${token}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const text = token.replace(/(\d{4})[/.](\d{1,2})[/.](\d{1,2})/, '$1-$2-$3');
  const r = hans.parse(text, chronoReference(now, timeZone))[0];
  let parts: DateParts | null = null;
  if (r !== undefined) {
    const year = r.start.get('year');
    const month = r.start.get('month');
    const day = r.start.get('day');
    if (year !== null && month !== null && day !== null) {
      parts = { year, month, day };
      if (r.start.isCertain('hour')) {
        parts.hour = r.start.get('hour') ?? 0;
        parts.minute = r.start.get('minute') ?? 0;
      }
    }
  }
  if (cache.size > 2048) cache.clear();
  cache.set(key, parts);
  return parts ?? undefined;
}
