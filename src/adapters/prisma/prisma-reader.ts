import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import type { StockExportRow, EntryExportRow, ReportReader } from '../files/export.ts';

/** Every entry of a shop in a period with the names an export shows, in entry order. */
const ENTRY_ROWS = `SELECT e.seq, e.occurredAt, e.kind, p.name AS product, l.name AS location, e.qtyMilli, e.unitPrice, e.amount, e.cost,
    e.channel, e.counterparty, COALESCE(e.actorName, e.actorId) AS actor, o.seq AS reverses
  FROM Entry e JOIN Product p ON p.id = e.productId LEFT JOIN Location l ON l.id = e.locationId LEFT JOIN Entry o ON o.id = e.reversesId
  WHERE e.shopId = ? AND e.occurredAt >= ? AND e.occurredAt < ? ORDER BY e.seq`;

/**
 * Reporting reads: exports and other cold paths that favour clear queries over microseconds, through
 * Prisma Client — except the entries of an export, which may be millions and are read one row at a
 * time with better-sqlite3's iterate() on a read-only connection of their own (Prisma's findMany
 * holds every row, and the bot's connection must stay free for chats while an export runs).
 * Timestamps are epoch milliseconds, matching what the write path stores.
 */
export class PrismaReader implements ReportReader {
  readonly prisma: InstanceType<typeof PrismaClient>;

  constructor(private readonly path: string) {
    const adapter = new PrismaBetterSqlite3({ url: path, timeout: 5000 }, { timestampFormat: 'unixepoch-ms' });
    this.prisma = new PrismaClient({ adapter });
  }

  async shops(): Promise<{ id: number; name: string; timeZone: string }[]> {
    return this.prisma.shop.findMany({ select: { id: true, name: true, timeZone: true }, orderBy: { id: 'asc' } });
  }

  async stockRows(shopId: number): Promise<StockExportRow[]> {
    const balances = await this.prisma.balance.findMany({
      where: { product: { shopId } },
      include: { product: true, location: true },
      orderBy: [{ product: { name: 'asc' } }, { location: { name: 'asc' } }],
    });
    return balances.map((b) => ({
      product: b.product.name,
      sku: b.product.sku,
      unit: b.product.unit,
      location: b.location.name,
      qtyMilli: b.qtyMilli,
      value: b.value,
    }));
  }

  async entryRows(shopId: number, from?: Date, to?: Date): Promise<EntryExportRow[]> {
    return Array.from(this.eachEntryRow(shopId, from, to));
  }

  *eachEntryRow(shopId: number, from?: Date, to?: Date): Generator<EntryExportRow> {
    const db = new Database(this.path, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const rows = db.prepare(ENTRY_ROWS).iterate(shopId, from?.getTime() ?? 0, to?.getTime() ?? Number.MAX_SAFE_INTEGER) as IterableIterator<
        Omit<EntryExportRow, 'occurredAt'> & { occurredAt: number }
      >;
      for (const row of rows) {
        // The row object is fresh per row; turning its time into a Date in place saves a copy.
        (row as unknown as EntryExportRow).occurredAt = new Date(row.occurredAt);
        yield row as unknown as EntryExportRow;
      }
    } finally {
      db.close();
    }
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
