/**
 * 缺货 / 积压 / 滞销: the one definition of which products are short, piling up or not selling. The
 * daily digest, `查 缺货`, `查 积压`, `滞销`, the 日报 of a period and the low-stock alert all call
 * `assessStock` (or `shortageOf` for one product), so they can never disagree.
 *
 * The sales rate is units sold less returned per day over the rate window, but over no more days than
 * the product has existed: a product bought yesterday with one sale sold one a day, not one in
 * fourteen. A product younger than `MIN_AGE_DAYS` is never judged as piling up or not selling.
 */
import type { DigestSettings, ProductSalesRow, ProductStockRow } from './digest-queries.ts';
import { MILLI } from './quantity.ts';

const DAY_MS = 86_400_000;

/** Too young to judge as 积压 or 滞销: its sales rate is not known yet. */
export const MIN_AGE_DAYS = 3;

export type ShortageReason = 'reorderLevel' | 'cover';
export type OverstockReason = 'overstockLevel' | 'cover' | 'noSale';

export interface ProductFigures {
  productId: number;
  product: string;
  unit: string;
  qtyMilli: number;
  /** Units sold less returned per day over the rate days, in thousandths. */
  dailyMilli: number;
  /** Stock ÷ daily rate, or null when nothing sold in the window. */
  coverDays: number | null;
}

export interface ShortageLine extends ProductFigures {
  reasons: ShortageReason[];
  reorderLevel: number | null;
  leadTimeDays: number;
  /** Units to buy to cover lead time plus the safety window (see suggestedPurchaseMilli). */
  suggestMilli: number;
}

export interface OverstockLine extends ProductFigures {
  reasons: OverstockReason[];
  overstockLevel: number | null;
}

/** What the rules read of a product's selling: units sold in the rate window and sales in the no-sale window. */
export type SalesFigures = Pick<ProductSalesRow, 'windowSoldMilli' | 'recentSales'>;

export interface StockHealth {
  /** Out of stock first, then the fewest days of cover. */
  shortages: ShortageLine[];
  /** Most units first. */
  overstock: OverstockLine[];
}

/** Stock at or below the product's reorder level (dropship products hold no stock). */
export function atReorderLevel(p: Pick<ProductStockRow, 'qtyMilli' | 'reorderLevel' | 'mode'>): boolean {
  return p.mode !== 'dropship' && p.reorderLevel !== null && p.qtyMilli <= p.reorderLevel * MILLI;
}

/** Stock above the product's overstock level. */
export function aboveOverstockLevel(p: Pick<ProductStockRow, 'qtyMilli' | 'overstockLevel' | 'mode'>): boolean {
  return p.mode !== 'dropship' && p.overstockLevel !== null && p.qtyMilli > p.overstockLevel * MILLI;
}

/** Whole days a product has existed at `asOf`, at least 1. */
export function ageDays(createdAt: Date, asOf: Date): number {
  return Math.max(1, Math.ceil((asOf.getTime() - createdAt.getTime()) / DAY_MS));
}

/** The days the sales rate is averaged over: the window, or the product's age when it is younger. */
export function rateDays(createdAt: Date, asOf: Date, windowDays: number): number {
  return Math.min(windowDays, ageDays(createdAt, asOf));
}

/**
 * Whether a product is short, and how much to buy. With q the stock, R the reorder level, v the units
 * sold less returned per day over the rate days, L the lead time and S the safety days:
 * short when q ≤ R, or when v > 0 and q < v × L (fewer days of cover than the lead time);
 * suggested purchase = max(0, max(⌈v × (L + S)⌉, R) − q), in whole units.
 * `days` is the rate days (see rateDays); it defaults to the settings' window.
 */
export function shortageOf(
  p: Pick<ProductStockRow, 'qtyMilli' | 'reorderLevel' | 'leadTimeDays' | 'mode'>,
  windowSoldMilli: number,
  settings: Pick<DigestSettings, 'salesWindowDays' | 'leadTimeDays' | 'safetyDays'>,
  days: number = settings.salesWindowDays,
): Pick<ShortageLine, 'reasons' | 'reorderLevel' | 'leadTimeDays' | 'suggestMilli'> | undefined {
  if (p.mode === 'dropship') return undefined;
  const sold = Math.max(0, windowSoldMilli);
  const lead = p.leadTimeDays ?? settings.leadTimeDays;
  const atLevel = atReorderLevel(p);
  // q < v × L with v = sold ÷ days, multiplied out to stay in integers.
  const lowCover = sold > 0 && p.qtyMilli * days < sold * lead;
  if (!atLevel && !lowCover) return undefined;
  const reasons: ShortageReason[] = [];
  if (atLevel) reasons.push('reorderLevel');
  if (lowCover) reasons.push('cover');
  return { reasons, reorderLevel: p.reorderLevel, leadTimeDays: lead, suggestMilli: suggestedPurchaseMilli(p.qtyMilli, sold, lead, p.reorderLevel, { ...settings, salesWindowDays: days }) };
}

/** max(0, max(⌈v × (L + S)⌉, R) − q) in thousandths, rounded up to whole units; see shortageOf. */
export function suggestedPurchaseMilli(
  qtyMilli: number,
  windowSoldMilli: number,
  leadTimeDays: number,
  reorderLevel: number | null,
  settings: Pick<DigestSettings, 'salesWindowDays' | 'safetyDays'>,
): number {
  const demandMilli = (Math.max(0, windowSoldMilli) * (leadTimeDays + settings.safetyDays)) / settings.salesWindowDays;
  const target = Math.max(Math.ceil(demandMilli / MILLI) * MILLI, (reorderLevel ?? 0) * MILLI);
  const need = target - qtyMilli;
  return need > 0 ? Math.ceil(need / MILLI) * MILLI : 0;
}

/**
 * Why a product that is not short is piling up, or undefined when it is not: above its overstock
 * level; more days of cover than `overstockCoverDays` at its sales rate; or stock and no sale in
 * `noSaleDays` days. Cover and no-sale are judged only on a product at least `MIN_AGE_DAYS` old, and
 * no-sale only on one older than the no-sale window itself.
 */
export function overstockOf(
  p: Pick<ProductStockRow, 'qtyMilli' | 'overstockLevel' | 'mode' | 'createdAt'>,
  sales: SalesFigures | undefined,
  settings: Pick<DigestSettings, 'salesWindowDays' | 'overstockCoverDays' | 'noSaleDays'>,
  asOf: Date,
): OverstockReason[] | undefined {
  if (p.mode === 'dropship') return undefined;
  const age = ageDays(p.createdAt, asOf);
  const days = Math.min(settings.salesWindowDays, age);
  const sold = Math.max(0, sales?.windowSoldMilli ?? 0);
  const judged = age >= MIN_AGE_DAYS;
  const overLevel = aboveOverstockLevel(p);
  // Cover beyond the limit: qty ÷ (sold ÷ days) > limit, kept in integers.
  const overCover = judged && sold > 0 && p.qtyMilli * days > sold * settings.overstockCoverDays;
  const noSale = judged && p.qtyMilli > 0 && (sales?.recentSales ?? 0) <= 0 && asOf.getTime() - p.createdAt.getTime() >= settings.noSaleDays * DAY_MS;
  if (!overLevel && !overCover && !noSale) return undefined;
  const reasons: OverstockReason[] = [];
  if (overLevel) reasons.push('overstockLevel');
  if (overCover) reasons.push('cover');
  if (noSale) reasons.push('noSale');
  return reasons;
}

/**
 * Sorts every product into short, piling up or neither. A product that is short is never also listed
 * as piling up. `sales` holds the products that sold (others sold nothing); `asOf` is the end of the
 * rate windows.
 */
export function assessStock(
  products: readonly ProductStockRow[],
  sales: readonly (SalesFigures & { productId: number })[],
  settings: DigestSettings,
  asOf: Date,
): StockHealth {
  const recent = new Map(sales.map((r) => [r.productId, r]));
  const shortages: ShortageLine[] = [];
  const overstock: OverstockLine[] = [];
  for (const p of products) {
    if (p.mode === 'dropship') continue;
    const r = recent.get(p.productId);
    const soldMilli = Math.max(0, r?.windowSoldMilli ?? 0);
    const days = rateDays(p.createdAt, asOf, settings.salesWindowDays);
    const short = shortageOf(p, soldMilli, settings, days);
    if (short) {
      shortages.push(Object.assign(figuresOf(p, soldMilli, days), short));
      continue;
    }
    const reasons = overstockOf(p, r, settings, asOf);
    if (reasons) overstock.push(Object.assign(figuresOf(p, soldMilli, days), { reasons, overstockLevel: p.overstockLevel }));
  }
  shortages.sort((a, b) => urgency(a) - urgency(b) || byName(a.product, b.product));
  overstock.sort((a, b) => b.qtyMilli - a.qtyMilli || byName(a.product, b.product));
  return { shortages, overstock };
}

/** A product a sale has just made short (at or below its reorder level, or too few days of cover). */
export interface ReorderCrossing {
  productId: number;
  product: string;
  unit: string;
  reorderLevel: number | null;
  reasons: ShortageReason[];
  /** Days the stock lasts at the sales rate, or null when nothing sold in the window. */
  coverDays: number | null;
  beforeMilli: number;
  afterMilli: number;
}

/**
 * The products that were not short before these sale entries and are after, by the same rule as
 * assessStock, so an alert fires once when stock crosses into 缺货, not on every later sale.
 * `sold` holds the entries' signed qtyMilli (negative for a sale); `after` the products' stock now.
 */
export function reorderCrossings(
  sold: readonly { productId: number; qtyMilli: number }[],
  after: readonly ProductStockRow[],
  sales: readonly (SalesFigures & { productId: number })[],
  settings: DigestSettings,
  asOf: Date,
): ReorderCrossing[] {
  const delta = new Map<number, number>();
  for (const e of sold) delta.set(e.productId, (delta.get(e.productId) ?? 0) + e.qtyMilli);
  const rate = new Map(sales.map((r) => [r.productId, Math.max(0, r.windowSoldMilli)]));
  const out: ReorderCrossing[] = [];
  for (const p of after) {
    const d = delta.get(p.productId);
    if (d === undefined || d >= 0) continue;
    const days = rateDays(p.createdAt, asOf, settings.salesWindowDays);
    const soldMilli = rate.get(p.productId) ?? 0;
    const now = shortageOf(p, soldMilli, settings, days);
    if (!now) continue;
    const beforeMilli = p.qtyMilli - d;
    if (shortageOf({ ...p, qtyMilli: beforeMilli }, soldMilli, settings, days)) continue;
    out.push({ productId: p.productId, product: p.name, unit: p.unit, reorderLevel: p.reorderLevel, reasons: now.reasons, coverDays: figuresOf(p, soldMilli, days).coverDays, beforeMilli, afterMilli: p.qtyMilli });
  }
  return out.sort((a, b) => byName(a.product, b.product));
}

/**
 * Ties are broken by code point, not by a Chinese collator: with thousands of products a collator's
 * comparisons cost more than all the arithmetic, and only the first lines of a list are shown.
 */
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function figuresOf(p: ProductStockRow, soldMilli: number, days: number): ProductFigures {
  return {
    productId: p.productId,
    product: p.name,
    unit: p.unit,
    qtyMilli: p.qtyMilli,
    dailyMilli: soldMilli / days,
    coverDays: soldMilli > 0 ? (p.qtyMilli * days) / soldMilli : null,
  };
}

/** Out of stock first, then the fewest days of cover; products short only by level come last. */
function urgency(s: ShortageLine): number {
  if (s.qtyMilli <= 0) return -1;
  return s.coverDays ?? Number.MAX_SAFE_INTEGER;
}
