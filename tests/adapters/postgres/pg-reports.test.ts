import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SqliteExportReader } from '../../../src/adapters/prisma/sqlite-export-reader.ts';
import { SqliteReports } from '../../../src/adapters/prisma/sqlite-reports.ts';
import { PgExportReader } from '../../../src/adapters/postgres/pg-export-reader.ts';
import { PgReports } from '../../../src/adapters/postgres/pg-reports.ts';
import { jxcPgTypes } from '../../../src/adapters/postgres/pg-types.ts';
import type { EntryExportRow } from '../../../src/core/export-rows.ts';
import { describePg } from '../../helpers/pg.ts';
import { openTwinDb, OTHER_SHOP, seedLedger, SHOP, type TwinDb } from './twin-db.ts';

let t: TwinDb;
let sqlite: SqliteReports;
let pgReports: PgReports;

const NOV1 = new Date('2026-11-01T00:00:00Z');
const NOV10 = new Date('2026-11-10T00:00:00Z');
const DEC1 = new Date('2026-12-01T00:00:00Z');
/** Whole periods, the period's edges, a period with nothing in it. */
const PERIODS: [Date, Date][] = [
  [NOV1, NOV10],
  [NOV1, DEC1],
  [new Date('2026-11-03T04:00:00Z'), new Date('2026-11-09T23:59:59.999Z')],
  [new Date('2026-11-06T00:00:00Z'), new Date('2026-11-08T01:00:00.001Z')],
  [new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')],
];

describePg('PostgreSQL reports and export reads, against SQLite on the same rows', () => {
  beforeAll(async () => {
    t = await openTwinDb(import.meta.url);
    await seedLedger(t);
    sqlite = new SqliteReports(t.sqlite);
    pgReports = new PgReports(t.pool);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sells by product as SQLite does: undone sales net out, returns subtract, ties sorted by code point', async () => {
    const rows = await pgReports.salesByProduct(SHOP, NOV1, NOV10);
    // Worked out by hand, so the comparison below is not between two equally wrong answers.
    expect(rows.map((r) => [r.product, r.soldMilli, r.returnedMilli, r.revenue, r.cost, r.sales])).toEqual([
      ['T恤', 3000, 1000, 17800, 6000, 2],
      ['Tea_100%', 2000, 0, 5000, 2400, 1],
      ['a袜子', 2000, 0, 1990, 666, 2],
      ['代发杯子', 2000, 1000, 3000, 1600, 1],
      ['Äpfel', 1500, 0, 7000, 1200, 2],
      ['c杯', 1000, 0, 2000, 900, 1],
      ['代发碗', 1000, 0, 3000, 1000, 1],
      ['Z短裤', 0, 0, 0, 0, 0],
    ]);
    for (const [from, to] of PERIODS) {
      for (const shop of [SHOP, OTHER_SHOP]) expect(await pgReports.salesByProduct(shop, from, to)).toEqual(await sqlite.salesByProduct(shop, from, to));
    }
  });

  it('sells by channel as SQLite does, the sales without a channel first among equal revenues', async () => {
    const rows = await pgReports.salesByChannel(SHOP, NOV1, NOV10);
    expect(rows.map((r) => [r.channel, r.revenue, r.sales, r.products])).toEqual([
      ['淘宝', 19800, 3, 3],
      ['Tmall', 6000, 1, 1],
      ['taobao', 6000, 1, 1],
      ['抖音', 5990, 3, 3],
      [null, 1000, 1, 3],
      ['Shop_A', 1000, 1, 1],
    ]);
    for (const [from, to] of PERIODS) {
      for (const shop of [SHOP, OTHER_SHOP]) expect(await pgReports.salesByChannel(shop, from, to)).toEqual(await sqlite.salesByChannel(shop, from, to));
    }
  });

  it('totals a period as SQLite does, zeros for an empty one', async () => {
    expect(await pgReports.salesTotals(SHOP, NOV1, NOV10)).toEqual({ soldMilli: 12500, returnedMilli: 2000, revenue: 39790, refunds: 7400, cost: 13766, sales: 10 });
    expect(await pgReports.salesTotals(SHOP, DEC1, new Date('2027-01-01T00:00:00Z'))).toEqual({ soldMilli: 0, returnedMilli: 0, revenue: 0, refunds: 0, cost: 0, sales: 0 });
    for (const [from, to] of PERIODS) {
      for (const shop of [SHOP, OTHER_SHOP]) expect(await pgReports.salesTotals(shop, from, to)).toEqual(await sqlite.salesTotals(shop, from, to));
    }
  });

  it('finds each product’s last sale that was not undone, before the given instant, as SQLite does', async () => {
    const rows = await pgReports.lastSales(SHOP, NOV10);
    expect(rows.map((r) => [r.productId, r.at.toISOString()])).toEqual([
      [1, '2026-11-09T23:59:59.999Z'],
      [3, '2026-11-09T10:00:00.000Z'],
      [4, '2026-11-05T01:00:00.000Z'],
      [5, '2026-11-06T01:00:00.000Z'],
      [6, '2026-11-09T11:00:00.000Z'],
      [7, '2026-11-07T03:00:00.000Z'],
      [8, '2026-11-06T02:00:00.000Z'],
    ]);
    for (const before of [NOV1, new Date('2026-11-06T01:00:00.001Z'), NOV10, DEC1]) {
      for (const shop of [SHOP, OTHER_SHOP]) expect(await pgReports.lastSales(shop, before)).toEqual(await sqlite.lastSales(shop, before));
    }
  });

  it('owes dropship suppliers what SQLite says, by supplier and product in code point order, one supplier or all', async () => {
    const rows = await pgReports.payables(SHOP, NOV1, NOV10);
    expect(rows.map((r) => [r.supplier, r.product, r.qtyMilli, r.owed])).toEqual([
      ['Cup厂', 'c杯', 1000, 900],
      ['bowl厂', '代发碗', 1000, 1000],
      ['杯厂', '代发杯子', 2000, 1600],
    ]);
    for (const [from, to] of PERIODS) {
      for (const shop of [SHOP, OTHER_SHOP]) {
        for (const supplier of [undefined, '杯厂', 'bowl厂', '无此厂']) {
          expect(await pgReports.payables(shop, from, to, supplier)).toEqual(await sqlite.payables(shop, from, to, supplier));
        }
      }
    }
  });

  it('reads the shops and the stock rows of an export as SQLite does, names in code point order', async () => {
    const pgReader = new PgExportReader(t.pool);
    const sqliteReader = new SqliteExportReader(t.sqlite);
    expect(await pgReader.shops()).toEqual(await sqliteReader.shops());
    const stock = await pgReader.stockRows(SHOP);
    expect(stock.map((r) => `${r.product}@${r.location}`)).toEqual(['Tea_100%@默认仓', 'T恤@天猫仓', 'T恤@默认仓', 'Z短裤@默认仓', 'a袜子@默认仓', 'Äpfel@默认仓']);
    for (const shop of [SHOP, OTHER_SHOP]) expect(await pgReader.stockRows(shop)).toEqual(await sqliteReader.stockRows(shop));
  });

  it('reads the same entry rows as SQLite, batches as the same JSON text, in pages of any size', async () => {
    const sqliteReader = new SqliteExportReader(t.sqlite);
    const all = await new PgExportReader(t.pool).entryRows(SHOP);
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(all.find((r) => r.seq === 4)?.batches).toBe('[{"code":null,"expiresAt":null,"qtyMilli":4000},{"code":"A1\\"x","expiresAt":1809129600000,"qtyMilli":6000}]');
    expect(all.find((r) => r.seq === 8)).toMatchObject({ reverses: 6, actor: '老板', batches: '[]', location: '默认仓' });
    for (const pageSize of [1, 2, 7, 25, 1000]) {
      const reader = new PgExportReader(t.pool, pageSize);
      for (const shop of [SHOP, OTHER_SHOP]) {
        for (const [from, to] of [[undefined, undefined], [NOV1, undefined], ...PERIODS] as [Date | undefined, Date | undefined][]) {
          expect(await reader.entryRows(shop, from, to)).toEqual(await sqliteReader.entryRows(shop, from, to));
        }
      }
    }
  });

  it('reads the entries a page at a time, never more rows in one query than a page', async () => {
    const query = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const rows = await new PgExportReader(t.pool, 4).entryRows(SHOP);
      expect(rows).toHaveLength(25);
      const pages = await Promise.all(
        query.mock.calls.flatMap((call, i) => (typeof call[0] === 'string' && call[0].includes('FROM "Entry" e JOIN "Product" p') ? [query.mock.results[i]!.value as Promise<pg.QueryResult>] : [])),
      );
      // 25 entries in pages of 4: six full pages and one of a single entry.
      expect(pages.map((p) => p.rowCount)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    } finally {
      query.mockRestore();
    }
  });

  it('reads one snapshot through every page: an entry written during the export does not appear in it', async () => {
    const reader = new PgExportReader(t.pool, 2);
    const seen: EntryExportRow[] = [];
    for await (const row of reader.eachEntryRow(SHOP)) {
      seen.push(row);
      if (seen.length === 1) {
        await t.pool.query(
          `INSERT INTO "Entry" ("shopId", "seq", "kind", "productId", "locationId", "qtyMilli", "occurredAt", "recordedAt", "actorId")
           VALUES ($1, 99, 'sale', 1, 1, -1000, $2, $2, 'console:boss')`,
          [SHOP, new Date('2026-11-20T00:00:00Z')],
        );
      }
    }
    expect(seen.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect((await reader.entryRows(SHOP)).map((r) => r.seq).at(-1)).toBe(99);
    await t.pool.query(`DELETE FROM "Entry" WHERE "shopId" = $1 AND "seq" = 99`, [SHOP]);
  });

  it('gives its connection back when the reader stops early', async () => {
    const reader = new PgExportReader(t.pool, 2);
    for (let i = 0; i < 20; i++) {
      for await (const row of reader.eachEntryRow(SHOP)) if (row.seq === 3) break;
    }
    // Twenty early stops on a pool of twelve: a connection kept by each would have exhausted it.
    expect(t.pool.waitingCount).toBe(0);
    expect(t.pool.idleCount).toBe(t.pool.totalCount);
    // And none went back to the pool still inside the export's transaction (seen from outside the pool).
    const outside = new pg.Client({ connectionString: t.pgDb.url, types: jxcPgTypes });
    await outside.connect();
    try {
      const { rows } = await outside.query<{ n: number }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
      expect(rows[0]!.n).toBe(0);
    } finally {
      await outside.end();
    }
  });
});
