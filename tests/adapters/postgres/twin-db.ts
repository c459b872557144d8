import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/prisma/database.ts';
import { applyPgMigrations } from '../../../src/adapters/postgres/migrate.ts';
import { jxcPgTypes } from '../../../src/adapters/postgres/pg-types.ts';
import { createPgDatabase, type PgTestDatabase } from '../../helpers/pg.ts';

/**
 * One SQLite file and one PostgreSQL database, each built from its own real migrations, that receive
 * the same rows by plain SQL, so a PostgreSQL query can be checked against its SQLite twin on
 * identical data. The PostgreSQL database sorts and folds text as a Chinese-language server does
 * (ICU `zh`), not in the C order a default test server happens to share with SQLite: a query that
 * forgets to ask for SQLite's order shows it.
 */
export interface TwinDb {
  sqlite: SqliteDatabase;
  sqlitePath: string;
  pool: pg.Pool;
  pgDb: PgTestDatabase;
  /** Inserts `rows` into `table` of both databases (Dates become epoch ms in SQLite, as the store writes them). */
  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

export async function openTwinDb(testFileUrl: string): Promise<TwinDb> {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-twin-'));
  const sqlitePath = join(dir, 'jxc.db');
  const sqlite = openDatabase(sqlitePath);
  const pgDb = await createPgDatabase(testFileUrl, { icuLocale: 'zh' });
  const pool = new pg.Pool({ connectionString: pgDb.url, types: jxcPgTypes, max: 12 });
  const client = await pool.connect();
  try {
    await applyPgMigrations(client);
  } finally {
    client.release();
  }
  return {
    sqlite,
    sqlitePath,
    pool,
    pgDb,
    async insert(table, rows) {
      for (const row of rows) {
        const columns = Object.keys(row);
        const values = Object.values(row);
        sqlite
          .prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
          .run(...values.map(forSqlite));
        await pool.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, values.map(forPg));
      }
      // Rows came with their ids: the serial must continue after them, as SQLite's rowid does.
      if (rows.some((r) => 'id' in r)) await pool.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT MAX("id") FROM "${table}"))`);
    },
    async close() {
      sqlite.close();
      await pool.end();
      await pgDb.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function forSqlite(v: unknown): unknown {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Uint8Array) return Buffer.from(v);
  return v;
}

function forPg(v: unknown): unknown {
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v);
  return v;
}

const at = (iso: string): Date => new Date(iso);

/** Shop 1's sale-and-return figures are worked out in pg-reports.test.ts from these rows. */
export const SHOP = 1;
export const OTHER_SHOP = 2;

interface EntrySpec {
  id: number;
  shopId?: number;
  seq: number;
  kind: string;
  productId: number;
  locationId?: number | null;
  qtyMilli: number;
  unitPrice?: number | null;
  amount?: number;
  cost?: number;
  channel?: string | null;
  counterparty?: string | null;
  occurredAt: string;
  actorId?: string;
  actorName?: string | null;
  messageId?: number | null;
  reversesId?: number | null;
  note?: string | null;
  supplier?: string | null;
}

function entry(e: EntrySpec): Record<string, unknown> {
  const occurredAt = at(e.occurredAt);
  return {
    id: e.id,
    shopId: e.shopId ?? SHOP,
    seq: e.seq,
    kind: e.kind,
    productId: e.productId,
    locationId: e.locationId === undefined ? 1 : e.locationId,
    qtyMilli: e.qtyMilli,
    unitPrice: e.unitPrice ?? null,
    amount: e.amount ?? 0,
    cost: e.cost ?? 0,
    channel: e.channel ?? null,
    counterparty: e.counterparty ?? null,
    occurredAt,
    recordedAt: new Date(occurredAt.getTime() + 1234),
    actorId: e.actorId ?? 'console:boss',
    actorName: e.actorName === undefined ? '老板' : e.actorName,
    messageId: e.messageId ?? null,
    reversesId: e.reversesId ?? null,
    note: e.note ?? null,
    supplier: e.supplier ?? null,
  };
}

/**
 * A shop's ledger with what the reads must get right: undone sales and dropship lines that net out,
 * customer returns, entries on the period's edges, names and channels that tie and sort differently
 * by code point than in pinyin or case-blind order (T恤, a袜子, Äpfel, 代发杯子; Tmall, taobao, NULL),
 * `%` and `_` in names, notes and channels, batches (one with a quote in its code), and a second shop
 * whose rows must never show.
 */
export async function seedLedger(t: TwinDb): Promise<void> {
  await t.insert('Shop', [
    { id: SHOP, name: '甲店', timeZone: 'Asia/Shanghai', createdAt: at('2026-10-01T00:00:00Z') },
    { id: OTHER_SHOP, name: '乙店', timeZone: 'Europe/Berlin', createdAt: at('2026-10-02T00:00:00Z') },
  ]);
  await t.insert('Location', [
    { id: 1, shopId: SHOP, name: '默认仓', isDefault: true },
    { id: 2, shopId: SHOP, name: '天猫仓', isDefault: false },
    { id: 3, shopId: OTHER_SHOP, name: '默认仓', isDefault: true },
  ]);
  const product = (id: number, name: string, unit: string, more: Record<string, unknown> = {}) => ({
    id,
    shopId: SHOP,
    name,
    sku: null,
    unit,
    createdAt: at('2026-10-01T00:00:00Z'),
    ...more,
  });
  await t.insert('Product', [
    product(1, 'T恤', '件', { sku: 'TS-1', salePrice: 5900, lastCost: 2000 }),
    product(2, 'Z短裤', '条'),
    product(3, 'a袜子', '双'),
    product(4, 'Tea_100%', '盒'),
    product(5, '代发杯子', '个', { mode: 'dropship', dropshipSupplier: '杯厂', dropshipCost: 800 }),
    product(6, 'Äpfel', 'kg'),
    product(7, 'c杯', '个', { mode: 'dropship', dropshipSupplier: 'Cup厂', dropshipCost: 900 }),
    product(8, '代发碗', '个', { mode: 'dropship', dropshipSupplier: 'bowl厂', dropshipCost: 1000 }),
    { ...product(9, 'T恤', '件'), shopId: OTHER_SHOP },
  ]);
  await t.insert('SourceMessage', [
    { id: 1, shopId: SHOP, platform: 'telegram', chatId: 'c1', messageId: 'm1', text: '卖 T恤 3件 5900 淘宝 张三', actorId: 'telegram:1', actorName: 'Alice', receivedAt: at('2026-11-02T03:00:00Z') },
    { id: 2, shopId: SHOP, platform: 'wechat', chatId: 'room1', messageId: 'w1', text: '进货 TEA_100% 10盒 批次 A1', actorId: 'wechat:bob', actorName: 'Bob', receivedAt: at('2026-11-01T05:00:00Z') },
  ]);
  await t.insert('ChatBinding', [{ id: 1, shopId: SHOP, platform: 'telegram', chatId: 'c1', audience: 'staff', title: '甲店群', boundAt: at('2026-10-01T00:00:00Z') }]);
  await t.insert('Entry', [
    entry({ id: 1, seq: 1, kind: 'purchase', productId: 1, qtyMilli: 50000, unitPrice: 2000, cost: 100000, counterparty: '供货商A', occurredAt: '2026-11-01T02:00:00Z' }),
    entry({ id: 2, seq: 2, kind: 'purchase', productId: 2, qtyMilli: 30000, unitPrice: 1500, cost: 45000, occurredAt: '2026-11-01T02:00:00Z' }),
    entry({ id: 3, seq: 3, kind: 'purchase', productId: 3, qtyMilli: 7000, unitPrice: 333, cost: 2331, occurredAt: '2026-11-01T02:00:00Z' }),
    entry({ id: 4, seq: 4, kind: 'purchase', productId: 4, qtyMilli: 10000, unitPrice: 1200, cost: 12000, occurredAt: '2026-11-01T05:00:00Z', actorId: 'wechat:bob', actorName: 'Bob', messageId: 2, note: '批次 A1 到期' }),
    entry({ id: 5, seq: 5, kind: 'sale', productId: 1, qtyMilli: -3000, unitPrice: 5900, amount: 17700, cost: 6000, channel: '淘宝', counterparty: '张三', occurredAt: '2026-11-02T03:00:00Z', actorId: 'telegram:1', actorName: 'Alice', messageId: 1 }),
    entry({ id: 6, seq: 6, kind: 'sale', productId: 2, qtyMilli: -2000, unitPrice: 3900, amount: 7800, cost: 3000, occurredAt: '2026-11-03T04:00:00Z', actorId: 'telegram:1', actorName: 'Alice' }),
    entry({ id: 7, seq: 7, kind: 'sale', productId: 3, qtyMilli: -1000, unitPrice: 990, amount: 990, cost: 333, channel: '抖音', occurredAt: '2026-11-03T05:00:00Z', actorId: 'telegram:1', actorName: 'alice' }),
    // The undo of entry 6, dated like it.
    entry({ id: 8, seq: 8, kind: 'reversal', productId: 2, qtyMilli: 2000, amount: -7800, cost: -3000, occurredAt: '2026-11-03T04:00:00Z', reversesId: 6 }),
    entry({ id: 9, seq: 9, kind: 'customer_return', productId: 1, qtyMilli: 1000, unitPrice: 5900, amount: -5900, cost: -2000, channel: '淘宝', counterparty: '张三', occurredAt: '2026-11-04T06:00:00Z', actorId: 'telegram:1', actorName: 'Alice' }),
    entry({ id: 10, seq: 10, kind: 'sale', productId: 4, qtyMilli: -2000, unitPrice: 2500, amount: 5000, cost: 2400, channel: '淘宝', occurredAt: '2026-11-05T01:00:00Z', actorId: 'wechat:bob', actorName: 'Bob', note: '顾客要 100% 纯棉' }),
    entry({ id: 11, seq: 11, kind: 'sale', productId: 5, locationId: null, qtyMilli: -3000, unitPrice: 1500, amount: 4500, cost: 2400, channel: '淘宝', occurredAt: '2026-11-06T01:00:00Z', supplier: '杯厂' }),
    entry({ id: 12, seq: 12, kind: 'sale', productId: 8, locationId: null, qtyMilli: -1000, unitPrice: 3000, amount: 3000, cost: 1000, channel: '抖音', occurredAt: '2026-11-06T02:00:00Z', supplier: 'bowl厂' }),
    entry({ id: 13, seq: 13, kind: 'customer_return', productId: 5, locationId: null, qtyMilli: 1000, unitPrice: 1500, amount: -1500, cost: -800, channel: '淘宝', occurredAt: '2026-11-07T01:00:00Z', supplier: '杯厂' }),
    entry({ id: 14, seq: 14, kind: 'sale', productId: 5, locationId: null, qtyMilli: -2000, unitPrice: 1500, amount: 3000, cost: 1600, occurredAt: '2026-11-08T01:00:00Z', supplier: '杯厂' }),
    entry({ id: 15, seq: 15, kind: 'reversal', productId: 5, locationId: null, qtyMilli: 2000, amount: -3000, cost: -1600, occurredAt: '2026-11-08T01:00:00Z', reversesId: 14, supplier: '杯厂' }),
    entry({ id: 16, seq: 16, kind: 'transfer_out', productId: 1, qtyMilli: -10000, cost: 20000, occurredAt: '2026-11-08T02:00:00Z' }),
    entry({ id: 17, seq: 17, kind: 'transfer_in', productId: 1, locationId: 2, qtyMilli: 10000, cost: 20000, occurredAt: '2026-11-08T02:00:00Z' }),
    entry({ id: 18, seq: 18, kind: 'sale', productId: 6, qtyMilli: -500, unitPrice: 2000, amount: 1000, cost: 400, channel: 'Shop_A', occurredAt: '2026-11-09T01:00:00Z' }),
    // The last millisecond of the period, then its end (excluded).
    entry({ id: 19, seq: 19, kind: 'sale', productId: 1, locationId: 2, qtyMilli: -1000, unitPrice: 6000, amount: 6000, cost: 2000, channel: 'Tmall', occurredAt: '2026-11-09T23:59:59.999Z' }),
    entry({ id: 20, seq: 20, kind: 'sale', productId: 1, qtyMilli: -1000, unitPrice: 5900, amount: 5900, cost: 2000, channel: '淘宝', occurredAt: '2026-11-10T00:00:00Z' }),
    entry({ id: 21, seq: 21, kind: 'adjustment', productId: 3, qtyMilli: -500, cost: 166, occurredAt: '2026-11-10T01:00:00Z', note: '盘点 少了_半双' }),
    entry({ id: 22, seq: 22, kind: 'supplier_return', productId: 2, qtyMilli: -1000, unitPrice: 1500, amount: 1500, cost: 1500, counterparty: '供货商B', occurredAt: '2026-11-10T02:00:00Z' }),
    // Revenue 1000 without a channel ties with Shop_A; 6000 from taobao ties with Tmall.
    entry({ id: 23, seq: 23, kind: 'sale', productId: 3, qtyMilli: -1000, unitPrice: 1000, amount: 1000, cost: 333, occurredAt: '2026-11-09T10:00:00Z', actorId: 'telegram:1', actorName: 'Alice' }),
    entry({ id: 24, seq: 24, kind: 'sale', productId: 6, qtyMilli: -1000, unitPrice: 6000, amount: 6000, cost: 800, channel: 'taobao', occurredAt: '2026-11-09T11:00:00Z' }),
    entry({ id: 25, seq: 25, kind: 'sale', productId: 7, locationId: null, qtyMilli: -1000, unitPrice: 2000, amount: 2000, cost: 900, channel: '抖音', occurredAt: '2026-11-07T03:00:00Z', supplier: 'Cup厂' }),
    // The other shop: the same product name, a sale and a dropship line that must never show in shop 1.
    entry({ id: 26, shopId: OTHER_SHOP, seq: 1, kind: 'purchase', productId: 9, locationId: 3, qtyMilli: 5000, unitPrice: 1000, cost: 5000, occurredAt: '2026-11-01T02:00:00Z' }),
    entry({ id: 27, shopId: OTHER_SHOP, seq: 2, kind: 'sale', productId: 9, locationId: 3, qtyMilli: -1000, unitPrice: 3000, amount: 3000, cost: 1000, channel: '淘宝', occurredAt: '2026-11-05T02:00:00Z', supplier: '杯厂' }),
  ]);
  await t.insert('Balance', [
    { id: 1, productId: 1, locationId: 1, qtyMilli: 36000, value: 72000 },
    { id: 2, productId: 1, locationId: 2, qtyMilli: 9000, value: 18000 },
    { id: 3, productId: 2, locationId: 1, qtyMilli: 29000, value: 43500 },
    { id: 4, productId: 3, locationId: 1, qtyMilli: 4500, value: 1499 },
    { id: 5, productId: 4, locationId: 1, qtyMilli: 8000, value: 9600 },
    { id: 6, productId: 6, locationId: 1, qtyMilli: -1500, value: -1200 },
    { id: 7, productId: 9, locationId: 3, qtyMilli: 4000, value: 4000 },
  ]);
  await t.insert('Batch', [
    { id: 1, productId: 4, locationId: 1, code: 'A1"x', expiresAt: at('2027-05-01T00:00:00Z'), qtyMilli: 4000 },
    { id: 2, productId: 4, locationId: 1, code: null, expiresAt: null, qtyMilli: 4000 },
  ]);
  await t.insert('BatchMove', [
    { id: 1, entryId: 4, batchId: 2, qtyMilli: 4000 },
    { id: 2, entryId: 4, batchId: 1, qtyMilli: 6000 },
    { id: 3, entryId: 10, batchId: 1, qtyMilli: -2000 },
  ]);
}
