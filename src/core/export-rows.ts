/**
 * The rows an export reads, and the port that reads them: src/adapters/prisma implements it (on
 * better-sqlite3 and on Prisma Client), src/adapters/files writes the rows as json, csv and xlsx.
 */
import type { StockRow } from './ports.ts';

/** One product's stock at one location, as exported. */
export type StockExportRow = Pick<StockRow, 'product' | 'sku' | 'unit' | 'location' | 'qtyMilli' | 'value'>;

export interface EntryExportRow {
  seq: number;
  occurredAt: Date;
  kind: string;
  product: string;
  location: string | null;
  qtyMilli: number;
  unitPrice: number | null;
  amount: number;
  cost: number;
  channel: string | null;
  counterparty: string | null;
  actor: string;
  reverses: number | null;
  /** Words kept with the entry (`单号 778899`); null or absent when none. */
  note?: string | null | undefined;
  /**
   * The batches the entry moved, as the reader's JSON text: `[{"code":"A1101","expiresAt":<ms>,"qtyMilli":-3000}]`
   * (an empty array or absent when none); src/adapters/files words it per format.
   */
  batches?: string | null | undefined;
  /** The dropship supplier owed this entry's cost (src/core/payables.ts); null or absent when none. */
  supplier?: string | null | undefined;
}

/** The reads an export needs. */
export interface ReportReader {
  shops(): Promise<{ id: number; name: string; timeZone: string }[]>;
  stockRows(shopId: number): Promise<StockExportRow[]>;
  entryRows(shopId: number, from?: Date, to?: Date): Promise<EntryExportRow[]>;
  /** The same rows one at a time, in entry order, so an export of any size holds one row at a time. */
  eachEntryRow(shopId: number, from?: Date, to?: Date): Iterable<EntryExportRow> | AsyncIterable<EntryExportRow>;
}
