import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgDigestStore } from '../../../src/adapters/postgres/pg-digest.ts';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/prisma/database.ts';
import { SqliteDigestStore } from '../../../src/adapters/prisma/sqlite-digest.ts';
import type { DigestRunStore, NewDelivery } from '../../../src/core/digest-runs.ts';
import type { ProductSalesRow, SalesRanges } from '../../../src/core/digest-queries.ts';
import { describePg } from '../../helpers/pg.ts';
import { insertSql, openPgFixture, raceUnderLock, type PgFixture } from './pg-fixture.ts';
import { mulberry32 } from '../../helpers/seeded-random.ts';

/**
 * PgDigestStore on a database built from the real PostgreSQL migrations. The same rows go into a
 * SQLite file built from the SQLite migrations, and every query must answer as SqliteDigestStore does,
 * row for row and in the same order; the figures are also worked out again from the rows in plain
 * JavaScript. The exactly-once bookkeeping is checked for two processes racing under a held lock.
 */

const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR_MS = 60 * MINUTE;
/** Local midnight of 2026-MM-DD in Shanghai (UTC+8). */
const midnight = (month: number, day: number) => new Date(Date.UTC(2026, month - 1, day) - 8 * 3_600_000);

let f: PgFixture;
let digest: PgDigestStore;
let pgOther: PgDigestStore;
let dir: string;
let lite: SqliteDatabase;
let sqlite: SqliteDigestStore;

/** The same row into both databases: SQLite keeps instants as epoch milliseconds and switches as 0/1. */
async function insert(table: string, row: Record<string, unknown>): Promise<void> {
  await f.insert(table, row);
  const values = Object.values(row).map((v) => (v instanceof Date ? v.getTime() : typeof v === 'boolean' ? Number(v) : v));
  lite.prepare(insertSql(table, row, () => '?')).run(...values);
}

interface EntryRow {
  id: number;
  shopId: number;
  seq: number;
  kind: string;
  productId: number;
  locationId: number | null;
  qtyMilli: number;
  amount: number;
  cost: number;
  channel: string | null;
  occurredAt: Date;
  reversesId: number | null;
}

/** Channels whose byte order (SQLite's) differs from a language collation's, and none. */
const CHANNELS = [null, '淘宝', '抖音', 'B站', 'apple', 'Zed', 'éclair'];
const BIG = 90_000_000_000; // 9 × 10^10 分, near the largest single amount the core takes

/** Two shops' catalogue, stock and six weeks of ledger, with reversals, transfers and sums past int4. */
async function seed(): Promise<EntryRow[]> {
  const now = midnight(10, 1);
  await insert('Shop', { id: 1, name: '一店', createdAt: now });
  await insert('Shop', { id: 2, name: '二店', createdAt: now });
  for (const [id, shopId, name] of [
    [1, 1, '默认'],
    [2, 1, '二仓'],
    [3, 2, '默认'],
  ] as const) {
    await insert('Location', { id, shopId, name, isDefault: name === '默认' });
  }
  const products: [number, number, string, Record<string, unknown>][] = [
    [1, 1, 'T恤', { reorderLevel: 10 }],
    [2, 1, '短裤', { leadTimeDays: 3, unit: '条' }],
    [3, 1, '帽子', { overstockLevel: 20 }],
    [4, 1, '预售款', { mode: 'presale' }],
    [5, 1, '无货', { mode: 'dropship' }],
    [6, 1, '金条', {}],
    [7, 2, '别家', {}],
  ];
  for (const [id, shopId, name, extra] of products) await insert('Product', { id, shopId, name, createdAt: new Date(now.getTime() + id * DAY), ...extra });
  const balances: [number, number, number, number][] = [
    [1, 1, 50_000, 100_000],
    [1, 2, 5_000, 10_000],
    [2, 1, 30_000, 45_000],
    [3, 1, 40_000, 32_000],
    [4, 1, -3_000, 0],
    [6, 1, 1_000_000_000_000, BIG * 1000],
    [6, 2, 1_000_000_000_000, BIG * 1000],
    [7, 3, 1_000, 1_000],
  ];
  for (const [productId, locationId, qtyMilli, value] of balances) await insert('Balance', { productId, locationId, qtyMilli, value });

  const next = mulberry32(11);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const entries: EntryRow[] = [];
  const seqs = new Map<number, number>();
  const add = (e: Omit<EntryRow, 'id' | 'seq'>) => {
    const seq = (seqs.get(e.shopId) ?? 0) + 1;
    seqs.set(e.shopId, seq);
    const row = { ...e, id: entries.length + 1, seq };
    entries.push(row);
    return row;
  };
  const start = midnight(10, 15).getTime();
  for (let i = 0; i < 420; i++) {
    const shopId = i % 9 === 0 ? 2 : 1;
    const productId = shopId === 2 ? 7 : int(1, 6);
    const locationId = shopId === 2 ? 3 : productId === 5 ? null : int(1, 2);
    // Every tenth entry falls exactly on a local midnight: it belongs to the day it starts.
    const occurredAt = new Date(i % 10 === 0 ? midnight(10, 15).getTime() + int(0, 46) * DAY : start + int(0, 46 * 24 * 60) * MINUTE);
    const qty = int(1, 9) * (productId === 6 ? 1_000_000_000 : 1000);
    const price = productId === 6 ? BIG : int(500, 6000);
    const money = productId === 6 ? price : (qty / 1000) * price;
    const channel = CHANNELS[int(0, CHANNELS.length - 1)] ?? null;
    const pick = int(0, 99);
    const base = { shopId, productId, locationId, occurredAt, reversesId: null };
    if (pick < 20) add({ ...base, kind: 'purchase', qtyMilli: qty, amount: money, cost: 0, channel: null });
    else if (pick < 60) add({ ...base, kind: 'sale', qtyMilli: -qty, amount: money, cost: Math.round(money * 0.6), channel });
    else if (pick < 70) add({ ...base, kind: 'customer_return', qtyMilli: qty, amount: -money, cost: -Math.round(money * 0.6), channel });
    else if (pick < 77) add({ ...base, kind: 'supplier_return', qtyMilli: -qty, amount: -money, cost: 0, channel: null });
    else if (pick < 85) add({ ...base, kind: 'adjustment', qtyMilli: int(0, 1) ? qty : -qty, amount: 0, cost: 0, channel: null });
    else if (pick < 90) {
      add({ ...base, kind: 'transfer_out', qtyMilli: -qty, amount: 0, cost: 0, channel: null });
      add({ ...base, kind: 'transfer_in', qtyMilli: qty, amount: 0, cost: 0, channel: null });
    } else {
      const candidates = entries.filter((e) => e.kind !== 'reversal' && !entries.some((r) => r.reversesId === e.id));
      const target = candidates[int(0, candidates.length - 1)];
      if (target) {
        // A reversal carries the occurredAt of the entry it undoes, and its figures negated.
        add({ ...target, kind: 'reversal', qtyMilli: -target.qtyMilli, amount: -target.amount, cost: -target.cost, reversesId: target.id });
      }
    }
  }
  // A sale at every local midnight, so that every range and bucket has an entry on its bounds.
  for (let d = 0; d <= 46; d++) {
    const qtyMilli = -(1 + (d % 3)) * 1000;
    add({ shopId: 1, productId: 1 + (d % 4), locationId: 1, occurredAt: new Date(midnight(10, 15).getTime() + d * DAY), qtyMilli, amount: 4000 + d, cost: 2000, channel: CHANNELS[d % CHANNELS.length] ?? null, reversesId: null, kind: 'sale' });
  }
  for (const e of entries) {
    await insert('Entry', { ...e, recordedAt: e.occurredAt, actorId: 'telegram:boss', valueDelta: 0 });
  }

  const batch = (id: number, productId: number, locationId: number, code: string | null, expiresAt: Date | null, qtyMilli: number) =>
    insert('Batch', { id, productId, locationId, code, expiresAt, qtyMilli });
  const soon = midnight(12, 5);
  await batch(1, 2, 1, 'A', soon, 4000);
  await batch(2, 1, 1, 'b', soon, 1000);
  await batch(3, 1, 1, 'B', soon, 2000);
  await batch(4, 1, 2, 'B', soon, 3000);
  await batch(5, 1, 1, null, soon, 500);
  await batch(6, 1, 2, null, soon, 700);
  await batch(7, 3, 1, 'C', midnight(12, 1), 6000);
  await batch(8, 3, 2, 'D', midnight(12, 1), 0);
  await batch(9, 3, 2, 'E', null, 9000);
  await batch(10, 2, 2, 'F', midnight(12, 31), 1000);
  await batch(11, 7, 3, 'X', midnight(12, 1), 1000);
  return entries;
}

/** The figures from the rows alone. */
function reference(entries: EntryRow[], shopId: number) {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const kindOf = (e: EntryRow) => (e.kind === 'reversal' ? (byId.get(e.reversesId as number) as EntryRow).kind : e.kind);
  const saleCount = (e: EntryRow) => (e.kind === 'sale' ? 1 : e.kind === 'reversal' && kindOf(e) === 'sale' ? -1 : 0);
  const mine = entries.filter((e) => e.shopId === shopId);
  const within = (e: EntryRow, from: Date, to: Date) => e.occurredAt >= from && e.occurredAt < to;
  const trading = (e: EntryRow) => ['sale', 'customer_return'].includes(kindOf(e));
  const byteOrder = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const channels = (rows: EntryRow[]) => {
    const out = new Map<string | null, { channel: string | null; salesCount: number; revenue: number; cost: number }>();
    for (const e of rows.filter(trading)) {
      const c = out.get(e.channel) ?? { channel: e.channel, salesCount: 0, revenue: 0, cost: 0 };
      out.set(e.channel, { channel: e.channel, salesCount: c.salesCount + saleCount(e), revenue: c.revenue + e.amount, cost: c.cost + e.cost });
    }
    return [...out.values()].sort((a, b) => byteOrder(a.channel, b.channel));
  };
  return {
    movements(from: Date, to: Date) {
      const out = new Map<number, Record<string, number>>();
      for (const e of mine.filter((x) => within(x, from, to))) {
        const k = kindOf(e);
        if (!['purchase', 'sale', 'customer_return', 'supplier_return', 'adjustment'].includes(k)) continue;
        const m = out.get(e.productId) ?? { productId: e.productId, purchasedMilli: 0, soldMilli: 0, customerReturnMilli: 0, supplierReturnMilli: 0, adjustedMilli: 0 };
        if (k === 'purchase') m.purchasedMilli = (m.purchasedMilli ?? 0) + e.qtyMilli;
        if (k === 'sale') m.soldMilli = (m.soldMilli ?? 0) - e.qtyMilli;
        if (k === 'customer_return') m.customerReturnMilli = (m.customerReturnMilli ?? 0) + e.qtyMilli;
        if (k === 'supplier_return') m.supplierReturnMilli = (m.supplierReturnMilli ?? 0) - e.qtyMilli;
        if (k === 'adjustment') m.adjustedMilli = (m.adjustedMilli ?? 0) + e.qtyMilli;
        out.set(e.productId, m);
      }
      return [...out.values()].sort((a, b) => (a.productId ?? 0) - (b.productId ?? 0));
    },
    channelSales: (from: Date, to: Date) => channels(mine.filter((e) => within(e, from, to))),
    byBucket: (bounds: Date[]) =>
      bounds.slice(1).flatMap((to, bucket) => channels(mine.filter((e) => within(e, bounds[bucket] as Date, to))).map((c) => ({ bucket, ...c }))),
    productSales(r: SalesRanges, ids?: number[]) {
      const from = Math.min(r.windowFrom.getTime(), r.noSaleFrom.getTime(), r.monthFrom.getTime());
      const to = Math.max(r.rateTo.getTime(), r.monthTo.getTime());
      const rows = mine.filter((e) => within(e, new Date(from), new Date(to)) && trading(e) && (!ids || ids.includes(e.productId)));
      const products = [...new Set(rows.map((e) => e.productId))].sort((a, b) => a - b);
      const sum = (list: EntryRow[], g: (e: EntryRow) => number) => list.reduce((s, e) => s + g(e), 0);
      return products.map((productId) => {
        const mineP = rows.filter((e) => e.productId === productId);
        const month = mineP.filter((e) => within(e, r.monthFrom, r.monthTo));
        return {
          productId,
          windowSoldMilli: -sum(
            mineP.filter((e) => within(e, r.windowFrom, r.rateTo)),
            (e) => e.qtyMilli,
          ),
          recentSales: sum(
            mineP.filter((e) => within(e, r.noSaleFrom, r.rateTo)),
            saleCount,
          ),
          monthRevenue: sum(month, (e) => e.amount),
          monthCost: sum(month, (e) => e.cost),
          monthSalesCount: sum(month, saleCount),
        };
      });
    },
  };
}

/** DigestRunStore whether its methods answer at once (SQLite's) or in a promise. */
type EitherRunStore = {
  [K in keyof DigestRunStore]: (...args: Parameters<DigestRunStore[K]>) => ReturnType<DigestRunStore[K]> | Awaited<ReturnType<DigestRunStore[K]>>;
} & { unblockChat(platform: string, chatId: string): boolean | Promise<boolean> };

/** Both databases as the migrations leave them. */
async function emptyDatabases(): Promise<void> {
  await f.reset();
  if (lite?.open) lite.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `jxc.db${suffix}`), { force: true });
  lite = openDatabase(join(dir, 'jxc.db'));
  sqlite = new SqliteDigestStore(lite);
}

const lifecycleChats = [
  { platform: 'telegram', chatId: 'boss', audience: 'owner' },
  { platform: 'telegram', chatId: 'group', audience: 'staff' },
  { platform: 'wechat', chatId: 'room', audience: 'staff' },
  { platform: 'telegram', chatId: 'back', audience: 'staff' },
] as const;

describePg('PgDigestStore', () => {
  beforeAll(async () => {
    f = await openPgFixture(import.meta.url);
    digest = new PgDigestStore(f.a);
    pgOther = new PgDigestStore(f.b);
    dir = mkdtempSync(join(tmpdir(), 'jxc-pg-digest-'));
  });
  afterAll(async () => {
    if (lite?.open) lite.close();
    rmSync(dir, { recursive: true, force: true });
    await f?.close();
  });

  describe('the digest’s figures', () => {
    let entries: EntryRow[];
    // Read-only tests: the ledger is written once for all of them.
    beforeAll(async () => {
      await emptyDatabases();
      // Many servers are initialised with a language locale (en_US.UTF-8), where 'apple' sorts before
      // 'Zed'; the test server's C.UTF-8 sorts as SQLite does. Text columns that are sorted get a
      // language collation, when the server has ICU, so an order left to the database's locale shows.
      const icu = await f.admin.query(`SELECT 1 FROM pg_collation WHERE collname = 'en-US-x-icu'`);
      if (icu.rows.length > 0) {
        await f.admin.query(`ALTER TABLE "Entry" ALTER COLUMN "channel" TYPE text COLLATE "en-US-x-icu"; ALTER TABLE "Batch" ALTER COLUMN "code" TYPE text COLLATE "en-US-x-icu"`);
      }
      entries = await seed();
    });
    afterAll(async () => {
      await f.admin.query(`ALTER TABLE "Entry" ALTER COLUMN "channel" TYPE text COLLATE "default"; ALTER TABLE "Batch" ALTER COLUMN "code" TYPE text COLLATE "default"`);
    });

    it('reads every product with its stock summed over locations, exactly past 2^31, as SQLite does', async () => {
      const all = await digest.products(1);
      expect(all).toEqual(await sqlite.products(1));
      expect(all.map((p) => [p.productId, p.qtyMilli, p.value])).toEqual([
        [1, 55_000, 110_000],
        [2, 30_000, 45_000],
        [3, 40_000, 32_000],
        [4, -3_000, 0],
        [5, 0, 0],
        [6, 2_000_000_000_000, 2 * BIG * 1000],
      ]);
      expect(all[1]).toEqual({
        productId: 2,
        name: '短裤',
        unit: '条',
        mode: 'normal',
        reorderLevel: null,
        overstockLevel: null,
        leadTimeDays: 3,
        createdAt: new Date(midnight(10, 1).getTime() + 2 * DAY),
        qtyMilli: 30_000,
        value: 45_000,
      });
      const some = await digest.products(1, [6, 1, 7, 99]);
      expect(some.map((p) => p.productId)).toEqual([1, 6]);
      expect(some).toEqual(await sqlite.products(1, [6, 1, 7, 99]));
      expect(await digest.products(1, [])).toEqual([]);
      expect((await digest.products(2)).map((p) => p.name)).toEqual(['别家']);
    });

    const windows: [string, Date, Date][] = [
      ['a local day', midnight(11, 20), midnight(11, 21)],
      ['a week', midnight(11, 3), midnight(11, 10)],
      ['the whole ledger', midnight(10, 1), midnight(12, 31)],
      ['an empty range', midnight(9, 1), midnight(9, 2)],
    ];
    for (const [name, from, to] of windows) {
      it(`sums movements and channel sales over ${name} as SQLite does and as the rows add up`, async () => {
        const ref = reference(entries, 1);
        const movements = await digest.movements(1, from, to);
        expect(movements).toEqual(await sqlite.movements(1, from, to));
        expect(movements).toEqual(ref.movements(from, to));
        const channels = await digest.channelSales(1, from, to);
        expect(channels).toEqual(await sqlite.channelSales(1, from, to));
        expect(channels).toEqual(ref.channelSales(from, to));
        if (name !== 'an empty range') expect(channels.length).toBeGreaterThan(0);
      });
    }

    it('reads exact numbers also through a pool made without the ledger’s type parsers', async () => {
      const plain = new pg.Pool({ connectionString: f.db.url });
      try {
        const store = new PgDigestStore(plain);
        expect(await store.products(1, [6])).toEqual(await digest.products(1, [6]));
        expect(await store.channelSales(1, midnight(10, 1), midnight(12, 31))).toEqual(await digest.channelSales(1, midnight(10, 1), midnight(12, 31)));
        // The pool itself still reads a bigint as text.
        expect((await plain.query('SELECT 5::bigint AS n')).rows[0].n).toBe('5');
      } finally {
        await plain.end();
      }
    });

    it('orders channels as SQLite does: none first, then by bytes', async () => {
      const channels = (await digest.channelSales(1, midnight(10, 1), midnight(12, 31))).map((c) => c.channel);
      expect(channels).toEqual([null, 'B站', 'Zed', 'apple', 'éclair', '抖音', '淘宝']);
    });

    it('sums the big product’s month of money exactly, far past int4', async () => {
      const total = entries.filter((e) => e.shopId === 1 && e.productId === 6 && ['sale', 'customer_return', 'reversal'].includes(e.kind));
      expect(total.length).toBeGreaterThan(5);
      const rows = await digest.productSales(1, ranges(midnight(12, 1)), [6]);
      expect(rows).toHaveLength(1);
      const row = rows[0] as ProductSalesRow;
      const month = total.filter((e) => e.occurredAt >= midnight(11, 1) && e.occurredAt < midnight(12, 1));
      const trading = month.filter((e) => e.kind !== 'reversal' || ['sale', 'customer_return'].includes(entries.find((o) => o.id === e.reversesId)?.kind ?? ''));
      expect(row.monthRevenue).toBe(trading.reduce((s, e) => s + e.amount, 0));
      expect(Math.abs(row.monthRevenue)).toBeGreaterThan(2 ** 31);
    });

    /** A digest's ranges as of local midnight `asOf`: a 14-day rate window, 30 days for 滞销, the month so far. */
    function ranges(asOf: Date): SalesRanges {
      return { windowFrom: new Date(asOf.getTime() - 14 * DAY), noSaleFrom: new Date(asOf.getTime() - 30 * DAY), rateTo: asOf, monthFrom: midnight(11, 1), monthTo: asOf };
    }

    it('reads each product’s selling over the rate windows and the month in one pass, as SQLite does', async () => {
      for (const asOf of [midnight(11, 28), midnight(12, 1), midnight(11, 2)]) {
        const r = ranges(asOf);
        const rows = await digest.productSales(1, r);
        expect(rows).toEqual(await sqlite.productSales(1, r));
        expect(rows).toEqual(reference(entries, 1).productSales(r));
        expect(rows.length).toBeGreaterThan(0);
        const some = await digest.productSales(1, r, [3, 1]);
        expect(some).toEqual(await sqlite.productSales(1, r, [3, 1]));
        expect(some).toEqual(reference(entries, 1).productSales(r, [3, 1]));
      }
      expect(await digest.productSales(2, ranges(midnight(12, 1)))).toEqual(reference(entries, 2).productSales(ranges(midnight(12, 1))));
    });

    it('buckets channel sales by day and by month, half-open at each bound, as SQLite does', async () => {
      const days = Array.from({ length: 15 }, (_, i) => midnight(11, 10 + i));
      const months = [midnight(10, 1), midnight(11, 1), midnight(12, 1)];
      for (const bounds of [days, months]) {
        const rows = await digest.channelSalesByBucket(1, bounds);
        expect(rows).toEqual(await sqlite.channelSalesByBucket(1, bounds));
        expect(rows).toEqual(reference(entries, 1).byBucket(bounds));
        expect(new Set(rows.map((r) => r.bucket)).size).toBeGreaterThan(1);
      }
      // Entries sit exactly on inner bounds, so a bound counted in both buckets (or neither) would show.
      const inner = new Set(days.slice(1, -1).map((d) => d.getTime()));
      expect(entries.filter((e) => e.shopId === 1 && e.kind === 'sale' && inner.has(e.occurredAt.getTime())).length).toBeGreaterThan(1);
      expect(await digest.channelSalesByBucket(1, [midnight(11, 1)])).toEqual([]);
      expect(await digest.channelSalesByBucket(1, [])).toEqual([]);
    });

    it('lists batches with stock expiring before the horizon, grouped over locations, soonest first as SQLite orders them', async () => {
      const rows = await digest.expiringBatches(1, midnight(12, 10));
      expect(rows).toEqual(await sqlite.expiringBatches(1, midnight(12, 10)));
      expect(rows.map((r) => [r.productId, r.code, r.expiresAt.toISOString(), r.qtyMilli])).toEqual([
        [3, 'C', midnight(12, 1).toISOString(), 6000],
        [1, null, midnight(12, 5).toISOString(), 1200],
        [1, 'B', midnight(12, 5).toISOString(), 5000],
        [1, 'b', midnight(12, 5).toISOString(), 1000],
        [2, 'A', midnight(12, 5).toISOString(), 4000],
      ]);
      expect(await digest.expiringBatches(1, midnight(12, 5))).toEqual([expect.objectContaining({ productId: 3, code: 'C' })]);
    });

    it('finds the sale entries among entry numbers, for low-stock alerts', async () => {
      const mine = entries.filter((e) => e.shopId === 1);
      const seqs = [...mine.slice(0, 30).map((e) => e.seq), 9999];
      const rows = await digest.saleEntries(1, seqs);
      expect(rows).toEqual(await sqlite.saleEntries(1, seqs));
      expect(rows).toEqual(mine.slice(0, 30).filter((e) => e.kind === 'sale').map((e) => ({ productId: e.productId, qtyMilli: e.qtyMilli })));
      expect(await digest.saleEntries(1, [])).toEqual([]);
    });
  });

  describe('settings', () => {
    beforeEach(emptyDatabases);
    it('reads the defaults, changes days and switches, and refuses a patch with a bad value whole', async () => {
      await insert('Shop', { id: 1, name: '一店', createdAt: midnight(10, 1) });
      const defaults = { salesWindowDays: 14, leadTimeDays: 7, safetyDays: 7, overstockCoverDays: 90, noSaleDays: 30, expiryWarnDays: 30, lowStockAlert: false, digestPicture: false };
      expect(await digest.settings(1)).toEqual(defaults);
      expect(await digest.settings(1)).toEqual(await sqlite.settings(1));
      await digest.updateSettings(1, { salesWindowDays: 28, lowStockAlert: true, digestPicture: true });
      expect(await digest.settings(1)).toEqual({ ...defaults, salesWindowDays: 28, lowStockAlert: true, digestPicture: true });
      // SQLite writes the keys before the bad one; here a refused patch writes nothing.
      await expect(digest.updateSettings(1, { salesWindowDays: 20, noSaleDays: 0 })).rejects.toThrow(RangeError);
      expect((await digest.settings(1)).salesWindowDays).toBe(28);
      await expect(digest.updateSettings(1, { safetyDays: 3651 })).rejects.toThrow(RangeError);
      await expect(digest.updateSettings(1, { safetyDays: 1.5 })).rejects.toThrow(RangeError);
      expect((await digest.settings(1)).noSaleDays).toBe(30);
      await digest.updateSettings(1, { lowStockAlert: false, expiryWarnDays: 3650 });
      expect(await digest.settings(1)).toEqual({ ...defaults, salesWindowDays: 28, digestPicture: true, expiryWarnDays: 3650 });
      await expect(digest.settings(2)).rejects.toThrow('no shop with id 2');
    });
  });

  describe('exactly once', () => {
    beforeEach(emptyDatabases);
    const T = midnight(11, 28).getTime() - 3 * 3_600_000; // 21:00 on the 27th in Shanghai

    async function bindings() {
      await insert('Shop', { id: 1, name: '一店', createdAt: midnight(10, 1) });
      const bound = new Date(T - DAY);
      for (const [i, c] of lifecycleChats.entries()) await insert('ChatBinding', { id: i + 1, shopId: 1, ...c, boundAt: bound, title: null });
      // Blocked before it was bound again (still active), and blocked since (skipped).
      await insert('ChatBinding', { id: 10, shopId: 1, platform: 'telegram', chatId: 'gone', audience: 'staff', boundAt: bound, blockedAt: new Date(T - 60 * MINUTE) });
      const back = new Date(T - 2 * DAY);
      await f.admin.query(`UPDATE "ChatBinding" SET "blockedAt" = $1 WHERE "chatId" = 'back'`, [back]);
      lite.prepare(`UPDATE "ChatBinding" SET "blockedAt" = ? WHERE "chatId" = 'back'`).run(back.getTime());
    }

    const deliveries = (image?: Uint8Array): NewDelivery[] =>
      lifecycleChats.map((c, i) => ({ ...c, text: `日报 ${c.chatId}`, image: i === 0 ? image : undefined }));

    /** One scripted day of the scheduler's calls; everything each returns, for comparing stores. */
    async function lifecycle(store: EitherRunStore) {
      const out: Record<string, unknown> = {};
      const at = (ms: number) => new Date(T + ms);
      out.active = await store.activeChats(1);
      const picture = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
      out.older = await store.claim({ shopId: 1, localDate: '2026-11-26', scheduledAt: at(-DAY), late: false, claimedBy: 'A', now: at(-DAY), deliveries: deliveries().slice(1, 3) });
      out.claim = await store.claim({ shopId: 1, localDate: '2026-11-27', scheduledAt: at(0), late: true, claimedBy: 'A', now: at(0), deliveries: deliveries(picture) });
      out.again = await store.claim({ shopId: 1, localDate: '2026-11-27', scheduledAt: at(0), late: false, claimedBy: 'B', now: at(0), deliveries: [] });
      out.hasRun = [await store.hasRun(1, '2026-11-27'), await store.hasRun(1, '2026-11-28')];
      const due = await store.duePending(at(0), at(-2 * DAY));
      out.due = due;
      out.recentOnly = (await store.duePending(at(0), at(-12 * 3_600_000))).map((d) => d.localDate);
      const [boss, group, room, back] = due.filter((d) => d.localDate === '2026-11-27').map((d) => d.id) as [number, number, number, number];
      out.lease = [await store.lease(boss, 'A', at(MINUTE)), await store.lease(boss, 'B', at(MINUTE))];
      await store.markRetry(boss, 'B', 'not mine', at(5 * MINUTE));
      await store.markRetry(boss, 'A', 'HttpError: 502', at(3 * MINUTE));
      out.notYet = (await store.duePending(at(2 * MINUTE), at(-DAY))).map((d) => d.id);
      out.dueAgain = (await store.duePending(at(3 * MINUTE), at(-DAY))).map((d) => [d.id, d.attempts]);
      await store.lease(boss, 'A', at(3 * MINUTE));
      await store.markSent(boss, 'B', at(4 * MINUTE));
      await store.markSent(boss, 'A', at(4 * MINUTE));
      await store.lease(group, 'A', at(4 * MINUTE));
      await store.markBlocked(group, 'A', 'GrammyError: 403 bot was kicked', at(4 * MINUTE));
      await store.lease(room, 'A', at(5 * MINUTE));
      await store.markFailed(room, 'A', 'HttpError: 400');
      await store.lease(back, 'A', at(5 * MINUTE));
      out.interrupted = [await store.interruptStale(at(5 * MINUTE)), await store.interruptStale(at(6 * MINUTE))];
      // Yesterday's room copy failed once and waits for a retry it will not get in time.
      const olderRoom = due.find((d) => d.localDate === '2026-11-26' && d.chatId === 'room')?.id as number;
      out.olderLease = await store.lease(olderRoom, 'A', at(6 * MINUTE));
      await store.markRetry(olderRoom, 'A', 'HttpError: 502', at(HOUR_MS));
      out.expired = await store.expire(at(-12 * 3_600_000), at(7 * MINUTE));
      out.finished = [await store.finishRuns(at(8 * MINUTE)), await store.finishRuns(at(9 * MINUTE))];
      out.runs = [await store.run(1, '2026-11-26'), await store.run(1, '2026-11-27'), await store.run(1, '2026-11-28')];
      out.activeAfter = await store.activeChats(1);
      await store.blockChat('telegram', 'boss', at(10 * MINUTE));
      out.unblocked = [await store.unblockChat('telegram', 'boss'), await store.unblockChat('telegram', 'boss')];
      out.activeLast = await store.activeChats(1);
      return out;
    }

    it('claims, leases, retries and finishes a day’s copies as SQLite does', async () => {
      await bindings();
      const got = await lifecycle(digest);
      expect(got).toEqual(await lifecycle(sqlite));
      expect(got.active).toEqual([
        { platform: 'telegram', chatId: 'boss', audience: 'owner' },
        { platform: 'telegram', chatId: 'group', audience: 'staff' },
        { platform: 'wechat', chatId: 'room', audience: 'staff' },
        { platform: 'telegram', chatId: 'back', audience: 'staff' },
      ]);
      expect([got.older, got.claim, got.again, got.hasRun]).toEqual([1, 2, undefined, [true, false]]);
      const due = got.due as { chatId: string; image: Uint8Array | null; localDate: string; scheduledAt: Date; audience: string }[];
      expect(due.map((d) => [d.chatId, d.localDate])).toEqual([
        ['group', '2026-11-26'],
        ['room', '2026-11-26'],
        ['boss', '2026-11-27'],
        ['group', '2026-11-27'],
        ['room', '2026-11-27'],
        ['back', '2026-11-27'],
      ]);
      expect(Buffer.from(due[2]?.image as Uint8Array)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
      expect(due[3]?.image).toBeNull();
      expect(got.recentOnly).toEqual(['2026-11-27', '2026-11-27', '2026-11-27', '2026-11-27']);
      expect(got.lease).toEqual([true, false]);
      // The retried copy waits until its next attempt (3 minutes in), then comes back with one attempt made.
      expect(got.notYet).not.toContain(due[2] && (got.due as { id: number }[])[2]?.id);
      expect(got.dueAgain).toContainEqual([(got.due as { id: number }[])[2]?.id, 1]);
      expect(got.interrupted).toEqual([0, 1]);
      expect(got.olderLease).toBe(true);
      expect(got.expired).toBe(1);
      expect(got.finished).toEqual([2, 0]);
      const [older, today, none] = got.runs as [{ deliveries: unknown[]; finishedAt: Date | null }, { late: boolean; deliveries: unknown[] }, undefined];
      expect(none).toBeUndefined();
      expect(older.deliveries).toEqual([
        expect.objectContaining({ chatId: 'group', status: 'blocked', lastError: 'the chat blocked or removed the bot', attempts: 0 }),
        expect.objectContaining({ chatId: 'room', status: 'failed', lastError: 'HttpError: 502; gave up: too late to send', attempts: 1 }),
      ]);
      expect(today.late).toBe(true);
      expect(today.deliveries).toEqual([
        expect.objectContaining({ chatId: 'boss', audience: 'owner', status: 'sent', attempts: 2, lastError: null, deliveredAt: new Date(T + 4 * MINUTE), text: '日报 boss' }),
        expect.objectContaining({ chatId: 'group', status: 'blocked', attempts: 1, lastError: 'GrammyError: 403 bot was kicked', deliveredAt: null }),
        expect.objectContaining({ chatId: 'room', status: 'failed', attempts: 1, lastError: 'HttpError: 400' }),
        expect.objectContaining({ chatId: 'back', status: 'interrupted', attempts: 1 }),
      ]);
      expect((got.activeAfter as { chatId: string }[]).map((c) => c.chatId)).toEqual(['boss', 'room', 'back']);
      expect(got.unblocked).toEqual([true, false]);
      expect((got.activeLast as { chatId: string }[]).map((c) => c.chatId)).toEqual(['boss', 'room', 'back']);
    });

    it('writes no run when a copy cannot be written', async () => {
      await bindings();
      const broken = { platform: 'telegram', chatId: 'x', audience: null, text: 't' } as unknown as NewDelivery;
      await expect(digest.claim({ shopId: 1, localDate: '2026-11-27', scheduledAt: new Date(T), late: false, claimedBy: 'A', now: new Date(T), deliveries: [...deliveries(), broken] })).rejects.toThrow();
      expect(await digest.hasRun(1, '2026-11-27')).toBe(false);
      expect((await f.admin.query('SELECT count(*)::int AS n FROM "DigestDelivery"')).rows[0].n).toBe(0);
      expect(await digest.claim({ shopId: 1, localDate: '2026-11-27', scheduledAt: new Date(T), late: false, claimedBy: 'A', now: new Date(T), deliveries: deliveries() })).toEqual(expect.any(Number));
    });

    it('lets one of two processes claiming the same date at once win, and writes its copies once', async () => {
      await bindings();
      const claim = (by: string) => ({ shopId: 1, localDate: '2026-11-27', scheduledAt: new Date(T), late: false, claimedBy: by, now: new Date(T), deliveries: deliveries() });
      // The claims' foreign-key checks wait on the shop row, so both are inside their transaction at once.
      const results = await raceUnderLock(f.admin, 'SELECT 1 FROM "Shop" WHERE "id" = 1 FOR UPDATE', [], () => [digest.claim(claim('A')), pgOther.claim(claim('B'))]);
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      expect(results.filter((r) => r === undefined)).toHaveLength(1);
      const run = await digest.run(1, '2026-11-27');
      expect(run?.id).toBe(results.find((r) => r !== undefined));
      expect(run?.claimedBy).toBe(results[0] === undefined ? 'B' : 'A');
      expect((await f.admin.query('SELECT count(*)::int AS n FROM "DigestRun"')).rows[0].n).toBe(1);
      expect(run?.deliveries.map((d) => d.chatId)).toEqual(['boss', 'group', 'room', 'back']);
      expect((await f.admin.query('SELECT count(*)::int AS n FROM "DigestDelivery"')).rows[0].n).toBe(4);
    });

    it('lets one of two processes leasing the same copy at once have it', async () => {
      await bindings();
      await digest.claim({ shopId: 1, localDate: '2026-11-27', scheduledAt: new Date(T), late: false, claimedBy: 'A', now: new Date(T), deliveries: deliveries() });
      const [first] = await digest.duePending(new Date(T), new Date(T - DAY));
      const id = first?.id as number;
      const results = await raceUnderLock(f.admin, 'SELECT 1 FROM "DigestDelivery" WHERE "id" = $1 FOR SHARE', [id], () => [
        digest.lease(id, 'A', new Date(T)),
        pgOther.lease(id, 'B', new Date(T)),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const { rows } = await f.admin.query('SELECT "status", "attempts", "attemptedBy" FROM "DigestDelivery" WHERE "id" = $1', [id]);
      expect(rows).toEqual([{ status: 'sending', attempts: 1, attemptedBy: results[0] ? 'A' : 'B' }]);
    });
  });
});
