import { MAX_NAME_CHARS, MIN_YEAR } from '../../core/limits.ts';
import { zonedTimeToUtc } from '../../core/zoned-time.ts';
import { MILLI } from '../../core/quantity.ts';
import type { Cell } from './table.ts';

/**
 * Cell values → ledger values, exactly: money to integer 分 and quantities to thousandths straight
 * from the decimal text, never through floating-point arithmetic. xlsx numbers are already doubles;
 * those are accepted when they are within rounding noise of a value with the allowed decimals.
 */

export type CellResult<T> = { ok: true; value: T } | { ok: false; reason: 'empty' | 'not_number' | 'precision' | 'bad_date' | 'date_range' };

const CURRENCY = /^(?:[¥￥$£€]|RMB|CNY|人民币)\s*|\s*(?:元|块|RMB|CNY)$/gi;

/** "1,234.50" / "¥20" / "(5)" / "５０" → the value × 10^decimals as an integer. */
export function parseScaled(cell: Cell | undefined, decimals: number): CellResult<number> {
  if (cell === null || cell === undefined) return { ok: false, reason: 'empty' };
  const scale = 10 ** decimals;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return { ok: false, reason: 'not_number' };
    const scaled = cell * scale;
    const rounded = Math.round(scaled);
    // Doubles like 2.55 are 2.54999…; anything further from a whole number has more decimals.
    if (Math.abs(scaled - rounded) > 1e-6 * Math.max(1, Math.abs(scaled))) return { ok: false, reason: 'precision' };
    return { ok: true, value: rounded === 0 ? 0 : rounded };
  }
  if (typeof cell !== 'string') return { ok: false, reason: 'not_number' };
  if (PLAIN_DECIMAL.test(cell)) return plainDecimal(cell, decimals, scale);
  let text = cell.normalize('NFKC').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  let negative = false;
  const paren = /^\((.*)\)$/.exec(text);
  if (paren) {
    negative = true;
    text = paren[1] ?? '';
  }
  text = text.replace(CURRENCY, '').replace(/[\s,]/g, '');
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1);
  } else if (text.startsWith('+')) text = text.slice(1);
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return scientific(text, scale, negative);
  const whole = m[1] ?? '';
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) return { ok: false, reason: 'precision' };
  const value = Number(whole || '0') * scale + Number(frac.padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(value)) return { ok: false, reason: 'not_number' };
  return { ok: true, value: negative && value !== 0 ? -value : value };
}

const PLAIN_DECIMAL = /^-?\d{1,15}(?:\.\d{1,15})?$/;

/** The common case, "12" or "-2.55", without the normalising the general path does. */
function plainDecimal(text: string, decimals: number, scale: number): CellResult<number> {
  const negative = text.charCodeAt(0) === 45;
  const dot = text.indexOf('.');
  const whole = text.slice(negative ? 1 : 0, dot < 0 ? text.length : dot);
  let frac = dot < 0 ? '' : text.slice(dot + 1);
  if (frac.length > decimals) {
    frac = frac.replace(/0+$/, '');
    if (frac.length > decimals) return { ok: false, reason: 'precision' };
  }
  const value = Number(whole) * scale + (frac === '' ? 0 : Number(frac) * 10 ** (decimals - frac.length));
  if (!Number.isSafeInteger(value)) return { ok: false, reason: 'not_number' };
  return { ok: true, value: negative && value !== 0 ? -value : value };
}

/** "1.5E+4" as Excel writes large numbers into CSV; only when it is exact at the scale. */
function scientific(text: string, scale: number, negative: boolean): CellResult<number> {
  if (!/^\d+(?:\.\d+)?e[+-]?\d+$/i.test(text)) return { ok: false, reason: 'not_number' };
  const result = parseScaled(Number(text), Math.log10(scale));
  if (!result.ok) return result;
  return { ok: true, value: negative ? -result.value : result.value };
}

/** Money cell → 分 (two decimals at most). */
export function parseMoney(cell: Cell | undefined): CellResult<number> {
  return parseScaled(cell, 2);
}

/** A quantity cell, optionally with a unit written after the number ("50件", "2.5 kg"). */
export function parseQuantity(cell: Cell | undefined): CellResult<{ milli: number; unit?: string | undefined }> {
  if (typeof cell === 'string' && !PLAIN_DECIMAL.test(cell)) {
    const m = /^\s*([-+(]?[\d.,\s\uFF10-\uFF19\uFF0E]+\)?)\s*([^\d\s.,()+-][^\d]*)$/.exec(cell);
    if (m && m[1] !== undefined && m[2] !== undefined) {
      const n = parseScaled(m[1], 3);
      return n.ok ? { ok: true, value: { milli: n.value, unit: m[2].trim() } } : n;
    }
  }
  const n = parseScaled(cell, 3);
  return n.ok ? { ok: true, value: { milli: n.value } } : n;
}

/** A whole-number setting (reorder level, lead time). */
export function parseCount(cell: Cell | undefined): CellResult<number> {
  const n = parseScaled(cell, 3);
  if (!n.ok) return n;
  if (n.value % MILLI !== 0) return { ok: false, reason: 'precision' };
  return { ok: true, value: n.value / MILLI };
}

const DATE_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?)?\s*秒?)?$/;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A date cell in the shop's time zone: 2026-11-01, 2026/11/1 10:05, 2026年11月1日, an ISO instant
 * with its zone (as the JSON export writes), or an Excel date. Day-first and month-first forms
 * (01/11/2026) are refused: they are ambiguous.
 */
export function parseDate(cell: Cell | undefined, timeZone: string): CellResult<Date> {
  // Invoice lines repeat their document's date; the last answer is reused (dates are never mutated).
  if (typeof cell === 'string' && cell === lastDate.text && timeZone === lastDate.timeZone) return lastDate.result;
  const result = parseDateCell(cell, timeZone);
  if (typeof cell === 'string') {
    lastDate.text = cell;
    lastDate.timeZone = timeZone;
    lastDate.result = result;
  }
  return result;
}

const lastDate: { text: string | undefined; timeZone: string; result: CellResult<Date> } = { text: undefined, timeZone: '', result: { ok: false, reason: 'empty' } };

function parseDateCell(cell: Cell | undefined, timeZone: string): CellResult<Date> {
  if (cell === null || cell === undefined) return { ok: false, reason: 'empty' };
  if (cell instanceof Date) {
    // exceljs gives the wall-clock time in the sheet as if it were UTC.
    if (Number.isNaN(cell.getTime())) return { ok: false, reason: 'bad_date' };
    return wallClock(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate(), cell.getUTCHours(), cell.getUTCMinutes(), cell.getUTCSeconds(), timeZone);
  }
  if (typeof cell === 'number') {
    // An Excel serial date (days since 1899-12-30) in a cell without a date format.
    if (!(cell >= 1 && cell < 2_958_466)) return { ok: false, reason: 'bad_date' };
    const at = new Date(Math.round((cell - 25_569) * 86_400) * 1000);
    return parseDate(at, timeZone);
  }
  if (typeof cell !== 'string') return { ok: false, reason: 'bad_date' };
  const iso = ISO_LOCAL.exec(cell);
  if (iso) return wallClock(+(iso[1] as string), +(iso[2] as string), +(iso[3] as string), +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0), timeZone);
  const text = cell.normalize('NFKC').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if (ZONED_ISO.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) return { ok: false, reason: 'bad_date' };
    const year = at.getUTCFullYear();
    return year < MIN_YEAR || year > maxYear() ? { ok: false, reason: 'date_range' } : { ok: true, value: at };
  }
  const m = DATE_TEXT.exec(text) ?? COMPACT_DATE.exec(text);
  if (!m) return { ok: false, reason: 'bad_date' };
  const n = (i: number) => Number(m[i] ?? 0);
  return wallClock(n(1), n(2), n(3), n(4), n(5), n(6), timeZone);
}

export { MIN_YEAR } from '../../core/limits.ts';

/** The latest year a spreadsheet date may have: next year (a few entries dated ahead, never decades). */
export function maxYear(): number {
  return new Date().getUTCFullYear() + 1;
}

export { MAX_NAME_CHARS } from '../../core/limits.ts';

/** Whether a product name from a file is longer than MAX_NAME_CHARS (counted in characters, not UTF-16 units). */
export function nameTooLong(name: string): boolean {
  if (name.length <= MAX_NAME_CHARS) return false;
  let n = 0;
  for (const _ of name) if (++n > MAX_NAME_CHARS) return true;
  return false;
}

function wallClock(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): CellResult<Date> {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return { ok: false, reason: 'bad_date' };
  if (y < MIN_YEAR || y > maxYear()) return { ok: false, reason: 'date_range' };
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCDate() !== d || probe.getUTCMonth() !== mo - 1) return { ok: false, reason: 'bad_date' };
  return { ok: true, value: zonedTimeToUtc(timeZone, y, mo, d, h, mi, s) };
}
