import { readMoneyTail, type MoneyTail } from './money.ts';
import { isChineseNumeralChar, readNumberAt, type NumberReading } from './numbers.ts';
import { isWordChar } from './text.ts';
import { readUnit, unitIndex, type UnitIndex } from './units.ts';

/**
 * Finds the numbers in one item segment and what each one is, from the words around it:
 * `单价 20`, `@20`, `20元`, `二十块五` are unit prices; `共 1000` a total; `数量 50`, `x50`,
 * `50件`, `五十件` quantities; a lone `3` is "bare" and becomes the quantity or a price later.
 */

/** What a number in an item is. */
export type TokenRole = 'quantity' | 'price' | 'total' | 'bare' | 'badUnit';

/** One number with its role and the span it occupies (marker and suffix included). */
export interface ItemToken {
  role: TokenRole;
  start: number;
  end: number;
  reading: NumberReading;
  negative: boolean;
  /** Quantity introduced by 数量/x/×/*, which wins over plain `50件`. */
  marked: boolean;
  /** Quantity unit as written, or for `badUnit` the unknown word. */
  unit: string | undefined;
  /** Price per this unit (`每箱 48`, `48元/箱`). */
  perUnit: string | undefined;
  /** 元/角/分 suffix of a price. */
  tail: MoneyTail | undefined;
}

type MarkerKind = 'price' | 'total' | 'quantity';

// Longest first so 单价 wins over 价 and 总价 over 总. Indexed by last character because the
// lexer looks backwards from a number.
const MARKER_WORDS: ReadonlyArray<readonly [string, MarkerKind]> = [
  ['零售价', 'price'], ['成本价', 'price'], ['销售价', 'price'], ['单价', 'price'], ['进价', 'price'],
  ['售价', 'price'], ['卖价', 'price'], ['价格', 'price'], ['价钱', 'price'], ['成本', 'price'],
  ['价', 'price'], ['@', 'price'],
  ['共计', 'total'], ['总共', 'total'], ['一共', 'total'], ['总价', 'total'], ['总额', 'total'],
  ['总计', 'total'], ['合计', 'total'], ['金额', 'total'], ['退款', 'total'], ['退了', 'total'],
  ['共', 'total'], ['总', 'total'],
  ['数量', 'quantity'], ['件数', 'quantity'],
];
const MARKERS_BY_LAST = new Map<string, Array<readonly [string, MarkerKind]>>();
for (const entry of [...MARKER_WORDS].sort((a, b) => b[0].length - a[0].length)) {
  const last = entry[0][entry[0].length - 1] ?? '';
  const list = MARKERS_BY_LAST.get(last) ?? [];
  list.push(entry);
  MARKERS_BY_LAST.set(last, list);
}

// Words that may directly follow a number or unit without making it part of a longer word.
const FOLLOWERS = ['单价', '进价', '售价', '卖价', '零售价', '价格', '价钱', '价', '成本', '共', '总', '合计', '一共', '金额', '每', '退款', '数量'];
const FOLLOWER_FIRST = new Set(FOLLOWERS.map((w) => w[0]));
const MONEY_START = new Set(['元', '块', '圆', '角', '毛']);

function isAsciiLetter(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAsciiAlnum(ch: string | undefined): boolean {
  return ch !== undefined && (isAsciiLetter(ch) || (ch >= '0' && ch <= '9'));
}

/** A hard boundary: end of text, space or punctuation — nothing word-like. */
function hardBoundary(text: string, at: number): boolean {
  return !isWordChar(text[at]);
}

/** A hard boundary or a price/quantity keyword (`50单价20`, `五十件单价二十`). */
function softBoundary(text: string, at: number): boolean {
  const ch = text[at];
  if (!isWordChar(ch)) return true;
  if (ch === undefined || !FOLLOWER_FIRST.has(ch)) return false;
  for (const w of FOLLOWERS) if (text.startsWith(w, at)) return true;
  return false;
}

/** A Chinese numeral followed by a unit word starts at `at` (the second part of `一斤二两`). */
function startsQuantity(text: string, at: number, idx: UnitIndex): boolean {
  if (!isChineseNumeralChar(text[at])) return false;
  const n = readNumberAt(text, at);
  return n !== undefined && readUnit(text, n.end, idx) !== undefined;
}

function skipSpaces(text: string, at: number): number {
  let i = at;
  while (text[i] === ' ') i++;
  return i;
}

function skipSpacesBack(text: string, at: number): number {
  let i = at;
  while (i > 0 && text[i - 1] === ' ') i--;
  return i;
}

interface Marker {
  kind: MarkerKind;
  start: number;
  perUnit: string | undefined;
}

function markerBefore(text: string, at: number, idx: UnitIndex): Marker | undefined {
  let j = skipSpacesBack(text, at);
  let currencyAt = -1;
  // `单价: ¥20`, `单价¥20`, `¥20`: separators and the currency sign in either order.
  for (let k = 0; k < 3; k++) {
    const c = text[j - 1];
    if (c === ':' || c === '=') j = skipSpacesBack(text, j - 1);
    else if (c === '¥' && currencyAt < 0) {
      currencyAt = j - 1;
      j = skipSpacesBack(text, j - 1);
    } else break;
  }
  const last = text[j - 1];
  if (last === undefined) return undefined;
  const candidates = MARKERS_BY_LAST.get(last);
  if (candidates !== undefined) {
    for (const [word, kind] of candidates) {
      if (j >= word.length && text.startsWith(word, j - word.length)) return { kind, start: j - word.length, perUnit: undefined };
    }
  }
  // 每件 20 / 每箱48
  for (let len = 1; len <= 3; len++) {
    if (text[j - len - 1] === '每' && readUnit(text, j - len, idx)?.length === len) {
      return { kind: 'price', start: j - len - 1, perUnit: text.slice(j - len, j) };
    }
  }
  if (last === '每') return { kind: 'price', start: j - 1, perUnit: undefined };
  if ((last === 'x' || last === 'X' || last === '×' || last === '*') && !isAsciiAlnum(text[j - 2])) {
    return { kind: 'quantity', start: j - 1, perUnit: undefined };
  }
  if (currencyAt >= 0) return { kind: 'price', start: currencyAt, perUnit: undefined };
  return undefined;
}

/** `/件`, `每件`, `一件` after a price: the unit the price is per. */
function perUnitAt(text: string, at: number, idx: UnitIndex): { unit: string; end: number } | undefined {
  const i = skipSpaces(text, at);
  const ch = text[i];
  if (ch !== '/' && ch !== '每' && ch !== '一') return undefined;
  const j = ch === '一' ? i + 1 : skipSpaces(text, i + 1);
  const unit = readUnit(text, j, idx);
  if (unit === undefined) return undefined;
  return { unit, end: j + unit.length };
}

/**
 * Tokenises `text` from `from` (the end of a catalogue name, so digits inside names such as
 * `可乐 500ml` are never read as numbers). `units` adds the catalogue's own unit words.
 */
export function lexItem(text: string, from: number, units: ReadonlySet<string>, nameAt?: (at: number) => boolean): ItemToken[] {
  const tokens: ItemToken[] = [];
  const idx = unitIndex(units);
  for (let i = from; i < text.length; i++) {
    const ch = text[i] ?? '';
    const prev = text[i - 1];
    if (ch >= '0' && ch <= '9') {
      if (prev !== undefined && (prev === '.' || prev === ',' || (prev >= '0' && prev <= '9'))) continue;
      const isMarkerX = (prev === 'x' || prev === 'X') && !isAsciiAlnum(text[i - 2]);
      const inCode = prev === '-' && isAsciiAlnum(text[i - 2]);
      if ((isAsciiLetter(prev) && !isMarkerX) || inCode) {
        // Digits inside an ASCII word or code (TS001, iPhone15, TS-001) belong to it.
        while (isAsciiAlnum(text[i + 1]) || text[i + 1] === '.') i++;
        continue;
      }
    } else if (isChineseNumeralChar(ch) || ch === '半') {
      if (isChineseNumeralChar(prev) || prev === '半') continue;
      // `每两 47`: 两 after 每 is the unit a price is per, not the number 2.
      if (prev === '每' && readUnit(text, i, idx) !== undefined) continue;
    } else {
      continue;
    }
    const reading = readNumberAt(text, i);
    if (reading === undefined) continue;
    const token = classify(text, i, reading, idx, nameAt);
    if (token !== undefined) {
      tokens.push(token);
      i = token.end - 1;
    } else {
      i = reading.end - 1;
    }
  }
  return tokens;
}

function token(
  role: TokenRole,
  start: number,
  end: number,
  reading: NumberReading,
  negative: boolean,
  marked: boolean,
  unit?: string,
  perUnit?: string,
  tail?: MoneyTail,
): ItemToken {
  return { role, start, end, reading, negative, marked, unit, perUnit, tail };
}

function classify(
  text: string,
  at: number,
  reading: NumberReading,
  idx: UnitIndex,
  nameAt?: (at: number) => boolean,
): ItemToken | undefined {
  let start = at;
  let negative = false;
  const sign = text[at - 1];
  if ((sign === '-' || sign === '负') && !isAsciiAlnum(text[at - 2]) && !(sign === '-' && isWordChar(text[at - 2]))) {
    negative = true;
    start = at - 1;
  }
  const marker = start > 0 ? markerBefore(text, start, idx) : undefined;
  if (marker !== undefined) start = marker.start;
  const next = skipSpaces(text, reading.end);
  const nextCh = text[next];
  const tail = nextCh !== undefined && MONEY_START.has(nextCh) ? readMoneyTail(text, reading.end, (k) => readUnit(text, k, idx) !== undefined) : undefined;
  const afterMoney = tail?.end ?? reading.end;
  const per = perUnitAt(text, afterMoney, idx);

  if (marker?.kind === 'price' || (marker === undefined && (tail !== undefined || per !== undefined))) {
    return token('price', start, per?.end ?? afterMoney, reading, negative, false, undefined, marker?.perUnit ?? per?.unit, tail);
  }
  // A quantity unit: `50件`, `50 件`, `一斤半`.
  const unit = tail === undefined ? readUnit(text, next, idx) : undefined;
  let unitEnd = unit === undefined ? reading.end : next + unit.length;
  let r = reading;
  if (unit !== undefined && text[unitEnd] === '半' && hardBoundary(text, unitEnd + 1) && Number.isInteger(reading.value)) {
    r = { ...reading, value: reading.value + 0.5 };
    unitEnd++;
  }
  if (marker?.kind === 'total') {
    if (tail === undefined && unit !== undefined) return token('quantity', start, unitEnd, r, negative, true, unit);
    return token('total', start, afterMoney, reading, negative, false, undefined, undefined, tail);
  }
  if (marker?.kind === 'quantity') return token('quantity', start, unitEnd, r, negative, true, unit);
  if (unit !== undefined) {
    // `2件套`: a number and unit inside a longer word belong to a name — unless that word is a
    // known product (`50件卫衣`). `一斤二两`: another quantity right after the unit is the next part
    // of the same quantity.
    const next = softBoundary(text, unitEnd) || startsQuantity(text, unitEnd, idx) || nameAt?.(unitEnd) === true;
    return next ? token('quantity', start, unitEnd, r, negative, false, unit) : undefined;
  }
  if (reading.chinese) {
    // Chinese numerals count only as whole words or with a unit, never inside names (七分裤).
    const standalone = hardBoundary(text, reading.end) && (start === 0 || hardBoundary(text, start - 1));
    return standalone ? token('bare', start, reading.end, reading, negative, false) : undefined;
  }
  if (softBoundary(text, reading.end)) return token('bare', start, reading.end, reading, negative, false);
  const after = text[reading.end];
  if (after !== undefined && !isAsciiLetter(after) && isWordChar(after)) {
    return token('badUnit', start, reading.end + 1, reading, negative, false, after);
  }
  return undefined;
}
