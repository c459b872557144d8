import { Refusal, fail, ok, type Result } from './failures.ts';
import type { WriteOutcome } from './ledger-requests.ts';
import type {
  BalanceRecord,
  EntryRecord,
  EntryView,
  InventoryStore,
  LocationRecord,
  NewEntry,
  ProductRecord,
  SourceInput,
  UnitOfWork,
} from './ports.ts';
import { earlierFrom, repost, type RepostFrom } from './repost.ts';
import { settledValueDelta } from './valuation.ts';

/**
 * One source message applied to the ledger: the write transaction that makes it at most once and
 * all-or-none, and the few steps every kind of entry shares (find its product and location, refuse
 * more than is on hand, write the entry and move its balance).
 */

/** What a write sees while its message's transaction is open. */
export interface LedgerTx {
  uow: UnitOfWork;
  shopId: number;
  source: SourceInput;
  messageId: number;
  now: Date;
  occurredAt: Date;
  out: WriteOutcome;
  /** Products whose later entries must be costed again (repost.ts), from where; done before commit. */
  reposts: Map<number, RepostFrom>;
}

/**
 * A location's stock as an entry dated `tx.occurredAt` sees it. For an entry recorded after later
 * ones (backdated), `asOf` is that time, the figures are the stock then, and `availableMilli` is what
 * may still leave without taking any later moment below zero.
 */
export interface StockAt extends BalanceRecord {
  availableMilli: number;
  asOf: Date | null;
}

/** Up to this many entries are costed again inside the write; a longer history is queued. */
export const INLINE_REPOST_ROWS = 2000;

/** Words for "the main warehouse" that mean the default location when no place has that name. */
const MAIN_WAREHOUSE: ReadonlySet<string> = new Set(['仓库', '总仓', '主仓', '大仓', '库房', '总库', '默认仓']);

/**
 * Applies `work` for one source message in one store transaction. A message already applied
 * writes nothing and answers with its entries (`duplicate`); a Refusal thrown by `work` rolls the
 * message back and comes out as a failed result.
 */
export async function runMessage<T>(
  store: InventoryStore,
  now: Date,
  shopId: number,
  source: SourceInput,
  occurredAt: Date | undefined,
  work: (tx: LedgerTx) => Promise<T>,
  retried = false,
): Promise<Result<{ out: WriteOutcome; extra: T | undefined }>> {
  try {
    return ok(
      await store.transaction(async (uow) => {
        const out: WriteOutcome = { duplicate: false, entries: [], after: [], createdProducts: [], createdLocations: [], batches: [] };
        const seen = await uow.findMessage(source);
        if (seen) {
          out.duplicate = true;
          for (const e of await uow.entriesOfMessage(seen.id)) {
            const view = await entryView(uow, e);
            out.entries.push(view);
            out.after.push({ entrySeq: e.seq, ...await currentBalanceOf(uow, e) });
          }
          return { out, extra: undefined };
        }
        const messageId = await uow.insertMessage(shopId, source, now);
        const tx: LedgerTx = { uow, shopId, source, messageId, now, occurredAt: occurredAt ?? now, out, reposts: new Map() };
        const extra = await work(tx);
        await finishReposts(tx);
        return { out, extra };
      }),
    );
  } catch (error) {
    if (error instanceof Refusal) return fail(error.failure);
    // Another process applied the same message meanwhile (a server database lets two writers in at
    // once; the message's unique key stopped the second): this time it is found, and answered as one.
    if (isUniqueViolation(error) && !retried) return await runMessage(store, now, shopId, source, occurredAt, work, true);
    throw error;
  }
}

/** PostgreSQL's unique_violation, as its driver reports it. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** The stock an already applied entry left, read without holding it (a redelivery writes nothing). */
async function currentBalanceOf(uow: UnitOfWork, e: EntryRecord): Promise<BalanceRecord> {
  return e.locationId === null ? { qtyMilli: 0, value: 0 } : await uow.currentBalance(e.productId, e.locationId);
}

/** The entry as users see it: with its product's name and unit and its location's name. */
export async function entryView(uow: UnitOfWork, e: EntryRecord): Promise<EntryView> {
  const product = await uow.productById(e.productId);
  return Object.assign({}, e, { product: product.name, unit: product.unit, location: e.locationId === null ? null : (await uow.locationById(e.locationId)).name });
}

/** The named location (the default when unnamed); a new name is created only when `create`. */
export async function locationOf(tx: LedgerTx, name: string | undefined, create: boolean): Promise<LocationRecord> {
  if (name === undefined) return await tx.uow.defaultLocation(tx.shopId);
  const found = await tx.uow.findLocation(tx.shopId, name);
  if (found) return found;
  // `调回仓库`, `到 总仓`: the shop's main warehouse, unless the shop has a place by that name.
  if (MAIN_WAREHOUSE.has(name)) return await tx.uow.defaultLocation(tx.shopId);
  if (!create) throw new Refusal({ code: 'UNKNOWN_LOCATION', location: name });
  tx.out.createdLocations.push(name);
  return await tx.uow.createLocation(tx.shopId, name);
}

/** The product by name or alias; a name the shop does not know is refused. */
export async function knownProduct(tx: LedgerTx, name: string): Promise<ProductRecord> {
  const product = await tx.uow.findProduct(tx.shopId, name);
  if (!product) throw new Refusal({ code: 'UNKNOWN_PRODUCT', product: name });
  return product;
}

/** The stock an entry of this message sees at the location (see StockAt). */
export async function stockAt(tx: LedgerTx, productId: number, locationId: number): Promise<StockAt> {
  const asOf = await tx.uow.stockAsOf(productId, locationId, tx.occurredAt);
  if (asOf) return { qtyMilli: asOf.qtyMilli, value: asOf.value, availableMilli: asOf.lowestLaterMilli, asOf: tx.occurredAt };
  const b = await tx.uow.balance(productId, locationId);
  return { qtyMilli: b.qtyMilli, value: b.value, availableMilli: b.qtyMilli, asOf: null };
}

/**
 * Refuses taking more than is on hand, unless the product may go negative (预售). A backdated entry
 * is refused when it would take the stock below zero at its time or at any later moment.
 */
export function ensureStock(product: ProductRecord, location: LocationRecord, balance: StockAt, qtyMilli: number, allowNegative: boolean): void {
  if (allowNegative || qtyMilli <= balance.availableMilli) return;
  throw new Refusal({
    code: 'INSUFFICIENT_STOCK',
    product: product.name,
    unit: product.unit,
    location: location.name,
    onHandMilli: balance.availableMilli,
    requestedMilli: qtyMilli,
    ...(balance.asOf ? { at: balance.asOf } : {}),
  });
}

/**
 * Writes an entry and moves its balance; returns the entry as shown to users. An entry dated before
 * later ones, or goods arriving while presale units are owed, has the product costed again from it.
 */
export async function writeEntry(tx: LedgerTx, entry: NewEntry, balance: StockAt | null): Promise<EntryView> {
  if (balance && entry.locationId !== null) {
    const settled = settledValueDelta(balance, entry.qtyMilli, entry.valueDelta);
    if (settled !== entry.valueDelta) {
      entry.cost -= settled - entry.valueDelta;
      entry.valueDelta = settled;
    }
  }
  const record = await tx.uow.insertEntry(entry, await tx.uow.nextSeq(tx.shopId));
  let after: BalanceRecord = { qtyMilli: 0, value: 0 };
  if (balance && entry.locationId !== null) {
    const now = balance.asOf ? await tx.uow.balance(entry.productId, entry.locationId) : balance;
    after = { qtyMilli: now.qtyMilli + entry.qtyMilli, value: now.value + entry.valueDelta };
    await tx.uow.setBalance(entry.productId, entry.locationId, after);
    const settlesPresale = entry.qtyMilli > 0 && balance.qtyMilli < 0 && entry.kind !== 'reversal';
    if (balance.asOf || settlesPresale) {
      tx.reposts.set(entry.productId, earlierFrom(tx.reposts.get(entry.productId), { occurredAt: entry.occurredAt, seq: record.seq }));
    }
  }
  const view = await entryView(tx.uow, record);
  tx.out.entries.push(view);
  tx.out.after.push({ entrySeq: record.seq, qtyMilli: after.qtyMilli, value: after.value });
  return view;
}

/**
 * Costs the later entries of the products this message wrote back in time (repost.ts): inside the
 * write when the history is short, else queued for the bot to finish within seconds. The message's
 * answer then shows the figures as they stand after it.
 */
async function finishReposts(tx: LedgerTx): Promise<void> {
  for (const [productId, from] of tx.reposts) {
    if (await tx.uow.repostSize(productId, from) > INLINE_REPOST_ROWS) {
      await tx.uow.queueRepost(tx.shopId, productId, from);
      continue;
    }
    const done = repost(await tx.uow.repostRows(productId, from));
    await tx.uow.applyRepost(done);
    const changed = new Map(done.changed.map((c) => [c.id, c]));
    tx.out.entries.forEach((view, i) => {
      if (view.productId !== productId) return;
      const c = changed.get(view.id);
      if (c) Object.assign(view, { cost: c.cost, valueDelta: c.valueDelta });
      const closing = view.locationId === null ? undefined : done.closing.get(view.locationId);
      const after = tx.out.after[i];
      if (closing && after) Object.assign(after, { qtyMilli: closing.qtyMilli, value: closing.value });
    });
  }
}
