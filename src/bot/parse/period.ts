import { MAX_PERIOD_DAYS } from '../../core/limits.ts';
import { chronoHans } from './chrono-lazy.ts';
import type { Period } from '../command.ts';
import { parseNumber } from './numbers.ts';
import { chronoReference } from './chrono-reference.ts';
import { isRealDate, isoWeekday, localParts, startOfLocalDay } from '../../core/zoned-time.ts';

/**
 * Report periods (`本月`, `上周`, `最近7天`, `去年12月`, `11月1日到11月20日`). chrono reads single
 * days but has no notion of a week, a month or a range of days as a whole, so those are ours.
 * Every boundary is a local midnight in the shop's zone; `to` is exclusive; weeks start on Monday.
 * Bare months and days mean this year (`3月` is March of the current year even if still ahead).
 */

interface Day {
  year: number;
  month: number;
  day: number;
}

type Span = { from: Day; to: Day };

const NUM = '(\\d{1,4}|[零〇一二两三四五六七八九十百千]{1,5})';
const YEAR_PREFIX = '(?:(去年|今年|前年|明年)|(\\d{4})年)?';

const TODAY = /^(?:今天|今日|当天|本日)$/;
const YESTERDAY = /^(?:昨天|昨日)$/;
const BEFORE_YESTERDAY = /^前天$/;
const THIS_WEEK = /^(?:本周|这周|本星期|这星期|这个星期|本礼拜|这礼拜|这个礼拜)$/;
const LAST_WEEK = /^(?:上周|上星期|上个星期|上礼拜|上个礼拜)$/;
const THIS_MONTH = /^(?:本月|这个月|这月|当月|本月份)$/;
const LAST_MONTH = /^(?:上月|上个月|上月份)$/;
const THIS_YEAR = /^(?:今年|本年|今年全年)$/;
const LAST_YEAR = /^(?:去年|上一年)$/;
const RECENT_DAYS = new RegExp(`^(?:最近|近|过去)${NUM}(?:天|日)$`);
const RECENT_WEEKS = new RegExp(`^(?:最近|近|过去)${NUM}?个?(?:周|星期|礼拜)$`);
const RECENT_MONTHS = new RegExp(`^(?:最近|近|过去)${NUM}?个月$`);
const YEAR_ONLY = /^(\d{4})年$/;
const MONTH = new RegExp(`^${YEAR_PREFIX}${NUM}月份?$`);
const DAY = new RegExp(`^${YEAR_PREFIX}(?:${NUM}月)?${NUM}[日号]$`);
const ISO_DAY = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const RANGE = /^(.+?)(?:到|至|~|—)(.+)$/;
const SPACES = /\s+/g;

/** The longest "recent" window we accept; beyond it the number is a typo. */
const MAX_DAYS = MAX_PERIOD_DAYS;

/**
 * Reads a report period. Returns undefined when `text` is not one period as a whole.
 * Also used by the CLI for `--from/--to`, which is why it accepts ISO days (`2026-11-01`).
 */
export function parsePeriod(text: string, now: Date, timeZone: string): Period | undefined {
  const label = text.trim();
  const compact = label.normalize('NFKC').replace(SPACES, '');
  if (compact.length === 0 || compact.length > 40) return undefined;
  const t = localParts(now, timeZone);
  const today: Day = { year: t.year, month: t.month, day: t.day };
  const key = `${timeZone}|${t.year}-${t.month}-${t.day}|${compact}`;
  let bounds = cache.get(key);
  if (bounds === undefined) {
    bounds = null;
    const span = readSpan(compact, today) ?? readRange(compact, today) ?? readWithChrono(compact, now, timeZone);
    if (span !== undefined) {
      const from = startOfLocalDay(timeZone, span.from.year, span.from.month, span.from.day).getTime();
      const to = startOfLocalDay(timeZone, span.to.year, span.to.month, span.to.day).getTime();
      if (to > from) bounds = [from, to];
    }
    if (cache.size > 2048) cache.clear();
    cache.set(key, bounds);
  }
  // Fresh Date objects each time: callers may mutate what they get.
  return bounds === null ? undefined : { from: new Date(bounds[0]), to: new Date(bounds[1]), label };
}

// A period depends only on the shop's local day, so each wording is computed once a day.
const cache = new Map<string, readonly [number, number] | null>();

function shift(d: Day, days: number): Day {
  const x = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate() };
}

function monthStart(year: number, month: number): Day {
  const x = new Date(Date.UTC(year, month - 1, 1));
  return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: 1 };
}

function wholeDay(d: Day): Span {
  return { from: d, to: shift(d, 1) };
}

function wholeMonth(year: number, month: number): Span {
  return { from: monthStart(year, month), to: monthStart(year, month + 1) };
}

function count(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  const n = parseNumber(raw);
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= MAX_DAYS ? n : undefined;
}

function yearFrom(relative: string | undefined, absolute: string | undefined, today: Day): number {
  if (absolute !== undefined) return Number(absolute);
  switch (relative) {
    case '去年':
      return today.year - 1;
    case '前年':
      return today.year - 2;
    case '明年':
      return today.year + 1;
    default:
      return today.year;
  }
}

function readSpan(t: string, today: Day): Span | undefined {
  if (TODAY.test(t)) return wholeDay(today);
  if (YESTERDAY.test(t)) return wholeDay(shift(today, -1));
  if (BEFORE_YESTERDAY.test(t)) return wholeDay(shift(today, -2));
  if (THIS_WEEK.test(t) || LAST_WEEK.test(t)) {
    const monday = shift(today, 1 - isoWeekday(today.year, today.month, today.day));
    const from = LAST_WEEK.test(t) ? shift(monday, -7) : monday;
    return { from, to: shift(from, 7) };
  }
  if (THIS_MONTH.test(t)) return wholeMonth(today.year, today.month);
  if (LAST_MONTH.test(t)) return wholeMonth(today.year, today.month - 1);
  if (THIS_YEAR.test(t)) return { from: monthStart(today.year, 1), to: monthStart(today.year + 1, 1) };
  if (LAST_YEAR.test(t)) return { from: monthStart(today.year - 1, 1), to: monthStart(today.year, 1) };
  let m = RECENT_DAYS.exec(t);
  if (m !== null) {
    const n = count(m[1], 1);
    return n === undefined ? undefined : { from: shift(today, 1 - n), to: shift(today, 1) };
  }
  m = RECENT_WEEKS.exec(t);
  if (m !== null) {
    const n = count(m[1], 1);
    return n === undefined || n * 7 > MAX_DAYS ? undefined : { from: shift(today, 1 - n * 7), to: shift(today, 1) };
  }
  m = RECENT_MONTHS.exec(t);
  if (m !== null) {
    const n = count(m[1], 1);
    if (n === undefined || n > 120) return undefined;
    // Same day-of-month n months back, exclusive: 最近1个月 on 11-27 covers 10-28 … 11-27.
    const back = new Date(Date.UTC(today.year, today.month - 1 - n, today.day + 1));
    const from = { year: back.getUTCFullYear(), month: back.getUTCMonth() + 1, day: back.getUTCDate() };
    return { from, to: shift(today, 1) };
  }
  m = YEAR_ONLY.exec(t);
  if (m !== null) {
    const y = Number(m[1]);
    return isRealDate(y, 1, 1) ? { from: monthStart(y, 1), to: monthStart(y + 1, 1) } : undefined;
  }
  m = MONTH.exec(t);
  if (m !== null) {
    const y = yearFrom(m[1], m[2], today);
    const month = parseNumber(m[3] ?? '');
    return month !== undefined && isRealDate(y, month, 1) ? wholeMonth(y, month) : undefined;
  }
  const day = readDay(t, today);
  return day === undefined ? undefined : wholeDay(day);
}

/** One calendar day (`11月20日`, `2026年3月5日`, `2026-11-20`); `20日` takes `base`'s month. */
function readDay(t: string, base: Day): Day | undefined {
  const iso = ISO_DAY.exec(t);
  if (iso !== null) {
    const d = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
    return isRealDate(d.year, d.month, d.day) ? d : undefined;
  }
  const m = DAY.exec(t);
  if (m === null) return undefined;
  const year = m[1] !== undefined || m[2] !== undefined ? yearFrom(m[1], m[2], base) : base.year;
  const month = m[3] === undefined ? base.month : parseNumber(m[3]);
  const day = parseNumber(m[4] ?? '');
  if (month === undefined || day === undefined || !isRealDate(year, month, day)) return undefined;
  return { year, month, day };
}

function readRange(t: string, today: Day): Span | undefined {
  const m = RANGE.exec(t);
  if (m === null || m[1] === undefined || m[2] === undefined) return undefined;
  const left = readSpan(m[1], today);
  if (left === undefined) return undefined;
  // The right end may leave out what the left said: 11月1日到20日, 3月到5月.
  const right = readSpan(m[2], today) ?? (() => {
    const d = readDay(m[2], left.from);
    return d === undefined ? undefined : wholeDay(d);
  })();
  if (right === undefined) return undefined;
  return { from: left.from, to: right.to };
}

/** Single days chrono knows and we do not spell out (上周五, 3天前, 周一). */
function readWithChrono(t: string, now: Date, timeZone: string): Span | undefined {
  const results = chronoHans().parse(t, chronoReference(now, timeZone));
  const r = results[0];
  if (results.length !== 1 || r === undefined || r.index !== 0 || r.text.length !== t.length) return undefined;
  const from = { year: r.start.get('year') ?? 0, month: r.start.get('month') ?? 0, day: r.start.get('day') ?? 0 };
  if (!isRealDate(from.year, from.month, from.day)) return undefined;
  if (r.end === null || r.end === undefined) return wholeDay(from);
  const last = { year: r.end.get('year') ?? 0, month: r.end.get('month') ?? 0, day: r.end.get('day') ?? 0 };
  return isRealDate(last.year, last.month, last.day) ? { from, to: shift(last, 1) } : undefined;
}
