/**
 * What the daily digest reads. A separate port from InventoryStore because every query here is an
 * aggregate over a time range or over all products, shaped so the database does the summing and the
 * digest's cost grows with the products and the recent entries, never with the whole ledger.
 */
import type { ProductMode } from './ports.ts';

/**
 * A shop's digest thresholds. Defaults (in the migration) are 14, 7, 7, 90, 30, 30 and off; the
 * shortage and overstock rules that use them are in the README (日报 — the daily digest).
 */
export interface DigestSettings {
  /** Days of sales averaged for the daily rate. */
  salesWindowDays: number;
  /** Lead time for products without their own. */
  leadTimeDays: number;
  /** Days of sales a suggested purchase covers beyond the lead time. */
  safetyDays: number;
  /** More days of cover than this is 积压. */
  overstockCoverDays: number;
  /** No sale in this many days while stock remains is 滞销. */
  noSaleDays: number;
  /** Batches expiring within this many days are 临期. */
  expiryWarnDays: number;
  /** Alert the shop's chats when a sale takes a product to its reorder level. */
  lowStockAlert: boolean;
  /** Send the scheduled digest as a picture, with its text as the caption or next message (`设置 日报 图片`). */
  digestPicture: boolean;
}

/** One product with its stock totalled over locations, and what the rules need to judge it. */
export interface ProductStockRow {
  productId: number;
  name: string;
  unit: string;
  mode: ProductMode;
  reorderLevel: number | null;
  overstockLevel: number | null;
  leadTimeDays: number | null;
  createdAt: Date;
  qtyMilli: number;
  /** Stock value in 分 at moving average cost. */
  value: number;
}

/**
 * Net quantities of one product over a range, by what happened. Reversals count under the kind they
 * reverse, so an undone entry nets to zero. Every field is positive in the usual direction: goods in
 * for purchases and customer returns, goods out for sales and supplier returns; stocktake is signed.
 */
export interface MovementRow {
  productId: number;
  purchasedMilli: number;
  soldMilli: number;
  customerReturnMilli: number;
  supplierReturnMilli: number;
  adjustedMilli: number;
}

/** Sales and refunds of one channel (null: none was named) over a range, net of reversals. */
export interface ChannelRow {
  channel: string | null;
  /** Sale entries not undone. */
  salesCount: number;
  /** Sales less refunds, in 分. */
  revenue: number;
  /** Cost of goods sold less returned, in 分. */
  cost: number;
}

/**
 * One product's selling over the digest's longer windows, read in a single pass of the ledger: units
 * sold less returned in the rate window, sales not undone in the no-sale window, and revenue, cost and
 * sale count of the month so far (summed by the core into the month's figures).
 */
export interface ProductSalesRow {
  productId: number;
  windowSoldMilli: number;
  recentSales: number;
  monthRevenue: number;
  monthCost: number;
  monthSalesCount: number;
}

/** The ranges ProductSalesRow covers; rate windows end at `rateTo`, the month at `monthTo`. */
export interface SalesRanges {
  windowFrom: Date;
  noSaleFrom: Date;
  rateTo: Date;
  monthFrom: Date;
  monthTo: Date;
}

/**
 * Sales and refunds of one channel in one bucket of a series (a local day, or a month for long
 * periods); `bucket` is the index of the bucket in the bounds asked for.
 */
export interface ChannelBucketRow extends ChannelRow {
  bucket: number;
}

/** A batch with stock that expires before the warning horizon. */
export interface ExpiringBatchRow {
  productId: number;
  code: string | null;
  expiresAt: Date;
  qtyMilli: number;
}

/** The digest's read port; src/adapters/prisma/sqlite-digest.ts implements it on SQLite. */
export interface DigestQueries {
  settings(shopId: number): Promise<DigestSettings>;
  /** Every product of the shop, including those with no stock. */
  products(shopId: number, productIds?: readonly number[]): Promise<ProductStockRow[]>;
  movements(shopId: number, from: Date, to: Date): Promise<MovementRow[]>;
  channelSales(shopId: number, from: Date, to: Date): Promise<ChannelRow[]>;
  /**
   * Sales by channel in consecutive buckets: `bounds` are n+1 ascending instants (local midnights,
   * worked out by the caller in the shop's zone), bucket i runs from bounds[i] to bounds[i+1].
   * Buckets and channels without sales have no row.
   */
  channelSalesByBucket(shopId: number, bounds: readonly Date[]): Promise<ChannelBucketRow[]>;
  /** Per-product selling over the ranges; only the given products when `productIds` is set. */
  productSales(shopId: number, ranges: SalesRanges, productIds?: readonly number[]): Promise<ProductSalesRow[]>;
  expiringBatches(shopId: number, before: Date): Promise<ExpiringBatchRow[]>;
  /** Changes a shop's digest thresholds (whole days from 1 to 3650) or its low-stock alert. */
  updateSettings(shopId: number, patch: Partial<DigestSettings>): Promise<void>;
}
