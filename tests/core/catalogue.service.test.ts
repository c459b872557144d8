import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogueService } from '../../src/core/catalogue.service.ts';
import { createService, createTestDb, source, TestClock, type TestDb } from '../helpers/db.ts';

let t: TestDb;
let catalogue: CatalogueService;
let shopId: number;

beforeEach(async () => {
  t = createTestDb();
  const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  shopId = (await t.store.createShop('小店', clock.now())).id;
  const ledger = createService(t.store, clock);
  for (const product of ['T恤', '短裤']) {
    const r = await ledger.record(shopId, { kind: 'purchase', items: [{ product, quantity: 10, unit: '件', unitPrice: 2000 }] }, source());
    if (!r.ok) throw new Error(r.failure.code);
  }
  catalogue = new CatalogueService(t.store);
});
afterEach(() => t.cleanup());

const product = async (name: string) => (await t.store.products(shopId)).find((p) => p.name === name);

describe('product settings', () => {
  it('change the named product (by name or alias), rounding numbers', async () => {
    expect(await catalogue.setProduct(shopId, 'T恤', { key: 'reorderLevel', value: 9.6 })).toMatchObject({ ok: true, value: { product: { name: 'T恤' }, setting: { value: 10 } } });
    expect((await product('T恤'))?.reorderLevel).toBe(10);
    await catalogue.addAliases(shopId, 'T恤', ['短袖']);
    expect(await catalogue.setProduct(shopId, '短袖', { key: 'mode', value: 'presale' })).toMatchObject({ ok: true });
    expect((await product('T恤'))?.mode).toBe('presale');
  });

  it('refuse an unknown product and a SKU another product has, changing nothing', async () => {
    expect(await catalogue.setProduct(shopId, '帽子', { key: 'salePrice', value: 3000 })).toEqual({ ok: false, failure: { code: 'UNKNOWN_PRODUCT', product: '帽子' } });
    expect(await catalogue.setProduct(shopId, 'T恤', { key: 'sku', value: 'A1' })).toMatchObject({ ok: true });
    expect(await catalogue.setProduct(shopId, '短裤', { key: 'sku', value: 'A1' })).toEqual({ ok: false, failure: { code: 'SKU_TAKEN', sku: 'A1', owner: 'T恤' } });
    expect((await product('短裤'))?.sku).toBeNull();
  });
});

describe('aliases', () => {
  it('are added unless another product has the name, and the answer lists them all', async () => {
    const first = await catalogue.addAliases(shopId, 'T恤', ['短袖', 'tee']);
    expect(first.ok && [...first.value.all].sort()).toEqual(['tee', '短袖']);
    expect(first).toMatchObject({ ok: true, value: { taken: [] } });
    expect(await catalogue.addAliases(shopId, '短裤', ['短袖', '裤子'])).toMatchObject({ ok: true, value: { product: { name: '短裤' }, all: ['裤子'], taken: ['短袖'] } });
    expect(await catalogue.addAliases(shopId, '帽子', ['帽'])).toEqual({ ok: false, failure: { code: 'UNKNOWN_PRODUCT', product: '帽子' } });
  });
});
