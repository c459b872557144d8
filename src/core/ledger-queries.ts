/**
 * The read port of the web view's ledger: entries filtered and paged, each with the chat message it
 * came from. Money is 分, quantities thousandths, as everywhere in the core.
 */
import type { EntryKind } from './ports.ts';

/** Which entries to list; every field narrows, none means all of the shop's entries. */
export interface LedgerFilter {
  productId?: number | undefined;
  kind?: EntryKind | undefined;
  /** `platform:userId` of whoever recorded the entries. */
  actorId?: string | undefined;
  /** Occurred at or after. */
  from?: Date | undefined;
  /** Occurred before. */
  to?: Date | undefined;
  /** Words found in the product's name, the note or the original message. */
  text?: string | undefined;
}

/** One ledger entry with its product, location, undo links and original message. */
export interface LedgerRow {
  seq: number;
  kind: EntryKind;
  product: string;
  unit: string;
  location: string | null;
  qtyMilli: number;
  unitPrice: number | null;
  amount: number;
  cost: number;
  channel: string | null;
  counterparty: string | null;
  note: string | null;
  occurredAt: Date;
  recordedAt: Date;
  actorId: string;
  actorName: string | null;
  /** The entry this one undoes (reversals). */
  reversesSeq: number | null;
  /** The entry that undid this one. */
  reversedBySeq: number | null;
  /** The chat message as written, when the entry came from one. */
  messageText: string | null;
  chatTitle: string | null;
  platform: string | null;
}

/** The people who recorded entries in a shop, for the ledger's filter. */
export interface LedgerActor {
  actorId: string;
  actorName: string | null;
}

export interface LedgerQueries {
  /** Newest first; `total` counts every entry the filter matches. */
  ledgerPage(shopId: number, filter: LedgerFilter, page: { offset: number; limit: number }): Promise<{ rows: LedgerRow[]; total: number }>;
  actors(shopId: number): Promise<LedgerActor[]>;
}
