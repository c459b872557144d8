/**
 * Numbers as shop staff type them: Arabic (`50`, `1,000`, `2.5`), with a 万/千 suffix (`1.5万`),
 * and Chinese numerals (`五十`, `两百`, `一百二十`, `三千零五`, `一万五`, `一点五`, `半`).
 */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Readonly<Record<string, number>> = { 万: 1e4, 亿: 1e8 };

/** Characters that can appear in a Chinese numeral (without 点/半, which need context). */
const CHINESE_NUMERAL_CHARS = '零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿';
const CHINESE_NUMERAL_SET = new Set(CHINESE_NUMERAL_CHARS);

/** True for a character that can start or continue a Chinese numeral. */
export function isChineseNumeralChar(ch: string | undefined): boolean {
  return ch !== undefined && CHINESE_NUMERAL_SET.has(ch);
}

/** The value of one Chinese digit character (一 → 1), for money tails like 块五 and 毛五. */
export function chineseDigit(ch: string): number | undefined {
  return DIGITS[ch];
}

/**
 * Parses a Chinese integer numeral. Returns undefined when the run is not a well-formed number
 * (`三二`, `十十`), so callers can back off to a shorter prefix (`三两` is 3 + the unit 两).
 * Colloquial tails are understood: 一百五 = 150, 两千三 = 2300, 一万五 = 15000.
 */
export function parseChineseInteger(text: string): number | undefined {
  if (text.length === 0) return undefined;
  let total = 0;
  let section = 0;
  let pending: number | undefined;
  let lastUnit = 0; // the last multiplier seen, for colloquial tails
  let zeroSeen = false;
  for (const ch of text) {
    const digit = DIGITS[ch];
    if (digit !== undefined) {
      if (pending !== undefined) return undefined;
      if (digit === 0) {
        zeroSeen = true;
        continue;
      }
      pending = digit;
      continue;
    }
    const small = SMALL_UNITS[ch];
    if (small !== undefined) {
      if (pending === undefined) {
        // 十 alone or leading (十五) means 一十; any other bare multiplier is malformed.
        if (small !== 10 || section !== 0 || zeroSeen) return undefined;
        pending = 1;
      }
      if (lastUnit !== 0 && lastUnit <= small && lastUnit < 1e4) return undefined;
      section += pending * small;
      pending = undefined;
      lastUnit = small;
      zeroSeen = false;
      continue;
    }
    const big = BIG_UNITS[ch];
    if (big !== undefined) {
      if (pending !== undefined) section += pending;
      if (section === 0 && total === 0) return undefined;
      if (big === 1e8) total = (total + section) * big;
      else total += section * big;
      section = 0;
      pending = undefined;
      lastUnit = big;
      zeroSeen = false;
      continue;
    }
    return undefined;
  }
  if (pending !== undefined) {
    // 一百五 / 一万五: a trailing digit right after a multiplier counts in the next lower place.
    section += !zeroSeen && lastUnit >= 100 ? (pending * lastUnit) / 10 : pending;
  }
  return total + section;
}

/** A number read from text: where it ends, its value, and facts price checks need. */
export interface NumberReading {
  value: number;
  /** Index just after the number (and its 万/千 suffix). */
  end: number;
  /** Written with Chinese numerals (these need a unit or a marker to count as a quantity). */
  chinese: boolean;
  /** Digits after the decimal point as written (`20.555` → 3), before any 万 multiplier. */
  decimals: number;
  /** The text as written, for error messages. */
  raw: string;
}

const ARABIC = /\d+(?:,\d{3})*(?:\.\d+)?/y;
const CHINESE_RUN = /[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿]+/y;
const CHINESE_FRACTION = /点([零〇一二三四五六七八九]+)/y;

/**
 * Reads a number starting exactly at `start`, or returns undefined. Does not look at what comes
 * before; the item lexer decides whether a number there is a quantity, a price or part of a name.
 */
export function readNumberAt(text: string, start: number): NumberReading | undefined {
  const ch = text[start];
  if (ch === undefined) return undefined;
  if (ch >= '0' && ch <= '9') return readArabic(text, start);
  if (ch === '半') return { value: 0.5, end: start + 1, chinese: true, decimals: 1, raw: '半' };
  if (CHINESE_NUMERAL_SET.has(ch)) return readChinese(text, start);
  return undefined;
}

function readArabic(text: string, start: number): NumberReading | undefined {
  ARABIC.lastIndex = start;
  const m = ARABIC.exec(text);
  if (m === null) return undefined;
  const digits = m[0].replace(/,/g, '');
  let value = Number(digits);
  let end = start + m[0].length;
  const dot = digits.indexOf('.');
  const decimals = dot < 0 ? 0 : digits.length - dot - 1;
  const next = text[end];
  // 1.5万 / 3千, but not 3千克 (kilograms) or 3千米.
  if ((next === '万' || next === '千') && text[end + 1] !== '克' && text[end + 1] !== '米') {
    value *= next === '万' ? 1e4 : 1e3;
    end++;
  }
  return { value, end, chinese: false, decimals, raw: text.slice(start, end) };
}

function readChinese(text: string, start: number): NumberReading | undefined {
  CHINESE_RUN.lastIndex = start;
  const m = CHINESE_RUN.exec(text);
  if (m === null) return undefined;
  // Back off until the run is a well-formed numeral: 三两 → 三 (then 两 is a weight unit).
  for (let len = m[0].length; len > 0; len--) {
    const run = m[0].slice(0, len);
    const value = parseChineseInteger(run);
    if (value === undefined) continue;
    let end = start + len;
    let decimals = 0;
    let result = value;
    if (len === m[0].length) {
      CHINESE_FRACTION.lastIndex = end;
      const f = CHINESE_FRACTION.exec(text);
      if (f !== null && f[1] !== undefined) {
        let frac = '';
        for (const c of f[1]) frac += String(DIGITS[c] ?? 0);
        result = Number(`${value}.${frac}`);
        decimals = frac.length;
        end += f[0].length;
      }
    }
    return { value: result, end, chinese: true, decimals, raw: text.slice(start, end) };
  }
  return undefined;
}

/**
 * Parses a whole string as one number (`五十`, `1.5万`, `２０` after NFKC), for settings and
 * corrections where the value stands alone. Returns undefined for anything else.
 */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  const r = readNumberAt(t, 0);
  return r !== undefined && r.end === t.length ? r.value : undefined;
}
