/**
 * Repost benchmark: one product with a year of entries (10,000 by default, purchases and sales in
 * turn), then a purchase dated at the start of that year, so every later entry's cost moves. Timed:
 * the write of that purchase and the repost the bot runs for it (InventoryService.runQueuedReposts:
 * read the rows, fold them in occurrence order, write back the costs that changed and the balance).
 *
 * Floor, measured in the same run on a copy of the same database with the same backdated purchase:
 * plain better-sqlite3 in one IMMEDIATE transaction — insert the entry, select the product's rows in occurrence order,
 * a bare moving average over purchases and sales, UPDATE each row whose figures changed, UPDATE the
 * balance. No reversals, transfers, presale or rounding rules: the least any repost must do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../src/adapters/prisma/database.ts';
import { SqliteStore } from '../src/adapters/prisma/sqlite-store.ts';
import { InventoryService, type WriteRequest } from '../src/core/inventory.service.ts';
import type { Clock, SourceInput } from '../src/core/ports.ts';

export interface RepostBenchOptions {
  /** Entries in the product's year (default 10,000). */
  entries?: number;
  /** Backdated purchases, each timed on both paths (default 7). */
  runs?: number;
  onProgress?: (line: string) => void;
}

export interface RepostBenchResult {
  entries: number;
  runs: number;
  /** Rows each repost folds (the product's entries, growing by one per run). */
  rowsFolded: number;
  coreMedianMs: number;
  floorMedianMs: number;
  /** core median ÷ floor median. */
  ratio: number;
  /** The costs the two paths left agree for the sales (a floor that did less would be no floor). */
  sameSaleCosts: boolean;
}

const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_MS = 365 * 86_400_000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

let counter = 0;
const source = (): SourceInput => {
  counter += 1;
  return { platform: 'bench', chatId: 'repost', messageId: `r${counter}`, text: 'bench', actorId: 'bench:owner' };
};

/** The floor: a bare moving average over the rows in occurrence order, written back row by row. */
function floorRepost(db: SqliteDatabase, productId: number, locationId: number): void {
  const rows = db.prepare('SELECT id, kind, qtyMilli, amount, cost, valueDelta FROM Entry WHERE productId = ? AND locationId = ? ORDER BY occurredAt, seq').all(productId, locationId) as {
    id: number;
    kind: string;
    qtyMilli: number;
    amount: number;
    cost: number;
    valueDelta: number;
  }[];
  const update = db.prepare('UPDATE Entry SET cost = ?, valueDelta = ? WHERE id = ?');
  let qty = 0;
  let value = 0;
  for (const r of rows) {
    let cost = 0;
    let delta: number;
    if (r.kind === 'purchase') delta = r.amount;
    else {
      cost = qty > 0 ? Math.round((value * -r.qtyMilli) / qty) : 0;
      delta = -cost;
    }
    if (cost !== r.cost || delta !== r.valueDelta) update.run(cost, delta, r.id);
    qty += r.qtyMilli;
    value += delta;
  }
  db.prepare('UPDATE Balance SET qtyMilli = ?, value = ? WHERE productId = ? AND locationId = ?').run(qty, value, productId, locationId);
}

export async function benchRepost(options: RepostBenchOptions = {}): Promise<RepostBenchResult> {
  const entries = options.entries ?? 10_000;
  const runs = options.runs ?? 7;
  const log = options.onProgress ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-repost-'));
  try {
    let now = new Date(YEAR_START + YEAR_MS);
    const clock: Clock = { now: () => now };
    const db = openDatabase(join(dir, 'core.db'));
    const store = new SqliteStore(db);
    const service = new InventoryService(store, clock);
    const shop = await store.createShop('基准店', clock.now());
    log(`repost: recording a year of ${entries.toLocaleString('en-US')} entries of one product…`);
    const step = Math.floor(YEAR_MS / entries);
    const batch: { req: WriteRequest; source: SourceInput }[] = [];
    for (let i = 0; i < entries; i++) {
      const occurredAt = new Date(YEAR_START + 86_400_000 + i * step);
      const req: WriteRequest =
        i % 2 === 0
          ? { kind: 'purchase', items: [{ product: '样品', quantity: 6, unitPrice: 1000 + ((i * 37) % 500) }], occurredAt }
          : { kind: 'sale', items: [{ product: '样品', quantity: 5, unitPrice: 2500 }], occurredAt };
      batch.push({ req, source: source() });
      if (batch.length === 1000 || i === entries - 1) {
        if (!(await service.recordBatch(shop.id, batch)).every((r) => r.ok)) throw new Error('repost bench: seeding was refused');
        batch.length = 0;
      }
    }
    const product = (await store.products(shop.id))[0];
    if (!product) throw new Error('repost bench: no product');
    const locationId = (db.prepare('SELECT id FROM Location WHERE shopId = ? AND isDefault = 1').get(shop.id) as { id: number }).id;
    const floorPath = join(dir, 'floor.db');
    db.prepare('VACUUM INTO ?').run(floorPath);
    const floorDb = openDatabase(floorPath, { migrate: false });
    floorDb.prepare('ATTACH DATABASE ? AS core').run(join(dir, 'core.db'));
    const insertFloor = floorDb.prepare(
      `INSERT INTO Entry (shopId, seq, kind, productId, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, occurredAt, recordedAt, actorId)
       SELECT shopId, seq, kind, productId, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, occurredAt, recordedAt, actorId FROM core.Entry WHERE id = ?`,
    );

    const core: number[] = [];
    if ((await store.queuedReposts(shop.id)).length !== 0) throw new Error('repost bench: a repost was left from seeding');
    const floor: number[] = [];
    for (let k = 0; k < runs; k++) {
      now = new Date(now.getTime() + 60_000);
      const time = async (f: () => void | Promise<void>) => {
        const t0 = performance.now();
        await f();
        return performance.now() - t0;
      };
      // A purchase dated at the very start of the year, typed now, until every later cost is right:
      // the write (which queues a long repost, or does a short one itself) and the queued repost.
      let id = 0;
      const runCore = async () =>
        core.push(
          await time(async () => {
            const r = await service.record(shop.id, { kind: 'purchase', items: [{ product: '样品', quantity: 10, unitPrice: 300 + k * 50 }], occurredAt: new Date(YEAR_START + k * 1000) }, source());
            if (!r.ok) throw new Error('repost bench: the backdated purchase was refused');
            id = r.value.entries[0]?.id as number;
            await service.runQueuedReposts();
          }),
        );
      const runFloor = async () =>
        floor.push(
          await time(() =>
            floorDb
              .transaction(() => {
                insertFloor.run(id);
                floorRepost(floorDb, product.id, locationId);
              })
              .immediate(),
          ),
        );
      // The floor copies the core's new entry, so the core goes first; the cache is warm for both.
      await runCore();
      await runFloor();
      log(`repost: run ${k + 1}/${runs}: core ${core.at(-1)?.toFixed(1)} ms, floor ${floor.at(-1)?.toFixed(1)} ms`);
    }
    const costs = (d: SqliteDatabase) => (d.prepare("SELECT cost FROM main.Entry WHERE kind = 'sale' ORDER BY occurredAt, seq").pluck().all() as number[]).join(',');
    const sameSaleCosts = costs(db) === costs(floorDb);
    const rowsFolded = db.prepare('SELECT COUNT(*) FROM Entry WHERE productId = ?').pluck().get(product.id) as number;
    floorDb.close();
    db.close();
    const coreMedianMs = median(core);
    const floorMedianMs = median(floor);
    return { entries, runs, rowsFolded, coreMedianMs, floorMedianMs, ratio: coreMedianMs / floorMedianMs, sameSaleCosts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
