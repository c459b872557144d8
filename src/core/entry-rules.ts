import { countedWithBatch, draw, moveBatches, receiveDrawn } from './batch-moves.ts';
import { Refusal } from './failures.ts';
import type { WriteItem, WriteKind, WriteRequest } from './ledger-requests.ts';
import { ensureStock, knownProduct, locationOf, stockAt, writeEntry, type LedgerTx, type StockAt } from './ledger-write.ts';
import type { EntryKind, EntryView, LocationRecord, NewEntry, ProductRecord } from './ports.ts';
import { dropshipSupplier, dropshipUnitCost } from './payables.ts';
import { optionalPrice, requiredPrice } from './pricing.ts';
import { COUNT_UNITS, MILLI, toMilli } from './quantity.ts';
import { costOut, valueAt, valueIn } from './valuation.ts';

/**
 * What each kind of write does to the ledger, one rule per kind: the entry it writes (its sign),
 * whether it needs a price and where a missing one comes from, how the goods are valued, and what
 * it refuses. `applyLine` and `applyTransfer` look the rule up; nothing else branches on the kind.
 */

/** One line of a write, as its rule sees it. */
export interface RuleLine {
  item: WriteItem;
  qtyMilli: number;
  product: ProductRecord;
  /** Null for a 一件代发 line that touches no stock. */
  location: LocationRecord | null;
  /** The stock at the line's time (its location's balance, or as of a backdated line's date). */
  balance: StockAt;
  /** The product is 一件代发 and this kind records it without stock. */
  dropship: boolean;
}

/** The figures of the entry a rule writes. */
export interface EntryFigures {
  kind: EntryKind;
  qtyMilli: number;
  unitPrice: number | null;
  amount: number;
  cost: number;
  valueDelta: number;
}

export interface EntryRule {
  /** An unknown product name creates the product (and says so) instead of being refused. */
  createsProduct: boolean;
  /** An unknown location name creates the location instead of being refused. */
  createsLocation: boolean;
  /** A 一件代发 product's entry records money and cost and touches no stock. */
  dropshipSkipsStock: boolean;
  /** A quantity of zero means something (盘点 to 0) rather than a slip. */
  zeroAllowed: boolean;
  /** The entry's figures, refusing what the kind refuses (a Refusal is thrown). */
  figures(line: RuleLine): EntryFigures;
  /** The product's latest purchase cost after this entry, when the kind sets it. */
  lastCost?(figures: EntryFigures): number;
}

const fallbackCost = (p: ProductRecord): number => p.lastCost ?? 0;

/** The rules of the kinds that write one entry per line. */
export const ENTRY_RULES: Readonly<Record<Exclude<WriteKind, 'transfer'>, EntryRule>> = {
  // 进货: needs a price; the goods come in at what was paid, which becomes the latest cost.
  purchase: {
    createsProduct: true,
    createsLocation: true,
    dropshipSkipsStock: false,
    zeroAllowed: false,
    figures: ({ item, qtyMilli, product }) => {
      const { unitPrice, amount } = requiredPrice(item, qtyMilli, undefined, product.name);
      return { kind: 'purchase', qtyMilli, unitPrice, amount, cost: 0, valueDelta: amount };
    },
    lastCost: (f) => f.unitPrice as number,
  },
  // 出货: needs a price (the set 售价 when none is written); refuses more than is on hand unless
  // 预售; the goods leave at the moving average (一件代发: at the cost agreed with the supplier, stock untouched).
  sale: {
    createsProduct: false,
    createsLocation: false,
    dropshipSkipsStock: true,
    zeroAllowed: false,
    figures: ({ item, qtyMilli, product, location, balance, dropship }) => {
      const { unitPrice, amount } = requiredPrice(item, qtyMilli, product.salePrice ?? undefined, product.name);
      if (!dropship) ensureStock(product, location as LocationRecord, balance, qtyMilli, product.mode === 'presale');
      const cost = dropship ? valueAt(dropshipUnitCost(product), qtyMilli) : costOut(balance, qtyMilli, fallbackCost(product));
      return { kind: 'sale', qtyMilli: -qtyMilli, unitPrice, amount, cost, valueDelta: dropship ? 0 : -cost };
    },
  },
  // 退货 (a customer's): the refund is optional (售价 when a rate or discount needs one); the goods
  // come back at the stock's average cost.
  customerReturn: {
    createsProduct: false,
    createsLocation: false,
    dropshipSkipsStock: true,
    zeroAllowed: false,
    figures: ({ item, qtyMilli, product, balance, dropship }) => {
      const refund: { unitPrice: number | null; amount: number } = optionalPrice(item, qtyMilli, product.salePrice ?? undefined, product.name) ?? { unitPrice: null, amount: 0 };
      const value = dropship ? valueAt(dropshipUnitCost(product), qtyMilli) : valueIn(balance, qtyMilli, fallbackCost(product));
      return { kind: 'customer_return', qtyMilli, unitPrice: refund.unitPrice, amount: -refund.amount, cost: -value, valueDelta: dropship ? 0 : value };
    },
  },
  // 退供: refuses more than is on hand (even 预售); the goods leave at the moving average, and the
  // refund is what was written or else that value.
  supplierReturn: {
    createsProduct: false,
    createsLocation: false,
    dropshipSkipsStock: false,
    zeroAllowed: false,
    figures: ({ item, qtyMilli, product, location, balance }) => {
      ensureStock(product, location as LocationRecord, balance, qtyMilli, false);
      const value = costOut(balance, qtyMilli, fallbackCost(product));
      const refund = optionalPrice(item, qtyMilli, undefined, product.name) ?? { unitPrice: null, amount: value };
      return { kind: 'supplier_return', qtyMilli: -qtyMilli, unitPrice: refund.unitPrice, amount: -refund.amount, cost: value, valueDelta: -value };
    },
  },
  // 盘点: sets the stock to what was counted; the difference (盘盈/盘亏) is valued at the average cost.
  stocktake: {
    createsProduct: false,
    createsLocation: false,
    dropshipSkipsStock: false,
    zeroAllowed: true,
    figures: ({ qtyMilli, product, balance }) => {
      const delta = qtyMilli - balance.qtyMilli;
      let valueDelta: number;
      if (delta > 0) valueDelta = valueIn(balance, delta, fallbackCost(product));
      else if (delta < 0) valueDelta = qtyMilli === 0 ? -balance.value : -costOut(balance, -delta, fallbackCost(product));
      else valueDelta = 0;
      return { kind: 'adjustment', qtyMilli: delta, unitPrice: null, amount: 0, cost: -valueDelta, valueDelta };
    },
  },
};

/** True when a line of this kind may have quantity zero. */
export function zeroAllowed(kind: WriteKind): boolean {
  return kind !== 'transfer' && ENTRY_RULES[kind].zeroAllowed;
}

/** Where a line's channel, counterparty and location come from when the item names none. */
export type LineDefaults = Pick<WriteRequest, 'channel' | 'counterparty' | 'location'>;

/** Writes one line of a kind other than transfer by its rule; `replacesId` is set by a correction. */
export async function applyLine(tx: LedgerTx, kind: Exclude<WriteKind, 'transfer'>, item: WriteItem, req: LineDefaults, replacesId: number | null): Promise<EntryView> {
  const rule = ENTRY_RULES[kind];
  const qtyMilli = toMilli(item.quantity) as number;
  let product: ProductRecord;
  if (rule.createsProduct) {
    const existing = await tx.uow.findProduct(tx.shopId, item.product);
    if (existing) product = existing;
    else {
      product = await tx.uow.createProduct(tx.shopId, item.product.trim(), item.unit ?? '件', tx.now);
      tx.out.createdProducts.push(product.name);
    }
  } else product = await knownProduct(tx, item.product);
  if (COUNT_UNITS.has(product.unit) && qtyMilli % MILLI !== 0) {
    throw new Refusal({ code: 'BAD_QUANTITY', product: product.name, reason: 'fractional' });
  }
  const dropship = rule.dropshipSkipsStock && product.mode === 'dropship';
  const location = dropship ? null : await locationOf(tx, item.location ?? req.location, rule.createsLocation);
  const balance = location ? await stockAt(tx, product.id, location.id) : { qtyMilli: 0, value: 0, availableMilli: 0, asOf: null };
  // `盘点 牛奶 45 批次 A1101` counts that batch: the location's stock is what the other batches hold plus it.
  const counted = kind === 'stocktake' && item.batch !== undefined && location ? await countedWithBatch(tx, product, location.id, balance, item.batch, qtyMilli) : qtyMilli;
  const figures = rule.figures({ item, qtyMilli: counted, product, location, balance, dropship });
  // A backdated purchase is not the latest one: the repost sets the latest cost in occurrence order.
  if (rule.lastCost && !balance.asOf) await tx.uow.setLastCost(product.id, rule.lastCost(figures));
  // Object.assign onto one fresh object: spreads are measurably slower on the hot path.
  const entry: NewEntry = Object.assign(
    {
      shopId: tx.shopId,
      productId: product.id,
      locationId: location?.id ?? null,
      channel: item.channel ?? req.channel ?? null,
      counterparty: item.counterparty ?? req.counterparty ?? null,
      note: item.note ?? null,
      // A dropship line owes its cost to the product's supplier (应付, src/core/payables.ts).
      supplier: dropship ? dropshipSupplier(product) : null,
      occurredAt: tx.occurredAt,
      recordedAt: tx.now,
      actorId: tx.source.actorId,
      actorName: tx.source.actorName ?? null,
      messageId: tx.messageId,
      reversesId: null,
      replacesId,
      transferId: null,
    },
    figures,
  );
  const view = await writeEntry(tx, entry, location ? balance : null);
  if (location) await moveBatches(tx, kind, item, view, product, balance);
  return view;
}

/**
 * 调拨: moves goods between two different locations as two entries (out of one, into the other) at
 * the source's average cost; refuses more than is on hand there, even for 预售.
 */
export async function applyTransfer(tx: LedgerTx, item: WriteItem, req: WriteRequest): Promise<void> {
  const qtyMilli = toMilli(item.quantity) as number;
  const product = await knownProduct(tx, item.product);
  const from = await locationOf(tx, item.location ?? req.location, false);
  const to = await locationOf(tx, req.to, true);
  if (from.id === to.id) throw new Refusal({ code: 'SAME_LOCATION', location: to.name });
  const fromBalance = await stockAt(tx, product.id, from.id);
  ensureStock(product, from, fromBalance, qtyMilli, false);
  const value = costOut(fromBalance, qtyMilli, fallbackCost(product));
  const common = {
    shopId: tx.shopId,
    productId: product.id,
    unitPrice: null,
    amount: 0,
    cost: 0,
    channel: null,
    counterparty: item.counterparty ?? req.counterparty ?? null,
    note: item.note ?? null,
    occurredAt: tx.occurredAt,
    recordedAt: tx.now,
    actorId: tx.source.actorId,
    actorName: tx.source.actorName ?? null,
    messageId: tx.messageId,
    reversesId: null,
    replacesId: null,
  };
  const out = await writeEntry(tx, { ...common, kind: 'transfer_out', locationId: from.id, qtyMilli: -qtyMilli, valueDelta: -value, transferId: null }, fromBalance);
  const drawn = await draw(tx, out, product, item.batch, 'freshFirst', fromBalance);
  const toBalance = await stockAt(tx, product.id, to.id);
  const arrived = await writeEntry(tx, { ...common, kind: 'transfer_in', locationId: to.id, qtyMilli, valueDelta: value, transferId: out.id }, toBalance);
  await receiveDrawn(tx, arrived, product, drawn);
}
