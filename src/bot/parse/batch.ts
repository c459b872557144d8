import { expiryFromShelfLife, type ShelfLife } from '../../core/batches.ts';
import { isRealDate, localParts, startOfLocalDay } from '../../core/zoned-time.ts';
import { parseError } from './errors.ts';
import type { FieldParser, WriteFields } from './field.ts';
import { parseChineseInteger } from './numbers.ts';
import type { ParseError } from './types.ts';

/**
 * Batch fields of a write, as staff write them on the carton: `批次 A1101` (批号, 批次号), an
 * expiry date `到期 2027-05-01` (效期, 有效期, 保质期至, 过期, 失效; `2027-05-01到期`), a production date
 * `生产 2026-11-01` (生产日期, 出厂) with a shelf life `保质期 6个月` (天, 年, 半年). Dates read
 * 2027-05-01, 2027.5.1, 2027/5/1, 2027年5月1日, 27年5月1日, 20270501, 5月1日 and 2027.05 (the month's last day).
 */

/** A calendar date as written; the year may be missing (`5月1日`), the day too (`2027.05`). */
export interface WrittenDate {
  text: string;
  year?: number;
  month: number;
  day?: number;
}

const DATE =
  '(?:(\\d{4}|\\d{2}(?=年))\\s*[-./年]\\s*(\\d{1,2})\\s*(?:[-./月]\\s*(\\d{1,2})\\s*[日号]?|月(?!\\s*\\d))?|(\\d{4})(\\d{2})(\\d{2})(?!\\d)|(\\d{1,2})月(\\d{1,2})[日号]?)';
const EXPIRY_WORD = '(?:有效期至|有效期到|有效期|保质期至|保质期到|保质期|到期日期|到期日|到期时间|到期|效期至|效期|过期日期|过期日|过期时间|过期|失效日期|失效日|失效)';
const PRODUCED_WORD = '(?:生产日期|生产日|生产于|生产|出厂日期|出厂|制造日期)';
const LIFE_WORD = '(?:保质期|有效期|保质|效期)';
const SEP = '\\s*[:=]?\\s*';

/** `到期 2027-05-01`, `生产 2026-11-01`, and the same with the date first (`2027-05-01到期`). */
const DATED = new RegExp(`(${EXPIRY_WORD}|${PRODUCED_WORD})${SEP}${DATE}|${DATE}\\s*(${EXPIRY_WORD}|${PRODUCED_WORD})`, 'g');
/** `保质期 6个月`, `保质期180天`, `有效期 一年`, `保质期 半年`. */
const LIFE = new RegExp(`${LIFE_WORD}${SEP}(\\d{1,4}|[一二两三四五六七八九十百]{1,4}|半)\\s*(个月|月|天|日|年)`, 'g');
const CODE = /(?:批次号|批号|批次)\s*[:=#]?\s*([A-Za-z0-9][A-Za-z0-9_\-/.]{0,31})(?![A-Za-z0-9_\-/.])/g;

function dateOf(groups: readonly (string | undefined)[], offset: number, text: string): WrittenDate {
  const g = (k: number): string | undefined => groups[offset + k];
  const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
  if (g(0) !== undefined) {
    const y = Number(g(0));
    return { text, year: y < 100 ? 2000 + y : y, month: Number(g(1)), ...(g(2) !== undefined ? { day: Number(g(2)) } : {}) };
  }
  if (g(3) !== undefined) return { text, year: Number(g(3)), month: Number(g(4)), day: Number(g(5)) };
  return { text, month: num(g(6)) ?? 0, ...(g(7) !== undefined ? { day: Number(g(7)) } : {}) };
}

const DATE_GROUPS = 8;

/** `批次 A1101`. */
export const batchCodeParser: FieldParser = {
  hint: /批/,
  pattern: () => CODE,
  extract(m, fields) {
    fields.batch ??= m[1];
    return true;
  },
};

/** Expiry and production dates, and a shelf life. */
export const batchDateParser: FieldParser = {
  hint: /[到效期过失生产出制保]/,
  pattern: () => BATCH_DATES,
  extract(m, fields) {
    const text = m[0];
    if (LIFE_ONLY.test(text)) {
      const life = shelfLifeOf(text);
      if (life !== undefined) fields.shelfLife ??= life;
      else fields.batchProblem ??= text.trim();
      return true;
    }
    DATED.lastIndex = 0;
    const d = DATED.exec(text);
    if (d === null) return false;
    // (word)(date…) or (date…)(word): the word is group 1 or the last group.
    const word = d[1] ?? d[2 + 2 * DATE_GROUPS] ?? '';
    const date = dateOf(d, d[1] !== undefined ? 2 : 2 + DATE_GROUPS, text.trim());
    if (PRODUCED.test(word)) fields.producedOn ??= date;
    else fields.expiresOn ??= date;
    return true;
  },
};

const BATCH_DATES = new RegExp(`${DATED.source}|${LIFE.source}`, 'g');
const LIFE_ONLY = new RegExp(`^${LIFE.source}$`);
const PRODUCED = new RegExp(`^${PRODUCED_WORD}$`);

function shelfLifeOf(text: string): ShelfLife | undefined {
  LIFE.lastIndex = 0;
  const m = LIFE.exec(text);
  if (m === null) return undefined;
  const raw = m[1] as string;
  const unit = m[2] as string;
  if (raw === '半') return unit === '年' ? { amount: 6, unit: 'month' } : undefined;
  const amount = /^\d+$/.test(raw) ? Number(raw) : parseChineseInteger(raw);
  if (amount === undefined || amount <= 0) return undefined;
  return { amount, unit: unit === '年' ? 'year' : unit === '天' || unit === '日' ? 'day' : 'month' };
}

/** Where batch dates sit in a line, so the entry's own date is never read from them. */
export function batchDateSpans(text: string): Array<[number, number]> {
  if (!batchDateParser.hint?.test(text)) return [];
  const out: Array<[number, number]> = [];
  const re = new RegExp(BATCH_DATES.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** The batch fields an item gets: its own, else those written for the whole message. */
export interface ItemBatch {
  batch?: string;
  expiresAt?: Date;
  producedAt?: Date;
}

/**
 * Resolves written batch fields into instants in the shop's zone: the expiry as written, or the
 * production date plus the shelf life. A date without a year is the next such day for an expiry
 * and the last one for a production date. Refuses a date that does not exist, an expiry before the
 * production date, a shelf life without a production date, and an expiry on goods leaving.
 */
export function resolveBatch(fields: WriteFields, now: Date, timeZone: string, incoming: boolean, example: string): ItemBatch | ParseError {
  const out: ItemBatch = {};
  if (fields.batch !== undefined) out.batch = fields.batch;
  if (fields.batchProblem !== undefined) return parseError('BAD_BATCH', `没看懂「${fields.batchProblem}」。保质期写天数、月数或年数，例：保质期 6个月。`, example);
  const dated = fields.expiresOn !== undefined || fields.producedOn !== undefined || fields.shelfLife !== undefined;
  if (!dated) return out;
  if (!incoming) {
    return parseError('BAD_BATCH', '出库不用写到期日或生产日期：写批次号就出那一批（批次 A1101），不写就按先到期先出。', example);
  }
  const today = localParts(now, timeZone);
  const produced = fields.producedOn === undefined ? undefined : calendarDate(fields.producedOn, today, 'past');
  if (produced === null) return badDate(fields.producedOn as WrittenDate, example);
  let expires = fields.expiresOn === undefined ? undefined : calendarDate(fields.expiresOn, today, 'future');
  if (expires === null) return badDate(fields.expiresOn as WrittenDate, example);
  if (expires === undefined && fields.shelfLife !== undefined) {
    if (produced === undefined) return parseError('BAD_BATCH', '写了保质期，还要写生产日期才能算出到期日。', `${example} 生产 2026-11-01 保质期 6个月`);
    expires = expiryFromShelfLife(produced, fields.shelfLife);
  }
  if (produced !== undefined) out.producedAt = startOfLocalDay(timeZone, produced.year, produced.month, produced.day);
  if (expires !== undefined) {
    out.expiresAt = startOfLocalDay(timeZone, expires.year, expires.month, expires.day);
    if (out.producedAt !== undefined && out.expiresAt.getTime() < out.producedAt.getTime()) {
      return parseError('BAD_BATCH', '到期日早于生产日期，请检查。', example);
    }
  }
  return out;
}

type Ymd = { year: number; month: number; day: number };

/** A written date as a real calendar date; null when it does not exist. */
function calendarDate(d: WrittenDate, today: Ymd, side: 'past' | 'future'): Ymd | null {
  let year = d.year;
  if (year === undefined) {
    year = today.year;
    const day = d.day ?? 1;
    const before = d.month < today.month || (d.month === today.month && day < today.day);
    const after = d.month > today.month || (d.month === today.month && day > today.day);
    if (side === 'future' && before) year += 1;
    if (side === 'past' && after) year -= 1;
  }
  // `效期 2027.05`: good through the month's last day; `生产 2026.11`: made on its first.
  const day = d.day ?? (side === 'future' ? new Date(Date.UTC(year, d.month, 0)).getUTCDate() : 1);
  if (d.month < 1 || d.month > 12 || !isRealDate(year, d.month, day)) return null;
  return { year, month: d.month, day };
}

function badDate(d: WrittenDate, example: string): ParseError {
  return parseError('BAD_BATCH', `日期「${d.text}」不是有效日期。`, example);
}
