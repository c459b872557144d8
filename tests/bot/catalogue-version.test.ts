import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/prisma/database.ts';
import { SqliteStore } from '../../src/adapters/prisma/sqlite-store.ts';
import { ChatEngine } from '../../src/bot/engine.ts';
import type { ShopRecord } from '../../src/core/ports.ts';
import { createTestDb, engineDeps, TestClock, type TestDb } from '../helpers/db.ts';

/** Two processes on one SQLite file: each has its own connection, store and engine. */
let t: TestDb;
let other: SqliteStore;
let clock: TestClock;
let shop: ShopRecord;
let n = 0;

beforeEach(async () => {
  t = createTestDb();
  other = new SqliteStore(openDatabase(t.path));
  clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  shop = await t.store.createShop('小店', clock.now());
});
afterEach(() => {
  other.db.close();
  t.cleanup();
});

async function say(engine: ChatEngine, text: string) {
  n += 1;
  return await engine.handle({ platform: 'test', chatId: 'g1', chatType: 'group', messageId: String(n), userId: 'boss', userName: 'boss', text }, shop, 'owner');
}

describe('a long-running process sees catalogue changes made by another process', () => {
  it('reads a unit conversion, an alias and a product name with spaces set elsewhere', async () => {
    const first = new ChatEngine(t.store, clock, engineDeps(t.db));
    const second = new ChatEngine(other, clock, engineDeps(other.db));
    expect((await say(first, '进货 可乐 48 瓶 单价 2'))?.text).toContain('✅');
    // The first process has its catalogue loaded.
    expect((await say(first, '查 可乐'))?.text).toContain('48瓶');
    // The second process sets 1箱=24瓶 and adds a product with a space in its name.
    expect((await say(second, '设置 可乐 1箱=24瓶'))?.text).toContain('✅');
    expect((await say(second, '进货 T恤 白色 L 10 件 单价 20'))?.text).toContain('✅');
    expect((await say(second, '别名 可乐 快乐水'))?.text).toContain('✅');

    const sale = await say(first, '出货 可乐 1 箱 单价 60');
    expect(sale?.text).toContain('✅');
    expect((await t.store.stock(shop.id)).find((r) => r.product === '可乐')?.qtyMilli).toBe(24_000);
    expect((await say(first, '出货 T恤 白色 L 2 件 单价 59'))?.text).toContain('✅');
    expect((await t.store.stock(shop.id)).find((r) => r.product === 'T恤 白色 L')?.qtyMilli).toBe(8_000);
    expect((await say(first, '出货 快乐水 1 瓶 单价 3'))?.text).toContain('✅');
  });

  it('moves the version in the same transaction as an import-style change, and only then', async () => {
    const before = await t.store.catalogueVersion(shop.id);
    await t.store.transaction((uow) => uow.createProduct(shop.id, '袜子', '双', clock.now()));
    const afterCreate = await other.catalogueVersion(shop.id);
    expect(afterCreate).toBeGreaterThan(before);
    // A purchase of a known product changes its last cost, not the catalogue.
    const first = new ChatEngine(t.store, clock, engineDeps(t.db));
    await say(first, '进货 袜子 10 双 单价 5');
    expect(await other.catalogueVersion(shop.id)).toBe(afterCreate);
    // A rolled-back change leaves the version where it was.
    await expect(
      t.store.transaction(async (uow) => {
        await uow.createProduct(shop.id, '帽子', '顶', clock.now());
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await other.catalogueVersion(shop.id)).toBe(afterCreate);
  });
});
