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

/**
 * Discounts and extras written on a line: `打8折` / `8折` / `八五折` (against the written price or
 * the set 售价), `优惠5元` (off the line), `运费10元` (landed cost of a purchase). They are read and
 * masked before the item's numbers, so they are never taken for a second price.
 */
export interface Charges {
  /** Percent of the price charged: 8折 → 80. */
  rate?: number;
  /** 分 off the line total. */
  discount?: number;
  /** 分 of freight added to the line (purchases only). */
  freight?: number;
}

/** Result of reading charges from a segment: the text with them masked, or a refusal reason. */
export type ChargesReading =
  | { ok: true; text: string; charges: Charges }
  | { ok: false; code: 'BAD_PRICE' | 'TOO_LARGE'; raw: string; what: string };

const RATE = /(?:打\s*)?(半价|(?<![0-9.])(?:[1-9](?:\.[0-9])?|[1-9][0-9])(?=\s*折)|[一二两三四五六七八九][一二三四五六七八九]?(?=\s*折))(\s*折)?/g;
const DISCOUNT_WORDS = /(优惠|立减|减免|少收|便宜|抹零|折扣)\s*(?:了\s*)?(?=[0-9零〇一二两三四五六七八九十百千万])/g;
// Every discount or freight word has one of these characters; most lines have none and skip the scans.
const CHARGE_HINT = /[优立减少便抹扣运邮递流]/;
const FREIGHT_WORDS = /(?:加\s*)?(运费|邮费|快递费|物流费)\s*(?=[0-9零〇一二两三四五六七八九十百千万])/g;

function rateOf(word: string): number | undefined {
  if (word === '半价') return 50;
  if (/^[0-9]/.test(word)) {
    const n = Number(word);
    // 8折 / 8.5折 are tenths; 85折 is 8.5折; 10折 would be the full price.
    return n <= 10 ? Math.round(n * 10) : n;
  }
  const first = chineseDigit(word[0] ?? '');
  const second = word.length > 1 ? chineseDigit(word[1] ?? '') : 0;
  if (first === undefined || second === undefined) return undefined;
  return first * 10 + second;
}

function blankOut(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

/** Reads `优惠5元` / `运费 10` money after a keyword ending at `at`; undefined when no number is there. */
function moneyAfter(text: string, at: number): { cents: ReturnType<typeof toCents>; end: number; raw: string } | undefined {
  const n = readNumberAt(text, at);
  if (n === undefined) return undefined;
  const tail = readMoneyTail(text, n.end, () => false);
  const end = tail?.end ?? n.end;
  return { cents: toCents(n, tail), end, raw: text.slice(at, end) };
}

/** Finds and masks the charges in one item segment. */
export function readCharges(segment: string): ChargesReading {
  // `59包邮` / `59 包邮`: 包 is also a unit word; a tab keeps the price from being read as 59包.
  let text = segment.includes('包邮') ? segment.replace(/包邮/g, '\t包邮') : segment;
  const charges: Charges = {};
  if (text.includes('折') || text.includes('半价')) {
    RATE.lastIndex = 0;
    for (let m = RATE.exec(text); m !== null; m = RATE.exec(text)) {
      const word = m[1] ?? '';
      if (word !== '半价' && m[2] === undefined) continue;
      const rate = rateOf(word);
      if (rate === undefined || rate <= 0 || rate >= 100) return { ok: false, code: 'BAD_PRICE', raw: m[0], what: '折扣' };
      charges.rate = rate;
      text = blankOut(text, m.index, m.index + m[0].length);
    }
  }
  if (!CHARGE_HINT.test(text)) return { ok: true, text, charges };
  for (const [re, key] of [[DISCOUNT_WORDS, 'discount'], [FREIGHT_WORDS, 'freight']] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const money = moneyAfter(text, m.index + m[0].length);
      if (money === undefined) continue;
      if (!money.cents.ok) return { ok: false, code: money.cents.code, raw: money.raw, what: m[1] ?? '' };
      charges[key] = (charges[key] ?? 0) + money.cents.cents;
      text = blankOut(text, m.index, money.end);
      re.lastIndex = m.index;
    }
  }
  return { ok: true, text, charges };
}
