import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaReader } from '../../../src/adapters/prisma/prisma-reader.ts';
import { SqliteExportReader } from '../../../src/adapters/prisma/sqlite-export-reader.ts';
import { InventoryService } from '../../../src/core/inventory.service.ts';
import { createTestDb, source, TestClock, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
let prisma: PrismaReader;
let sqlite: SqliteExportReader;
const shops: number[] = [];
const clock = new TestClock(new Date('2026-11-10T02:00:00Z'));

beforeAll(async () => {
  t = createTestDb();
  prisma = new PrismaReader(t.path);
  sqlite = new SqliteExportReader(t.db);
  const service = new InventoryService(t.store, clock);
  for (const name of ['乙店', '甲店']) {
    const shop = (await t.store.createShop(name, clock.now())).id;
    shops.push(shop);
    const write = async (req: Parameters<InventoryService['record']>[1]) => {
      const r = await service.record(shop, req, source());
      if (!r.ok) throw new Error(JSON.stringify(r.failure));
    };
    await write({ kind: 'purchase', items: [{ product: 'T恤', quantity: 50, unitPrice: 2000 }, { product: 'Z短裤', quantity: 30, unitPrice: 1500 }, { product: 'a袜子', quantity: 7, unitPrice: 333 }] });
    clock.advance(3_600_000);
    await write({ kind: 'sale', items: [{ product: 'T恤', quantity: 3, unitPrice: 5900 }], channel: '淘宝', counterparty: '张三' });
    await write({ kind: 'transfer', items: [{ product: 'T恤', quantity: 10 }], to: '天猫仓' });
    clock.advance(86_400_000);
    await write({ kind: 'sale', items: [{ product: 'Z短裤', quantity: 2, unitPrice: 3900 }] });
    const undo = await service.undo(shop, {}, { ...source(), actorId: 'console:alice' });
    if (!undo.ok) throw new Error(JSON.stringify(undo.failure));
  }
});
afterAll(async () => {
  await prisma.close();
  t.cleanup();
});

describe('the better-sqlite3 export reader', () => {
  it('lists the shops as Prisma does', async () => {
    expect(await sqlite.shops()).toEqual(await prisma.shops());
  });

  it('reads the same stock rows, in the same order, as the Prisma reader', async () => {
    for (const shop of shops) {
      const rows = await sqlite.stockRows(shop);
      expect(rows.length).toBeGreaterThanOrEqual(4);
      expect(rows).toEqual(await prisma.stockRows(shop));
    }
  });

  it('reads the same entry rows, with and without a period, as the Prisma reader', async () => {
    for (const shop of shops) {
      const all = await sqlite.entryRows(shop);
      expect(all.some((e) => e.reverses !== null)).toBe(true);
      // From the first sale (an hour after the purchase) to just before the last entry.
      const from = new Date(all[0]!.occurredAt.getTime() + 1);
      const to = all[all.length - 1]!.occurredAt;
      expect(all).toEqual(await prisma.entryRows(shop));
      expect(await sqlite.entryRows(shop, from)).toEqual(await prisma.entryRows(shop, from));
      const window = await sqlite.entryRows(shop, from, to);
      expect(window.length).toBeGreaterThan(0);
      expect(window.length).toBeLessThan(all.length);
      expect(window).toEqual(await prisma.entryRows(shop, from, to));
    }
  });
});
