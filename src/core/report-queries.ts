import type { PayablesQueries } from './payables.ts';

/**
 * The read port for analysis: sales over a period by product and by channel, and when each product
 * last sold. Reversal entries (undo, corrections) count under the kind they reverse, so an undone
 * sale nets out of every figure. Money is 分, quantities thousandths.
 */

/** Sales less customer returns of one product over a period. */
export interface ProductSalesRow {
  productId: number;
  product: string;
  sku: string | null;
  unit: string;
  /** Units sold less units returned. */
  soldMilli: number;
  /** Units returned by customers (already subtracted from soldMilli). */
  returnedMilli: number;
  /** Revenue less refunds. */
  revenue: number;
  /** Cost of goods sold less the cost of goods returned. */
  cost: number;
  /** Sale entries (undone ones not counted). */
  sales: number;
}

/** The same figures per sales channel; `channel` is null for sales recorded without one. */
export interface ChannelSalesRow {
  channel: string | null;
  soldMilli: number;
  returnedMilli: number;
  revenue: number;
  cost: number;
  sales: number;
  /** Distinct products sold. */
  products: number;
}

/** The period as a whole. */
export interface SalesTotals {
  soldMilli: number;
  returnedMilli: number;
  revenue: number;
  /** Money refunded to customers (positive). */
  refunds: number;
  cost: number;
  sales: number;
}

/** The latest sale of a product that was not undone. */
export interface LastSale {
  productId: number;
  at: Date;
}

/** The reports read also what dropship suppliers are owed (应付, src/core/payables.ts). */
export interface ReportQueries extends PayablesQueries {
  salesByProduct(shopId: number, from: Date, to: Date): Promise<ProductSalesRow[]>;
  salesByChannel(shopId: number, from: Date, to: Date): Promise<ChannelSalesRow[]>;
  salesTotals(shopId: number, from: Date, to: Date): Promise<SalesTotals>;
  /** Every product's last sale (up to `before`), for products that ever sold. */
  lastSales(shopId: number, before: Date): Promise<LastSale[]>;
}
