import { AsyncSlot } from '../../async-slot.ts';
import type pg from 'pg';
import { repostInputAsync, repostInputSteps, stockBeforeLater, type CostFigures, type CostedRow, type RepostFrom, type RepostInput, type RepostOutput } from '../../core/repost.ts';
import type {
  BalanceRecord,
  BatchMoveRecord,
  BatchRecord,
  EntryRecord,
  EntryView,
  InventoryStore,
  LedgerStore,
  LocationRecord,
  NewEntry,
  ProductMode,
  ProductPatch,
  ProductRecord,
  QueuedRepost,
  ShopRecord,
  SourceInput,
  StockAsOf,
  StockRow,
  UnitOfWork,
} from '../../core/ports.ts';
import type { Queryable } from './pg-pool.ts';

/** The default location every shop starts with (as in the SQLite store). */
export const DEFAULT_LOCATION = '默认仓';

/**
 * The advisory lock class (first key of `pg_advisory_xact_lock(int4, int4)`) of a chat's write
 * order; the second key is the hash of the chat. Two-key advisory locks never collide with one-key
 * ones such as the migration lock 72707369 (PostgreSQL keeps them apart), and this class is 'jxc'.
 */
export const CHAT_LOCK_CLASS = 0x6a7863;

/** UNIQUE violation: a concurrent process recorded the same message first (see insertMessage). */
export const UNIQUE_VIOLATION = '23505';

/** A point before every entry: PostgreSQL's `-infinity`, since no Date reaches as far back. */
const BEGINNING = '-infinity';
type At = Date | typeof BEGINNING;

/** The product columns updateProduct may set (never an arbitrary key into the SQL). */
const PRODUCT_PATCH_KEYS: ReadonlySet<string> = new Set(['sku', 'salePrice', 'reorderLevel', 'overstockLevel', 'leadTimeDays', 'mode', 'unit', 'dropshipSupplier', 'dropshipCost']);

const PRODUCT_COLUMNS =
  '"id", "shopId", "name", "sku", "unit", "salePrice", "lastCost", "reorderLevel", "overstockLevel", "leadTimeDays", "mode", "dropshipSupplier", "dropshipCost"';
const PRODUCT_COLUMNS_P = PRODUCT_COLUMNS.split(', ').map((c) => `p.${c}`).join(', ');
const BATCH_COLUMNS = 'b."id", b."productId", b."locationId", b."code", b."expiresAt", b."producedAt", b."qtyMilli"';
const ENTRY_COLUMNS = [
  'shopId', 'seq', 'kind', 'productId', 'locationId', 'qtyMilli', 'unitPrice', 'amount', 'cost', 'valueDelta', 'channel', 'counterparty', 'note', 'supplier',
  'occurredAt', 'recordedAt', 'actorId', 'actorName', 'messageId', 'reversesId', 'replacesId', 'transferId',
];
const STOCK_COLUMNS = `p."id" AS "productId", p."name" AS "product", p."sku", p."unit", l."name" AS "location", b."qtyMilli", b."value",
  p."reorderLevel", p."overstockLevel", p."mode"`;

/** `text` with A-Z made a-z and nothing else changed: SQLite's NOCASE folding. */
const asciiLower = (text: string) => `translate(${text}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

/**
 * The SQL of the store, each sent as a named (prepared) statement: PostgreSQL parses and plans it
 * once per connection. Names and text follow the SQLite store's statements one for one (sqlite-store.ts),
 * with two translations throughout: text sorts with COLLATE "C" (byte order, as SQLite's BINARY does,
 * whatever the database's locale), and SQLite's NOCASE equality folds A-Z only (asciiLower).
 */
const SQL = {
  productByName: `SELECT ${PRODUCT_COLUMNS} FROM "Product" WHERE "shopId" = $1 AND "name" = $2`,
  productByAlias: `SELECT ${PRODUCT_COLUMNS_P} FROM "ProductAlias" a JOIN "Product" p ON p."id" = a."productId" WHERE a."shopId" = $1 AND a."alias" = $2`,
  // SQLite's NOCASE folds A-Z only (not Ä, not full-width letters), so this folds those and nothing
  // else, whatever lower() does under the database's locale. Of names differing only in case, SQLite
  // answers the first in its (shopId, name) index: byte order.
  productByNameNocase: `SELECT ${PRODUCT_COLUMNS} FROM "Product" WHERE "shopId" = $1 AND ${asciiLower('"name"')} = ${asciiLower('$2')}
    ORDER BY "name" COLLATE "C", "id" LIMIT 1`,
  productById: `SELECT ${PRODUCT_COLUMNS} FROM "Product" WHERE "id" = $1`,
  insertProduct: `INSERT INTO "Product" ("shopId", "name", "unit", "createdAt") VALUES ($1, $2, $3, $4) RETURNING ${PRODUCT_COLUMNS}`,
  setLastCost: 'UPDATE "Product" SET "lastCost" = $1 WHERE "id" = $2',
  defaultLocation: 'SELECT "id", "shopId", "name", "isDefault" FROM "Location" WHERE "shopId" = $1 AND "isDefault" ORDER BY "id" LIMIT 1',
  locationByName: 'SELECT "id", "shopId", "name", "isDefault" FROM "Location" WHERE "shopId" = $1 AND "name" = $2',
  locationById: 'SELECT "id", "shopId", "name", "isDefault" FROM "Location" WHERE "id" = $1',
  insertLocation: 'INSERT INTO "Location" ("shopId", "name", "isDefault") VALUES ($1, $2, $3) RETURNING "id", "shopId", "name", "isDefault"',
  balance: 'SELECT "qtyMilli", "value" FROM "Balance" WHERE "productId" = $1 AND "locationId" = $2',
  balanceForUpdate: 'SELECT "qtyMilli", "value" FROM "Balance" WHERE "productId" = $1 AND "locationId" = $2 FOR UPDATE',
  insertZeroBalance: 'INSERT INTO "Balance" ("productId", "locationId", "qtyMilli", "value") VALUES ($1, $2, 0, 0) ON CONFLICT ("productId", "locationId") DO NOTHING',
  upsertBalance: `INSERT INTO "Balance" ("productId", "locationId", "qtyMilli", "value") VALUES ($1, $2, $3, $4)
    ON CONFLICT ("productId", "locationId") DO UPDATE SET "qtyMilli" = excluded."qtyMilli", "value" = excluded."value"`,
  nextSeq: 'UPDATE "Shop" SET "lastSeq" = "lastSeq" + 1 WHERE "id" = $1 RETURNING "lastSeq"',
  insertEntry: `INSERT INTO "Entry" (${ENTRY_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${ENTRY_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING "id"`,
  recentUnitPrices: `SELECT e."unitPrice" FROM "Entry" e WHERE e."productId" = $1 AND e."kind" = $2 AND e."unitPrice" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "Entry" r WHERE r."reversesId" = e."id") ORDER BY e."occurredAt" DESC, e."id" DESC LIMIT $3`,
  hasEntries: 'SELECT 1 FROM "Entry" WHERE "productId" = $1 LIMIT 1',
  chatLock: 'SELECT pg_advisory_xact_lock($1, hashtext($2))',
  findMessage: 'SELECT "id", "shopId" FROM "SourceMessage" WHERE "platform" = $1 AND "chatId" = $2 AND "messageId" = $3',
  // Locks the shop's row before the message is written (see UnitOfWork.insertMessage below).
  insertMessage: `WITH shop AS (SELECT "id" FROM "Shop" WHERE "id" = $1 FOR NO KEY UPDATE)
    INSERT INTO "SourceMessage" ("shopId", "platform", "chatId", "messageId", "text", "actorId", "actorName", "receivedAt", "importBatchId")
    SELECT shop."id", $2, $3, $4, $5, $6, $7, $8, $9 FROM shop RETURNING "id"`,
  beginImport: `INSERT INTO "ImportBatch" ("shopId", "file", "actorId", "status", "startedAt", "heartbeatAt") VALUES ($1, $2, $3, 'running', $4, $4) RETURNING "id"`,
  heartbeatImport: 'UPDATE "ImportBatch" SET "heartbeatAt" = $1 WHERE "id" = $2',
  finishImport: 'UPDATE "ImportBatch" SET "status" = $1, "finishedAt" = $2 WHERE "id" = $3',
  staleImports: `SELECT "id" FROM "ImportBatch" WHERE "shopId" = $1 AND "status" = 'running' AND "heartbeatAt" < $2 ORDER BY "id"`,
  importMessages: `SELECT MIN(e."seq") AS "seq" FROM "SourceMessage" m JOIN "Entry" e ON e."messageId" = m."id"
    WHERE m."importBatchId" = $1 AND NOT EXISTS (SELECT 1 FROM "Entry" r WHERE r."reversesId" = e."id") GROUP BY m."id" ORDER BY m."id" DESC`,
  entriesOfMessage: 'SELECT * FROM "Entry" WHERE "messageId" = $1 ORDER BY "seq"',
  entryBySeq: 'SELECT * FROM "Entry" WHERE "shopId" = $1 AND "seq" = $2',
  entryById: 'SELECT * FROM "Entry" WHERE "id" = $1',
  reversalOf: 'SELECT * FROM "Entry" WHERE "reversesId" = $1',
  lastUndoable: `SELECT e."messageId" FROM "Entry" e
    WHERE e."shopId" = $1 AND e."actorId" = $2 AND e."kind" <> 'reversal' AND e."messageId" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "Entry" r WHERE r."reversesId" = e."id")
    ORDER BY e."seq" DESC LIMIT 1`,
  shopByName: 'SELECT "id", "name", "timeZone", "digestTime" FROM "Shop" WHERE "name" = $1',
  shopById: 'SELECT "id", "name", "timeZone", "digestTime" FROM "Shop" WHERE "id" = $1',
  shops: 'SELECT "id", "name", "timeZone", "digestTime" FROM "Shop" ORDER BY "id"',
  insertShop: 'INSERT INTO "Shop" ("name", "createdAt") VALUES ($1, $2) RETURNING "id", "name", "timeZone", "digestTime"',
  stockAll: `SELECT ${STOCK_COLUMNS}
    FROM "Balance" b JOIN "Product" p ON p."id" = b."productId" JOIN "Location" l ON l."id" = b."locationId"
    WHERE p."shopId" = $1 ORDER BY p."name" COLLATE "C", l."isDefault" DESC, l."name" COLLATE "C"`,
  stockOne: `SELECT ${STOCK_COLUMNS}
    FROM "Balance" b JOIN "Product" p ON p."id" = b."productId" JOIN "Location" l ON l."id" = b."locationId"
    WHERE p."shopId" = $1 AND p."id" = $2 ORDER BY l."isDefault" DESC, l."name" COLLATE "C"`,
  productOnly: `SELECT p."id" AS "productId", p."name" AS "product", p."sku", p."unit", $1::text AS "location", 0::bigint AS "qtyMilli", 0::bigint AS "value",
    p."reorderLevel", p."overstockLevel", p."mode" FROM "Product" p WHERE p."shopId" = $2 AND p."id" = $3`,
  // SQLite's range has no upper end when none is given (it compares with 2^53 - 1 ms); here a null.
  entries: `SELECT e.*, p."name" AS "product", p."unit" AS "unit", l."name" AS "location"
    FROM "Entry" e JOIN "Product" p ON p."id" = e."productId" LEFT JOIN "Location" l ON l."id" = e."locationId"
    WHERE e."shopId" = $1 AND e."occurredAt" >= $2 AND ($3::timestamptz IS NULL OR e."occurredAt" < $3) ORDER BY e."seq"`,
  products: `SELECT ${PRODUCT_COLUMNS} FROM "Product" WHERE "shopId" = $1 ORDER BY "name" COLLATE "C"`,
  // SQLite returns these in rowid order (no ORDER BY); id is PostgreSQL's equivalent.
  aliases: 'SELECT "productId", "alias" FROM "ProductAlias" WHERE "shopId" = $1 ORDER BY "id"',
  units: 'SELECT u."productId", u."unit", u."factorMilli" FROM "ProductUnit" u JOIN "Product" p ON p."id" = u."productId" WHERE p."shopId" = $1 ORDER BY u."id"',
  catalogueVersion: 'SELECT "catalogueVersion" FROM "Shop" WHERE "id" = $1',
  insertAlias: 'INSERT INTO "ProductAlias" ("shopId", "productId", "alias") VALUES ($1, $2, $3) ON CONFLICT ("shopId", "alias") DO NOTHING',
  batchesAt: `SELECT ${BATCH_COLUMNS} FROM "Batch" b WHERE b."productId" = $1 AND b."locationId" = $2 ORDER BY b."id"`,
  batchById: `SELECT ${BATCH_COLUMNS} FROM "Batch" b WHERE b."id" = $1`,
  insertBatch: `INSERT INTO "Batch" ("productId", "locationId", "code", "expiresAt", "producedAt", "createdAt", "qtyMilli") VALUES ($1, $2, $3, $4, $5, $6, 0)
    RETURNING "id", "productId", "locationId", "code", "expiresAt", "producedAt", "qtyMilli"`,
  setBatchExpiry: 'UPDATE "Batch" SET "expiresAt" = $1 WHERE "id" = $2',
  insertBatchMove: 'INSERT INTO "BatchMove" ("entryId", "batchId", "qtyMilli") VALUES ($1, $2, $3)',
  moveBatchQty: 'UPDATE "Batch" SET "qtyMilli" = "qtyMilli" + $1 WHERE "id" = $2',
  batchMovesOf: 'SELECT "entryId", "batchId", "qtyMilli" FROM "BatchMove" WHERE "entryId" = $1 ORDER BY "id"',
  productBatches: `SELECT ${BATCH_COLUMNS}, l."name" AS "location" FROM "Batch" b JOIN "Location" l ON l."id" = b."locationId"
    JOIN "Product" p ON p."id" = b."productId"
    WHERE p."shopId" = $1 AND b."productId" = $2 AND b."qtyMilli" > 0
    ORDER BY l."isDefault" DESC, l."name" COLLATE "C", b."expiresAt" IS NULL, b."expiresAt", b."id"`,
  upsertUnit: `INSERT INTO "ProductUnit" ("productId", "unit", "factorMilli") VALUES ($1, $2, $3)
    ON CONFLICT ("productId", "unit") DO UPDATE SET "factorMilli" = excluded."factorMilli"`,
  updateShopTimeZone: 'UPDATE "Shop" SET "timeZone" = $1 WHERE "id" = $2',
  updateShopDigestTime: 'UPDATE "Shop" SET "digestTime" = $1 WHERE "id" = $2',
  // Costing in occurrence order (src/core/repost.ts); see the SQLite store for the order's definition.
  laterEntry: 'SELECT 1 FROM "Entry" WHERE "productId" = $1 AND "occurredAt" > $2 LIMIT 1',
  laterMoves: 'SELECT "qtyMilli", "valueDelta" FROM "Entry" WHERE "productId" = $1 AND "locationId" = $2 AND "occurredAt" > $3 ORDER BY "occurredAt", "seq"',
  balancesOf: 'SELECT "locationId", "qtyMilli", "value" FROM "Balance" WHERE "productId" = $1',
  // In id order, so two transactions locking the same product's rows take them in the same order.
  balancesOfForUpdate: 'SELECT "locationId", "qtyMilli", "value" FROM "Balance" WHERE "productId" = $1 ORDER BY "id" FOR UPDATE',
  repostSize: 'SELECT COUNT(*) AS "n" FROM "Entry" WHERE "productId" = $1 AND "locationId" IS NOT NULL AND ("occurredAt" > $2 OR ("occurredAt" = $2 AND "seq" >= $3))',
  settledPoint: `SELECT "occurredAt", "seq" FROM (
      SELECT "occurredAt", "seq", SUM("qtyMilli") OVER (ORDER BY "occurredAt", "seq" ROWS UNBOUNDED PRECEDING) AS run
      FROM "Entry" WHERE "productId" = $1 AND "locationId" = $2 AND ("occurredAt" < $3 OR ("occurredAt" = $3 AND "seq" < $4))) AS t
    WHERE run >= 0 ORDER BY "occurredAt" DESC, "seq" DESC LIMIT 1`,
  repostRows: `SELECT "id", "seq", "kind", "locationId", "qtyMilli", "unitPrice", "amount", "cost", "valueDelta", "occurredAt", "reversesId", "transferId" FROM "Entry"
    WHERE "productId" = $1 AND "locationId" IS NOT NULL AND ("occurredAt" > $2 OR ("occurredAt" = $2 AND "seq" >= $3)) ORDER BY "occurredAt", "id"`,
  costFigures: 'SELECT "qtyMilli", "cost", "valueDelta" FROM "Entry" WHERE "id" = $1',
  lastCostBefore: `SELECT "unitPrice" FROM "Entry" WHERE "productId" = $1 AND "kind" = 'purchase' AND "unitPrice" IS NOT NULL
    AND ("occurredAt" < $2 OR ("occurredAt" = $2 AND "seq" < $3)) ORDER BY "occurredAt" DESC, "id" DESC LIMIT 1`,
  // One statement for all of a repost's changed rows (up to thousands), not one round trip each.
  setCosts: `UPDATE "Entry" e SET "cost" = v.cost, "valueDelta" = v.delta
    FROM unnest($1::int[], $2::bigint[], $3::bigint[]) AS v(id, cost, delta) WHERE e."id" = v.id`,
  queueRepost: `INSERT INTO "PendingRepost" ("shopId", "productId", "fromOccurredAt", "fromSeq") VALUES ($1, $2, $3, $4)
    ON CONFLICT ("productId") DO UPDATE SET
      "fromOccurredAt" = CASE WHEN excluded."fromOccurredAt" < "PendingRepost"."fromOccurredAt" OR (excluded."fromOccurredAt" = "PendingRepost"."fromOccurredAt" AND excluded."fromSeq" < "PendingRepost"."fromSeq") THEN excluded."fromOccurredAt" ELSE "PendingRepost"."fromOccurredAt" END,
      "fromSeq" = CASE WHEN excluded."fromOccurredAt" < "PendingRepost"."fromOccurredAt" OR (excluded."fromOccurredAt" = "PendingRepost"."fromOccurredAt" AND excluded."fromSeq" < "PendingRepost"."fromSeq") THEN excluded."fromSeq" ELSE "PendingRepost"."fromSeq" END`,
  // Takes the shop's row first, as a message's write does (insertMessage), so the repost queue and
  // messages of one shop lock in the same order and never deadlock.
  lockShopOfProduct: 'SELECT s."id" FROM "Shop" s JOIN "Product" p ON p."shopId" = s."id" WHERE p."id" = $1 FOR NO KEY UPDATE OF s',
  dequeueRepost: 'DELETE FROM "PendingRepost" WHERE "productId" = $1 RETURNING "fromOccurredAt", "fromSeq"',
  queuedAll: 'SELECT "shopId", "productId", "fromOccurredAt", "fromSeq" FROM "PendingRepost" ORDER BY "fromOccurredAt", "fromSeq"',
  queuedOfShop: 'SELECT "shopId", "productId", "fromOccurredAt", "fromSeq" FROM "PendingRepost" WHERE "shopId" = $1 ORDER BY "fromOccurredAt", "fromSeq"',
} as const;

type Statement = keyof typeof SQL;

/** Runs one of the store's statements, prepared under its own name on the connection. */
async function run<R = Record<string, unknown>>(c: Queryable, name: Statement, values: unknown[]): Promise<R[]> {
  const result = await c.query({ name: `jxc_${name}`, text: SQL[name], values });
  return result.rows as R[];
}

async function one<R>(c: Queryable, name: Statement, values: unknown[]): Promise<R | undefined> {
  return (await run<R>(c, name, values))[0];
}

type ProductRow = Omit<ProductRecord, 'mode'> & { mode: string };
type EntryRow = Omit<EntryRecord, 'kind'> & { kind: string };

const toProduct = (r: ProductRow): ProductRecord => ({ ...r, mode: r.mode as ProductMode });
const toEntry = (r: EntryRow): EntryRecord => ({ ...r, kind: r.kind as EntryRecord['kind'] });

/**
 * What an open transaction of this store is: its connection, its unit of work, and how it was
 * opened. Kept in an AsyncLocalStorage so the calls made inside `work` (and only those, never another
 * message's concurrent call) find it.
 */
interface Scope {
  client: pg.ClientBase;
  uow: UnitOfWork;
  /** write: transaction(); read: read(); batch: batch(), whose transaction() calls join it. */
  kind: 'write' | 'read' | 'batch';
  /** Savepoints opened so far on this connection, for unique names. */
  savepoints: { n: number };
  /** Done after the outermost COMMIT (caching what the transaction read is only safe once it is kept). */
  afterCommit: (() => void)[];
}

/**
 * The inventory store on PostgreSQL through plain `pg` (prepared statements, one pooled connection
 * per transaction), on the schema of prisma/postgresql/schema.prisma: the same semantics, ordering
 * and results as the SQLite store (src/adapters/prisma/sqlite-store.ts), for several bot processes
 * sharing one database. Plain `pg` rather than Prisma Client because the write path is a chain of
 * small statements in one transaction, where Prisma's interactive transactions cost about four times
 * as much.
 *
 * Concurrency. SQLite has one writer at a time; here several transactions run at once, so:
 * - a write reads each balance with SELECT … FOR UPDATE (creating the row with zeros first when it
 *   is missing), so two processes recording the same product never lose an update;
 * - findMessage, the first call of every message's write, takes a transaction-scoped advisory lock on
 *   the chat, so one chat's messages are applied one at a time, in the order they got the lock, by
 *   whichever processes handle them;
 * - insertMessage locks the shop's row, which every write of the shop then updates anyway (nextSeq),
 *   so writes of one shop take their locks in one order and cannot deadlock one another.
 */
export class PgStore implements LedgerStore {
  private readonly scope = new AsyncSlot<Scope>();
  private readonly defaultLocations = new Map<number, LocationRecord>();
  /** The scratch copy's queue: its one connection serves one call at a time. */
  private pinnedQueue: Promise<unknown> = Promise.resolve();

  /**
   * @param pool the process's pool (openPgPool).
   * @param pinned for a scratch copy (withScratchCopy): the connection whose open transaction the
   *   copy lives in, to be rolled back at the end; its transactions are savepoints inside it.
   */
  constructor(
    readonly pool: pg.Pool,
    private readonly pinned?: pg.ClientBase,
  ) {}

  // --- transactions ------------------------------------------------------------------------------

  transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const open = this.scope.get();
    // Inside a batch: join it, without a savepoint (the port's contract; a refusal leaves its
    // partial writes and the batch's caller rolls the whole batch back).
    if (open?.kind === 'batch') return work(open.uow);
    if (open) return this.savepoint(open, () => work(open.uow));
    return this.outermost('write', (scope) => work(scope.uow));
  }

  read<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const open = this.scope.get();
    // Inside a write: read through the same connection (seeing its writes), as SQLite does.
    if (open) {
      const uow = this.unitOfWork(open.client, 'read', open);
      return this.scope.run({ ...open, kind: 'read', uow }, () => work(uow));
    }
    return this.outermost('read', (scope) => work(scope.uow));
  }

  batch<T>(work: () => Promise<T>): Promise<T> {
    const open = this.scope.get();
    if (open?.kind === 'batch') return work();
    // No read cache here (the SQLite store's BatchCache): correctness first; the batch already saves
    // a commit and a connection per message.
    return this.transaction(() => {
      const inside = this.scope.get() as Scope;
      return this.scope.run({ ...inside, kind: 'batch' }, work);
    });
  }

  /**
   * Runs `work` against a dry-run view of this database: one connection in one transaction that is
   * always rolled back, whose own transaction(), read() and batch() are savepoints inside it, so the
   * dry run behaves exactly like the real thing (same checks, same numbers) and leaves nothing. Rows
   * it writes stay locked until it ends, so real writes of the same shop wait for a dry run.
   */
  async withScratchCopy<T>(work: (store: InventoryStore) => Promise<T>): Promise<T> {
    if (this.pinned) {
      // A dry run inside a dry run: a savepoint always rolled back (not queued: `work` uses this store).
      const pinned = this.pinned;
      await pinned.query('SAVEPOINT jxc_scratch');
      try {
        return await work(this);
      } finally {
        await pinned.query('ROLLBACK TO SAVEPOINT jxc_scratch');
        await pinned.query('RELEASE SAVEPOINT jxc_scratch');
      }
    }
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      return await work(new PgStore(this.pool, client));
    } finally {
      await client.query('ROLLBACK').catch((error: Error) => (broken = error));
      client.release(broken);
    }
  }

  /** A transaction of its own: a pooled connection (or, in a scratch copy, a savepoint on it). */
  private async outermost<T>(kind: 'write' | 'read', work: (scope: Scope) => Promise<T>): Promise<T> {
    if (this.pinned) {
      const client = this.pinned;
      return this.onPinned(() => {
        const scope = this.newScope(client, kind);
        return this.scope.run(scope, () => this.savepoint(scope, () => work(scope)));
      });
    }
    const client = await this.pool.connect();
    const scope = this.newScope(client, kind);
    // A connection that failed to begin, commit or roll back is closed, not handed out again.
    let broken: Error | undefined;
    const session = (sql: string) =>
      client.query(sql).catch((error: Error) => {
        broken = error;
        throw error;
      });
    try {
      await session(kind === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      let result: T;
      try {
        result = await this.scope.run(scope, () => work(scope));
      } catch (error) {
        await session('ROLLBACK').catch(() => undefined);
        throw error;
      }
      await session('COMMIT');
      for (const done of scope.afterCommit) done();
      return result;
    } finally {
      client.release(broken);
    }
  }

  private newScope(client: pg.ClientBase, kind: 'write' | 'read'): Scope {
    const scope: Scope = { client, kind, uow: undefined as unknown as UnitOfWork, savepoints: { n: 0 }, afterCommit: [] };
    scope.uow = this.unitOfWork(client, kind, scope);
    return scope;
  }

  /** `work` inside a savepoint of the open transaction: rolled back to it on a throw. */
  private async savepoint<T>(scope: Scope, work: () => Promise<T>): Promise<T> {
    const name = `jxc_sp_${++scope.savepoints.n}`;
    await scope.client.query(`SAVEPOINT ${name}`);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await scope.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await scope.client.query(`RELEASE SAVEPOINT ${name}`);
      throw error;
    }
    await scope.client.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  }

  /** One call at a time on the scratch copy's connection. */
  private onPinned<T>(work: () => Promise<T>): Promise<T> {
    const next = this.pinnedQueue.then(work, work);
    this.pinnedQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * Where a store-level call (stock(), createShop()…) sends its statements: the open transaction's
   * connection when called inside one (so it sees that transaction's writes and never waits on its
   * locks), the scratch copy's connection, or the pool (one statement, its own transaction).
   */
  private on<T>(work: (c: Queryable) => Promise<T>): Promise<T> {
    const open = this.scope.get();
    if (open) return work(open.client);
    if (this.pinned) {
      const pinned = this.pinned;
      return this.onPinned(() => work(pinned));
    }
    return work(this.pool);
  }

  // --- shops and the catalogue -------------------------------------------------------------------

  async shopByName(name: string): Promise<ShopRecord | undefined> {
    return this.on((c) => one<ShopRecord>(c, 'shopByName', [name]));
  }

  async shopById(id: number): Promise<ShopRecord | undefined> {
    return this.on((c) => one<ShopRecord>(c, 'shopById', [id]));
  }

  async listShops(): Promise<ShopRecord[]> {
    return this.on((c) => run<ShopRecord>(c, 'shops', []));
  }

  /** A shop and its default location, together or not at all. */
  async createShop(name: string, now: Date): Promise<ShopRecord> {
    return this.transaction(async () => {
      const { client } = this.scope.get() as Scope;
      const shop = (await one<ShopRecord>(client, 'insertShop', [name, now])) as ShopRecord;
      await run(client, 'insertLocation', [shop.id, DEFAULT_LOCATION, true]);
      return shop;
    });
  }

  async stock(shopId: number, productId?: number): Promise<StockRow[]> {
    return this.on(async (c) => {
      if (productId === undefined) return run<StockRow>(c, 'stockAll', [shopId]);
      const rows = await run<StockRow>(c, 'stockOne', [shopId, productId]);
      if (rows.length > 0) return rows;
      return run<StockRow>(c, 'productOnly', [DEFAULT_LOCATION, shopId, productId]);
    });
  }

  async batches(shopId: number, productId: number): Promise<(BatchRecord & { location: string })[]> {
    return this.on((c) => run<BatchRecord & { location: string }>(c, 'productBatches', [shopId, productId]));
  }

  async entries(shopId: number, range: { from?: Date; to?: Date } = {}): Promise<EntryView[]> {
    const rows = await this.on((c) => run<EntryRow & { product: string; unit: string; location: string | null }>(c, 'entries', [shopId, range.from ?? new Date(0), range.to ?? null]));
    return rows.map((r) => ({ ...toEntry(r), product: r.product, unit: r.unit, location: r.location }));
  }

  async products(shopId: number): Promise<ProductRecord[]> {
    return (await this.on((c) => run<ProductRow>(c, 'products', [shopId]))).map(toProduct);
  }

  async aliases(shopId: number): Promise<{ productId: number; alias: string }[]> {
    return this.on((c) => run<{ productId: number; alias: string }>(c, 'aliases', [shopId]));
  }

  async units(shopId: number): Promise<{ productId: number; unit: string; factorMilli: number }[]> {
    return this.on((c) => run<{ productId: number; unit: string; factorMilli: number }>(c, 'units', [shopId]));
  }

  async catalogueVersion(shopId: number): Promise<number> {
    return (await this.on((c) => one<{ catalogueVersion: number }>(c, 'catalogueVersion', [shopId])))?.catalogueVersion ?? 0;
  }

  async updateProduct(shopId: number, productId: number, patch: ProductPatch): Promise<void> {
    const keys = Object.keys(patch).filter((k) => PRODUCT_PATCH_KEYS.has(k));
    if (keys.length === 0) return;
    // Not a named statement: its text depends on the keys given.
    const sql = `UPDATE "Product" SET ${keys.map((k, i) => `"${k}" = $${i + 1}`).join(', ')} WHERE "shopId" = $${keys.length + 1} AND "id" = $${keys.length + 2}`;
    await this.on((c) => c.query(sql, [...keys.map((k) => patch[k as keyof ProductPatch] ?? null), shopId, productId]));
  }

  async addAlias(shopId: number, productId: number, alias: string): Promise<boolean> {
    return this.on(async (c) => (await c.query({ name: 'jxc_insertAlias', text: SQL.insertAlias, values: [shopId, productId, alias] })).rowCount === 1);
  }

  async setUnit(productId: number, unit: string, factorMilli: number): Promise<void> {
    await this.on((c) => run(c, 'upsertUnit', [productId, unit, factorMilli]));
  }

  async recentUnitPrices(productId: number, kind: 'sale' | 'purchase', limit: number): Promise<number[]> {
    return (await this.on((c) => run<{ unitPrice: number }>(c, 'recentUnitPrices', [productId, kind, limit]))).map((r) => r.unitPrice);
  }

  async hasEntries(productId: number): Promise<boolean> {
    return (await this.on((c) => run(c, 'hasEntries', [productId]))).length > 0;
  }

  async updateShop(shopId: number, patch: Partial<Pick<ShopRecord, 'timeZone' | 'digestTime'>>): Promise<void> {
    await this.on(async (c) => {
      if (patch.timeZone !== undefined) await run(c, 'updateShopTimeZone', [patch.timeZone, shopId]);
      if (patch.digestTime !== undefined) await run(c, 'updateShopDigestTime', [patch.digestTime, shopId]);
    });
  }

  async queuedReposts(shopId?: number): Promise<QueuedRepost[]> {
    type Row = { shopId: number; productId: number; fromOccurredAt: Date; fromSeq: number };
    const rows = await this.on((c) => (shopId === undefined ? run<Row>(c, 'queuedAll', []) : run<Row>(c, 'queuedOfShop', [shopId])));
    return rows.map((r) => ({ shopId: r.shopId, productId: r.productId, from: { occurredAt: r.fromOccurredAt, seq: r.fromSeq } }));
  }

  // --- chunked imports ---------------------------------------------------------------------------

  async beginImport(shopId: number, file: string, actorId: string, now: Date): Promise<number> {
    return ((await this.on((c) => one<{ id: number }>(c, 'beginImport', [shopId, file, actorId, now]))) as { id: number }).id;
  }

  async heartbeatImport(batchId: number, now: Date): Promise<void> {
    await this.on((c) => run(c, 'heartbeatImport', [now, batchId]));
  }

  async finishImport(batchId: number, status: 'done' | 'undone', now: Date): Promise<void> {
    await this.on((c) => run(c, 'finishImport', [status, now, batchId]));
  }

  async staleImports(shopId: number, before: Date): Promise<number[]> {
    return (await this.on((c) => run<{ id: number }>(c, 'staleImports', [shopId, before]))).map((r) => r.id);
  }

  async importMessages(batchId: number): Promise<number[]> {
    return (await this.on((c) => run<{ seq: number }>(c, 'importMessages', [batchId]))).map((r) => r.seq);
  }

  // --- the unit of work --------------------------------------------------------------------------

  /** The rows a repost of `productId` folds; see UnitOfWork.repostRows and the SQLite store's twin. */
  private repostInput(c: pg.ClientBase, lock: boolean, productId: number, requested: RepostFrom): Promise<RepostInput> {
    type Row = Omit<CostedRow, 'kind'> & { kind: string };
    // In a write the product's balance rows are locked, so the rows and balances read stay together.
    const steps = repostInputSteps<At>(productId, { at: requested.occurredAt, seq: requested.seq }, BEGINNING);
    return repostInputAsync(steps, async (q) => {
      switch (q.read) {
        case 'rows':
          return (await run<Row>(c, 'repostRows', [productId, q.at, q.seq])).map((r): CostedRow => ({ ...r, kind: r.kind as CostedRow['kind'] }));
        case 'balances':
          return run<{ locationId: number; qtyMilli: number; value: number }>(c, lock ? 'balancesOfForUpdate' : 'balancesOf', [productId]);
        case 'settledPoint': {
          const point = await one<{ occurredAt: Date; seq: number }>(c, 'settledPoint', [productId, q.locationId, q.at, q.seq]);
          return point && { at: point.occurredAt, seq: point.seq };
        }
        case 'costFigures':
          return one<CostFigures>(c, 'costFigures', [q.id]);
        case 'lastCostBefore':
          return (await one<{ unitPrice: number }>(c, 'lastCostBefore', [productId, q.at, q.seq]))?.unitPrice ?? null;
      }
    });
  }

  /**
   * The unit of work on one connection. `write`: balances are read locked (FOR UPDATE) and the chat's
   * advisory lock is taken; `read`: plain reads, no locks (writing fails: the transaction is READ ONLY).
   */
  private unitOfWork(c: pg.ClientBase, mode: 'write' | 'read', scope: Scope): UnitOfWork {
    const write = mode === 'write';
    const locations = this.defaultLocations;
    // A dry run's messages are never kept, so it needs no place in a chat's order (and must not
    // hold a real chat's messages back while it runs).
    const chatOrder = write && !this.pinned;
    const balance = async (productId: number, locationId: number): Promise<BalanceRecord> => {
      if (!write) return (await one<BalanceRecord>(c, 'balance', [productId, locationId])) ?? { qtyMilli: 0, value: 0 };
      let row = await one<BalanceRecord>(c, 'balanceForUpdate', [productId, locationId]);
      if (!row) {
        // A missing row cannot be locked: create it (a concurrent creator makes this wait for its
        // commit, then do nothing), then lock whichever row is there.
        await run(c, 'insertZeroBalance', [productId, locationId]);
        row = await one<BalanceRecord>(c, 'balanceForUpdate', [productId, locationId]);
      }
      return row ?? { qtyMilli: 0, value: 0 };
    };
    const entry = async (name: 'entryBySeq' | 'entryById' | 'reversalOf', values: unknown[]) => {
      const row = await one<EntryRow>(c, name, values);
      return row && toEntry(row);
    };
    return {
      findProduct: async (shopId, name) => {
        const row =
          (await one<ProductRow>(c, 'productByName', [shopId, name])) ??
          (await one<ProductRow>(c, 'productByAlias', [shopId, name])) ??
          (await one<ProductRow>(c, 'productByNameNocase', [shopId, name]));
        return row && toProduct(row);
      },
      createProduct: async (shopId, name, unit, now) => toProduct((await one<ProductRow>(c, 'insertProduct', [shopId, name, unit, now])) as ProductRow),
      setLastCost: async (productId, cents) => {
        await run(c, 'setLastCost', [cents, productId]);
      },
      defaultLocation: async (shopId) => {
        const cached = locations.get(shopId);
        if (cached) return cached;
        const found = await one<LocationRecord>(c, 'defaultLocation', [shopId]);
        const location = found ?? ((await one<LocationRecord>(c, 'insertLocation', [shopId, DEFAULT_LOCATION, true])) as LocationRecord);
        // Remembered once the transaction is kept: a location created by one rolled back is gone.
        scope.afterCommit.push(() => locations.set(shopId, location));
        return location;
      },
      findLocation: (shopId, name) => one<LocationRecord>(c, 'locationByName', [shopId, name]),
      createLocation: async (shopId, name) => (await one<LocationRecord>(c, 'insertLocation', [shopId, name, false])) as LocationRecord,
      balance,
      // A plain read: no FOR UPDATE (see the port), so a redelivery's answer never waits on or blocks a write.
      currentBalance: async (productId, locationId) => (await one<BalanceRecord>(c, 'balance', [productId, locationId])) ?? { qtyMilli: 0, value: 0 },
      setBalance: async (productId, locationId, b) => {
        await run(c, 'upsertBalance', [productId, locationId, b.qtyMilli, b.value]);
      },
      nextSeq: async (shopId) => ((await one<{ lastSeq: number }>(c, 'nextSeq', [shopId])) as { lastSeq: number }).lastSeq,
      insertEntry: async (e: NewEntry, seq: number): Promise<EntryRecord> => {
        const row = (await one<{ id: number }>(c, 'insertEntry', [
          e.shopId, seq, e.kind, e.productId, e.locationId, e.qtyMilli, e.unitPrice, e.amount, e.cost, e.valueDelta, e.channel, e.counterparty,
          e.note ?? null, e.supplier ?? null, e.occurredAt, e.recordedAt, e.actorId, e.actorName, e.messageId, e.reversesId, e.replacesId, e.transferId,
        ])) as { id: number };
        // As the SQLite store does: the entry given becomes the record (callers keep using it).
        return Object.assign(e as EntryRecord, { id: row.id, seq });
      },
      findMessage: async (source: SourceInput) => {
        // Every message's write starts here: wait for the chat's earlier messages (in any process)
        // to commit first, so a chat's messages apply one at a time and a redelivered one is found.
        if (chatOrder) await run(c, 'chatLock', [CHAT_LOCK_CLASS, JSON.stringify([source.platform, source.chatId])]);
        return one<{ id: number; shopId: number }>(c, 'findMessage', [source.platform, source.chatId, source.messageId]);
      },
      /**
       * Records the message; its platform + chat + message id is unique. Should the same message be
       * written by two transactions at once anyway (the chat lock makes that rare: a hash collision,
       * a batch holding the chat), the second fails with the database's unique_violation: a pg
       * DatabaseError whose `code` is '23505' (UNIQUE_VIOLATION), passed on as is for the caller to
       * treat as a duplicate. Also locks the shop's row first (FOR NO KEY UPDATE, what nextSeq's
       * UPDATE takes anyway), so two messages of one shop never lock balances in opposite orders.
       */
      insertMessage: async (shopId, source, now) => {
        const row = await one<{ id: number }>(c, 'insertMessage', [
          shopId, source.platform, source.chatId, source.messageId, source.text, source.actorId, source.actorName ?? null, now, source.importBatchId ?? null,
        ]);
        if (!row) throw new Error(`no shop ${shopId} to record message ${source.messageId} in`);
        return row.id;
      },
      entriesOfMessage: async (messageId) => (await run<EntryRow>(c, 'entriesOfMessage', [messageId])).map(toEntry),
      entryBySeq: (shopId, seq) => entry('entryBySeq', [shopId, seq]),
      entryById: (id) => entry('entryById', [id]),
      reversalOf: (entryId) => entry('reversalOf', [entryId]),
      lastUndoableMessage: async (shopId, actorId) => (await one<{ messageId: number }>(c, 'lastUndoable', [shopId, actorId]))?.messageId,
      productById: async (id) => toProduct((await one<ProductRow>(c, 'productById', [id])) as ProductRow),
      locationById: async (id) => (await one<LocationRecord>(c, 'locationById', [id])) as LocationRecord,
      stockAsOf: async (productId, locationId, at): Promise<StockAsOf | undefined> => {
        if ((await run(c, 'laterEntry', [productId, at])).length === 0) return undefined;
        // The balance less what moved after `at`; the lowest point is found on the way.
        const later = await run<{ qtyMilli: number; valueDelta: number }>(c, 'laterMoves', [productId, locationId, at]);
        return stockBeforeLater(await balance(productId, locationId), later);
      },
      repostSize: async (productId, from) => ((await one<{ n: number }>(c, 'repostSize', [productId, from.occurredAt, from.seq])) as { n: number }).n,
      repostRows: (productId, from) => this.repostInput(c, write, productId, from),
      applyRepost: async (out: RepostOutput) => {
        if (out.changed.length > 0) {
          await run(c, 'setCosts', [out.changed.map((x) => x.id), out.changed.map((x) => x.cost), out.changed.map((x) => x.valueDelta)]);
        }
        for (const [locationId, b] of out.closing) await run(c, 'upsertBalance', [out.productId, locationId, b.qtyMilli, b.value]);
        if (out.lastCost !== null) await run(c, 'setLastCost', [out.lastCost, out.productId]);
      },
      queueRepost: async (shopId, productId, from) => {
        await run(c, 'queueRepost', [shopId, productId, from.occurredAt, from.seq]);
      },
      dequeueRepost: async (productId) => {
        if (write) await run(c, 'lockShopOfProduct', [productId]);
        const row = await one<{ fromOccurredAt: Date; fromSeq: number }>(c, 'dequeueRepost', [productId]);
        return row && { occurredAt: row.fromOccurredAt, seq: row.fromSeq };
      },
      batchesAt: (productId, locationId) => run<BatchRecord>(c, 'batchesAt', [productId, locationId]),
      createBatch: async (b, now) => (await one<BatchRecord>(c, 'insertBatch', [b.productId, b.locationId, b.code, b.expiresAt, b.producedAt, now])) as BatchRecord,
      setBatchExpiry: async (batchId, expiresAt) => {
        await run(c, 'setBatchExpiry', [expiresAt, batchId]);
      },
      moveBatch: async (move: BatchMoveRecord) => {
        await run(c, 'insertBatchMove', [move.entryId, move.batchId, move.qtyMilli]);
        await run(c, 'moveBatchQty', [move.qtyMilli, move.batchId]);
      },
      batchMovesOf: (entryId) => run<BatchMoveRecord>(c, 'batchMovesOf', [entryId]),
      batchById: async (id) => (await one<BatchRecord>(c, 'batchById', [id])) as BatchRecord,
    };
  }
}
