import type pg from 'pg';
import type { PayableLine } from '../../core/payables.ts';
import type { ChannelSalesRow, LastSale, ProductSalesRow, ReportQueries, SalesTotals } from '../../core/report-queries.ts';

/**
 * Sales and returns in a period, with each reversal counted under the kind of the entry it reverses
 * (reversals are dated like their original), so undone sales net out. The same queries as
 * src/adapters/prisma/sqlite-reports.ts; tests/adapters/postgres/pg-reports.test.ts compares them.
 */
const FROM = 'FROM "Entry" e LEFT JOIN "Entry" o ON o."id" = e."reversesId"';
const WHERE = `WHERE e."shopId" = $1 AND e."occurredAt" >= $2 AND e."occurredAt" < $3 AND COALESCE(o."kind", e."kind") IN ('sale', 'customer_return')`;

// sum() over bigint is numeric and count() bigint: jxcPgTypes reads both as exact numbers.
const FIGURES = `-SUM(e."qtyMilli") AS "soldMilli",
  COALESCE(SUM(CASE WHEN COALESCE(o."kind", e."kind") = 'customer_return' THEN e."qtyMilli" END), 0) AS "returnedMilli",
  SUM(e."amount") AS "revenue",
  SUM(e."cost") AS "cost",
  SUM(CASE WHEN e."kind" = 'sale' THEN 1 WHEN o."kind" = 'sale' THEN -1 ELSE 0 END) AS "sales"`;

/*
 * Ties are broken by name as SQLite breaks them: by code point (SQLite's BINARY collation on UTF-8),
 * hence COLLATE "C" whatever the database's locale; and SQLite puts NULL first in ascending order,
 * PostgreSQL last unless told.
 */
const SQL = {
  byProduct: `SELECT e."productId", p."name" AS "product", p."sku", p."unit", ${FIGURES}
    ${FROM} JOIN "Product" p ON p."id" = e."productId" ${WHERE}
    GROUP BY e."productId", p."id" ORDER BY "soldMilli" DESC, p."name" COLLATE "C"`,
  byChannel: `SELECT e."channel", ${FIGURES}, COUNT(DISTINCT e."productId") AS "products"
    ${FROM} ${WHERE} GROUP BY e."channel" ORDER BY "revenue" DESC, e."channel" COLLATE "C" NULLS FIRST`,
  totals: `SELECT COALESCE(-SUM(e."qtyMilli"), 0) AS "soldMilli",
      COALESCE(SUM(CASE WHEN COALESCE(o."kind", e."kind") = 'customer_return' THEN e."qtyMilli" END), 0) AS "returnedMilli",
      COALESCE(SUM(e."amount"), 0) AS "revenue",
      COALESCE(-SUM(CASE WHEN COALESCE(o."kind", e."kind") = 'customer_return' THEN e."amount" END), 0) AS "refunds",
      COALESCE(SUM(e."cost"), 0) AS "cost",
      COALESCE(SUM(CASE WHEN e."kind" = 'sale' THEN 1 WHEN o."kind" = 'sale' THEN -1 ELSE 0 END), 0) AS "sales"
    ${FROM} ${WHERE}`,
  // SQLite returns its groups in productId order (it groups on the sorted key); here that order is asked for.
  lastSales: `SELECT e."productId", MAX(e."occurredAt") AS "at" FROM "Entry" e
    WHERE e."shopId" = $1 AND e."kind" = 'sale' AND e."occurredAt" < $2
      AND NOT EXISTS (SELECT 1 FROM "Entry" r WHERE r."reversesId" = e."id")
    GROUP BY e."productId" ORDER BY e."productId"`,
  // Reversals carry their original's supplier and are dated like it, so undone entries net out.
  payables: `SELECT e."supplier", e."productId", p."name" AS "product", p."unit", -SUM(e."qtyMilli") AS "qtyMilli", SUM(e."cost") AS "owed"
    FROM "Entry" e JOIN "Product" p ON p."id" = e."productId"
    WHERE e."shopId" = $1 AND e."occurredAt" >= $2 AND e."occurredAt" < $3 AND e."supplier" IS NOT NULL
      AND ($4::text IS NULL OR e."supplier" = $4)
    GROUP BY e."supplier", e."productId", p."id" ORDER BY e."supplier" COLLATE "C", p."name" COLLATE "C"`,
};

/** The report port on PostgreSQL: one grouped query per report, using the (shopId, occurredAt) index. */
export class PgReports implements ReportQueries {
  constructor(private readonly pool: pg.Pool) {}

  async payables(shopId: number, from: Date, to: Date, supplier?: string): Promise<PayableLine[]> {
    return (await this.pool.query<PayableLine>(SQL.payables, [shopId, from, to, supplier ?? null])).rows;
  }

  async salesByProduct(shopId: number, from: Date, to: Date): Promise<ProductSalesRow[]> {
    return (await this.pool.query<ProductSalesRow>(SQL.byProduct, [shopId, from, to])).rows;
  }

  async salesByChannel(shopId: number, from: Date, to: Date): Promise<ChannelSalesRow[]> {
    return (await this.pool.query<ChannelSalesRow>(SQL.byChannel, [shopId, from, to])).rows;
  }

  async salesTotals(shopId: number, from: Date, to: Date): Promise<SalesTotals> {
    const row = (await this.pool.query<SalesTotals>(SQL.totals, [shopId, from, to])).rows[0];
    // An aggregate without GROUP BY always returns one row.
    if (!row) throw new Error('salesTotals: the aggregate returned no row');
    return row;
  }

  async lastSales(shopId: number, before: Date): Promise<LastSale[]> {
    return (await this.pool.query<LastSale>(SQL.lastSales, [shopId, before])).rows;
  }
}
