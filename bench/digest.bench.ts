/**
 * Digest benchmark: building one shop's evening digest (every query, the rules, the owner's wording)
 * over 10,000 products and 1,000,000 ledger entries, against a floor of hand-written SQL aggregates
 * that fetch the same sums with the least work a report could get away with (no reversal matching,
 * raw rows, nothing worded).
 *
 * The ledger is a year of trade, written straight into a fresh database built by the real migrations
 * (a million InventoryService writes would time the ledger, not the digest). The digest is built at
 * 21:00 on the 27th of the month, so it reads 27 days of month-to-date and 30 days of sales.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../src/adapters/prisma/database.ts';
import { SqliteDigestStore } from '../src/adapters/prisma/sqlite-digest.ts';
import { digestWindow, renderDigest } from '../src/bot/digest.ts';
import { buildDigest, collectDigest, salesRanges, type DigestWindow } from '../src/core/digest.ts';
import { mulberry32 } from '../tests/helpers/seeded-random.ts';

export interface DigestBenchOptions {
  /** Products of the shop (default 10,000). */
  products?: number;
  /** Ledger entries spread over `days` (default 1,000,000). */
  entries?: number;
  /** Days the entries span, ending at the digest (default 365). */
  days?: number;
  /** Timed builds per path, after one untimed (default 7). */
  runs?: number;
  onProgress?: (line: string) => void;
}

export interface DigestBenchResult {
  products: number;
  entries: number;
  /** Entries inside the widest window the digest reads (month so far or the 30-day no-sale window). */
  recentEntries: number;
  days: number;
  runs: number;
  /** Median ms to build and word the owner's digest. */
  ms: number;
  /** Median ms of the hand-written SQL aggregates. */
  floorMs: number;
  /** Median ms per part of the build, to show where the time goes. */
  parts: { products: number; today: number; sales: number; rules: number; render: number };
  /** Shortage and overstock lines the digest found, to show it did real work. */
  shortages: number;
  overstock: number;
  seedMs: number;
}

const DAY_MS = 86_400_000;
const CHANNELS = ['淘宝', '京东', '拼多多', '抖音', null] as const;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/**
 * A year of trade: purchases, sales over five channels, customer returns, stocktakes and undone sales,
 * with each product's Balance the sum of its entries as the store keeps it. Returns the shop's id.
 */
export function seedLedger(db: SqliteDatabase, products: number, entries: number, days: number, end: Date): number {
  const next = mulberry32(20261127);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const start = end.getTime() - days * DAY_MS;
  return db
    .transaction(() => {
      const shopId = Number(db.prepare('INSERT INTO Shop (name, createdAt, lastSeq) VALUES (?, ?, ?)').run('基准店', start, entries).lastInsertRowid);
      const locationId = Number(db.prepare('INSERT INTO Location (shopId, name, isDefault) VALUES (?, ?, 1)').run(shopId, '默认仓').lastInsertRowid);
      const insertProduct = db.prepare(
        'INSERT INTO Product (shopId, name, unit, salePrice, lastCost, reorderLevel, overstockLevel, leadTimeDays, mode, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const ids: number[] = [];
      const cost: number[] = [];
      for (let i = 0; i < products; i++) {
        const unitCost = int(500, 10_000);
        cost.push(unitCost);
        const reorder = next() < 0.4 ? int(2, 20) : null;
        const overstock = next() < 0.2 ? int(100, 400) : null;
        const lead = next() < 0.3 ? int(2, 21) : null;
        const mode = i % 100 === 0 ? 'presale' : 'normal';
        ids.push(Number(insertProduct.run(shopId, `商品${String(i + 1).padStart(5, '0')}`, '件', unitCost * 2, unitCost, reorder, overstock, lead, mode, start - DAY_MS).lastInsertRowid));
      }
      const insertEntry = db.prepare(`INSERT INTO Entry (shopId, seq, kind, productId, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, channel,
          occurredAt, recordedAt, actorId, reversesId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench:alice', ?)`);
      const qty = new Float64Array(products);
      const value = new Float64Array(products);
      // Popular products sell far more than the tail, as in a real catalogue.
      const pick = () => Math.min(products - 1, Math.floor(products * next() ** 2));
      const lastSale: { id: number; product: number; qty: number; price: number; cost: number; channel: string | null; at: number }[] = [];
      for (let seq = 1; seq <= entries; seq++) {
        const at = Math.floor(start + ((seq - 0.5) / entries) * days * DAY_MS);
        const roll = next();
        const p = pick();
        const productId = ids[p] as number;
        const unitCost = cost[p] as number;
        let row: [string, number, number | null, number, number, number, string | null, number | null];
        const undo = roll > 0.995 ? lastSale.pop() : undefined;
        if (undo) {
          row = ['reversal', undo.qty, undo.price, -undo.price * (undo.qty / 1000), -undo.cost, undo.cost, undo.channel, undo.id];
          insertEntry.run(shopId, seq, row[0], ids[undo.product], locationId, row[1], row[2], row[3], row[4], row[5], row[6], undo.at, at, row[7]);
          qty[undo.product] = (qty[undo.product] ?? 0) + undo.qty;
          value[undo.product] = (value[undo.product] ?? 0) + undo.cost;
          continue;
        }
        const onHand = qty[p] ?? 0;
        // Restocked when low, most of the time: popular products run short now and then, and the
        // long tail sits on stock it rarely sells, as in a real catalogue.
        if (onHand < 1000 || (onHand < int(2, 8) * 1000 && next() < 0.3)) {
          const q = int(10, 60) * 1000;
          row = ['purchase', q, unitCost, (unitCost * q) / 1000, 0, (unitCost * q) / 1000, null, null];
        } else if (roll < 0.95) {
          const q = Math.min(onHand, int(1, 3) * 1000);
          const c = Math.round(((value[p] ?? 0) * q) / onHand);
          const price = unitCost * 2;
          row = ['sale', -q, price, (price * q) / 1000, c, -c, CHANNELS[int(0, 4)] ?? null, null];
        } else if (roll < 0.985) {
          const q = 1000;
          const c = Math.round(((value[p] ?? 0) * q) / onHand);
          row = ['customer_return', q, unitCost * 2, -unitCost * 2, -c, c, CHANNELS[int(0, 4)] ?? null, null];
        } else {
          const c = Math.round(((value[p] ?? 0) * 1000) / onHand);
          row = ['adjustment', -1000, null, 0, c, -c, null, null];
        }
        const info = insertEntry.run(shopId, seq, row[0], productId, locationId, row[1], row[2], Math.round(row[3]), row[4], Math.round(row[5]), row[6], at, at, row[7]);
        qty[p] = (qty[p] ?? 0) + row[1];
        value[p] = (value[p] ?? 0) + Math.round(row[5]);
        if (row[0] === 'sale') {
          lastSale.push({ id: Number(info.lastInsertRowid), product: p, qty: -row[1], price: row[2] as number, cost: row[4], channel: row[6], at });
          if (lastSale.length > 50) lastSale.shift();
        }
      }
      const insertBalance = db.prepare('INSERT INTO Balance (productId, locationId, qtyMilli, value) VALUES (?, ?, ?, ?)');
      for (let p = 0; p < products; p++) insertBalance.run(ids[p], locationId, qty[p], value[p]);
      return shopId;
    })
    .immediate();
}

/**
 * The floor: the same sums in plain GROUP BYs over the same index, rows fetched raw, reversals not
 * matched to what they undo, nothing judged or worded.
 */
function floorPath(db: SqliteDatabase) {
  const range = 'FROM Entry INDEXED BY Entry_shopId_occurredAt_idx WHERE shopId = ? AND occurredAt >= ? AND occurredAt < ?';
  const s = {
    stock: db
      .prepare('SELECT p.id, p.name, p.reorderLevel, p.overstockLevel, SUM(b.qtyMilli), SUM(b.value) FROM Product p LEFT JOIN Balance b ON b.productId = p.id WHERE p.shopId = ? GROUP BY p.id')
      .raw(),
    today: db.prepare(`SELECT productId, kind, SUM(qtyMilli) ${range} GROUP BY productId, kind`).raw(),
    channels: db.prepare(`SELECT channel, COUNT(*), SUM(amount), SUM(cost) ${range} AND kind IN ('sale', 'customer_return') GROUP BY channel`).raw(),
    sales: db
      .prepare(
        `SELECT productId, SUM(CASE WHEN occurredAt >= ? THEN qtyMilli END), COUNT(*), SUM(CASE WHEN occurredAt >= ? THEN amount END), SUM(CASE WHEN occurredAt >= ? THEN cost END)
         ${range} AND kind IN ('sale', 'customer_return') GROUP BY productId`,
      )
      .raw(),
  };
  return (shopId: number, w: DigestWindow) => {
    const asOf = w.asOf.getTime();
    const month = w.monthFrom.getTime();
    s.stock.all(shopId);
    s.today.all(shopId, w.dayFrom.getTime(), w.dayTo.getTime());
    s.channels.all(shopId, w.dayFrom.getTime(), w.dayTo.getTime());
    s.sales.all(asOf - 14 * DAY_MS, month, month, shopId, Math.min(month, asOf - 30 * DAY_MS), w.dayTo.getTime());
  };
}

/** Seeds the ledger, then times the digest against the floor, alternating which goes first. */
export async function benchDigest(options: DigestBenchOptions = {}): Promise<DigestBenchResult> {
  const products = options.products ?? 10_000;
  const entries = options.entries ?? 1_000_000;
  const days = options.days ?? 365;
  const runs = options.runs ?? 7;
  const progress = options.onProgress ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-digest-'));
  let db: SqliteDatabase | undefined;
  try {
    db = openDatabase(join(dir, 'digest.db'));
    const asOf = new Date('2026-11-27T13:00:00Z'); // 21:00 in Shanghai
    progress(`digest: writing ${entries.toLocaleString('en-US')} entries over ${products.toLocaleString('en-US')} products…`);
    const seedStart = process.hrtime.bigint();
    const shopId = seedLedger(db, products, entries, days, asOf);
    db.exec('ANALYZE');
    // A running bot's WAL is checkpointed every thousand pages; a million rows written in one go are
    // not, and reading through that WAL would time the bulk load rather than the digest.
    db.pragma('wal_checkpoint(TRUNCATE)');
    const seedMs = since(seedStart);
    const shop = { id: shopId, name: '基准店', timeZone: 'Asia/Shanghai' };
    const window = digestWindow(asOf, shop.timeZone);
    const queries = new SqliteDigestStore(db);
    const floor = floorPath(db);
    const widest = Math.min(window.monthFrom.getTime(), window.asOf.getTime() - 30 * DAY_MS);
    const recentEntries = (db.prepare('SELECT COUNT(*) AS n FROM Entry WHERE shopId = ? AND occurredAt >= ? AND occurredAt < ?').get(shopId, widest, window.dayTo.getTime()) as { n: number }).n;

    const build = async () => renderDigest(await collectDigest(queries, shop, window), { seeCost: true });
    const text = await build();
    floor(shopId, window);
    const digestMs: number[] = [];
    const floorMs: number[] = [];
    progress(`digest: timing ${runs} builds per path…`);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? ['digest', 'floor'] : ['floor', 'digest'];
      for (const path of order) {
        const start = process.hrtime.bigint();
        if (path === 'digest') await build();
        else floor(shopId, window);
        (path === 'digest' ? digestMs : floorMs).push(since(start));
      }
    }

    // Where the time goes: each query, the rules and the wording, timed on their own.
    const parts = { products: [] as number[], today: [] as number[], sales: [] as number[], rules: [] as number[], render: [] as number[] };
    const settings = await queries.settings(shopId);
    for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
      let start = process.hrtime.bigint();
      const rows = await queries.products(shopId);
      parts.products.push(since(start));
      start = process.hrtime.bigint();
      const movements = await queries.movements(shopId, window.dayFrom, window.dayTo);
      const channels = await queries.channelSales(shopId, window.dayFrom, window.dayTo);
      parts.today.push(since(start));
      start = process.hrtime.bigint();
      const sales = await queries.productSales(shopId, salesRanges(settings, window.asOf, { from: window.monthFrom, to: window.dayTo }));
      const batches = await queries.expiringBatches(shopId, new Date(window.asOf.getTime() + settings.expiryWarnDays * DAY_MS));
      parts.sales.push(since(start));
      start = process.hrtime.bigint();
      const digest = buildDigest({ shop, window, settings, products: rows, movements, channels, sales, batches });
      parts.rules.push(since(start));
      start = process.hrtime.bigint();
      renderDigest(digest, { seeCost: true });
      parts.render.push(since(start));
    }
    const digest = await collectDigest(queries, shop, window);
    if (!text.includes('日报')) throw new Error('the digest came out empty');
    return {
      products,
      entries,
      recentEntries,
      days,
      runs,
      ms: median(digestMs),
      floorMs: median(floorMs),
      parts: {
        products: median(parts.products),
        today: median(parts.today),
        sales: median(parts.sales),
        rules: median(parts.rules),
        render: median(parts.render),
      },
      shortages: digest.shortages.length,
      overstock: digest.overstock.length,
      seedMs,
    };
  } finally {
    if (db?.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
