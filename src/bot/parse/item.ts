import type { Item } from '../command.ts';
import type { Catalogue, CatalogueProduct } from './catalogue.ts';
import { MAX_CENTS, MAX_QUANTITY, parseError, tooLarge } from './errors.ts';
import { lexItem, type ItemToken } from './item-lexer.ts';
import { toCents } from './money.ts';
import type { ParseError } from './types.ts';
import { allowsFraction, conversionFactor } from './units.ts';

/**
 * One product line of a write (`T恤 白色 L 5件 单价 20`): which product, how many in the
 * product's own unit, and at what price. The catalogue decides where a name ends; without a
 * match the name is the text before the quantity and the product is marked unknown.
 */

/** What an item parse needs beyond the text. */
export interface ItemSpec {
  catalogue: Catalogue;
  /** A corrected example message for this intent, built from a product name and unit. */
  example: (name: string, unit: string) => string;
  /** A stocktake may count zero (`盘点 T恤 0`: everything is gone); every other write needs a positive quantity. */
  zeroAllowed?: boolean;
}

/** The result for one segment. */
export type ItemOutcome =
  | { kind: 'item'; item: Item }
  /** Only a price (`…，单价 20`): it belongs to the previous line. */
  | { kind: 'priceOnly' }
  /** Nothing left once fields were taken out (`…，供应商 老王`). */
  | { kind: 'empty' }
  | ParseError;

const EDGE_JUNK = /^[\s:=,.\-~·、!?()]+|[\s:=,.\-~·、!?()]+$/g;
const SPACES = /\s+/g;
const HAS_WORD = /[^\s:=,.\-~·、!?()]/;
const NOTE_EDGE = /^的\s*/;
const GLUED_NAME = /^[\u4e00-\u9fff]{2}/;

function cleanName(text: string): string {
  return text.replace(SPACES, ' ').replace(EDGE_JUNK, '');
}

function blank(text: string, tokens: readonly ItemToken[]): string {
  let out = text;
  for (const t of tokens) out = out.slice(0, t.start) + ' '.repeat(t.end - t.start) + out.slice(t.end);
  return out;
}

function formatNumber(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

/**
 * Parses one segment of a write message. `text` has message-wide fields already masked out.
 */
export function parseItem(text: string, spec: ItemSpec): ItemOutcome {
  const { catalogue } = spec;
  const prefix = catalogue.matchPrefix(text);
  let tokens = lexItem(text, prefix?.end ?? 0, catalogue.unitWords, (at) => catalogue.matchPrefix(text, at) !== undefined);
  // `到了50件卫衣` for a product not in the catalogue yet: with no other number that could be the
  // quantity, a count glued to the name is one (`2件套 10` keeps 2件套 as the name).
  if (!tokens.some((t) => t.role === 'quantity' || t.role === 'bare')) {
    const glued = lexItem(text, prefix?.end ?? 0, catalogue.unitWords, (at) => GLUED_NAME.test(text.slice(at, at + 2)));
    if (glued.some((t) => t.role === 'quantity')) tokens = glued;
  }

  // One pass: the quantity is the first marked one (数量/x), else the first with a unit, else
  // the first bare number; bare numbers after it are prices; more quantities after it are noise.
  let qty: ItemToken | undefined;
  let firstUnit: ItemToken | undefined;
  let firstBare: ItemToken | undefined;
  let bad: ItemToken | undefined;
  for (const t of tokens) {
    if (t.role === 'quantity') {
      if (t.marked && qty === undefined) qty = t;
      firstUnit ??= t;
    } else if (t.role === 'bare') firstBare ??= t;
    else if (t.role === 'badUnit') bad ??= t;
  }
  qty ??= firstUnit ?? firstBare;
  const qtyStart = qty?.start ?? text.length;
  const prices: ItemToken[] = [];
  const totals: ItemToken[] = [];
  const consumed: ItemToken[] = [];
  let extra: ItemToken | undefined;
  for (const t of tokens) {
    if (t === qty) consumed.push(t);
    else if (t.role === 'price' || (t.role === 'bare' && t.start > qtyStart)) {
      prices.push(t);
      consumed.push(t);
    } else if (t.role === 'total') {
      totals.push(t);
      consumed.push(t);
    } else if (t.role === 'quantity' && t.start > qtyStart) {
      extra ??= t;
      consumed.push(t);
    } else if (t.role === 'badUnit' && qty === undefined) {
      consumed.push(t);
    }
  }
  const rest = consumed.length === 0 ? text : blank(text, consumed);

  // Name: the catalogue prefix if nothing but spaces separates it from the quantity; otherwise
  // the words before the quantity (or after it, for `3件 T恤`).
  let product: CatalogueProduct | undefined;
  let name: string;
  // Where the words after the item start: they are the item's note.
  let noteFrom = qty?.end ?? text.length;
  if (prefix !== undefined && !HAS_WORD.test(rest.slice(prefix.end, qty === undefined ? rest.length : qtyStart))) {
    product = prefix.product;
    name = product.name;
  } else {
    let raw = cleanName(rest.slice(0, qtyStart));
    if (raw.length === 0 && qty !== undefined) {
      let next = text.length;
      for (const t of consumed) if (t.start >= qty.end && t.start < next) next = t.start;
      // `两个帆布包 39一个`: the name after the quantity is the catalogue name it starts with.
      const after = catalogue.matchPrefix(rest, qty.end);
      if (after !== undefined && after.end <= next) next = after.end;
      raw = cleanName(rest.slice(qty.end, next));
      noteFrom = next;
    }
    product = raw.length > 0 ? catalogue.resolve(raw) : undefined;
    name = product?.name ?? raw;
  }
  const after = qty === undefined ? '' : rest.slice(noteFrom);
  const note = HAS_WORD.test(after) ? cleanName(after).replace(NOTE_EDGE, '') : '';
  const unitName = product?.unit ?? '件';
  const example = spec.example(name.length > 0 ? name : 'T恤', unitName);

  if (qty === undefined) {
    if (name.length === 0) {
      if (prices.length > 0 || totals.length > 0) return { kind: 'priceOnly' };
      return { kind: 'empty' };
    }
    if (bad !== undefined) {
      return parseError('UNKNOWN_UNIT', `不认识的单位「${bad.unit ?? ''}」（${bad.reading.raw}${bad.unit ?? ''}）。可用：件 个 条 双 包 箱 盒 瓶 支 台 套 斤 公斤 kg 克 米 …`, example);
    }
    return parseError('MISSING_QUANTITY', `「${name}」缺少数量。`, example);
  }
  if (name.length === 0) return parseError('MISSING_PRODUCT', '缺少商品名。', example);

  // Quantity.
  const written = qty.reading.value;
  if (qty.negative || (written <= 0 && !(spec.zeroAllowed && written === 0))) return parseError('ZERO_QUANTITY', `「${name}」的数量必须大于 0（写的是 ${qty.negative ? '-' : ''}${qty.reading.raw}）。`, example);
  const unit = qty.unit;
  let factor = 1;
  if (product !== undefined && unit !== undefined) {
    const conv = conversionFactor(unit, product);
    if (!conv.ok) return unitRefusal(product, unit, conv.reason, example);
    factor = conv.factor;
  }
  const fractional = !Number.isInteger(written);
  if (fractional && !allowsFraction(unit ?? product?.unit ?? '件')) {
    return parseError('FRACTIONAL_QUANTITY', `「${name}」按${unit ?? unitName}计，数量不能是小数：${formatNumber(written)}${unit ?? ''}。`, example);
  }
  const quantity = Math.round(written * factor * 1e6) / 1e6;
  if (!Number.isFinite(quantity) || quantity > MAX_QUANTITY) return tooLarge('数量', qty.reading.raw, example);
  if (quantity < 0 || (quantity === 0 && !spec.zeroAllowed)) return parseError('ZERO_QUANTITY', `「${name}」的数量必须大于 0。`, example);

  // `调拨 卫衣 5件 到 门店 10件 …`, `卫衣 1件 89 1个`: a second count is never dropped silently.
  if (extra !== undefined) {
    return parseError(
      'SEVERAL_QUANTITIES',
      `「${name}」写了两个数量（${qty.reading.raw}${qty.unit ?? ''}、${extra.reading.raw}${extra.unit ?? ''}），请只写一个；几样商品请用逗号隔开。`,
      example,
    );
  }
  if (spec.zeroAllowed === true && (prices.length > 0 || totals.length > 0)) {
    const shown = (prices[0] ?? totals[0])?.reading.raw ?? '';
    return parseError('SEVERAL_QUANTITIES', `盘点只写实际数量，「${name}」后面的「${shown}」是什么？在别的地方的数量请分开写，例如 盘点 ${name} 30 在 门店。`, example);
  }
  // Prices.
  if (prices.length > 1 || totals.length > 1) {
    const list = (prices.length > 1 ? prices : totals).map((t) => t.reading.raw).join('、');
    return parseError('SEVERAL_PRICES', `「${name}」写了${prices.length > 1 ? '多个单价' : '多个总价'}（${list}），请只写一个。`, example);
  }
  const item: Item = { product: name, known: product !== undefined, quantity };
  if (HAS_WORD.test(note)) item.note = note;
  if (unit !== undefined) item.unit = unit;
  const total = totals[0];
  if (total !== undefined) {
    const c = toCents(total.reading, total.tail, total.negative);
    if (!c.ok) return moneyRefusal(c.code, `${total.negative ? '-' : ''}${total.reading.raw}`, example);
    item.total = c.cents;
  }
  const price = prices[0];
  if (price !== undefined) {
    const c = toCents(price.reading, price.tail, price.negative);
    if (!c.ok) return moneyRefusal(c.code, `${price.negative ? '-' : ''}${price.reading.raw}`, example);
    // Prices are per the unit written (`2箱 单价 48` is 48 a box); the command stores them per
    // base unit, or as an exact total when that would need fractions of a 分.
    const per = price.perUnit ?? unit;
    let priceFactor = 1;
    if (product !== undefined && per !== undefined) {
      const conv = conversionFactor(per, product);
      if (!conv.ok) return unitRefusal(product, per, conv.reason, example);
      priceFactor = conv.factor;
    }
    const perBase = c.cents / priceFactor;
    if (Math.abs(perBase - Math.round(perBase)) < 1e-9) item.unitPrice = Math.round(perBase);
    else if (item.total === undefined) {
      const sum = Math.round(perBase * quantity);
      if (sum > MAX_CENTS) return tooLarge('金额', price.reading.raw, example);
      item.total = sum;
    }
  }
  return { kind: 'item', item };
}

function moneyRefusal(code: 'BAD_PRICE' | 'TOO_LARGE', raw: string, example: string): ParseError {
  if (code === 'TOO_LARGE') return tooLarge('金额', raw, example);
  return parseError('BAD_PRICE', `价格「${raw}」不对：不能是负数，最多两位小数（分）。`, example);
}

function unitRefusal(product: CatalogueProduct, unit: string, reason: 'needs-conversion' | 'incompatible', example: string): ParseError {
  if (reason === 'needs-conversion') {
    return parseError(
      'UNKNOWN_UNIT',
      `「${product.name}」还没有设置「${unit}」的换算，不知道一${unit}是多少${product.unit}。`,
      `设置 ${product.name} 1${unit}=24${product.unit}`,
    );
  }
  return parseError('UNKNOWN_UNIT', `「${product.name}」按${product.unit}计，不能用「${unit}」。`, example);
}
