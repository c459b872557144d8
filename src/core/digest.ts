/**
 * The daily digest's content: what happened today, what stock there is, what to buy, what is piling
 * up and (for owners) what the day earned. Pure: it takes query results and returns figures; the
 * wording lives in src/bot/digest.ts and the sending in src/adapters/cron.
 */
import type {
  ChannelRow,
  DigestQueries,
  DigestSettings,
  ExpiringBatchRow,
  MovementRow,
  ProductSalesRow,
  ProductStockRow,
  SalesRanges,
} from './digest-queries.ts';
import { MILLI } from './quantity.ts';

export type { DigestSettings } from './digest-queries.ts';

const DAY_MS = 86_400_000;

/**
 * Ties are broken by code point, not by a Chinese collator: with thousands of products a collator's
 * comparisons cost more than all the digest's arithmetic, and only the first lines of a list are shown.
 */
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The thresholds a new shop starts with (the migration's column defaults). */
export const DEFAULT_DIGEST_SETTINGS: DigestSettings = {
  salesWindowDays: 14,
  leadTimeDays: 7,
  safetyDays: 7,
  overstockCoverDays: 90,
  noSaleDays: 30,
  expiryWarnDays: 30,
  lowStockAlert: false,
};

/**
 * The instants a digest covers, worked out by the caller in the shop's time zone (the core has no
 * calendar): the local day, the month so far, and `asOf`, the end of the rate windows (now, or the
 * end of the day for a past date).
 */
export interface DigestWindow {
  /** YYYY-MM-DD in the shop's zone. */
  date: string;
  dayFrom: Date;
  dayTo: Date;
  monthFrom: Date;
  asOf: Date;
}

export interface DigestShop {
  id: number;
  name: string;
  timeZone: string;
}

/** Today's net movement of one product; zero fields mean nothing of that kind. */
export interface MovementLine extends MovementRow {
  product: string;
  unit: string;
}

export interface ChannelLine {
  /** null when sales named no channel. */
  channel: string | null;
  salesCount: number;
  revenue: number;
}

/** Money figures shown to owners only. `margin` is gross profit ÷ revenue, null without revenue. */
export interface ProfitFigures {
  revenue: number;
  cost: number;
  grossProfit: number;
  margin: number | null;
}

export type ShortageReason = 'reorderLevel' | 'cover';
export type OverstockReason = 'overstockLevel' | 'cover' | 'noSale';

interface ProductFigures {
  productId: number;
  product: string;
  unit: string;
  qtyMilli: number;
  /** Units sold less returned per day over the rate window, in thousandths. */
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

/** A presale product sold beyond its stock: `owedMilli` units still to ship (待发). */
export interface BackorderLine {
  productId: number;
  product: string;
  unit: string;
  owedMilli: number;
}

export interface ExpiryLine {
  productId: number;
  product: string;
  unit: string;
  code: string | null;
  expiresAt: Date;
  qtyMilli: number;
  expired: boolean;
}

/**
 * One shop's digest for one local date, every figure in integer 分 or thousandths of a unit. It holds
 * the owner-only figures too (stock value, profit); the renderer leaves them out for staff chats.
 */
export interface Digest {
  shop: DigestShop;
  date: string;
  dayFrom: Date;
  dayTo: Date;
  asOf: Date;
  settings: DigestSettings;
  movements: MovementLine[];
  /** Sales and refunds of the day by channel, largest revenue first. */
  channels: ChannelLine[];
  /** The day's sales totals over all channels. */
  sales: { salesCount: number; revenue: number };
  /** SKUs and units with stock above zero; value over all balances (owners only). */
  stock: { skus: number; unitsMilli: number; value: number; unit: string | null };
  shortages: ShortageLine[];
  overstock: OverstockLine[];
  backorders: BackorderLine[];
  expiring: ExpiryLine[];
  /** Owners only. */
  profit: { day: ProfitFigures; month: ProfitFigures };
  /** Nothing was recorded today. */
  quiet: boolean;
}

/** Everything buildDigest needs, as the queries return it. */
export interface DigestInput {
  shop: DigestShop;
  window: DigestWindow;
  settings: DigestSettings;
  products: readonly ProductStockRow[];
  movements: readonly MovementRow[];
  channels: readonly ChannelRow[];
  sales: readonly ProductSalesRow[];
  batches: readonly ExpiringBatchRow[];
}

/** Revenue, cost of sales and sale count over a period. */
interface Totals {
  revenue: number;
  cost: number;
  salesCount: number;
}

/** The ranges of the per-product sales query: rate windows ending at `asOf`, and the month so far. */
export function salesRanges(window: DigestWindow, settings: DigestSettings): SalesRanges {
  const to = window.asOf.getTime();
  return {
    windowFrom: new Date(to - settings.salesWindowDays * DAY_MS),
    noSaleFrom: new Date(to - settings.noSaleDays * DAY_MS),
    rateTo: window.asOf,
    monthFrom: window.monthFrom,
    monthTo: window.dayTo,
  };
}

/** Runs the digest's queries for one shop and window and builds the digest. */
export function collectDigest(queries: DigestQueries, shop: DigestShop, window: DigestWindow): Digest {
  const settings = queries.settings(shop.id);
  const day = { from: window.dayFrom, to: window.dayTo };
  return buildDigest({
    shop,
    window,
    settings,
    products: queries.products(shop.id),
    movements: queries.movements(shop.id, day.from, day.to),
    channels: queries.channelSales(shop.id, day.from, day.to),
    sales: queries.productSales(shop.id, salesRanges(window, settings)),
    batches: queries.expiringBatches(shop.id, new Date(window.asOf.getTime() + settings.expiryWarnDays * DAY_MS)),
  });
}

/** Builds the digest from query results; pure, so every rule is tested without a database. */
export function buildDigest(input: DigestInput): Digest {
  const { settings, window } = input;
  const byId = new Map(input.products.map((p) => [p.productId, p]));
  const recent = new Map(input.sales.map((r) => [r.productId, r]));
  const month = input.sales.reduce<Totals>(
    (t, r) => ({ revenue: t.revenue + r.monthRevenue, cost: t.cost + r.monthCost, salesCount: t.salesCount + r.monthSalesCount }),
    { revenue: 0, cost: 0, salesCount: 0 },
  );

  const movements: MovementLine[] = [];
  for (const m of input.movements) {
    const p = byId.get(m.productId);
    if (!p || !hasMovement(m)) continue;
    movements.push({ ...m, product: p.name, unit: p.unit });
  }
  // The busiest products first: those are the lines worth a place on a phone screen.
  movements.sort((a, b) => b.soldMilli - a.soldMilli || b.purchasedMilli - a.purchasedMilli || byName(a.product, b.product));

  const channels = input.channels
    .filter((c) => c.salesCount !== 0 || c.revenue !== 0)
    .map((c) => ({ channel: c.channel, salesCount: c.salesCount, revenue: c.revenue }))
    .sort((a, b) => b.revenue - a.revenue || byName(a.channel ?? '', b.channel ?? ''));
  const dayProfit = input.channels.reduce<Totals>(
    (t, c) => ({ revenue: t.revenue + c.revenue, cost: t.cost + c.cost, salesCount: t.salesCount + c.salesCount }),
    { revenue: 0, cost: 0, salesCount: 0 },
  );

  let skus = 0;
  let unitsMilli = 0;
  let value = 0;
  const units = new Set<string>();
  const shortages: ShortageLine[] = [];
  const overstock: OverstockLine[] = [];
  const backorders: BackorderLine[] = [];
  const establishedBefore = window.asOf.getTime() - settings.noSaleDays * DAY_MS;
  for (const p of input.products) {
    value += p.value;
    if (p.qtyMilli > 0) {
      skus += 1;
      unitsMilli += p.qtyMilli;
      units.add(p.unit);
    }
    if (p.mode === 'dropship') continue;
    if (p.mode === 'presale' && p.qtyMilli < 0) backorders.push({ productId: p.productId, product: p.name, unit: p.unit, owedMilli: -p.qtyMilli });
    const r = recent.get(p.productId);
    const soldMilli = Math.max(0, r?.windowSoldMilli ?? 0);
    const short = shortageOf(p, soldMilli, settings);
    if (short) {
      shortages.push(Object.assign(figuresOf(p, soldMilli, settings.salesWindowDays), short));
      continue;
    }
    // Most products are neither short nor piling up; nothing is allocated for them.
    const overLevel = p.overstockLevel !== null && p.qtyMilli > p.overstockLevel * MILLI;
    // Cover beyond the limit: qty ÷ (sold ÷ window) > limit, kept in integers.
    const overCover = soldMilli > 0 && p.qtyMilli * settings.salesWindowDays > soldMilli * settings.overstockCoverDays;
    const noSale = p.qtyMilli > 0 && (r?.recentSales ?? 0) <= 0 && p.createdAt.getTime() <= establishedBefore;
    if (!overLevel && !overCover && !noSale) continue;
    const reasons: OverstockReason[] = [];
    if (overLevel) reasons.push('overstockLevel');
    if (overCover) reasons.push('cover');
    if (noSale) reasons.push('noSale');
    overstock.push(Object.assign(figuresOf(p, soldMilli, settings.salesWindowDays), { reasons, overstockLevel: p.overstockLevel }));
  }
  shortages.sort((a, b) => urgency(a) - urgency(b) || byName(a.product, b.product));
  overstock.sort((a, b) => b.qtyMilli - a.qtyMilli || byName(a.product, b.product));
  backorders.sort((a, b) => b.owedMilli - a.owedMilli || byName(a.product, b.product));

  const expiring: ExpiryLine[] = [];
  for (const b of input.batches) {
    const p = byId.get(b.productId);
    if (!p || b.qtyMilli <= 0) continue;
    expiring.push({ productId: b.productId, product: p.name, unit: p.unit, code: b.code, expiresAt: b.expiresAt, qtyMilli: b.qtyMilli, expired: b.expiresAt <= window.asOf });
  }
  expiring.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || byName(a.product, b.product));

  return {
    shop: input.shop,
    date: window.date,
    dayFrom: window.dayFrom,
    dayTo: window.dayTo,
    asOf: window.asOf,
    settings,
    movements,
    channels,
    sales: { salesCount: dayProfit.salesCount, revenue: dayProfit.revenue },
    stock: { skus, unitsMilli, value, unit: units.size === 1 ? ([...units][0] ?? null) : null },
    shortages,
    overstock,
    backorders,
    expiring,
    profit: { day: profitFigures(dayProfit), month: profitFigures(month) },
    quiet: movements.length === 0 && channels.length === 0,
  };
}

/**
 * Whether a product is short, and how much to buy. With q the stock, R the reorder level, v the units
 * sold less returned per day over the window, L the lead time and S the safety days:
 * short when q ≤ R, or when v > 0 and q < v × L (fewer days of cover than the lead time);
 * suggested purchase = max(0, max(⌈v × (L + S)⌉, R) − q), in whole units.
 */
export function shortageOf(
  p: Pick<ProductStockRow, 'qtyMilli' | 'reorderLevel' | 'leadTimeDays' | 'mode'>,
  windowSoldMilli: number,
  settings: Pick<DigestSettings, 'salesWindowDays' | 'leadTimeDays' | 'safetyDays'>,
): Pick<ShortageLine, 'reasons' | 'reorderLevel' | 'leadTimeDays' | 'suggestMilli'> | undefined {
  if (p.mode === 'dropship') return undefined;
  const sold = Math.max(0, windowSoldMilli);
  const lead = p.leadTimeDays ?? settings.leadTimeDays;
  const atLevel = p.reorderLevel !== null && p.qtyMilli <= p.reorderLevel * MILLI;
  // q < v × L with v = sold ÷ window, multiplied out to stay in integers.
  const lowCover = sold > 0 && p.qtyMilli * settings.salesWindowDays < sold * lead;
  if (!atLevel && !lowCover) return undefined;
  const reasons: ShortageReason[] = [];
  if (atLevel) reasons.push('reorderLevel');
  if (lowCover) reasons.push('cover');
  return { reasons, reorderLevel: p.reorderLevel, leadTimeDays: lead, suggestMilli: suggestedPurchaseMilli(p.qtyMilli, sold, lead, p.reorderLevel, settings) };
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

/** A product a sale has just taken to or below its reorder level. */
export interface ReorderCrossing {
  productId: number;
  product: string;
  unit: string;
  reorderLevel: number;
  beforeMilli: number;
  afterMilli: number;
}

/**
 * The products whose stock was above the reorder level before these sale entries and is at or below
 * it after, so an alert fires once when stock crosses the line, not on every later sale.
 * `sold` holds the entries' signed qtyMilli (negative for a sale); `after` the products' stock now.
 */
export function reorderCrossings(sold: readonly { productId: number; qtyMilli: number }[], after: readonly ProductStockRow[]): ReorderCrossing[] {
  const delta = new Map<number, number>();
  for (const e of sold) delta.set(e.productId, (delta.get(e.productId) ?? 0) + e.qtyMilli);
  const out: ReorderCrossing[] = [];
  for (const p of after) {
    const d = delta.get(p.productId);
    if (d === undefined || d >= 0 || p.reorderLevel === null || p.mode === 'dropship') continue;
    const beforeMilli = p.qtyMilli - d;
    const line = p.reorderLevel * MILLI;
    if (beforeMilli > line && p.qtyMilli <= line) {
      out.push({ productId: p.productId, product: p.name, unit: p.unit, reorderLevel: p.reorderLevel, beforeMilli, afterMilli: p.qtyMilli });
    }
  }
  return out.sort((a, b) => byName(a.product, b.product));
}

function figuresOf(p: ProductStockRow, soldMilli: number, windowDays: number): ProductFigures {
  return {
    productId: p.productId,
    product: p.name,
    unit: p.unit,
    qtyMilli: p.qtyMilli,
    dailyMilli: soldMilli / windowDays,
    coverDays: soldMilli > 0 ? (p.qtyMilli * windowDays) / soldMilli : null,
  };
}

function hasMovement(m: MovementRow): boolean {
  return m.purchasedMilli !== 0 || m.soldMilli !== 0 || m.customerReturnMilli !== 0 || m.supplierReturnMilli !== 0 || m.adjustedMilli !== 0;
}

/** Out of stock first, then the fewest days of cover; products short only by level come last. */
function urgency(s: ShortageLine): number {
  if (s.qtyMilli <= 0) return -1;
  return s.coverDays ?? Number.MAX_SAFE_INTEGER;
}

function profitFigures(t: Totals): ProfitFigures {
  const grossProfit = t.revenue - t.cost;
  return { revenue: t.revenue, cost: t.cost, grossProfit, margin: t.revenue === 0 ? null : grossProfit / t.revenue };
}
