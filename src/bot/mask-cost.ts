import { CHAT_UNITS } from './parse/units.ts';

/**
 * Hides prices and amounts in a quoted chat line (the audit trail quotes what people typed) for
 * anyone who may not see cost. It errs towards hiding: every Arabic number is masked unless a unit,
 * a date word or an entry number shows it is not money; Chinese numerals are masked next to a price
 * word or a money unit (`单价二十`, `二十块五`), so names like 十三香 stay readable.
 */

const MASK = '**';
const CN = '[零〇一二两三四五六七八九十百千万亿点]+';
const AR = '[0-9０-９]+(?:[.．][0-9０-９]+)?[万千kK]?';
const NUM = `(?:${AR}|${CN})`;
const PRICE_WORDS = '单价|进价|售价|成本价|成本|价格|价钱|总价|总额|金额|合计|共计|总共|一共|共|退款|运费|每件|每个|均价|价';
const MONEY_UNITS = '元|块钱|块|圆|毛|角|rmb|RMB';

const PRICE_WORD_NUMBER = new RegExp(`(${PRICE_WORDS})(\\s*[:：=]?\\s*(?:[¥￥$]\\s*)?)${NUM}`, 'g');
const SYMBOL_NUMBER = new RegExp(`([@¥￥$＠])(\\s*)${NUM}`, 'g');
const NUMBER_MONEY_UNIT = new RegExp(`${NUM}(\\s*(?:${MONEY_UNITS}))(${NUM})?`, 'g');
/** The 分 after 角: `七毛五`. */
const JIAO_TAIL = new RegExp(`([毛角])${NUM}`, 'g');

/** Words after a number that say it is a quantity or a date, not money. */
const NOT_MONEY_AFTER = [
  ...CHAT_UNITS,
  ...['月', '日', '号', '天', '周', '年', '点', '时', '分钟', '小时', '%'],
]
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(/[%]/g, '\\$&'))
  .join('|');
const ANY_ARABIC = new RegExp(`(^|[^#0-9０-９.．xX×*])(${AR})(?![0-9０-９.．万千kK])(?!\\s*(?:${NOT_MONEY_AFTER}))`, 'g');

/** The line with its prices and amounts replaced by `**`. */
export function maskCost(text: string): string {
  return text
    .replace(PRICE_WORD_NUMBER, (_m, word: string, gap: string) => `${word}${gap}${MASK}`)
    .replace(SYMBOL_NUMBER, (_m, symbol: string, gap: string) => `${symbol}${gap}${MASK}`)
    .replace(NUMBER_MONEY_UNIT, (_m, unit: string, tail: string | undefined) => `${MASK}${unit}${tail ? MASK : ''}`)
    .replace(JIAO_TAIL, (_m, jiao: string) => `${jiao}${MASK}`)
    .replace(ANY_ARABIC, (_m, before: string) => `${before}${MASK}`);
}

/** Entry kinds whose recorded price is a sale price (what customers pay); every other price is, or reveals, cost. */
const SALE_PRICED: ReadonlySet<string> = new Set(['sale', 'customer_return']);

/**
 * Whether an entry's unit price and amount may be shown: to whoever sees cost, always; to everyone
 * else only a sale's or a customer return's, never a purchase's, a stocktake's or a transfer's
 * (those are valued at cost). The audit lines and the web view's ledger both ask this.
 */
export function priceShown(kind: string, seeCost: boolean): boolean {
  return seeCost || SALE_PRICED.has(kind);
}

/** An original message or note as someone who may (or may not) see cost reads it. */
export function quoteFor(text: string, seeCost: boolean): string {
  return seeCost ? text : maskCost(text);
}
