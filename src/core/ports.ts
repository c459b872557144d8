/**
 * What the core needs from the outside world. Adapters (src/adapters/prisma) implement these.
 */
import type { RepostFrom, RepostInput, RepostOutput } from './repost.ts';

export type EntryKind =
  | 'purchase'
  | 'sale'
  | 'customer_return'
  | 'supplier_return'
  | 'adjustment'
  | 'transfer_out'
  | 'transfer_in'
  | 'reversal';

export type ProductMode = 'normal' | 'presale' | 'dropship';

export interface ProductRecord {
  id: number;
  shopId: number;
  name: string;
  sku: string | null;
  unit: string;
  salePrice: number | null;
  lastCost: number | null;
  reorderLevel: number | null;
  overstockLevel: number | null;
  leadTimeDays: number | null;
  mode: ProductMode;
  /** 一件代发: the supplier who ships it; absent or null when none is set. */
  dropshipSupplier?: string | null;
  /** 一件代发: the unit cost in 分 agreed with the supplier; absent or null when none is set. */
  dropshipCost?: number | null;
}

/** The product fields a setting changes. */
export type ProductPatch = Partial<
  Pick<ProductRecord, 'sku' | 'salePrice' | 'reorderLevel' | 'overstockLevel' | 'leadTimeDays' | 'mode' | 'unit' | 'dropshipSupplier' | 'dropshipCost'>
>;

export interface LocationRecord {
  id: number;
  shopId: number;
  name: string;
  isDefault: boolean;
}

export interface BalanceRecord {
  qtyMilli: number;
  value: number;
}

/** A batch of a product at a location (see prisma/schema.prisma); `qtyMilli` is what is left of it. */
export interface BatchRecord {
  id: number;
  productId: number;
  locationId: number;
  code: string | null;
  /** Start of the last good day in the shop's time zone; null when unknown. */
  expiresAt: Date | null;
  producedAt: Date | null;
  qtyMilli: number;
}

/** What one entry moved into (+) or out of (−) one batch. */
export interface BatchMoveRecord {
  entryId: number;
  batchId: number;
  qtyMilli: number;
}

export interface ShopRecord {
  id: number;
  name: string;
  timeZone: string;
  digestTime: string;
}

/** A ledger line as written; see prisma/schema.prisma for the meaning of each field. */
export interface NewEntry {
  shopId: number;
  kind: EntryKind;
  productId: number;
  locationId: number | null;
  qtyMilli: number;
  unitPrice: number | null;
  amount: number;
  cost: number;
  valueDelta: number;
  channel: string | null;
  counterparty: string | null;
  /** Free words kept with the entry (`单号 778899`); absent or null when none were written. */
  note?: string | null;
  /** The supplier owed this entry's cost (a 一件代发 sale or its return); absent or null otherwise. */
  supplier?: string | null;
  occurredAt: Date;
  recordedAt: Date;
  actorId: string;
  actorName: string | null;
  messageId: number | null;
  reversesId: number | null;
  replacesId: number | null;
  transferId: number | null;
}

export interface EntryRecord extends NewEntry {
  id: number;
  seq: number;
}

/** Where a write came from: one chat message (or console line, or import row). */
export interface SourceInput {
  platform: string;
  chatId: string;
  messageId: string;
  text: string;
  actorId: string;
  actorName?: string | undefined;
  /** The chunked import this row belongs to (see ImportBatch), so a stopped import is undone whole. */
  importBatchId?: number | undefined;
}

/**
 * The store's view inside one write transaction. A write reads a balance, computes the cost and
 * writes the result while holding what it changes (SQLite: the database's write lock; PostgreSQL:
 * the balance rows, locked as they are read), which is what keeps valuation exact and a message's
 * items all-or-none. Throwing inside rolls back. Asynchronous so a server database fits the same
 * port; on SQLite every call settles at once.
 */
export interface UnitOfWork {
  findProduct(shopId: number, nameOrAlias: string): Promise<ProductRecord | undefined>;
  createProduct(shopId: number, name: string, unit: string, now: Date): Promise<ProductRecord>;
  setLastCost(productId: number, cents: number): Promise<void>;
  defaultLocation(shopId: number): Promise<LocationRecord>;
  findLocation(shopId: number, name: string): Promise<LocationRecord | undefined>;
  createLocation(shopId: number, name: string): Promise<LocationRecord>;
  balance(productId: number, locationId: number): Promise<BalanceRecord>;
  /**
   * The balance as it stands, read without holding it: for answering a redelivered message, which
   * changes nothing. Its transaction has not taken the shop's write order (insertMessage), so holding
   * balances there would take them in another order than the writes do and could deadlock them.
   */
  currentBalance(productId: number, locationId: number): Promise<BalanceRecord>;
  setBalance(productId: number, locationId: number, balance: BalanceRecord): Promise<void>;
  /** Hands out the shop's next entry number (#seq). */
  nextSeq(shopId: number): Promise<number>;
  insertEntry(entry: NewEntry, seq: number): Promise<EntryRecord>;
  /** The message already applied with this platform + chat + message id, if any. */
  findMessage(source: SourceInput): Promise<{ id: number; shopId: number } | undefined>;
  insertMessage(shopId: number, source: SourceInput, now: Date): Promise<number>;
  entriesOfMessage(messageId: number): Promise<EntryRecord[]>;
  entryBySeq(shopId: number, seq: number): Promise<EntryRecord | undefined>;
  entryById(id: number): Promise<EntryRecord | undefined>;
  /** The reversal of an entry, if it was undone. */
  reversalOf(entryId: number): Promise<EntryRecord | undefined>;
  /** The actor's latest message in the shop that still has entries not undone. */
  lastUndoableMessage(shopId: number, actorId: string): Promise<number | undefined>;
  productById(id: number): Promise<ProductRecord>;
  locationById(id: number): Promise<LocationRecord>;

  // Costing in occurrence order (see repost.ts).
  /**
   * Undefined when no entry of the product is dated after `at` (the write is in order). Otherwise the
   * location's stock as of `at` (entries dated at or before it) and the least its stock comes to from
   * then on (`lowestLaterMilli`: what an entry dated `at` may still take out).
   */
  stockAsOf(productId: number, locationId: number, at: Date): Promise<StockAsOf | undefined>;
  /** How many of the product's entries a repost from `from` would fold. */
  repostSize(productId: number, from: RepostFrom): Promise<number>;
  /**
   * The product's rows from `from` on (moved back to where no location still owes presale units),
   * with what the fold needs from before them.
   */
  repostRows(productId: number, from: RepostFrom): Promise<RepostInput>;
  /** Writes a repost's changed costs, its locations' stock and the product's latest cost. */
  applyRepost(out: RepostOutput): Promise<void>;
  /** Leaves a long repost to be finished shortly after the transaction (the earlier start is kept). */
  queueRepost(shopId: number, productId: number, from: RepostFrom): Promise<void>;
  /** Takes the product's queued repost off the queue, returning where it starts. */
  dequeueRepost(productId: number): Promise<RepostFrom | undefined>;
  /** Every batch of a product at a location, used up or not, oldest first. */
  batchesAt(productId: number, locationId: number): Promise<BatchRecord[]>;
  createBatch(batch: Omit<BatchRecord, 'id' | 'qtyMilli'>, now: Date): Promise<BatchRecord>;
  /** Sets an expiry date on a batch that had none. */
  setBatchExpiry(batchId: number, expiresAt: Date): Promise<void>;
  /** Records what an entry moved into or out of a batch and moves the batch's quantity by it. */
  moveBatch(move: BatchMoveRecord): Promise<void>;
  batchMovesOf(entryId: number): Promise<BatchMoveRecord[]>;
  batchById(id: number): Promise<BatchRecord>;
}

/** A location's stock as of a past moment; see UnitOfWork.stockAsOf. */
export interface StockAsOf extends BalanceRecord {
  lowestLaterMilli: number;
}

/** A repost waiting in the queue; reports over a period that ends after `from` are being updated. */
export interface QueuedRepost {
  shopId: number;
  productId: number;
  from: RepostFrom;
}

export interface StockRow {
  productId: number;
  product: string;
  sku: string | null;
  unit: string;
  location: string;
  qtyMilli: number;
  value: number;
  reorderLevel: number | null;
  overstockLevel: number | null;
  mode: ProductMode;
}

export interface EntryView extends EntryRecord {
  product: string;
  unit: string;
  location: string | null;
}

/** The store as the core sees it: one write transaction plus read queries, all scoped to a shop. */
export interface InventoryStore {
  transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  /**
   * Reads through the unit of work in one consistent snapshot without taking the write lock, so a
   * query never waits behind a long write (an import) and never makes a writer wait. Writing inside
   * is an error.
   */
  read<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  /**
   * One write transaction around many messages (an import's batch): inside it, transaction() calls
   * join the batch without a savepoint of their own, and the store may cache reads and hold balance
   * writes until the end. A refusal inside therefore leaves its partial writes: throw out of `work`
   * to roll the whole batch back. (A store used by concurrent callers must scope the batch to its
   * caller, so another message's transaction never joins it.)
   */
  batch<T>(work: () => Promise<T>): Promise<T>;
  shopByName(name: string): Promise<ShopRecord | undefined>;
  shopById(id: number): Promise<ShopRecord | undefined>;
  listShops(): Promise<ShopRecord[]>;
  createShop(name: string, now: Date): Promise<ShopRecord>;
  stock(shopId: number, productId?: number): Promise<StockRow[]>;
  /** A product's batches with stock left, per location, first-expiring first (`查 牛奶`). */
  batches(shopId: number, productId: number): Promise<(BatchRecord & { location: string })[]>;
  entries(shopId: number, range?: { from?: Date; to?: Date }): Promise<EntryView[]>;
  products(shopId: number): Promise<ProductRecord[]>;
  aliases(shopId: number): Promise<{ productId: number; alias: string }[]>;
  units(shopId: number): Promise<{ productId: number; unit: string; factorMilli: number }[]>;
  /**
   * A number that moves whenever the shop's catalogue (products' names and units, aliases, unit
   * conversions) changes, by any process; cheap enough to read before every message.
   */
  catalogueVersion(shopId: number): Promise<number>;
  updateProduct(shopId: number, productId: number, patch: ProductPatch): Promise<void>;
  addAlias(shopId: number, productId: number, alias: string): Promise<boolean>;
  setUnit(productId: number, unit: string, factorMilli: number): Promise<void>;
  /** Unit prices of the product's latest entries of `kind` that were not undone, newest first. */
  recentUnitPrices(productId: number, kind: 'sale' | 'purchase', limit: number): Promise<number[]>;
  /** True when any ledger entry names the product. */
  hasEntries(productId: number): Promise<boolean>;
  updateShop(shopId: number, patch: Partial<Pick<ShopRecord, 'timeZone' | 'digestTime'>>): Promise<void>;
  /** Reposts still queued (all shops, or one), oldest start first. */
  queuedReposts(shopId?: number): Promise<QueuedRepost[]>;
}

/**
 * What a chunked import needs beyond the inventory port: an import batch id its rows' messages carry,
 * so a stopped import can be undone whole (see src/adapters/files/import.ts).
 */
export interface ImportBatches {
  beginImport(shopId: number, file: string, actorId: string, now: Date): Promise<number>;
  /** Says a chunked import is still alive (called after each committed chunk). */
  heartbeatImport(batchId: number, now: Date): Promise<void>;
  finishImport(batchId: number, status: 'done' | 'undone', now: Date): Promise<void>;
  /** Imports of a shop still marked running whose heartbeat stopped before `before`: killed midway. */
  staleImports(shopId: number, before: Date): Promise<number[]>;
  /** The first entry number of each message of an import with entries not undone, newest message first. */
  importMessages(batchId: number): Promise<number[]>;
}

/** A store that can lend a throwaway copy of itself, so a dry run behaves exactly like the real thing and keeps nothing. */
export interface ScratchCopies {
  withScratchCopy<T>(work: (store: InventoryStore) => Promise<T>): Promise<T>;
}

/** The inventory store of a database: the port, chunked imports and dry runs. */
export type LedgerStore = InventoryStore & ImportBatches & ScratchCopies;

/** The time source; tests inject a fixed one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
