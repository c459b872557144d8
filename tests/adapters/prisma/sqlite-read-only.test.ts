import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
});
afterEach(() => t.cleanup());

// read() is a snapshot in which writing is an error (PostgreSQL runs it READ ONLY); the connection is
// writable again afterwards, however reads and writes alternate.
it('a write inside read() is refused and rolled back, and writes after it go through', async () => {
  const shop = await t.store.createShop('店', new Date('2026-11-30T04:00:00Z'));
  for (let i = 0; i < 3; i++) {
    await expect(t.store.read((uow) => uow.createLocation(shop.id, `只读${i}`))).rejects.toThrow(/readonly/);
    await t.store.transaction((uow) => uow.createLocation(shop.id, `仓${i}`));
    expect(await t.store.read(async (uow) => (await uow.findLocation(shop.id, `仓${i}`))?.name)).toBe(`仓${i}`);
  }
  const names = await t.store.read(async (uow) => [await uow.findLocation(shop.id, '只读0'), await uow.findLocation(shop.id, '只读2')]);
  expect(names).toEqual([undefined, undefined]);
  expect(t.db.pragma('query_only', { simple: true })).toBe(0);
});
