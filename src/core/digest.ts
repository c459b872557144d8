/**
 * The daily digest's content: what happened today, what stock there is, what to buy, what is piling
 * up and (for owners) what the day earned. Pure: it takes query results and returns figures; the
 * wording lives in src/bot/digest.ts and the sending in src/adapters/cron.
 */
import { isExpired, warnHorizon } from './batches.ts';
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
import { assessStock, type OverstockLine, type ShortageLine, type StockHealth } from './stock-health.ts';

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
  digestPicture: false,
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

export type { OverstockLine, OverstockReason, ReorderCrossing, ShortageLine, ShortageReason } from './stock-health.ts';
export { reorderCrossings, shortageOf, suggestedPurchaseMilli } from './stock-health.ts';

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

/**
 * The ranges of the per-product sales query: rate windows ending at `asOf`, and the month (empty
 * unless given: `查 缺货` and the low-stock alert need no month figures).
 */
export function salesRanges(settings: DigestSettings, asOf: Date, month?: { from: Date; to: Date }): SalesRanges {
  const to = asOf.getTime();
  return {
    windowFrom: new Date(to - settings.salesWindowDays * DAY_MS),
    noSaleFrom: new Date(to - settings.noSaleDays * DAY_MS),
    rateTo: asOf,
    monthFrom: month?.from ?? asOf,
    monthTo: month?.to ?? asOf,
  };
}

/** Runs the digest's queries for one shop and window and builds the digest. */
export async function collectDigest(queries: DigestQueries, shop: DigestShop, window: DigestWindow): Promise<Digest> {
  const settings = await queries.settings(shop.id);
  const day = { from: window.dayFrom, to: window.dayTo };
  return buildDigest({
    shop,
    window,
    settings,
    products: await queries.products(shop.id),
    movements: await queries.movements(shop.id, day.from, day.to),
    channels: await queries.channelSales(shop.id, day.from, day.to),
    sales: await queries.productSales(shop.id, salesRanges(settings, window.asOf, { from: window.monthFrom, to: window.dayTo })),
    batches: await queries.expiringBatches(shop.id, warnHorizon(window.asOf, shop.timeZone, settings.expiryWarnDays)),
  });
}

/** A shop's 缺货 and 积压 now, with the settings they were judged by. */
export type StockHealthNow = StockHealth & { settings: DigestSettings };

/**
 * 缺货 and 积压 of a shop right now, by the same rule and the same windows as the digest (for
 * `查 缺货` and `查 积压`); the month figures are not needed, so the month range is empty. `overrides` judges 滞销 over
 * another number of days (`滞销 最近60天`).
 */
export async function stockHealthNow(
  queries: Pick<DigestQueries, 'settings' | 'products' | 'productSales'>,
  shopId: number,
  asOf: Date,
  overrides: Partial<Pick<DigestSettings, 'noSaleDays'>> = {},
): Promise<StockHealthNow> {
  const settings = { ...await queries.settings(shopId), ...overrides };
  const sales = await queries.productSales(shopId, salesRanges(settings, asOf));
  return { settings, ...assessStock(await queries.products(shopId), sales, settings, asOf) };
}

/** Builds the digest from query results; pure, so every rule is tested without a database. */
export function buildDigest(input: DigestInput): Digest {
  const { settings, window } = input;
  const byId = new Map(input.products.map((p) => [p.productId, p]));
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
  const backorders: BackorderLine[] = [];
  for (const p of input.products) {
    value += p.value;
    if (p.qtyMilli > 0) {
      skus += 1;
      unitsMilli += p.qtyMilli;
      units.add(p.unit);
    }
    if (p.mode === 'presale' && p.qtyMilli < 0) backorders.push({ productId: p.productId, product: p.name, unit: p.unit, owedMilli: -p.qtyMilli });
  }
  const { shortages, overstock } = assessStock(input.products, input.sales, settings, window.asOf);
  backorders.sort((a, b) => b.owedMilli - a.owedMilli || byName(a.product, b.product));

  const expiring: ExpiryLine[] = [];
  for (const b of input.batches) {
    const p = byId.get(b.productId);
    if (!p || b.qtyMilli <= 0) continue;
    expiring.push({ productId: b.productId, product: p.name, unit: p.unit, code: b.code, expiresAt: b.expiresAt, qtyMilli: b.qtyMilli, expired: isExpired(b, window.asOf) });
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

function hasMovement(m: MovementRow): boolean {
  return m.purchasedMilli !== 0 || m.soldMilli !== 0 || m.customerReturnMilli !== 0 || m.supplierReturnMilli !== 0 || m.adjustedMilli !== 0;
}

function profitFigures(t: Totals): ProfitFigures {
  const grossProfit = t.revenue - t.cost;
  return { revenue: t.revenue, cost: t.cost, grossProfit, margin: t.revenue === 0 ? null : grossProfit / t.revenue };
}
