// SqliteStore.batch (src/adapters/prisma/batch-cache.ts): an import's batch in one transaction, its
// transaction() calls joining it, balances held until the end, and all of it undone by a throw.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

let t: TestDb | undefined;
afterEach(() => t?.cleanup());

async function setup() {
  t = createTestDb();
  const shop = await t.store.createShop('店', new Date());
  const { product, location } = await t.store.transaction(async (uow) => ({
    product: await uow.createProduct(shop.id, 'T恤', '件', new Date()),
    location: await uow.defaultLocation(shop.id),
  }));
  const stored = () => t?.db.prepare('SELECT qtyMilli, value FROM Balance WHERE productId = ? AND locationId = ?').get(product.id, location.id);
  return { store: t.store, product, location, stored };
}

describe('SqliteStore.batch', () => {
  it('holds balances until the end of the batch and writes the last figures once', async () => {
    const { store, product, location, stored } = await setup();
    const seen = await store.batch(async () => {
      await store.transaction((uow) => uow.setBalance(product.id, location.id, { qtyMilli: 5000, value: 100 }));
      await store.transaction((uow) => uow.setBalance(product.id, location.id, { qtyMilli: 7000, value: 140 }));
      const inside = await store.transaction((uow) => uow.balance(product.id, location.id));
      return { inside, written: stored() };
    });
    expect(seen.inside).toEqual({ qtyMilli: 7000, value: 140 });
    expect(seen.written).toBeUndefined();
    expect(stored()).toEqual({ qtyMilli: 7000, value: 140 });
  });

  it('leaves nothing behind when the batch throws, and the next transaction is not part of it', async () => {
    const { store, product, location, stored } = await setup();
    await expect(
      store.batch(async () => {
        await store.transaction(async (uow) => {
          await uow.setBalance(product.id, location.id, { qtyMilli: 5000, value: 100 });
          await uow.setLastCost(product.id, 20);
        });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(stored()).toBeUndefined();
    expect(await store.transaction(async (uow) => (await uow.productById(product.id)).lastCost)).toBeNull();
    await store.transaction((uow) => uow.setBalance(product.id, location.id, { qtyMilli: 1000, value: 20 }));
    expect(stored()).toEqual({ qtyMilli: 1000, value: 20 });
  });

  it('gives the batch’s balance as the current one, as a repeated message inside the batch answers with', async () => {
    const { store, product, location, stored } = await setup();
    const seen = await store.batch(async () => {
      await store.transaction((uow) => uow.setBalance(product.id, location.id, { qtyMilli: 5000, value: 100 }));
      return store.transaction((uow) => uow.currentBalance(product.id, location.id));
    });
    expect(seen).toEqual({ qtyMilli: 5000, value: 100 });
    expect(stored()).toEqual({ qtyMilli: 5000, value: 100 });
  });

  it('sees a product cost changed inside the batch', async () => {
    const { store, product } = await setup();
    const cost = await store.batch(async () => {
      await store.transaction((uow) => uow.findProduct(product.shopId, 'T恤'));
      await store.transaction((uow) => uow.setLastCost(product.id, 35));
      return store.transaction(async (uow) => [(await uow.findProduct(product.shopId, 'T恤'))?.lastCost, (await uow.productById(product.id)).lastCost]);
    });
    expect(cost).toEqual([35, 35]);
  });
});
