import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogueService } from '../../src/core/catalogue.service.ts';
import type { InventoryService } from '../../src/core/inventory.service.ts';
import { dropshipUnitCost, knownSuppliers, payablesBySupplier, recordedUnitCost, type PayableLine } from '../../src/core/payables.ts';
import { SqliteReports } from '../../src/adapters/prisma/sqlite-reports.ts';
import { createService, createTestDb, source, TestClock, type TestDb } from '../helpers/db.ts';

/** The dropship rule and 应付 in the core, on a real SQLite store built from the migrations. */

describe('the dropship rule and the grouping of 应付 (pure)', () => {
  const line = (supplier: string, product: string, qtyMilli: number, owed: number): PayableLine => ({ supplier, productId: product.length, product, unit: '件', qtyMilli, owed });

  it('costs at the agreed price, else the latest purchase cost, else nothing', () => {
    expect(dropshipUnitCost({ dropshipCost: 600, lastCost: 900 })).toBe(600);
    expect(dropshipUnitCost({ dropshipCost: null, lastCost: 900 })).toBe(900);
    expect(dropshipUnitCost({ lastCost: null })).toBe(0);
    expect(dropshipUnitCost({ dropshipCost: 0, lastCost: 900 })).toBe(0);
  });

  it('groups by supplier, largest debt first, and leaves out lines that net to nothing', () => {
    const groups = payablesBySupplier([line('老王', '数据线', 4000, 1200), line('老李', '手机壳', 5000, 3000), line('老李', '支架', 0, 0), line('老李', '膜', 2000, 400)]);
    expect(groups.map((g) => [g.supplier, g.owed, g.lines.map((l) => l.product)])).toEqual([
      ['老李', 3400, ['手机壳', '膜']],
      ['老王', 1200, ['数据线']],
    ]);
    expect(payablesBySupplier([])).toEqual([]);
  });

  it('reads back the unit cost an entry was recorded at, only for entries owed to a supplier', () => {
    expect(recordedUnitCost({ supplier: '老李', cost: 1800, qtyMilli: -3000 })).toBe(600);
    expect(recordedUnitCost({ supplier: '老李', cost: -600, qtyMilli: 1000 })).toBe(600);
    expect(recordedUnitCost({ supplier: '老李', cost: 1000, qtyMilli: -1500 })).toBe(667);
    expect(recordedUnitCost({ supplier: null, cost: 1800, qtyMilli: -3000 })).toBeNull();
    expect(recordedUnitCost({ supplier: '老李', cost: 0, qtyMilli: 0 })).toBeNull();
  });

  it('lists the suppliers products name, once each', () => {
    expect(knownSuppliers([{ dropshipSupplier: '老王' }, { dropshipSupplier: null }, { dropshipSupplier: '老李' }, { dropshipSupplier: '老王' }, {}])).toEqual(['老李', '老王']);
  });
});

describe('dropship entries and 应付 on the store', () => {
  let t: TestDb;
  let svc: InventoryService;
  let catalogue: CatalogueService;
  let reports: SqliteReports;
  let shop: number;
  const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  const month = { from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') };

  beforeEach(async () => {
    t = createTestDb();
    svc = createService(t.store, clock);
    catalogue = new CatalogueService(t.store);
    reports = new SqliteReports(t.db);
    shop = (await t.store.createShop('测试店', clock.now())).id;
  });
  afterEach(() => t.cleanup());

  const sell = (product: string, quantity: number, unitPrice: number) => svc.record(shop, { kind: 'sale', items: [{ product, quantity, unitPrice }] }, source());
  const owed = async (supplier?: string) => (await reports.payables(shop, month.from, month.to, supplier)).map((l) => [l.supplier, l.product, l.qtyMilli, l.owed]);

  it('creates the product only for 代发 and only with a time, and keeps terms not rewritten', async () => {
    expect(await catalogue.setProduct(shop, '手机壳', { key: 'mode', value: 'dropship', supplier: '老李', cost: 600 })).toEqual({ ok: false, failure: { code: 'UNKNOWN_PRODUCT', product: '手机壳' } });
    expect(await catalogue.setProduct(shop, '手机壳', { key: 'mode', value: 'presale' }, clock.now())).toEqual({ ok: false, failure: { code: 'UNKNOWN_PRODUCT', product: '手机壳' } });
    const set = await catalogue.setProduct(shop, '手机壳', { key: 'mode', value: 'dropship', supplier: '老李', cost: 600 }, clock.now());
    expect(set.ok && set.value).toMatchObject({ created: true, product: { name: '手机壳', mode: 'dropship', dropshipSupplier: '老李', dropshipCost: 600 } });
    const again = await catalogue.setProduct(shop, '手机壳', { key: 'mode', value: 'normal' }, clock.now());
    expect(again.ok && again.value).toMatchObject({ created: false, product: { mode: 'normal', dropshipSupplier: '老李', dropshipCost: 600 } });
    expect(await t.store.products(shop)).toHaveLength(1);
  });

  it('writes sales, returns and reversals with the supplier, and 应付 nets them', async () => {
    await catalogue.setProduct(shop, '手机壳', { key: 'mode', value: 'dropship', supplier: '老李', cost: 600 }, clock.now());
    await catalogue.setProduct(shop, '数据线', { key: 'mode', value: 'dropship', supplier: '老王', cost: 300 }, clock.now());
    const first = await sell('手机壳', 3, 1500);
    expect(first.ok && first.value.entries[0]).toMatchObject({ kind: 'sale', locationId: null, qtyMilli: -3000, amount: 4500, cost: 1800, valueDelta: 0, supplier: '老李' });
    await sell('手机壳', 2, 1500);
    await sell('数据线', 4, 1000);
    expect(await owed()).toEqual([['老李', '手机壳', 5000, 3000], ['老王', '数据线', 4000, 1200]]);
    expect(await owed('老李')).toEqual([['老李', '手机壳', 5000, 3000]]);

    const undone = await svc.undo(shop, { entryNo: 1 }, source());
    expect(undone.ok && undone.value.reversals[0]).toMatchObject({ kind: 'reversal', cost: -1800, supplier: '老李' });
    const back = await svc.record(shop, { kind: 'customerReturn', items: [{ product: '手机壳', quantity: 1, unitPrice: 1500 }] }, source());
    expect(back.ok && back.value.entries[0]).toMatchObject({ kind: 'customer_return', locationId: null, cost: -600, valueDelta: 0, supplier: '老李' });
    expect(await owed('老李')).toEqual([['老李', '手机壳', 1000, 600]]);
    expect(await owed('老张')).toEqual([]);
    // Nothing of it is stock.
    expect((await t.store.stock(shop)).filter((r) => r.qtyMilli !== 0 || r.value !== 0)).toEqual([]);
  });

  it('leaves purchases, normal sales and a dropship product without a supplier out of 应付', async () => {
    await svc.record(shop, { kind: 'purchase', items: [{ product: '耳机', quantity: 10, unitPrice: 2000 }], counterparty: '老李' }, source());
    await sell('耳机', 1, 5000);
    await catalogue.setProduct(shop, '耳机', { key: 'mode', value: 'dropship' }, clock.now());
    const drop = await sell('耳机', 1, 5000);
    expect(drop.ok && drop.value.entries[0]).toMatchObject({ locationId: null, cost: 2000, supplier: null });
    expect(await owed()).toEqual([]);
  });
});
