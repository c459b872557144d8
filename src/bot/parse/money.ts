import { MAX_CENTS } from './errors.ts';
import { chineseDigit, readNumberAt, type NumberReading } from './numbers.ts';

/**
 * Money as written in chat — `20`, `20.5元`, `¥20`, `二十块五`, `三十四块七毛五`, `8毛` — turned
 * into integer 分 without floating-point drift, because the ledger must add up to the 分.
 */

/** What follows a number when it is money: 元/块 with optional 角 and 分 digits, or 毛/角. */
export interface MoneyTail {
  /** Index just after the tail. */
  end: number;
  /** The number counts 角 (`8毛`) rather than 元 (`8元`). */
  inJiao: boolean;
  jiao: number;
  fen: number;
}

const YUAN = new Set(['元', '块', '圆']);
const JIAO = new Set(['角', '毛']);

function digitAt(text: string, at: number): number | undefined {
  const ch = text[at];
  if (ch === undefined) return undefined;
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  return chineseDigit(ch);
}

/**
 * Reads a money tail at `at` (spaces before 元 allowed; none inside `块五`). `unitAt` tells
 * whether a unit word starts somewhere, so `20元5件` keeps 5 as a quantity instead of 5 角.
 */
export function readMoneyTail(text: string, at: number, unitAt: (i: number) => boolean): MoneyTail | undefined {
  let i = at;
  while (text[i] === ' ') i++;
  const ch = text[i];
  if (ch === undefined) return undefined;
  if (JIAO.has(ch)) {
    if (i !== at) return undefined;
    const fen = digitAt(text, i + 1);
    if (fen !== undefined && !unitAt(i + 2)) {
      const end = text[i + 2] === '分' ? i + 3 : i + 2;
      return { end, inJiao: true, jiao: 0, fen };
    }
    return { end: i + 1, inJiao: true, jiao: 0, fen: 0 };
  }
  if (!YUAN.has(ch)) return undefined;
  let end = i + 1;
  if (text[end] === '钱') end++; // 20块钱
  let jiao = 0;
  let fen = 0;
  const j = digitAt(text, end);
  if (j !== undefined) {
    const k = end + 1;
    if (JIAO.has(text[k] ?? '')) {
      // 三十四块七毛五
      jiao = j;
      end = k + 1;
      const f = digitAt(text, end);
      if (f !== undefined && digitAt(text, end + 1) === undefined && !unitAt(end + 1)) {
        fen = f;
        end++;
        if (text[end] === '分') end++;
      }
    } else if (digitAt(text, k) !== undefined) {
      // 1块25
      if (digitAt(text, k + 1) === undefined && !unitAt(k + 1)) {
        jiao = j;
        fen = digitAt(text, k) ?? 0;
        end = k + 1;
        if (text[end] === '分') end++;
      }
    } else if (!unitAt(k)) {
      // 二十块五
      jiao = j;
      end = k;
    }
  }
  return { end, inJiao: false, jiao, fen };
}

/** Money in 分, or why it is not acceptable. */
export type Cents = { ok: true; cents: number } | { ok: false; code: 'BAD_PRICE' | 'TOO_LARGE' };

/**
 * Converts a number (+ optional tail) to 分. More than two decimals is refused rather than
 * rounded: `20.555` is a typo, and silently rounding money is how books stop balancing.
 */
export function toCents(n: NumberReading, tail?: MoneyTail, negative = false): Cents {
  if (negative) return { ok: false, code: 'BAD_PRICE' };
  const inJiao = tail?.inJiao === true;
  if (n.decimals > (inJiao ? 1 : 2)) return { ok: false, code: 'BAD_PRICE' };
  const scaled = n.value * (inJiao ? 10 : 100);
  if (!Number.isFinite(scaled) || scaled > MAX_CENTS) return { ok: false, code: 'TOO_LARGE' };
  const base = Math.round(scaled);
  if (Math.abs(scaled - base) > 1e-6) return { ok: false, code: 'BAD_PRICE' };
  const cents = base + (tail === undefined ? 0 : tail.jiao * 10 + tail.fen);
  if (cents > MAX_CENTS) return { ok: false, code: 'TOO_LARGE' };
  return { ok: true, cents };
}

const CURRENCY_PREFIX = /^(?:¥|RMB|rmb|人民币)\s*/;

/**
 * Parses a whole string as money (`59`, `59元`, `¥59`, `二十块五`), for settings and corrections.
 * Returns undefined when the text is not money at all.
 */
export function parseMoney(text: string): Cents | undefined {
  let t = text.trim().replace(CURRENCY_PREFIX, '');
  let negative = false;
  if (t.startsWith('-') || t.startsWith('负')) {
    negative = true;
    t = t.slice(1).trimStart();
  }
  const n = readNumberAt(t, 0);
  if (n === undefined) return undefined;
  const tail = readMoneyTail(t, n.end, () => false);
  const end = tail?.end ?? n.end;
  if (t.slice(end).trim().length > 0) return undefined;
  return toCents(n, tail, negative);
}
