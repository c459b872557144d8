import type { Failure } from './failures.ts';
import { MAX_CENTS } from './money.ts';
import type { EntryView } from './ports.ts';
import { COUNT_UNITS, MAX_QUANTITY, toMilli } from './quantity.ts';

/**
 * What the inventory use cases are asked and what they answer: writes (purchase, sale, returns,
 * stocktake, transfer), undo and correction, unit conversions; and the one check that a written
 * line holds only quantities and prices the ledger may keep.
 */

/** The kinds of write a message can ask for. */
export type WriteKind = 'purchase' | 'sale' | 'customerReturn' | 'supplierReturn' | 'stocktake' | 'transfer';

/** One product line of a write, quantity in the product's own unit, money in 分. */
export interface WriteItem {
  product: string;
  quantity: number;
  /** Unit for a product created by this write (a purchase of a new name). */
  unit?: string | undefined;
  unitPrice?: number | undefined;
  total?: number | undefined;
  /** Percent charged (8折 → 80), against the written price or the set 售价. */
  rate?: number | undefined;
  /** 分 off the line (优惠5元). */
  discount?: number | undefined;
  /** 分 of landed cost added to a purchase line (its share of 运费). */
  freight?: number | undefined;
  /** This item's own channel, counterparty and location; the request's apply when absent. */
  channel?: string | undefined;
  counterparty?: string | undefined;
  location?: string | undefined;
  /** Words kept with the entry. */
  note?: string | undefined;
  /** The batch the goods come into or are taken from (`批次 A1101`); first-expiring first when absent. */
  batch?: string | undefined;
  /** Goods coming in: the start of their last good day, and of the day they were made. */
  expiresAt?: Date | undefined;
  producedAt?: Date | undefined;
}

export interface WriteRequest {
  kind: WriteKind;
  items: readonly WriteItem[];
  occurredAt?: Date | undefined;
  channel?: string | undefined;
  counterparty?: string | undefined;
  /** Location the goods are at (or leave from, for a transfer); the shop's default when absent. */
  location?: string | undefined;
  /** Destination of a transfer. */
  to?: string | undefined;
}

/** What a write did: its entries (with stock after each) and what it created on the way. */
export interface WriteOutcome {
  /** True when this source message had already been applied: nothing new was written. */
  duplicate: boolean;
  entries: EntryView[];
  /** Stock at each touched product/location after the write, in entry order. */
  after: { entrySeq: number; qtyMilli: number; value: number }[];
  createdProducts: string[];
  createdLocations: string[];
  /** What each entry put into (+) or took from (−) each batch, in entry order. */
  batches: BatchLine[];
}

/** One entry's move in one batch, as the confirmation shows it. */
export interface BatchLine {
  entrySeq: number;
  code: string | null;
  expiresAt: Date | null;
  qtyMilli: number;
}

export interface UndoRequest {
  /** `撤销 #123`. */
  entryNo?: number | undefined;
  /** Undo every entry of the message that wrote entry #n (replying 「撤销」 to a confirmation). */
  messageOfEntry?: number | undefined;
  /** The message being replied to, when the user replied 「撤销」 to it. */
  replyTo?: { platform: string; chatId: string; messageId: string } | undefined;
  /** When set, only entries recorded by these actors may be undone (staff undo their own). */
  limit?: ActorLimit | undefined;
}

/** Restricts undo and correction to one's own recent entries. */
export interface ActorLimit {
  actorIds: readonly string[];
  /** Entries recorded before this instant are too old. */
  notBefore: Date;
  hours: number;
}

export interface UndoOutcome {
  duplicate: boolean;
  undone: EntryView[];
  reversals: EntryView[];
  after: { entrySeq: number; qtyMilli: number; value: number }[];
}

export interface CorrectionRequest {
  entryNo: number;
  field: 'quantity' | 'unitPrice';
  value: number;
  /** The other field, when both change at once (`改 #12 数量 2 单价 60`). */
  also?: { field: 'quantity' | 'unitPrice'; value: number } | undefined;
  limit?: ActorLimit | undefined;
}

export interface CorrectionOutcome {
  duplicate: boolean;
  original: EntryView;
  reversal: EntryView;
  replacement: EntryView;
  after: { entrySeq: number; qtyMilli: number; value: number }[];
}

/** `设置 雪碧 1箱=24瓶`: 1 `unit` = `factor` `base`. */
export interface UnitConversionRequest {
  product: string;
  unit: string;
  factor: number;
  base: string;
}

export interface UnitConversionOutcome {
  product: string;
  unit: string;
  factor: number;
  base: string;
  /** The loose piece word (件) the product's entries were counted in, now read as `base` one for one. */
  relabelledFrom?: string | undefined;
}

/** Refuses quantities and prices the ledger must never hold. */
export function validateItem(item: WriteItem, zeroAllowed: boolean): Failure | undefined {
  const product = item.product;
  if (!Number.isFinite(item.quantity)) return { code: 'BAD_QUANTITY', product, reason: 'precision' };
  if (item.quantity < 0) return { code: 'BAD_QUANTITY', product, reason: 'negative' };
  if (item.quantity === 0 && !zeroAllowed) return { code: 'BAD_QUANTITY', product, reason: 'zero' };
  if (item.quantity > MAX_QUANTITY) return { code: 'BAD_QUANTITY', product, reason: 'too_large' };
  if (toMilli(item.quantity) === undefined) return { code: 'BAD_QUANTITY', product, reason: 'precision' };
  if (item.unit !== undefined && COUNT_UNITS.has(item.unit) && !Number.isInteger(item.quantity)) {
    return { code: 'BAD_QUANTITY', product, reason: 'fractional' };
  }
  for (const money of [item.unitPrice, item.total, item.discount, item.freight]) {
    if (money === undefined) continue;
    if (!Number.isFinite(money) || money < 0) return { code: 'BAD_PRICE', product, reason: 'negative' };
    if (!Number.isInteger(money)) return { code: 'BAD_PRICE', product, reason: 'precision' };
    if (money > MAX_CENTS) return { code: 'BAD_PRICE', product, reason: 'too_large' };
  }
  return undefined;
}
