import { chronoHans } from './chrono-lazy.ts';
import { chronoReference } from './chrono-reference.ts';
import { isoWeekday, isRealDate, localParts, zonedTimeToUtc } from '../../core/zoned-time.ts';

/**
 * When a write happened (`昨天`, `上周五`, `3月5日`, `前天下午3点`). Date words are found with a
 * cheap regex first and only that short token is handed to chrono, because chrono on a whole
 * message costs more than the rest of the parse together.
 */

const CN = '[一二三四五六七八九十两]';
const DAY_WORD = '(?:大前天|前天|昨天|昨日|今天|今日|明天|后天)';
const WEEK_WORD = '(?:(?:上上|上|这|本|下)?个?(?:周|星期|礼拜)[一二三四五六日天1-7])';
const MONTH_DAY = `(?:(?:\\d{4}年)?(?:\\d{1,2}|${CN}{1,3})月(?:\\d{1,2}|${CN}{1,3})[日号])`;
const ISO_DAY = '(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2})';
const AGO = `(?:(?:\\d{1,3}|${CN}{1,3})(?:天|个月)前)`;
const MERIDIEM = '(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)';
const CLOCK = `(?:(?:\\d{1,2}|${CN}{1,3})(?:点|时)(?:半|\\d{1,2}分?|${CN}{1,3}分)?|\\d{1,2}:\\d{2})`;
const TIME = `(?:${MERIDIEM}?\\s*${CLOCK})`;
// `23号` (a day of this month or the last), `11.23` / `11/23` / `11-23` (month and day). Not
// `2号仓` (a place), not inside a longer number or code.
const DAY_OF_MONTH = '(?<![\\d.\\-/])(?:[1-9]|[12]\\d|3[01])[号日](?![仓库店楼线门柜架口机])';
const SHORT_DAY = '(?<![\\d.\\-/A-Za-z])(?:1[0-2]|0?[1-9])[./\\-](?:[12]\\d|3[01]|0?[1-9])(?![\\d.\\-/%件个条双包箱盒瓶支台套斤元块])';
// `昨天的`, `昨天到的`, `前天下午`: the words that hang on a date and mean nothing more.
const DATE_TAIL = `(?:\\s*${MERIDIEM}(?!\\s*(?:\\d|[一二三四五六七八九十两])))?(?:[到进卖退发出]?的)?`;
const DATE_SOURCE = `(?:(?:${DAY_WORD}|${WEEK_WORD}|${MONTH_DAY}|${ISO_DAY}|${AGO}|${DAY_OF_MONTH}|${SHORT_DAY})(?:\\s*${TIME})?|${MERIDIEM}\\s*${CLOCK}|\\d{1,2}:\\d{2})${DATE_TAIL}`;

/** A date word at the very start of a message (`昨天 进货 …`), with the spaces after it. */
export const LEADING_DATE = new RegExp(`^(?:${DATE_SOURCE})\\s*`);
const DATE_ANYWHERE = new RegExp(DATE_SOURCE, 'g');
// Characters every date token contains; most messages have none and skip the big regex.
const DATE_HINT = /[天日号月周期拜前点时:]|(?<![\d.])(?:1[0-2]|0?[1-9])[-/.]\d|\d{4}[-/.]\d/;
const DOTTED = /^\d{1,2}\.\d{1,2}/;
const SHORT_FORM = /^\d{1,2}(?:[号日]|[/-]\d{1,2})/;
const DIGIT = /\d/;
// Numbers standing alone, not inside a code (`DL-001`, `iPhone15`).
const NUMBER_RUN = /(?<![A-Za-z\d.\-])\d+(?:\.\d+)?/g;

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
    // `8.5` is a price far more often than August 5th: a dotted day counts only at the end of the
    // message after a quantity and a price (`卖了 帆布包 1个 39 11.23`).
    if (DOTTED.test(m[0]) && !dottedDateFits(text, m.index, m.index + m[0].length)) continue;
    // `拖鞋 26号 2双`, `T恤 11-25 款 3件`: a short day with numbers still to come is part of a name.
    if (SHORT_FORM.test(m[0]) && DIGIT.test(text.slice(m.index + m[0].length))) continue;
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

function dottedDateFits(text: string, start: number, end: number): boolean {
  if (text.slice(end).trim().length > 0) return false;
  return (text.slice(0, start).match(NUMBER_RUN)?.length ?? 0) >= 2;
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

const TAIL_WORDS = new RegExp(`(?:\\s*${MERIDIEM})?(?:[到进卖退发出]?的)?$`);
const DAY_ONLY = /^(\d{1,2})[号日]$/;
const MONTH_AND_DAY = /^(\d{1,2})[./-](\d{1,2})$/;
const WEEK_BEFORE_LAST = /^上上个?(?:周|星期|礼拜)([一二三四五六日天1-7])$/;
const THIS_WEEK_DAY = /^(?:这|本)?个?(?:周|星期|礼拜)([一二三四五六日天1-7])$/;
const WEEKDAYS = '一二三四五六';

/** Forms chrono does not read the way staff mean them: the most recent such day, never ahead. */
function readShortForm(text: string, today: { year: number; month: number; day: number }): DateParts | null | undefined {
  let m = DAY_ONLY.exec(text);
  if (m !== null) {
    const day = Number(m[1]);
    // This month if that day has come, else the latest earlier month that has it (30号 in March → January 30).
    for (let back = day <= today.day ? 0 : 1; back < 4; back++) {
      const d = new Date(Date.UTC(today.year, today.month - 1 - back, 1));
      if (isRealDate(d.getUTCFullYear(), d.getUTCMonth() + 1, day)) return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day };
    }
    return null;
  }
  m = MONTH_AND_DAY.exec(text);
  if (m !== null) {
    const month = Number(m[1]);
    const day = Number(m[2]);
    const ahead = month > today.month || (month === today.month && day > today.day);
    const year = ahead ? today.year - 1 : today.year;
    return isRealDate(year, month, day) ? { year, month, day } : null;
  }
  m = WEEK_BEFORE_LAST.exec(text);
  const plain = m === null ? THIS_WEEK_DAY.exec(text) : null;
  if (m !== null || plain !== null) {
    const w = (m ?? plain)?.[1] ?? '';
    const target = WEEKDAYS.includes(w) ? WEEKDAYS.indexOf(w) + 1 : /[1-7]/.test(w) ? Number(w) : 7;
    const todayMs = Date.UTC(today.year, today.month - 1, today.day);
    const monday = todayMs - (isoWeekday(today.year, today.month, today.day) - 1) * 86_400_000;
    let at = monday + (m !== null ? -14 : 0) * 86_400_000 + (target - 1) * 86_400_000;
    // `周六` written on a Friday is the Saturday just gone: a record is about the past.
    if (m === null && at > todayMs) at -= 7 * 86_400_000;
    const d = new Date(at);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
  return undefined;
}

function readDate(token: string, now: Date, timeZone: string, todayKey: number): DateParts | undefined {
  const key = `${timeZone}|${todayKey}|${token}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const bare = token.replace(TAIL_WORDS, '').trim();
  const today = { year: Math.floor(todayKey / 10000), month: Math.floor(todayKey / 100) % 100, day: todayKey % 100 };
  const short = readShortForm(bare, today);
  if (short !== undefined) {
    cache.set(key, short);
    return short ?? undefined;
  }
  const text = bare.replace(/(\d{4})[/.](\d{1,2})[/.](\d{1,2})/, '$1-$2-$3');
  const r = chronoHans().parse(text, chronoReference(now, timeZone))[0];
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
