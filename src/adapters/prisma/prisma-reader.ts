import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import type { StockExportRow, EntryExportRow, ReportReader } from '../../core/export-rows.ts';
import { entryRowsOfFile } from './sqlite-export-reader.ts';

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

  eachEntryRow(shopId: number, from?: Date, to?: Date): Iterable<EntryExportRow> {
    return entryRowsOfFile(this.path, shopId, from, to);
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
