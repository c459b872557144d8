import type Database from 'better-sqlite3';
import { gateOf, type SqliteGate } from './sqlite-gate.ts';
import type { PayableLine } from '../../core/payables.ts';
import { lazyStatements } from './statements.ts';
import type { ChannelSalesRow, LastSale, ProductSalesRow, ReportQueries, SalesTotals } from '../../core/report-queries.ts';

/**
 * Sales and returns in a period, with each reversal counted under the kind of the entry it reverses
 * (reversals are dated like their original), so undone sales net out.
 */
const FROM = 'FROM Entry e LEFT JOIN Entry o ON o.id = e.reversesId';
const WHERE = `WHERE e.shopId = @shopId AND e.occurredAt >= @from AND e.occurredAt < @to AND COALESCE(o.kind, e.kind) IN ('sale', 'customer_return')`;

const FIGURES = `-SUM(e.qtyMilli) AS soldMilli,
  COALESCE(SUM(CASE WHEN COALESCE(o.kind, e.kind) = 'customer_return' THEN e.qtyMilli END), 0) AS returnedMilli,
  SUM(e.amount) AS revenue,
  SUM(e.cost) AS cost,
  SUM(CASE WHEN e.kind = 'sale' THEN 1 WHEN o.kind = 'sale' THEN -1 ELSE 0 END) AS sales`;

/** The report port on SQLite: one grouped query per report, using the (shopId, occurredAt) index. */
export class SqliteReports implements ReportQueries {
  /** Every statement goes through the connection's gate (see sqlite-gate.ts). */
  private readonly gate: SqliteGate;
  private readonly s;

  constructor(db: Database.Database) {
    this.gate = gateOf(db);
    const p = (sql: string) => () => db.prepare(sql);
    this.s = lazyStatements({
      byProduct: p(`SELECT e.productId, p.name AS product, p.sku, p.unit, ${FIGURES}
        ${FROM} JOIN Product p ON p.id = e.productId ${WHERE}
        GROUP BY e.productId ORDER BY soldMilli DESC, p.name`),
      byChannel: p(`SELECT e.channel, ${FIGURES}, COUNT(DISTINCT e.productId) AS products
        ${FROM} ${WHERE} GROUP BY e.channel ORDER BY revenue DESC, e.channel`),
      totals: p(`SELECT COALESCE(-SUM(e.qtyMilli), 0) AS soldMilli,
          COALESCE(SUM(CASE WHEN COALESCE(o.kind, e.kind) = 'customer_return' THEN e.qtyMilli END), 0) AS returnedMilli,
          COALESCE(SUM(e.amount), 0) AS revenue,
          COALESCE(-SUM(CASE WHEN COALESCE(o.kind, e.kind) = 'customer_return' THEN e.amount END), 0) AS refunds,
          COALESCE(SUM(e.cost), 0) AS cost,
          COALESCE(SUM(CASE WHEN e.kind = 'sale' THEN 1 WHEN o.kind = 'sale' THEN -1 ELSE 0 END), 0) AS sales
        ${FROM} ${WHERE}`),
      lastSales: p(`SELECT e.productId, MAX(e.occurredAt) AS at FROM Entry e
        WHERE e.shopId = ? AND e.kind = 'sale' AND e.occurredAt < ?
          AND NOT EXISTS (SELECT 1 FROM Entry r WHERE r.reversesId = e.id)
        GROUP BY e.productId`),
      // Reversals carry their original's supplier and are dated like it, so undone entries net out.
      payables: p(`SELECT e.supplier, e.productId, p.name AS product, p.unit, -SUM(e.qtyMilli) AS qtyMilli, SUM(e.cost) AS owed
        FROM Entry e JOIN Product p ON p.id = e.productId
        WHERE e.shopId = @shopId AND e.occurredAt >= @from AND e.occurredAt < @to AND e.supplier IS NOT NULL
          AND (@supplier IS NULL OR e.supplier = @supplier)
        GROUP BY e.supplier, e.productId ORDER BY e.supplier, p.name`),
    });
  }

  payables(shopId: number, from: Date, to: Date, supplier?: string): Promise<PayableLine[]> {
    return this.gate.run(() => {
      return this.s.payables.all({ ...range(shopId, from, to), supplier: supplier ?? null }) as PayableLine[];
    });
  }

  salesByProduct(shopId: number, from: Date, to: Date): Promise<ProductSalesRow[]> {
    return this.gate.run(() => {
      return this.s.byProduct.all(range(shopId, from, to)) as ProductSalesRow[];
    });
  }

  salesByChannel(shopId: number, from: Date, to: Date): Promise<ChannelSalesRow[]> {
    return this.gate.run(() => {
      return this.s.byChannel.all(range(shopId, from, to)) as ChannelSalesRow[];
    });
  }

  salesTotals(shopId: number, from: Date, to: Date): Promise<SalesTotals> {
    return this.gate.run(() => {
      return this.s.totals.get(range(shopId, from, to)) as SalesTotals;
    });
  }

  lastSales(shopId: number, before: Date): Promise<LastSale[]> {
    return this.gate.run(() => {
      return (this.s.lastSales.all(shopId, before.getTime()) as { productId: number; at: number }[]).map((r) => ({ productId: r.productId, at: new Date(r.at) }));
    });
  }
}

function range(shopId: number, from: Date, to: Date) {
  return { shopId, from: from.getTime(), to: to.getTime() };
}
