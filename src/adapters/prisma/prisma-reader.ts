import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import type { StockExportRow, EntryExportRow, ReportReader } from '../files/export.ts';

/**
 * Reporting reads through Prisma Client: exports and other cold paths that favour clear queries over
 * microseconds. Timestamps are epoch milliseconds, matching what the write path stores.
 */
export class PrismaReader implements ReportReader {
  readonly prisma: InstanceType<typeof PrismaClient>;

  constructor(path: string) {
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
    const entries = await this.prisma.entry.findMany({
      where: { shopId, occurredAt: { gte: from ?? new Date(0), ...(to ? { lt: to } : {}) } },
      include: { product: true, location: true, reverses: { select: { seq: true } } },
      orderBy: { seq: 'asc' },
    });
    return entries.map((e) => ({
      seq: e.seq,
      occurredAt: e.occurredAt,
      kind: e.kind,
      product: e.product.name,
      location: e.location?.name ?? null,
      qtyMilli: e.qtyMilli,
      unitPrice: e.unitPrice,
      amount: e.amount,
      cost: e.cost,
      channel: e.channel,
      counterparty: e.counterparty,
      actor: e.actorName ?? e.actorId,
      reverses: e.reverses?.seq ?? null,
      note: e.note,
    }));
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
