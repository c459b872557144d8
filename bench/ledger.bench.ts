/**
 * Ledger write and stock-read benchmarks: the core (InventoryService over SqliteStore) against a
 * floor of raw better-sqlite3 statements doing the least a hand-written ledger could get away with.
 *
 * Both paths run on their own fresh SQLite file, opened by openDatabase with the real migrations, so
 * they pay for the same pragmas, indexes and foreign keys; the ratio then measures what the core's
 * extra work costs (name lookup, idempotency check, #seq, last cost, the view it returns).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../src/adapters/prisma/database.ts';
import { SqliteStore } from '../src/adapters/prisma/sqlite-store.ts';
import { InventoryService, type WriteRequest } from '../src/core/inventory.service.ts';
import { systemClock, type BalanceRecord, type SourceInput } from '../src/core/ports.ts';
import { MILLI } from '../src/core/quantity.ts';
import { costOut, valueAt } from '../src/core/valuation.ts';
import { mulberry32 } from '../tests/helpers/seeded-random.ts';

export interface LedgerBenchOptions {
  /** Timed entries per path (default 20,000). */
  entries?: number;
  /** Products the entries are spread over (default 200). */
  products?: number;
  /** Untimed entries per path before timing starts (default min(500, entries)). */
  warmup?: number;
  /** Products with a balance for the stock-of-all read (default 10,000). */
  stockProducts?: number;
  /** Timed stock reads per path (default 20). */
  stockRuns?: number;
  /** Called with a short line at each phase and every few thousand entries. */
  onProgress?: (line: string) => void;
}

export interface LatencyStats {
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  totalMs: number;
  /** Entries slower than 1 ms: the tail a p99 alone can hide or exaggerate. */
  over1Ms: number;
}

export interface LedgerBenchResult {
  entries: number;
  products: number;
  warmupEntries: number;
  purchases: number;
  sales: number;
  /** Entries per interleaved chunk; core and floor alternate who goes first. */
  chunkSize: number;
  /** Entry rows the core wrote during the timed phase (counted in its Entry table). */
  coreEntriesWritten: number;
  floorEntriesWritten: number;
  core: LatencyStats;
  floor: LatencyStats;
  /** core median ÷ floor median. */
  medianRatio: number;
  /** core p99 ÷ floor p99. */
  p99Ratio: number;
  stock: {
    products: number;
    rows: number;
    runs: number;
    /** How the products and balances were put in place (not timed). */
    seededWith: string;
    coreMedianMs: number;
    floorMedianMs: number;
    /** core median ÷ floor median. */
    ratio: number;
  };
}

interface Op {
  kind: 'purchase' | 'sale';
  product: number;
  qty: number;
  unitPrice: number;
}

const CHUNK = 500;
const PLATFORM = 'bench';
const CHAT = 'bench-chat';
const ACTOR = 'bench:alice';
const ACTOR_NAME = 'alice';

/**
 * Purchases and sales over `products` products. Stock is tracked here so a sale never asks for more
 * than is on hand: every write must succeed, or the timings would include refusals.
 */
function workload(count: number, products: number): Op[] {
  const next = mulberry32(20261127);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const onHand = new Array<number>(products).fill(0);
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) {
    const product = int(0, products - 1);
    const stock = onHand[product] ?? 0;
    if (stock > 0 && next() < 0.5) {
      const qty = int(1, Math.min(5, stock));
      onHand[product] = stock - qty;
      ops.push({ kind: 'sale', product, qty, unitPrice: int(1_000, 20_000) });
    } else {
      const qty = int(1, 20);
      onHand[product] = stock + qty;
      ops.push({ kind: 'purchase', product, qty, unitPrice: int(500, 10_000) });
    }
  }
  return ops;
}

const productName = (i: number) => `商品${String(i + 1).padStart(4, '0')}`;
const textOf = (op: Op) => `${op.kind === 'purchase' ? '进' : '卖'} ${productName(op.product)} ${op.qty}件 ${(op.unitPrice / 100).toFixed(2)}元`;

function stats(samplesMs: Float64Array): LatencyStats {
  const sorted = Float64Array.from(samplesMs).sort();
  const n = sorted.length;
  if (n === 0) return { medianMs: 0, p99Ms: 0, meanMs: 0, maxMs: 0, totalMs: 0, over1Ms: 0 };
  const at = (i: number) => sorted[Math.min(n - 1, Math.max(0, i))] ?? 0;
  const medianMs = n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
  // Nearest-rank percentile: the smallest sample with at least 99% of samples at or below it.
  const p99Ms = at(Math.ceil(0.99 * n) - 1);
  let totalMs = 0;
  let over1Ms = 0;
  for (const v of sorted) {
    totalMs += v;
    if (v > 1) over1Ms += 1;
  }
  return { medianMs, p99Ms, meanMs: totalMs / n, maxMs: at(n - 1), totalMs, over1Ms };
}

function median(values: number[]): number {
  return stats(Float64Array.from(values)).medianMs;
}

const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** The core path: one InventoryService.record per entry, exactly as a chat message would arrive. */
class CorePath {
  readonly store: SqliteStore;
  readonly service: InventoryService;
  private sent = 0;

  private constructor(
    readonly db: SqliteDatabase,
    readonly shopId: number,
  ) {
    this.store = new SqliteStore(db);
    this.service = new InventoryService(this.store, systemClock);
  }

  static async open(db: SqliteDatabase, products: number): Promise<CorePath> {
    const shopId = (await new SqliteStore(db).createShop('基准店', new Date())).id;
    const core = new CorePath(db, shopId);
    // Products are put in place up front (through the store, untimed) so that both paths write
    // the same rows per entry; a first purchase creating its product is a one-off cost per name.
    await core.store.transaction(async (uow) => {
      for (let i = 0; i < products; i++) await uow.createProduct(shopId, productName(i), '件', new Date());
    });
    return core;
  }

  prepare(op: Op): { req: WriteRequest; source: SourceInput } {
    this.sent += 1;
    return {
      req: { kind: op.kind, items: [{ product: productName(op.product), quantity: op.qty, unitPrice: op.unitPrice }] },
      source: { platform: PLATFORM, chatId: CHAT, messageId: `core-${this.sent}`, text: textOf(op), actorId: ACTOR, actorName: ACTOR_NAME },
    };
  }

  async write(req: WriteRequest, source: SourceInput): Promise<void> {
    const result = await this.service.record(this.shopId, req, source);
    if (!result.ok) throw new Error(`core refused ${source.text}: ${JSON.stringify(result.failure)}`);
    if (result.value.duplicate || result.value.entries.length !== 1) {
      throw new Error(`core wrote ${result.value.entries.length} entries (duplicate: ${result.value.duplicate}) for ${source.text}`);
    }
  }

  entryCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM Entry WHERE shopId = ?').get(this.shopId) as { n: number }).n;
  }
}

interface FloorArgs {
  productId: number;
  op: Op;
  messageKey: string;
  text: string;
  seq: number;
  now: number;
}

/**
 * The floor: per entry one transaction that reads the balance, inserts the source message, inserts
 * the entry and upserts the balance. Product and location ids are already known, #seq is a counter in
 * memory, and nothing is read back: the least a correct ledger can do.
 */
class FloorPath {
  readonly shopId: number;
  readonly locationId: number;
  readonly productIds: number[] = [];
  private readonly tx: ((args: FloorArgs) => void) & { immediate(args: FloorArgs): void };
  private seq = 0;
  private sent = 0;

  constructor(readonly db: SqliteDatabase, products: number) {
    const now = Date.now();
    this.shopId = Number(db.prepare('INSERT INTO Shop (name, createdAt) VALUES (?, ?)').run('基准店', now).lastInsertRowid);
    this.locationId = Number(db.prepare('INSERT INTO Location (shopId, name, isDefault) VALUES (?, ?, 1)').run(this.shopId, '默认仓').lastInsertRowid);
    const insertProduct = db.prepare('INSERT INTO Product (shopId, name, unit, createdAt) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < products; i++) this.productIds.push(Number(insertProduct.run(this.shopId, productName(i), '件', now).lastInsertRowid));
    })();

    const balance = db.prepare('SELECT qtyMilli, value FROM Balance WHERE productId = ? AND locationId = ?');
    const insertMessage = db.prepare(
      'INSERT INTO SourceMessage (shopId, platform, chatId, messageId, text, actorId, actorName, receivedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertEntry = db.prepare(
      `INSERT INTO Entry (shopId, seq, kind, productId, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, occurredAt, recordedAt, actorId, actorName, messageId)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const upsertBalance = db.prepare(
      'INSERT INTO Balance (productId, locationId, qtyMilli, value) VALUES (?, ?, ?, ?) ON CONFLICT(productId, locationId) DO UPDATE SET qtyMilli = excluded.qtyMilli, value = excluded.value',
    );
    const shopId = this.shopId;
    const locationId = this.locationId;
    this.tx = db.transaction((a: FloorArgs) => {
      const before = (balance.get(a.productId, locationId) as BalanceRecord | undefined) ?? { qtyMilli: 0, value: 0 };
      const messageId = insertMessage.run(shopId, PLATFORM, CHAT, a.messageKey, a.text, ACTOR, ACTOR_NAME, a.now).lastInsertRowid;
      const qtyMilli = a.op.qty * MILLI;
      const amount = valueAt(a.op.unitPrice, qtyMilli);
      // Same valuation arithmetic as the core, so both files end with identical balances to compare.
      const cost = a.op.kind === 'sale' ? costOut(before, qtyMilli, 0) : 0;
      const signed = a.op.kind === 'sale' ? -qtyMilli : qtyMilli;
      const valueDelta = a.op.kind === 'sale' ? -cost : amount;
      insertEntry.run(shopId, a.seq, a.op.kind, a.productId, locationId, signed, a.op.unitPrice, amount, cost, valueDelta, a.now, a.now, ACTOR, ACTOR_NAME, messageId);
      upsertBalance.run(a.productId, locationId, before.qtyMilli + signed, before.value + valueDelta);
    });
  }

  prepare(op: Op): FloorArgs {
    this.sent += 1;
    this.seq += 1;
    const productId = this.productIds[op.product];
    if (productId === undefined) throw new Error(`no product #${op.product}`);
    return { productId, op, messageKey: `floor-${this.sent}`, text: textOf(op), seq: this.seq, now: Date.now() };
  }

  write(args: FloorArgs): void {
    // IMMEDIATE like the core's store, so neither path gets a cheaper locking mode.
    this.tx.immediate(args);
  }

  entryCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM Entry WHERE shopId = ?').get(this.shopId) as { n: number }).n;
  }
}

/** Both ledgers must end with the same stock and value per product, or the floor is not a floor. */
function assertSameBalances(core: CorePath, floor: FloorPath): void {
  const q = 'SELECT p.name, b.qtyMilli, b.value FROM Balance b JOIN Product p ON p.id = b.productId WHERE p.shopId = ? ORDER BY p.name';
  const a = JSON.stringify(core.db.prepare(q).all(core.shopId));
  const b = JSON.stringify(floor.db.prepare(q).all(floor.shopId));
  if (a !== b) throw new Error('core and floor ended with different balances');
}

/** Products and balances for the stock read, with raw inserts in one transaction on the core's file. */
async function seedStock(db: SqliteDatabase, store: SqliteStore, count: number): Promise<number> {
  const shopId = (await store.createShop('库存基准店', new Date())).id;
  const location = db.prepare('SELECT id FROM Location WHERE shopId = ? AND isDefault = 1').get(shopId) as { id: number };
  const insertProduct = db.prepare('INSERT INTO Product (shopId, name, unit, salePrice, lastCost, reorderLevel, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertBalance = db.prepare('INSERT INTO Balance (productId, locationId, qtyMilli, value) VALUES (?, ?, ?, ?)');
  const next = mulberry32(42);
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const cost = 500 + Math.floor(next() * 9_500);
      const qty = 1 + Math.floor(next() * 200);
      const productId = insertProduct.run(shopId, `款式${String(i + 1).padStart(5, '0')}`, '件', cost * 2, cost, 10, now).lastInsertRowid;
      insertBalance.run(productId, location.id, qty * MILLI, qty * cost);
    }
  })();
  return shopId;
}

export async function benchLedger(options: LedgerBenchOptions = {}): Promise<LedgerBenchResult> {
  const entries = options.entries ?? 20_000;
  const products = options.products ?? 200;
  const warmup = options.warmup ?? Math.min(500, entries);
  const stockProducts = options.stockProducts ?? 10_000;
  const stockRuns = options.stockRuns ?? 20;
  const progress = options.onProgress ?? (() => {});
  if (!Number.isInteger(entries) || entries < 1 || !Number.isInteger(products) || products < 1) {
    throw new RangeError('benchLedger: entries and products must be positive integers');
  }

  const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-'));
  let coreDb: SqliteDatabase | undefined;
  let floorDb: SqliteDatabase | undefined;
  try {
    coreDb = openDatabase(join(dir, 'core.db'));
    floorDb = openDatabase(join(dir, 'floor.db'));
    const core = await CorePath.open(coreDb, products);
    const floor = new FloorPath(floorDb, products);

    const ops = workload(warmup + entries, products);
    const timed = ops.slice(warmup);
    const sales = timed.filter((o) => o.kind === 'sale').length;

    progress(`ledger: warm-up ${warmup} entries per path…`);
    for (const op of ops.slice(0, warmup)) {
      const { req, source } = core.prepare(op);
      await core.write(req, source);
      floor.write(floor.prepare(op));
    }

    const coreBefore = core.entryCount();
    const floorBefore = floor.entryCount();
    const coreMs = new Float64Array(entries);
    const floorMs = new Float64Array(entries);
    const runCore = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const { req, source } = core.prepare(timed[i] as Op);
        const start = process.hrtime.bigint();
        await core.write(req, source);
        coreMs[i] = elapsedMs(start);
      }
    };
    const runFloor = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const args = floor.prepare(timed[i] as Op);
        const start = process.hrtime.bigint();
        floor.write(args);
        floorMs[i] = elapsedMs(start);
      }
    };

    progress(`ledger: core and floor ${entries} entries each over ${products} products, interleaved in chunks of ${CHUNK}…`);
    const reportEvery = Math.max(CHUNK, Math.ceil(entries / 4 / CHUNK) * CHUNK);
    for (let from = 0, chunk = 0; from < entries; from += CHUNK, chunk++) {
      const to = Math.min(entries, from + CHUNK);
      // Alternating who goes first spreads cache warmth and background noise over both paths.
      if (chunk % 2 === 0) {
        await runCore(from, to);
        runFloor(from, to);
      } else {
        runFloor(from, to);
        await runCore(from, to);
      }
      if (to % reportEvery === 0 && to < entries) progress(`ledger: ${to}/${entries} entries…`);
    }

    const coreEntriesWritten = core.entryCount() - coreBefore;
    const floorEntriesWritten = floor.entryCount() - floorBefore;
    if (coreEntriesWritten !== entries || floorEntriesWritten !== entries) {
      throw new Error(`expected ${entries} entries per path, core wrote ${coreEntriesWritten}, floor ${floorEntriesWritten}`);
    }
    assertSameBalances(core, floor);

    progress(`ledger: stock of all over ${stockProducts} products (${stockRuns} runs per path)…`);
    const stockShop = await seedStock(coreDb, core.store, stockProducts);
    const floorStock = coreDb.prepare(`SELECT p.id AS productId, p.name AS product, p.sku, p.unit, l.name AS location, b.qtyMilli, b.value,
        p.reorderLevel, p.overstockLevel, p.mode
      FROM Balance b JOIN Product p ON p.id = b.productId JOIN Location l ON l.id = b.locationId
      WHERE p.shopId = ?`);
    const readCore = async () => (await core.store.stock(stockShop)).length;
    const readFloor = () => floorStock.all(stockShop).length;
    for (let i = 0; i < 3; i++) {
      await readCore();
      readFloor();
    }
    const coreStockMs: number[] = [];
    const floorStockMs: number[] = [];
    let rows = 0;
    for (let i = 0; i < stockRuns; i++) {
      const first = i % 2 === 0 ? readCore : readFloor;
      const second = first === readCore ? readFloor : readCore;
      for (const read of [first, second]) {
        const start = process.hrtime.bigint();
        const n = await read();
        const ms = elapsedMs(start);
        if (n !== stockProducts) throw new Error(`stock read returned ${n} rows, expected ${stockProducts}`);
        (read === readCore ? coreStockMs : floorStockMs).push(ms);
        rows = n;
      }
    }

    const coreStats = stats(coreMs);
    const floorStats = stats(floorMs);
    const coreStock = median(coreStockMs);
    const floorStockMedian = median(floorStockMs);
    return {
      entries,
      products,
      warmupEntries: warmup,
      purchases: entries - sales,
      sales,
      chunkSize: CHUNK,
      coreEntriesWritten,
      floorEntriesWritten,
      core: coreStats,
      floor: floorStats,
      medianRatio: coreStats.medianMs / floorStats.medianMs,
      p99Ratio: coreStats.p99Ms / floorStats.p99Ms,
      stock: {
        products: stockProducts,
        rows,
        runs: stockRuns,
        seededWith: 'raw INSERTs of Product and Balance in one transaction on the core file',
        coreMedianMs: coreStock,
        floorMedianMs: floorStockMedian,
        ratio: coreStock / floorStockMedian,
      },
    };
  } finally {
    if (coreDb?.open) coreDb.close();
    if (floorDb?.open) floorDb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
