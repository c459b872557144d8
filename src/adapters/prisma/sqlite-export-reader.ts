import Database from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import type { EntryExportRow, ReportReader, StockExportRow } from '../../core/export-rows.ts';

/**
 * The export reads on better-sqlite3: the same rows, in the same order, as {@link PrismaReader}
 * (tests/adapters/prisma/sqlite-export-reader.test.ts compares them), without loading Prisma Client,
 * so that `jxc export` starts quickly.
 */
export class SqliteExportReader implements ReportReader {
  constructor(private readonly db: SqliteDatabase) {}

  async shops(): Promise<{ id: number; name: string; timeZone: string }[]> {
    return this.db.prepare('SELECT id, name, timeZone FROM Shop ORDER BY id ASC').all() as { id: number; name: string; timeZone: string }[];
  }

  async stockRows(shopId: number): Promise<StockExportRow[]> {
    return this.db
      .prepare(
        `SELECT p.name AS product, p.sku, p.unit, l.name AS location, b.qtyMilli, b.value
           FROM Balance b JOIN Product p ON p.id = b.productId JOIN Location l ON l.id = b.locationId
          WHERE p.shopId = ? ORDER BY p.name ASC, l.name ASC`,
      )
      .all(shopId) as StockExportRow[];
  }

  async entryRows(shopId: number, from?: Date, to?: Date): Promise<EntryExportRow[]> {
    return Array.from(this.eachEntryRow(shopId, from, to));
  }

  /**
   * The entries one at a time, on a read-only connection of their own: the export yields to the
   * event loop between chunks, and the app's connection must stay free for chats meanwhile.
   */
  eachEntryRow(shopId: number, from?: Date, to?: Date): Iterable<EntryExportRow> {
    return this.db.memory ? entryRowsOn(this.db, shopId, from, to) : entryRowsOfFile(this.db.name, shopId, from, to);
  }
}

/** Every entry of a shop in a period with the names an export shows, in entry order. */
const ENTRY_ROWS = `SELECT e.seq, e.occurredAt, e.kind, p.name AS product, l.name AS location, e.qtyMilli, e.unitPrice, e.amount, e.cost,
    e.channel, e.counterparty, COALESCE(e.actorName, e.actorId) AS actor, r.seq AS reverses, e.note, e.supplier,
    (SELECT json_group_array(json_object('code', bt.code, 'expiresAt', bt.expiresAt, 'qtyMilli', m.qtyMilli))
      FROM BatchMove m JOIN Batch bt ON bt.id = m.batchId WHERE m.entryId = e.id) AS batches
  FROM Entry e JOIN Product p ON p.id = e.productId LEFT JOIN Location l ON l.id = e.locationId
  LEFT JOIN Entry r ON r.id = e.reversesId
  WHERE e.shopId = ? AND e.occurredAt >= ? AND (? IS NULL OR e.occurredAt < ?)
  ORDER BY e.seq ASC`;

/** The export's entries read with iterate() on `db`, one row at a time. */
function* entryRowsOn(db: SqliteDatabase, shopId: number, from?: Date, to?: Date): Generator<EntryExportRow> {
  const rows = db.prepare(ENTRY_ROWS).iterate(shopId, from?.getTime() ?? 0, to?.getTime() ?? null, to?.getTime() ?? null) as IterableIterator<
    Omit<EntryExportRow, 'occurredAt'> & { occurredAt: number }
  >;
  for (const row of rows) {
    // The row object is fresh per row; turning its time into a Date in place saves a copy.
    (row as unknown as EntryExportRow).occurredAt = new Date(row.occurredAt);
    yield row as unknown as EntryExportRow;
  }
}

/** The export's entries from the database file at `path`, on a read-only connection opened for them. */
export function* entryRowsOfFile(path: string, shopId: number, from?: Date, to?: Date): Generator<EntryExportRow> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    yield* entryRowsOn(db, shopId, from, to);
  } finally {
    db.close();
  }
}
