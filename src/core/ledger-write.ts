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
export function runMessage<T>(
  store: InventoryStore,
  now: Date,
  shopId: number,
  source: SourceInput,
  occurredAt: Date | undefined,
  work: (tx: LedgerTx) => T,
): Result<{ out: WriteOutcome; extra: T | undefined }> {
  try {
    return ok(
      store.transaction((uow) => {
        const out: WriteOutcome = { duplicate: false, entries: [], after: [], createdProducts: [], createdLocations: [], batches: [] };
        const seen = uow.findMessage(source);
        if (seen) {
          out.duplicate = true;
          for (const e of uow.entriesOfMessage(seen.id)) {
            const view = entryView(uow, e);
            out.entries.push(view);
            out.after.push({ entrySeq: e.seq, ...balanceOf(uow, e) });
          }
          return { out, extra: undefined };
        }
        const messageId = uow.insertMessage(shopId, source, now);
        const tx: LedgerTx = { uow, shopId, source, messageId, now, occurredAt: occurredAt ?? now, out, reposts: new Map() };
        const extra = work(tx);
        finishReposts(tx);
        return { out, extra };
      }),
    );
  } catch (error) {
    if (error instanceof Refusal) return fail(error.failure);
    throw error;
  }
}

function balanceOf(uow: UnitOfWork, e: EntryRecord): BalanceRecord {
  return e.locationId === null ? { qtyMilli: 0, value: 0 } : uow.balance(e.productId, e.locationId);
}

/** The entry as users see it: with its product's name and unit and its location's name. */
export function entryView(uow: UnitOfWork, e: EntryRecord): EntryView {
  const product = uow.productById(e.productId);
  return Object.assign({}, e, { product: product.name, unit: product.unit, location: e.locationId === null ? null : uow.locationById(e.locationId).name });
}

/** The named location (the default when unnamed); a new name is created only when `create`. */
export function locationOf(tx: LedgerTx, name: string | undefined, create: boolean): LocationRecord {
  if (name === undefined) return tx.uow.defaultLocation(tx.shopId);
  const found = tx.uow.findLocation(tx.shopId, name);
  if (found) return found;
  // `调回仓库`, `到 总仓`: the shop's main warehouse, unless the shop has a place by that name.
  if (MAIN_WAREHOUSE.has(name)) return tx.uow.defaultLocation(tx.shopId);
  if (!create) throw new Refusal({ code: 'UNKNOWN_LOCATION', location: name });
  tx.out.createdLocations.push(name);
  return tx.uow.createLocation(tx.shopId, name);
}

/** The product by name or alias; a name the shop does not know is refused. */
export function knownProduct(tx: LedgerTx, name: string): ProductRecord {
  const product = tx.uow.findProduct(tx.shopId, name);
  if (!product) throw new Refusal({ code: 'UNKNOWN_PRODUCT', product: name });
  return product;
}

/** The stock an entry of this message sees at the location (see StockAt). */
export function stockAt(tx: LedgerTx, productId: number, locationId: number): StockAt {
  const asOf = tx.uow.stockAsOf(productId, locationId, tx.occurredAt);
  if (asOf) return { qtyMilli: asOf.qtyMilli, value: asOf.value, availableMilli: asOf.lowestLaterMilli, asOf: tx.occurredAt };
  const b = tx.uow.balance(productId, locationId);
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
export function writeEntry(tx: LedgerTx, entry: NewEntry, balance: StockAt | null): EntryView {
  if (balance && entry.locationId !== null) {
    const settled = settledValueDelta(balance, entry.qtyMilli, entry.valueDelta);
    if (settled !== entry.valueDelta) {
      entry.cost -= settled - entry.valueDelta;
      entry.valueDelta = settled;
    }
  }
  const record = tx.uow.insertEntry(entry, tx.uow.nextSeq(tx.shopId));
  let after: BalanceRecord = { qtyMilli: 0, value: 0 };
  if (balance && entry.locationId !== null) {
    const now = balance.asOf ? tx.uow.balance(entry.productId, entry.locationId) : balance;
    after = { qtyMilli: now.qtyMilli + entry.qtyMilli, value: now.value + entry.valueDelta };
    tx.uow.setBalance(entry.productId, entry.locationId, after);
    const settlesPresale = entry.qtyMilli > 0 && balance.qtyMilli < 0 && entry.kind !== 'reversal';
    if (balance.asOf || settlesPresale) {
      tx.reposts.set(entry.productId, earlierFrom(tx.reposts.get(entry.productId), { occurredAt: entry.occurredAt, seq: record.seq }));
    }
  }
  const view = entryView(tx.uow, record);
  tx.out.entries.push(view);
  tx.out.after.push({ entrySeq: record.seq, qtyMilli: after.qtyMilli, value: after.value });
  return view;
}

/**
 * Costs the later entries of the products this message wrote back in time (repost.ts): inside the
 * write when the history is short, else queued for the bot to finish within seconds. The message's
 * answer then shows the figures as they stand after it.
 */
function finishReposts(tx: LedgerTx): void {
  for (const [productId, from] of tx.reposts) {
    if (tx.uow.repostSize(productId, from) > INLINE_REPOST_ROWS) {
      tx.uow.queueRepost(tx.shopId, productId, from);
      continue;
    }
    const done = repost(tx.uow.repostRows(productId, from));
    tx.uow.applyRepost(done);
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
