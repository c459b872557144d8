import { AsyncSlot } from '../../async-slot.ts';
import { closeSync, openSync, rmSync } from 'node:fs';
import { lazyStatements } from './statements.ts';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from './database.ts';
import { BatchCache } from './batch-cache.ts';
import { gateOf, promised, type SqliteGate, type Sync } from './sqlite-gate.ts';
import { repostInputSteps, repostInputSync, stockBeforeLater, type CostFigures, type CostedRow, type RepostFrom, type RepostInput, type RepostOutput } from '../../core/repost.ts';
import type {
  BalanceRecord,
  BatchMoveRecord,
  BatchRecord,
  EntryRecord,
  EntryView,
  LedgerStore,
  LocationRecord,
  NewEntry,
  ProductMode,
  ProductPatch,
  ProductRecord,
  QueuedRepost,
  ShopRecord,
  SourceInput,
  StockRow,
  UnitOfWork,
} from '../../core/ports.ts';

/** The default location every shop starts with. */
export const DEFAULT_LOCATION = '默认仓';

/** A Product row as SQLite returns it: the record, with its mode not yet checked. */
type ProductRow = Omit<ProductRecord, 'mode'> & { mode: string };

interface EntryRow {
  id: number;
  shopId: number;
  seq: number;
  kind: string;
  productId: number;
  locationId: number | null;
  qtyMilli: number;
  unitPrice: number | null;
  amount: number;
  cost: number;
  valueDelta: number;
  channel: string | null;
  counterparty: string | null;
  note: string | null;
  supplier: string | null;
  occurredAt: number;
  recordedAt: number;
  actorId: string;
  actorName: string | null;
  messageId: number | null;
  reversesId: number | null;
  replacesId: number | null;
  transferId: number | null;
}

interface BatchRow {
  id: number;
  productId: number;
  locationId: number;
  code: string | null;
  expiresAt: number | null;
  producedAt: number | null;
  qtyMilli: number;
}

const toBatch = (r: BatchRow): BatchRecord => ({
  id: r.id,
  productId: r.productId,
  locationId: r.locationId,
  code: r.code,
  expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt),
  producedAt: r.producedAt === null ? null : new Date(r.producedAt),
  qtyMilli: r.qtyMilli,
});
const BATCH_COLUMNS = 'b.id, b.productId, b.locationId, b.code, b.expiresAt, b.producedAt, b.qtyMilli';

const toProduct = (r: ProductRow): ProductRecord => ({ ...r, mode: r.mode as ProductMode });
const toEntry = (r: EntryRow): EntryRecord => ({
  ...r,
  kind: r.kind as EntryRecord['kind'],
  occurredAt: new Date(r.occurredAt),
  recordedAt: new Date(r.recordedAt),
});
const toLocation = (r: { id: number; shopId: number; name: string; isDefault: number }): LocationRecord => ({
  ...r,
  isDefault: r.isDefault === 1,
});

/** The product columns updateProduct may set (never an arbitrary key into the SQL). */
const PRODUCT_PATCH_KEYS: ReadonlySet<string> = new Set(['sku', 'salePrice', 'reorderLevel', 'overstockLevel', 'leadTimeDays', 'mode', 'unit', 'dropshipSupplier', 'dropshipCost']);

const ENTRY_COLUMNS =
  'shopId, seq, kind, productId, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, channel, counterparty, note, supplier, occurredAt, recordedAt, actorId, actorName, messageId, reversesId, replacesId, transferId';

/**
 * The inventory store on SQLite through better-sqlite3 prepared statements, on the schema that
 * prisma/schema.prisma describes and prisma/migrations creates. The write path stays here rather than
 * in Prisma Client because a whole purchase (read, insert, update) then costs tens of microseconds
 * instead of a millisecond; Prisma Client serves the reporting reads (see prisma-reader.ts).
 */
/** The unit of work as SQLite runs it: every call returns at once. */
export type SqliteUnitOfWork = Sync<UnitOfWork>;

export class SqliteStore implements LedgerStore {
  private readonly s;
  private readonly syncUow: SqliteUnitOfWork;
  private readonly uow: UnitOfWork;
  private readonly defaultLocations = new Map<number, LocationRecord>();
  /** The caching unit of work of the batch() under way, joined by transaction() calls made inside it (and only those). */
  private readonly batchUow = new AsyncSlot<UnitOfWork>();
  /** Every statement of the process on this connection goes through the gate (see sqlite-gate.ts). */
  readonly gate: SqliteGate;

  constructor(readonly db: Database.Database) {
    this.gate = gateOf(db);
    const p = (sql: string) => () => db.prepare(sql);
    const pluck = (sql: string) => () => db.prepare(sql).pluck();
    this.s = lazyStatements({
      productByName: p('SELECT * FROM Product WHERE shopId = ? AND name = ?'),
      productByAlias: p('SELECT p.* FROM ProductAlias a JOIN Product p ON p.id = a.productId WHERE a.shopId = ? AND a.alias = ?'),
      productByNameNocase: p('SELECT * FROM Product WHERE shopId = ? AND name = ? COLLATE NOCASE'),
      productById: p('SELECT * FROM Product WHERE id = ?'),
      insertProduct: p('INSERT INTO Product (shopId, name, unit, createdAt) VALUES (?, ?, ?, ?) RETURNING *'),
      setLastCost: p('UPDATE Product SET lastCost = ? WHERE id = ?'),
      defaultLocation: p('SELECT * FROM Location WHERE shopId = ? AND isDefault = 1'),
      locationByName: p('SELECT * FROM Location WHERE shopId = ? AND name = ?'),
      locationById: p('SELECT * FROM Location WHERE id = ?'),
      insertLocation: p('INSERT INTO Location (shopId, name, isDefault) VALUES (?, ?, ?) RETURNING *'),
      balance: p('SELECT qtyMilli, value FROM Balance WHERE productId = ? AND locationId = ?'),
      upsertBalance: p(
        'INSERT INTO Balance (productId, locationId, qtyMilli, value) VALUES (?, ?, ?, ?) ON CONFLICT(productId, locationId) DO UPDATE SET qtyMilli = excluded.qtyMilli, value = excluded.value',
      ),
      nextSeq: p('UPDATE Shop SET lastSeq = lastSeq + 1 WHERE id = ? RETURNING lastSeq'),
      insertEntry: p(`INSERT INTO Entry (${ENTRY_COLUMNS}) VALUES (${ENTRY_COLUMNS.split(', ').map(() => '?').join(', ')})`),
      recentUnitPrices: p(`SELECT e.unitPrice FROM Entry e WHERE e.productId = ? AND e.kind = ? AND e.unitPrice IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM Entry r WHERE r.reversesId = e.id) ORDER BY e.occurredAt DESC, e.id DESC LIMIT ?`),
      hasEntries: p('SELECT 1 FROM Entry WHERE productId = ? LIMIT 1'),
      findMessage: p('SELECT id, shopId FROM SourceMessage WHERE platform = ? AND chatId = ? AND messageId = ?'),
      insertMessage: p(
        'INSERT INTO SourceMessage (shopId, platform, chatId, messageId, text, actorId, actorName, receivedAt, importBatchId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      beginImport: pluck("INSERT INTO ImportBatch (shopId, file, actorId, status, startedAt, heartbeatAt) VALUES (?, ?, ?, 'running', ?, ?) RETURNING id"),
      heartbeatImport: p('UPDATE ImportBatch SET heartbeatAt = ? WHERE id = ?'),
      finishImport: p('UPDATE ImportBatch SET status = ?, finishedAt = ? WHERE id = ?'),
      staleImports: pluck("SELECT id FROM ImportBatch WHERE shopId = ? AND status = 'running' AND heartbeatAt < ? ORDER BY id"),
      importMessages: pluck(`SELECT MIN(e.seq) FROM SourceMessage m JOIN Entry e ON e.messageId = m.id
        WHERE m.importBatchId = ? AND NOT EXISTS (SELECT 1 FROM Entry r WHERE r.reversesId = e.id) GROUP BY m.id ORDER BY m.id DESC`),
      entriesOfMessage: p('SELECT * FROM Entry WHERE messageId = ? ORDER BY seq'),
      entryBySeq: p('SELECT * FROM Entry WHERE shopId = ? AND seq = ?'),
      entryById: p('SELECT * FROM Entry WHERE id = ?'),
      reversalOf: p('SELECT * FROM Entry WHERE reversesId = ?'),
      lastUndoable: p(`SELECT e.messageId FROM Entry e
        WHERE e.shopId = ? AND e.actorId = ? AND e.kind <> 'reversal' AND e.messageId IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM Entry r WHERE r.reversesId = e.id)
        ORDER BY e.seq DESC LIMIT 1`),
      shopByName: p('SELECT id, name, timeZone, digestTime FROM Shop WHERE name = ?'),
      shopById: p('SELECT id, name, timeZone, digestTime FROM Shop WHERE id = ?'),
      shops: p('SELECT id, name, timeZone, digestTime FROM Shop ORDER BY id'),
      insertShop: p('INSERT INTO Shop (name, createdAt) VALUES (?, ?) RETURNING id, name, timeZone, digestTime'),
      stockAll: p(`SELECT p.id AS productId, p.name AS product, p.sku, p.unit, l.name AS location, b.qtyMilli, b.value,
          p.reorderLevel, p.overstockLevel, p.mode
        FROM Balance b JOIN Product p ON p.id = b.productId JOIN Location l ON l.id = b.locationId
        WHERE p.shopId = ? ORDER BY p.name, l.isDefault DESC, l.name`),
      stockOne: p(`SELECT p.id AS productId, p.name AS product, p.sku, p.unit, l.name AS location, b.qtyMilli, b.value,
          p.reorderLevel, p.overstockLevel, p.mode
        FROM Balance b JOIN Product p ON p.id = b.productId JOIN Location l ON l.id = b.locationId
        WHERE p.shopId = ? AND p.id = ? ORDER BY l.isDefault DESC, l.name`),
      productOnly: p(`SELECT p.id AS productId, p.name AS product, p.sku, p.unit, ? AS location, 0 AS qtyMilli, 0 AS value,
          p.reorderLevel, p.overstockLevel, p.mode FROM Product p WHERE p.shopId = ? AND p.id = ?`),
      entries: p(`SELECT e.*, p.name AS product, p.unit AS unit, l.name AS location
        FROM Entry e JOIN Product p ON p.id = e.productId LEFT JOIN Location l ON l.id = e.locationId
        WHERE e.shopId = ? AND e.occurredAt >= ? AND e.occurredAt < ? ORDER BY e.seq`),
      products: p('SELECT * FROM Product WHERE shopId = ? ORDER BY name'),
      aliases: p('SELECT productId, alias FROM ProductAlias WHERE shopId = ?'),
      units: p('SELECT u.productId, u.unit, u.factorMilli FROM ProductUnit u JOIN Product p ON p.id = u.productId WHERE p.shopId = ?'),
      catalogueVersion: pluck('SELECT catalogueVersion FROM Shop WHERE id = ?'),
      insertAlias: p('INSERT INTO ProductAlias (shopId, productId, alias) VALUES (?, ?, ?) ON CONFLICT(shopId, alias) DO NOTHING'),
      batchesAt: p(`SELECT ${BATCH_COLUMNS} FROM Batch b WHERE b.productId = ? AND b.locationId = ? ORDER BY b.id`),
      batchById: p(`SELECT ${BATCH_COLUMNS} FROM Batch b WHERE b.id = ?`),
      insertBatch: p(`INSERT INTO Batch (productId, locationId, code, expiresAt, producedAt, createdAt, qtyMilli) VALUES (?, ?, ?, ?, ?, ?, 0)
        RETURNING id, productId, locationId, code, expiresAt, producedAt, qtyMilli`),
      setBatchExpiry: p('UPDATE Batch SET expiresAt = ? WHERE id = ?'),
      insertBatchMove: p('INSERT INTO BatchMove (entryId, batchId, qtyMilli) VALUES (?, ?, ?)'),
      moveBatchQty: p('UPDATE Batch SET qtyMilli = qtyMilli + ? WHERE id = ?'),
      batchMovesOf: p('SELECT entryId, batchId, qtyMilli FROM BatchMove WHERE entryId = ? ORDER BY id'),
      productBatches: p(`SELECT ${BATCH_COLUMNS}, l.name AS location FROM Batch b JOIN Location l ON l.id = b.locationId
        JOIN Product p ON p.id = b.productId
        WHERE p.shopId = ? AND b.productId = ? AND b.qtyMilli > 0
        ORDER BY l.isDefault DESC, l.name, b.expiresAt IS NULL, b.expiresAt, b.id`),
      upsertUnit: p(
        'INSERT INTO ProductUnit (productId, unit, factorMilli) VALUES (?, ?, ?) ON CONFLICT(productId, unit) DO UPDATE SET factorMilli = excluded.factorMilli',
      ),
      // Costing in occurrence order (src/core/repost.ts). A point (t, n) in that order: before it means
      // occurredAt < t, or occurredAt = t with seq < n. A product's entries are all of one shop, so id
      // orders them as seq does, and ORDER BY occurredAt, id reads the index without a sort.
      laterEntry: pluck('SELECT 1 FROM Entry WHERE productId = ? AND occurredAt > ? LIMIT 1'),
      laterMoves: p('SELECT qtyMilli, valueDelta FROM Entry WHERE productId = ? AND locationId = ? AND occurredAt > ? ORDER BY occurredAt, seq'),
      balancesOf: p('SELECT locationId, qtyMilli, value FROM Balance WHERE productId = ?'),
      repostSize: pluck('SELECT COUNT(*) FROM Entry WHERE productId = ? AND locationId IS NOT NULL AND (occurredAt > ? OR (occurredAt = ? AND seq >= ?))'),
      // The last point before `from` where the location's running stock was not below zero.
      settledPoint: p(`SELECT occurredAt, seq FROM (
          SELECT occurredAt, seq, SUM(qtyMilli) OVER (ORDER BY occurredAt, seq ROWS UNBOUNDED PRECEDING) AS run
          FROM Entry WHERE productId = ? AND locationId = ? AND (occurredAt < ? OR (occurredAt = ? AND seq < ?)))
        WHERE run >= 0 ORDER BY occurredAt DESC, seq DESC LIMIT 1`),
      repostRows: p(`SELECT id, seq, kind, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, occurredAt, reversesId, transferId FROM Entry
        WHERE productId = ? AND locationId IS NOT NULL AND (occurredAt > ? OR (occurredAt = ? AND seq >= ?)) ORDER BY occurredAt, id`),
      costFigures: p('SELECT qtyMilli, cost, valueDelta FROM Entry WHERE id = ?'),
      lastCostBefore: pluck(`SELECT unitPrice FROM Entry WHERE productId = ? AND kind = 'purchase' AND unitPrice IS NOT NULL
        AND (occurredAt < ? OR (occurredAt = ? AND seq < ?)) ORDER BY occurredAt DESC, id DESC LIMIT 1`),
      setCost: p('UPDATE Entry SET cost = ?, valueDelta = ? WHERE id = ?'),
      queueRepost: p(`INSERT INTO PendingRepost (shopId, productId, fromOccurredAt, fromSeq) VALUES (?, ?, ?, ?)
        ON CONFLICT(productId) DO UPDATE SET
          fromOccurredAt = CASE WHEN excluded.fromOccurredAt < fromOccurredAt OR (excluded.fromOccurredAt = fromOccurredAt AND excluded.fromSeq < fromSeq) THEN excluded.fromOccurredAt ELSE fromOccurredAt END,
          fromSeq = CASE WHEN excluded.fromOccurredAt < fromOccurredAt OR (excluded.fromOccurredAt = fromOccurredAt AND excluded.fromSeq < fromSeq) THEN excluded.fromSeq ELSE fromSeq END`),
      dequeueRepost: p('DELETE FROM PendingRepost WHERE productId = ? RETURNING fromOccurredAt, fromSeq'),
      queuedAll: p('SELECT shopId, productId, fromOccurredAt, fromSeq FROM PendingRepost ORDER BY fromOccurredAt, fromSeq'),
      queuedOfShop: p('SELECT shopId, productId, fromOccurredAt, fromSeq FROM PendingRepost WHERE shopId = ? ORDER BY fromOccurredAt, fromSeq'),
    });
    this.syncUow = this.createUnitOfWork();
    this.uow = promised<UnitOfWork>(this.syncUow);
  }

  transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const batch = this.batchUow.get();
    if (batch) return work(batch);
    return this.gate.transaction(() => work(this.uow));
  }

  /**
   * Runs `work` against a throwaway copy of this database (VACUUM INTO reads one snapshot and takes
   * no write lock), for dry runs that must behave exactly like the real thing. An in-memory database
   * has no file to copy: `work` then gets this store.
   */
  async withScratchCopy<T>(work: (store: SqliteStore) => Promise<T>): Promise<T> {
    if (this.db.memory) return work(this);
    // node:os and node:crypto are loaded here, by the rare dry run, not at every start-up.
    const path = join(process.getBuiltinModule('node:os').tmpdir(), `jxc-scratch-${process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')}.db`);
    try {
      // The copy holds cost data: created private before anything is written into it.
      closeSync(openSync(path, 'wx', 0o600));
      await this.gate.run(() => this.db.prepare('VACUUM INTO ?').run(path));
      const db = openDatabase(path, { migrate: false });
      try {
        return await work(new SqliteStore(db));
      } finally {
        db.close();
      }
    } finally {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    }
  }

  /**
   * An import's batch in one transaction: product, location and balance reads are cached for the
   * batch only (every write goes through and updates or drops what it changes), each balance is
   * written once at the end, and transaction() calls inside run straight on the cached unit of work.
   */
  batch<T>(work: () => Promise<T>): Promise<T> {
    if (this.batchUow.get()) return work();
    return this.gate.transaction(async () => {
      const cache = new BatchCache(this.syncUow);
      const result = await this.batchUow.run(promised<UnitOfWork>(cache.uow), work);
      cache.flush();
      return result;
    });
  }

  read<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const batch = this.batchUow.get();
    if (batch) return work(batch);
    return this.gate.read(() => work(this.uow));
  }

  shopByName(name: string): Promise<ShopRecord | undefined> {
    return this.gate.run(() => {
      return this.s.shopByName.get(name) as ShopRecord | undefined;
    });
  }

  shopById(id: number): Promise<ShopRecord | undefined> {
    return this.gate.run(() => {
      return this.s.shopById.get(id) as ShopRecord | undefined;
    });
  }

  listShops(): Promise<ShopRecord[]> {
    return this.gate.run(() => {
      return this.s.shops.all() as ShopRecord[];
    });
  }

  createShop(name: string, now: Date): Promise<ShopRecord> {
    return this.gate.run(() => {
      return this.db
        .transaction(() => {
          const shop = this.s.insertShop.get(name, now.getTime()) as ShopRecord;
          this.s.insertLocation.run(shop.id, DEFAULT_LOCATION, 1);
          return shop;
        })
        .immediate();
    });
  }

  stock(shopId: number, productId?: number): Promise<StockRow[]> {
    return this.gate.run(() => {
      if (productId === undefined) return this.s.stockAll.all(shopId) as StockRow[];
      const rows = this.s.stockOne.all(shopId, productId) as StockRow[];
      if (rows.length > 0) return rows;
      return this.s.productOnly.all(DEFAULT_LOCATION, shopId, productId) as StockRow[];
    });
  }

  batches(shopId: number, productId: number): Promise<(BatchRecord & { location: string })[]> {
    return this.gate.run(() => {
      return (this.s.productBatches.all(shopId, productId) as (BatchRow & { location: string })[]).map((r) => ({ ...toBatch(r), location: r.location }));
    });
  }

  entries(shopId: number, range: { from?: Date; to?: Date } = {}): Promise<EntryView[]> {
    return this.gate.run(() => {
      const rows = this.s.entries.all(shopId, range.from?.getTime() ?? 0, range.to?.getTime() ?? Number.MAX_SAFE_INTEGER) as (EntryRow & {
        product: string;
        unit: string;
        location: string | null;
      })[];
      return rows.map((r) => ({ ...toEntry(r), product: r.product, unit: r.unit, location: r.location }));
    });
  }

  products(shopId: number): Promise<ProductRecord[]> {
    return this.gate.run(() => {
      return (this.s.products.all(shopId) as ProductRow[]).map(toProduct);
    });
  }

  aliases(shopId: number): Promise<{ productId: number; alias: string }[]> {
    return this.gate.run(() => {
      return this.s.aliases.all(shopId) as { productId: number; alias: string }[];
    });
  }

  units(shopId: number): Promise<{ productId: number; unit: string; factorMilli: number }[]> {
    return this.gate.run(() => {
      return this.s.units.all(shopId) as { productId: number; unit: string; factorMilli: number }[];
    });
  }

  /** Starts a chunked import; its rows' messages carry the id it returns. */
  beginImport(shopId: number, file: string, actorId: string, now: Date): Promise<number> {
    return this.gate.run(() => {
      return this.s.beginImport.get(shopId, file, actorId, now.getTime(), now.getTime()) as number;
    });
  }

  /** Says a chunked import is still alive (called after each committed chunk). */
  heartbeatImport(batchId: number, now: Date): Promise<void> {
    return this.gate.run(() => {
      this.s.heartbeatImport.run(now.getTime(), batchId);
    });
  }

  finishImport(batchId: number, status: 'done' | 'undone', now: Date): Promise<void> {
    return this.gate.run(() => {
      this.s.finishImport.run(status, now.getTime(), batchId);
    });
  }

  /** Imports of a shop still marked running whose heartbeat stopped before `before`: killed midway. */
  staleImports(shopId: number, before: Date): Promise<number[]> {
    return this.gate.run(() => {
      return this.s.staleImports.all(shopId, before.getTime()) as number[];
    });
  }

  /** The first entry number of each message of an import with entries not undone, newest message first. */
  importMessages(batchId: number): Promise<number[]> {
    return this.gate.run(() => {
      return this.s.importMessages.all(batchId) as number[];
    });
  }

  catalogueVersion(shopId: number): Promise<number> {
    return this.gate.run(() => {
      return (this.s.catalogueVersion.get(shopId) as number | undefined) ?? 0;
    });
  }

  updateProduct(
    shopId: number,
    productId: number,
    patch: ProductPatch,
  ): Promise<void> {
    return this.gate.run(() => {
      const keys = Object.keys(patch).filter((k) => PRODUCT_PATCH_KEYS.has(k));
      if (keys.length === 0) return;
      const sql = `UPDATE Product SET ${keys.map((k) => `"${k}" = ?`).join(', ')} WHERE shopId = ? AND id = ?`;
      this.db.prepare(sql).run(...keys.map((k) => patch[k as keyof typeof patch] ?? null), shopId, productId);
    });
  }

  addAlias(shopId: number, productId: number, alias: string): Promise<boolean> {
    return this.gate.run(() => {
      return this.s.insertAlias.run(shopId, productId, alias).changes > 0;
    });
  }

  recentUnitPrices(productId: number, kind: 'sale' | 'purchase', limit: number): Promise<number[]> {
    return this.gate.run(() => {
      return (this.s.recentUnitPrices.all(productId, kind, limit) as { unitPrice: number }[]).map((r) => r.unitPrice);
    });
  }

  hasEntries(productId: number): Promise<boolean> {
    return this.gate.run(() => {
      return this.s.hasEntries.get(productId) !== undefined;
    });
  }

  setUnit(productId: number, unit: string, factorMilli: number): Promise<void> {
    return this.gate.run(() => {
      this.s.upsertUnit.run(productId, unit, factorMilli);
    });
  }

  updateShop(shopId: number, patch: Partial<Pick<ShopRecord, 'timeZone' | 'digestTime'>>): Promise<void> {
    return this.gate.run(() => {
      if (patch.timeZone !== undefined) this.db.prepare('UPDATE Shop SET timeZone = ? WHERE id = ?').run(patch.timeZone, shopId);
      if (patch.digestTime !== undefined) this.db.prepare('UPDATE Shop SET digestTime = ? WHERE id = ?').run(patch.digestTime, shopId);
    });
  }

  queuedReposts(shopId?: number): Promise<QueuedRepost[]> {
    return this.gate.run(() => {
      const rows = (shopId === undefined ? this.s.queuedAll.all() : this.s.queuedOfShop.all(shopId)) as { shopId: number; productId: number; fromOccurredAt: number; fromSeq: number }[];
      return rows.map((r) => ({ shopId: r.shopId, productId: r.productId, from: { occurredAt: new Date(r.fromOccurredAt), seq: r.fromSeq } }));
    });
  }

  /** The rows a repost of `productId` folds; see UnitOfWork.repostRows and repostInputSteps. */
  private repostInput(productId: number, requested: RepostFrom): RepostInput {
    const s = this.s;
    type Row = Omit<CostedRow, 'occurredAt' | 'kind'> & { kind: string; occurredAt: number };
    const steps = repostInputSteps<number>(productId, { at: requested.occurredAt.getTime(), seq: requested.seq }, Number.MIN_SAFE_INTEGER);
    return repostInputSync(steps, (q) => {
      switch (q.read) {
        case 'rows':
          return (s.repostRows.all(productId, q.at, q.at, q.seq) as Row[]).map((r): CostedRow => ({ ...r, kind: r.kind as CostedRow['kind'], occurredAt: new Date(r.occurredAt) }));
        case 'balances':
          return s.balancesOf.all(productId) as { locationId: number; qtyMilli: number; value: number }[];
        case 'settledPoint': {
          const point = s.settledPoint.get(productId, q.locationId, q.at, q.at, q.seq) as { occurredAt: number; seq: number } | undefined;
          return point && { at: point.occurredAt, seq: point.seq };
        }
        case 'costFigures':
          return s.costFigures.get(q.id) as CostFigures | undefined;
        case 'lastCostBefore':
          return (s.lastCostBefore.get(productId, q.at, q.at, q.seq) as number | undefined) ?? null;
      }
    });
  }

  private createUnitOfWork(): SqliteUnitOfWork {
    const s = this.s;
    const repostInput = (productId: number, from: RepostFrom) => this.repostInput(productId, from);
    const locations = this.defaultLocations;
    return {
      findProduct(shopId: number, name: string) {
        const row = (s.productByName.get(shopId, name) ??
          s.productByAlias.get(shopId, name) ??
          s.productByNameNocase.get(shopId, name)) as ProductRow | undefined;
        return row && toProduct(row);
      },
      createProduct(shopId: number, name: string, unit: string, now: Date) {
        return toProduct(s.insertProduct.get(shopId, name, unit, now.getTime()) as ProductRow);
      },
      setLastCost(productId: number, cents: number) {
        s.setLastCost.run(cents, productId);
      },
      defaultLocation(shopId: number) {
        let location = locations.get(shopId);
        if (!location) {
          const row = s.defaultLocation.get(shopId) as Parameters<typeof toLocation>[0] | undefined;
          location = row ? toLocation(row) : toLocation(s.insertLocation.get(shopId, DEFAULT_LOCATION, 1) as Parameters<typeof toLocation>[0]);
          locations.set(shopId, location);
        }
        return location;
      },
      findLocation(shopId: number, name: string) {
        const row = s.locationByName.get(shopId, name) as Parameters<typeof toLocation>[0] | undefined;
        return row && toLocation(row);
      },
      createLocation(shopId: number, name: string) {
        return toLocation(s.insertLocation.get(shopId, name, 0) as Parameters<typeof toLocation>[0]);
      },
      balance(productId: number, locationId: number): BalanceRecord {
        return (s.balance.get(productId, locationId) as BalanceRecord | undefined) ?? { qtyMilli: 0, value: 0 };
      },
      // SQLite holds nothing per row: the write lock covers the whole database either way.
      currentBalance(productId: number, locationId: number): BalanceRecord {
        return (s.balance.get(productId, locationId) as BalanceRecord | undefined) ?? { qtyMilli: 0, value: 0 };
      },
      setBalance(productId: number, locationId: number, balance: BalanceRecord) {
        s.upsertBalance.run(productId, locationId, balance.qtyMilli, balance.value);
      },
      nextSeq(shopId: number) {
        return (s.nextSeq.get(shopId) as { lastSeq: number }).lastSeq;
      },
      insertEntry(entry: NewEntry, seq: number): EntryRecord {
        const info = s.insertEntry.run(
          entry.shopId,
          seq,
          entry.kind,
          entry.productId,
          entry.locationId,
          entry.qtyMilli,
          entry.unitPrice,
          entry.amount,
          entry.cost,
          entry.valueDelta,
          entry.channel,
          entry.counterparty,
          entry.note ?? null,
          entry.supplier ?? null,
          entry.occurredAt.getTime(),
          entry.recordedAt.getTime(),
          entry.actorId,
          entry.actorName,
          entry.messageId,
          entry.reversesId,
          entry.replacesId,
          entry.transferId,
        );
        return Object.assign(entry as EntryRecord, { id: Number(info.lastInsertRowid), seq });
      },
      findMessage(source: SourceInput) {
        return s.findMessage.get(source.platform, source.chatId, source.messageId) as { id: number; shopId: number } | undefined;
      },
      insertMessage(shopId: number, source: SourceInput, now: Date) {
        const info = s.insertMessage.run(
          shopId,
          source.platform,
          source.chatId,
          source.messageId,
          source.text,
          source.actorId,
          source.actorName ?? null,
          now.getTime(),
          source.importBatchId ?? null,
        );
        return Number(info.lastInsertRowid);
      },
      entriesOfMessage(messageId: number) {
        return (s.entriesOfMessage.all(messageId) as EntryRow[]).map(toEntry);
      },
      entryBySeq(shopId: number, seq: number) {
        const row = s.entryBySeq.get(shopId, seq) as EntryRow | undefined;
        return row && toEntry(row);
      },
      entryById(id: number) {
        const row = s.entryById.get(id) as EntryRow | undefined;
        return row && toEntry(row);
      },
      reversalOf(entryId: number) {
        const row = s.reversalOf.get(entryId) as EntryRow | undefined;
        return row && toEntry(row);
      },
      lastUndoableMessage(shopId: number, actorId: string) {
        return (s.lastUndoable.get(shopId, actorId) as { messageId: number } | undefined)?.messageId;
      },
      productById(id: number) {
        return toProduct(s.productById.get(id) as ProductRow);
      },
      locationById(id: number) {
        return toLocation(s.locationById.get(id) as Parameters<typeof toLocation>[0]);
      },
      stockAsOf(productId: number, locationId: number, at: Date) {
        const t = at.getTime();
        if (s.laterEntry.get(productId, t) === undefined) return undefined;
        // The balance less what moved after `at`; the lowest point is found on the way.
        const later = s.laterMoves.all(productId, locationId, t) as { qtyMilli: number; valueDelta: number }[];
        return stockBeforeLater((s.balance.get(productId, locationId) as BalanceRecord | undefined) ?? { qtyMilli: 0, value: 0 }, later);
      },
      repostSize(productId: number, from: RepostFrom) {
        const t = from.occurredAt.getTime();
        return s.repostSize.get(productId, t, t, from.seq) as number;
      },
      repostRows: repostInput,
      applyRepost(out: RepostOutput) {
        for (const c of out.changed) s.setCost.run(c.cost, c.valueDelta, c.id);
        for (const [locationId, b] of out.closing) s.upsertBalance.run(out.productId, locationId, b.qtyMilli, b.value);
        if (out.lastCost !== null) s.setLastCost.run(out.lastCost, out.productId);
      },
      queueRepost(shopId: number, productId: number, from: RepostFrom) {
        s.queueRepost.run(shopId, productId, from.occurredAt.getTime(), from.seq);
      },
      dequeueRepost(productId: number) {
        const row = s.dequeueRepost.get(productId) as { fromOccurredAt: number; fromSeq: number } | undefined;
        return row && { occurredAt: new Date(row.fromOccurredAt), seq: row.fromSeq };
      },
      batchesAt(productId: number, locationId: number) {
        return (s.batchesAt.all(productId, locationId) as BatchRow[]).map(toBatch);
      },
      createBatch(batch: Omit<BatchRecord, 'id' | 'qtyMilli'>, now: Date) {
        const row = s.insertBatch.get(
          batch.productId,
          batch.locationId,
          batch.code,
          batch.expiresAt?.getTime() ?? null,
          batch.producedAt?.getTime() ?? null,
          now.getTime(),
        ) as BatchRow;
        return toBatch(row);
      },
      setBatchExpiry(batchId: number, expiresAt: Date) {
        s.setBatchExpiry.run(expiresAt.getTime(), batchId);
      },
      moveBatch(move: BatchMoveRecord) {
        s.insertBatchMove.run(move.entryId, move.batchId, move.qtyMilli);
        s.moveBatchQty.run(move.qtyMilli, move.batchId);
      },
      batchMovesOf(entryId: number) {
        return s.batchMovesOf.all(entryId) as BatchMoveRecord[];
      },
      batchById(id: number) {
        return toBatch(s.batchById.get(id) as BatchRow);
      },
    };
  }
}
