import type { Item } from '../command.ts';
import type { Catalogue, CatalogueProduct } from './catalogue.ts';
import { MAX_CENTS, MAX_QUANTITY, parseError, tooLarge } from './errors.ts';
import { lexItem, type ItemToken } from './item-lexer.ts';
import { readCharges, toCents } from './money.ts';
import type { ParseError } from './types.ts';
import { mulDivRound } from '../../core/money.ts';
import { toBaseMilli, unitConversion, type ProductUnits } from '../../core/units.ts';
import { allowsFraction } from './units.ts';

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
export function parseItem(segment: string, spec: ItemSpec): ItemOutcome {
  const { catalogue } = spec;
  // Discounts and extras (8折, 优惠5元, 运费10元) are read first so they are never a second price.
  const charged = readCharges(segment);
  if (!charged.ok) return moneyRefusal(charged.code, charged.raw, spec.example('T恤', '件'));
  const text = charged.text;
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
  // `1斤2两`, `3箱6瓶`: the parts of one quantity are not a second quantity.
  const compound: ReadonlySet<ItemToken> = new Set(qty === undefined ? [] : compoundParts(text, qty, tokens));
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
      if (!compound.has(t)) extra ??= t;
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
      // `…，运费 30` on its own: like a lone price, it belongs to the line before.
      const charges = charged.charges;
      if (prices.length > 0 || totals.length > 0 || charges.rate !== undefined || charges.discount !== undefined || charges.freight !== undefined) return { kind: 'priceOnly' };
      return { kind: 'empty' };
    }
    if (bad !== undefined) {
      return parseError('UNKNOWN_UNIT', `不认识的单位「${bad.unit ?? ''}」（${bad.reading.raw}${bad.unit ?? ''}）。可用：件 个 条 双 包 箱 盒 瓶 支 台 套 斤 公斤 kg 克 米 …`, example);
    }
    return parseError('MISSING_QUANTITY', `「${name}」缺少数量。`, example);
  }
  if (name.length === 0) return parseError('MISSING_PRODUCT', '缺少商品名。', example);

  // Quantity: `3箱6瓶`, `1斤2两` are one quantity in parts; all are converted exactly.
  const written = qty.reading.value;
  if (qty.negative || (written <= 0 && !(spec.zeroAllowed && written === 0))) return parseError('ZERO_QUANTITY', `「${name}」的数量必须大于 0（写的是 ${qty.negative ? '-' : ''}${qty.reading.raw}）。`, example);
  const parts = compoundParts(text, qty, tokens);
  const last = parts[parts.length - 1] ?? qty;
  const unit = qty.unit;
  const writtenText = text.slice(qty.start, last.end).replace(SPACES, '');
  const units: ProductUnits | undefined = product ?? (parts.length > 1 && unit !== undefined ? { unit, units: {} } : undefined);
  const base = toBaseMilli(parts.map((t) => ({ value: t.reading.value, unit: t.unit })), units);
  if (!base.ok) {
    if (base.reason !== 'precision') {
      if (product !== undefined) return unitRefusal(product, base.unit, base.reason, example);
      return parseError('UNKNOWN_UNIT', `新商品「${name}」还没有设置「${base.unit}」的换算，数量请只用一个单位。`, example);
    }
    return parseError('FRACTIONAL_QUANTITY', `「${name}」的数量「${writtenText}」换算后超过三位小数。`, example);
  }
  const quantity = base.milli / 1000;
  const baseUnit = product?.unit ?? unit ?? '件';
  if (!Number.isInteger(quantity) && !allowsFraction(baseUnit)) {
    return parseError('FRACTIONAL_QUANTITY', `「${name}」按${baseUnit}计，数量不能是小数：${writtenText}${unit === undefined ? '' : ` = ${formatNumber(quantity)}${baseUnit}`}。`, example);
  }
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
  if (unit !== undefined) item.unit = parts.length > 1 ? baseUnit : unit;
  if (product !== undefined && (parts.length > 1 || (unit !== undefined && !sameSize(unit, product)))) item.writtenQuantity = writtenText;
  const total = totals[0];
  if (total !== undefined) {
    const c = toCents(total.reading, total.tail, total.negative);
    if (!c.ok) return moneyRefusal(c.code, `${total.negative ? '-' : ''}${total.reading.raw}`, example);
    item.total = c.cents;
    item.priceSure = true;
  }
  const price = prices[0];
  if (price !== undefined) {
    const c = toCents(price.reading, price.tail, price.negative);
    if (!c.ok) return moneyRefusal(c.code, `${price.negative ? '-' : ''}${price.reading.raw}`, example);
    // A price belongs to the unit it was written with (`3箱 每箱48` is 48 a box); after a
    // quantity in parts (`1斤2两 30`) it is per the product's unit. The command stores it per
    // base unit, or as an exact total when that would need fractions of a 分.
    if (price.perUnit !== undefined) item.priceSure = true;
    const per = price.perUnit ?? (parts.length > 1 ? undefined : unit);
    if (product !== undefined && per !== undefined && !sameSize(per, product)) item.writtenPrice = { cents: c.cents, unit: per, total: false };
    let conv = { num: 1, den: 1 };
    if (product !== undefined && per !== undefined) {
      const found = unitConversion(per, product);
      if (!found.ok) return unitRefusal(product, per, found.reason, example);
      conv = found;
    }
    if ((c.cents * conv.den) % conv.num === 0) item.unitPrice = (c.cents * conv.den) / conv.num;
    else if (item.total === undefined) {
      const sum = mulDivRound(c.cents * conv.den, base.milli, conv.num * 1000);
      if (sum > MAX_CENTS) return tooLarge('金额', price.reading.raw, example);
      item.total = sum;
    }
  }
  const { rate, discount, freight } = charged.charges;
  if (rate !== undefined) item.rate = rate;
  if (discount !== undefined) item.discount = discount;
  if (freight !== undefined) item.freight = freight;
  return { kind: 'item', item };
}

/** True when one `unit` is one of the product's unit (`个` for `件`), so nothing needs showing. */
function sameSize(unit: string, product: CatalogueProduct): boolean {
  const c = unitConversion(unit, product);
  return c.ok && c.num === c.den;
}

/**
 * The parts of a quantity written in several units: `qty` and the quantities with a unit that
 * follow it with nothing but spaces between (`3箱6瓶`, `1斤 2两`).
 */
function compoundParts(text: string, qty: ItemToken, tokens: readonly ItemToken[]): ItemToken[] {
  const parts = [qty];
  if (qty.unit === undefined) return parts;
  let prev = qty;
  for (const t of tokens) {
    if (t.start < prev.end || t === qty) continue;
    if (t.role !== 'quantity' || t.unit === undefined || t.marked || t.unit === prev.unit) break;
    if (text.slice(prev.end, t.start).trim().length > 0) break;
    parts.push(t);
    prev = t;
  }
  return parts;
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
