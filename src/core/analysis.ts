import type { ProductMode, StockRow } from './ports.ts';
import type { LastSale, ProductSalesRow } from './report-queries.ts';

/** Gross profit ÷ revenue, or null when nothing was sold for money. */
export function margin(revenue: number, cost: number): number | null {
  return revenue === 0 ? null : (revenue - cost) / revenue;
}

/** Gross profit in 分. */
export const grossProfit = (row: { revenue: number; cost: number }): number => row.revenue - row.cost;

/**
 * The best sellers: the `n` products with the most units sold (net of returns), or the most gross
 * profit. Ties go to the product with more revenue, then by name, so the list is stable.
 */
export function topProducts(rows: readonly ProductSalesRow[], by: 'quantity' | 'profit', n: number): ProductSalesRow[] {
  const key = by === 'quantity' ? (r: ProductSalesRow) => r.soldMilli : grossProfit;
  return rows
    .filter((r) => key(r) > 0)
    .sort((a, b) => key(b) - key(a) || b.revenue - a.revenue || a.product.localeCompare(b.product, 'zh'))
    .slice(0, n);
}

/** One product's stock over all locations. */
export interface ProductStock {
  productId: number;
  product: string;
  unit: string;
  qtyMilli: number;
  value: number;
  reorderLevel: number | null;
  overstockLevel: number | null;
  mode: ProductMode;
}

/** Adds up stock rows (one per product and location) per product, keeping the first row's order. */
export function stockByProduct(rows: readonly StockRow[]): ProductStock[] {
  const out = new Map<number, ProductStock>();
  for (const r of rows) {
    const seen = out.get(r.productId);
    if (seen) {
      seen.qtyMilli += r.qtyMilli;
      seen.value += r.value;
    } else {
      out.set(r.productId, {
        productId: r.productId,
        product: r.product,
        unit: r.unit,
        qtyMilli: r.qtyMilli,
        value: r.value,
        reorderLevel: r.reorderLevel,
        overstockLevel: r.overstockLevel,
        mode: r.mode,
      });
    }
  }
  return [...out.values()];
}

/** A product with stock that has not sold lately. */
export interface SlowMover extends ProductStock {
  /** Its last sale, or null when it never sold. */
  lastSaleAt: Date | null;
  /** Whole days since the last sale, or null when it never sold. */
  idleDays: number | null;
}

const DAY_MS = 86_400_000;

/**
 * 滞销 with the figures the report shows: `slowIds` are the products the stock rule (stock-health.ts,
 * reason `noSale`) finds not selling; this adds their value and last sale. Most tied-up value first,
 * then the longest idle.
 */
export function slowMovers(stock: readonly StockRow[], lastSales: readonly LastSale[], now: Date, slowIds: ReadonlySet<number>): SlowMover[] {
  const last = new Map(lastSales.map((s) => [s.productId, s.at]));
  return stockByProduct(stock)
    .filter((p) => slowIds.has(p.productId))
    .map((p) => {
      const at = last.get(p.productId) ?? null;
      return { ...p, lastSaleAt: at, idleDays: at === null ? null : Math.floor((now.getTime() - at.getTime()) / DAY_MS) };
    })
    .sort((a, b) => b.value - a.value || (b.idleDays ?? Infinity) - (a.idleDays ?? Infinity) || a.product.localeCompare(b.product, 'zh'));
}
