import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryService } from '../../src/core/inventory.service.ts';
import { createService, createTestDb, source, TestClock, type TestDb } from '../helpers/db.ts';

let t: TestDb;
let clock: TestClock;
let svc: InventoryService;
let shop: number;

beforeEach(async () => {
  t = createTestDb();
  clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  svc = createService(t.store, clock);
  shop = (await t.store.createShop('测试店', clock.now())).id;
});
afterEach(() => t.cleanup());

const buy = (product: string, quantity: number, unitPrice: number, src = source()) =>
  svc.record(shop, { kind: 'purchase', items: [{ product, quantity, unitPrice }] }, src);
const sell = (product: string, quantity: number, unitPrice?: number, src = source()) =>
  svc.record(shop, { kind: 'sale', items: [{ product, quantity, unitPrice }] }, src);
const onHand = async (product: string, s = shop) => {
  const r = await svc.stock(s, product);
  if (!r.ok) return undefined;
  return { qty: r.value.reduce((a, b) => a + b.qtyMilli, 0) / 1000, value: r.value.reduce((a, b) => a + b.value, 0) };
};

describe('purchase and sale', () => {
  it('creates the product on first purchase and values stock at cost', async () => {
    const r = await buy('T恤', 50, 2000);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.createdProducts).toEqual(['T恤']);
    expect(r.value.entries[0]).toMatchObject({ seq: 1, kind: 'purchase', qtyMilli: 50_000, unitPrice: 2000, amount: 100_000, valueDelta: 100_000 });
    expect(await onHand('T恤')).toEqual({ qty: 50, value: 100_000 });
  });

  it('costs a sale at the moving weighted average, rounded to the 分', async () => {
    await buy('T恤', 3, 1000);
    await buy('T恤', 3, 1001); // value 6003 for 6 units: average 1000.5
    const r = await sell('T恤', 1, 5900);
    expect(r.ok && r.value.entries[0]).toMatchObject({ kind: 'sale', qtyMilli: -1000, amount: 5900, cost: 1001 });
    expect(await onHand('T恤')).toEqual({ qty: 5, value: 5002 });
    await sell('T恤', 5, 5900);
    expect(await onHand('T恤')).toEqual({ qty: 0, value: 0 });
  });

  it('keeps a total exact and derives the unit price', async () => {
    const r = await svc.record(shop, { kind: 'purchase', items: [{ product: '短裤', quantity: 3, total: 1000 }] }, source());
    expect(r.ok && r.value.entries[0]).toMatchObject({ amount: 1000, unitPrice: 333 });
    expect(await onHand('短裤')).toEqual({ qty: 3, value: 1000 });
  });

  it('refuses a sale beyond stock with the quantity on hand and writes nothing', async () => {
    await buy('T恤', 5, 2000);
    const before = (await t.store.entries(shop)).length;
    const r = await sell('T恤', 6, 5900);
    expect(r).toEqual({
      ok: false,
      failure: { code: 'INSUFFICIENT_STOCK', product: 'T恤', unit: '件', location: '默认仓', onHandMilli: 5000, requestedMilli: 6000 },
    });
    expect((await t.store.entries(shop)).length).toBe(before);
    expect(await onHand('T恤')).toEqual({ qty: 5, value: 10_000 });
  });

  it('refuses a sale of an unknown product', async () => {
    expect(await sell('卫衣', 1, 100)).toEqual({ ok: false, failure: { code: 'UNKNOWN_PRODUCT', product: '卫衣' } });
  });

  it('uses the set sale price when a sale gives none, and refuses when there is none', async () => {
    await buy('T恤', 5, 2000);
    expect(await sell('T恤', 1)).toEqual({ ok: false, failure: { code: 'MISSING_PRICE', product: 'T恤' } });
    const id = (await t.store.products(shop))[0]?.id as number;
    await t.store.updateProduct(shop, id, { salePrice: 5900 });
    const r = await sell('T恤', 2);
    expect(r.ok && r.value.entries[0]).toMatchObject({ unitPrice: 5900, amount: 11_800 });
  });

  it('lets a presale product go negative and a dropship product leave stock alone', async () => {
    await buy('预售款', 2, 1000);
    await buy('代发款', 1, 3000);
    const ids = Object.fromEntries((await t.store.products(shop)).map((p) => [p.name, p.id]));
    await t.store.updateProduct(shop, ids['预售款'] as number, { mode: 'presale' });
    await t.store.updateProduct(shop, ids['代发款'] as number, { mode: 'dropship' });
    const pre = await sell('预售款', 5, 2000);
    expect(pre.ok && pre.value.after[0]).toMatchObject({ qtyMilli: -3000 });
    expect(pre.ok && pre.value.entries[0]?.cost).toBe(2000 + 3000); // 2 on hand at 10.00, 3 backordered at the last cost
    const drop = await sell('代发款', 4, 5000);
    expect(drop.ok && drop.value.entries[0]).toMatchObject({ locationId: null, amount: 20_000, cost: 12_000, valueDelta: 0 });
    expect(await onHand('代发款')).toEqual({ qty: 1, value: 3000 });
  });
});

describe('returns, stocktake and transfer', () => {
  it('takes a customer return back at the average cost and records the refund', async () => {
    await buy('T恤', 4, 2000);
    const r = await svc.record(shop, { kind: 'customerReturn', items: [{ product: 'T恤', quantity: 1, unitPrice: 5900 }] }, source());
    expect(r.ok && r.value.entries[0]).toMatchObject({ kind: 'customer_return', qtyMilli: 1000, amount: -5900, cost: -2000, valueDelta: 2000 });
    expect(await onHand('T恤')).toEqual({ qty: 5, value: 10_000 });
  });

  it('returns goods to the supplier at average cost, refusing more than on hand', async () => {
    await buy('T恤', 4, 2000);
    expect((await svc.record(shop, { kind: 'supplierReturn', items: [{ product: 'T恤', quantity: 5 }] }, source())).ok).toBe(false);
    const r = await svc.record(shop, { kind: 'supplierReturn', items: [{ product: 'T恤', quantity: 1 }] }, source());
    expect(r.ok && r.value.entries[0]).toMatchObject({ kind: 'supplier_return', qtyMilli: -1000, cost: 2000, valueDelta: -2000 });
  });

  it('sets stock to a counted quantity and records the gain or loss', async () => {
    await buy('T恤', 50, 2000);
    const loss = await svc.record(shop, { kind: 'stocktake', items: [{ product: 'T恤', quantity: 45 }] }, source());
    expect(loss.ok && loss.value.entries[0]).toMatchObject({ kind: 'adjustment', qtyMilli: -5000, valueDelta: -10_000 });
    const gain = await svc.record(shop, { kind: 'stocktake', items: [{ product: 'T恤', quantity: 46 }] }, source());
    expect(gain.ok && gain.value.entries[0]).toMatchObject({ qtyMilli: 1000, valueDelta: 2000 });
    const zero = await svc.record(shop, { kind: 'stocktake', items: [{ product: 'T恤', quantity: 0 }] }, source());
    expect(zero.ok).toBe(true);
    expect(await onHand('T恤')).toEqual({ qty: 0, value: 0 });
  });

  it('moves stock and its value between locations', async () => {
    await buy('T恤', 30, 2000);
    const r = await svc.record(shop, { kind: 'transfer', items: [{ product: 'T恤', quantity: 20 }], to: '天猫仓' }, source());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.createdLocations).toEqual(['天猫仓']);
    expect(r.value.entries.map((e) => [e.kind, e.location, e.qtyMilli, e.valueDelta])).toEqual([
      ['transfer_out', '默认仓', -20_000, -40_000],
      ['transfer_in', '天猫仓', 20_000, 40_000],
    ]);
    const rows = await svc.stock(shop, 'T恤');
    expect(rows.ok && rows.value.map((x) => [x.location, x.qtyMilli, x.value])).toEqual([
      ['默认仓', 10_000, 20_000],
      ['天猫仓', 20_000, 40_000],
    ]);
    expect(await svc.record(shop, { kind: 'transfer', items: [{ product: 'T恤', quantity: 1 }], to: '默认仓' }, source())).toMatchObject({
      ok: false,
      failure: { code: 'SAME_LOCATION' },
    });
  });
});

describe('atomicity and idempotency', () => {
  it('writes all items of a message or none', async () => {
    await buy('T恤', 5, 2000);
    await buy('短裤', 1, 1500);
    const r = await svc.record(
      shop,
      { kind: 'sale', items: [{ product: 'T恤', quantity: 2, unitPrice: 5900 }, { product: '短裤', quantity: 3, unitPrice: 3900 }] },
      source(),
    );
    expect(r.ok).toBe(false);
    expect(await onHand('T恤')).toEqual({ qty: 5, value: 10_000 });
    expect(await t.store.entries(shop)).toHaveLength(2);
  });

  it('applies the same source message once', async () => {
    const src = source('进货 T恤 50 件 单价 20');
    const first = await buy('T恤', 50, 2000, src);
    const again = await buy('T恤', 50, 2000, src);
    expect(first.ok && first.value.duplicate).toBe(false);
    expect(again.ok && again.value.duplicate).toBe(true);
    expect(again.ok && again.value.entries.map((e) => e.seq)).toEqual([1]);
    expect(await onHand('T恤')).toEqual({ qty: 50, value: 100_000 });
    expect(await t.store.entries(shop)).toHaveLength(1);
  });

  it('keeps shops apart', async () => {
    const other = (await t.store.createShop('别的店', clock.now())).id;
    await buy('T恤', 5, 2000);
    expect(await svc.record(other, { kind: 'sale', items: [{ product: 'T恤', quantity: 1, unitPrice: 1 }] }, source())).toEqual({
      ok: false,
      failure: { code: 'UNKNOWN_PRODUCT', product: 'T恤' },
    });
    expect(await svc.undo(other, { entryNo: 1 }, source())).toEqual({ ok: false, failure: { code: 'ENTRY_NOT_FOUND', entryNo: 1 } });
    expect(await t.store.entries(other)).toEqual([]);
    expect(await t.store.stock(other)).toEqual([]);
    // Entry numbers are per shop.
    const r = await svc.record(other, { kind: 'purchase', items: [{ product: '帽子', quantity: 1, unitPrice: 100 }] }, source());
    expect(r.ok && r.value.entries[0]?.seq).toBe(1);
  });
});

describe('undo and correction', () => {
  it('reverses an entry with an entry that points at it, and refuses a second undo', async () => {
    await buy('T恤', 10, 2000);
    await sell('T恤', 3, 5900);
    const r = await svc.undo(shop, { entryNo: 2 }, source());
    expect(r.ok && r.value.reversals[0]).toMatchObject({ seq: 3, kind: 'reversal', reversesId: 2, qtyMilli: 3000, amount: -17_700 });
    expect(await onHand('T恤')).toEqual({ qty: 10, value: 20_000 });
    const again = await svc.undo(shop, { entryNo: 2 }, source());
    expect(again).toEqual({ ok: false, failure: { code: 'ALREADY_REVERSED', entryNo: 2, reversalNo: 3 } });
    expect(await svc.undo(shop, { entryNo: 3 }, source())).toEqual({ ok: false, failure: { code: 'NOT_REVERSIBLE', entryNo: 3 } });
    expect(await t.store.entries(shop)).toHaveLength(3);
  });

  it('undoes the actor’s last message, all of its items', async () => {
    await svc.record(
      shop,
      { kind: 'purchase', items: [{ product: 'T恤', quantity: 5, unitPrice: 2000 }, { product: '短裤', quantity: 3, unitPrice: 1500 }] },
      source('x', 'console:bob'),
    );
    await buy('帽子', 1, 100, source('y', 'console:alice'));
    const r = await svc.undo(shop, {}, source('撤销', 'console:bob'));
    expect(r.ok && r.value.undone.map((e) => e.product).sort()).toEqual(['T恤', '短裤']);
    expect(await onHand('帽子')).toEqual({ qty: 1, value: 100 });
    expect(await svc.undo(shop, {}, source('撤销', 'console:bob'))).toEqual({ ok: false, failure: { code: 'NOTHING_TO_UNDO' } });
  });

  it('undoes the whole message a confirmation names when asked by its first entry', async () => {
    await svc.record(
      shop,
      { kind: 'purchase', items: [{ product: 'T恤', quantity: 5, unitPrice: 2000 }, { product: '短裤', quantity: 3, unitPrice: 1500 }] },
      source(),
    );
    const r = await svc.undo(shop, { messageOfEntry: 1 }, source());
    expect(r.ok && r.value.undone.map((e) => e.seq).sort()).toEqual([1, 2]);
    expect(await svc.undo(shop, { messageOfEntry: 1 }, source())).toMatchObject({ ok: false, failure: { code: 'ALREADY_REVERSED' } });
  });

  it('refuses to undo a purchase whose goods were already sold', async () => {
    await buy('T恤', 5, 2000);
    await sell('T恤', 3, 5900);
    expect(await svc.undo(shop, { entryNo: 1 }, source())).toMatchObject({ ok: false, failure: { code: 'STOCK_ALREADY_LEFT', entryNo: 1, onHandMilli: 2000, enteredMilli: 5000 } });
  });

  it('undoing an older purchase after a sale took the rest leaves empty stock worth nothing, and later costs stay positive', async () => {
    await buy('T恤', 10, 2000);
    await buy('T恤', 10, 1000);
    await sell('T恤', 10, 5900);
    expect((await svc.undo(shop, { entryNo: 1 }, source())).ok).toBe(true);
    expect(await onHand('T恤')).toEqual({ qty: 0, value: 0 });
    await buy('T恤', 5, 1000);
    const sale = await sell('T恤', 5, 5900);
    expect(sale.ok && sale.value.entries[0]?.cost).toBe(5000);
    expect(await onHand('T恤')).toEqual({ qty: 0, value: 0 });
  });

  it('correcting an older purchase after stock moved never leaves a negative average cost', async () => {
    await buy('短裤', 4, 3000);
    await buy('短裤', 6, 1000);
    await sell('短裤', 6, 5900);
    // 4 left worth 4 × 1800 = 7200; the first purchase brought 12000 of value in.
    expect((await svc.correct(shop, { entryNo: 1, field: 'quantity', value: 1 }, source())).ok).toBe(true);
    expect(await onHand('短裤')).toEqual({ qty: 1, value: 3000 });
  });

  it('undoing a purchase nothing has touched since restores the books exactly', async () => {
    await buy('T恤', 10, 2000);
    await buy('T恤', 10, 1000);
    expect((await svc.undo(shop, { entryNo: 1 }, source())).ok).toBe(true);
    expect(await onHand('T恤')).toEqual({ qty: 10, value: 10000 });
  });

  it('a second correction of an entry follows to its replacement; an undone entry is still refused', async () => {
    await buy('T恤', 10, 2000);
    expect((await svc.correct(shop, { entryNo: 1, field: 'quantity', value: 8 }, source())).ok).toBe(true);
    const again = await svc.correct(shop, { entryNo: 1, field: 'quantity', value: 7 }, source());
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    // #1 was replaced by #3; the second correction reverses #3 (as #4) and writes #5.
    expect(again.value.original).toMatchObject({ seq: 3 });
    expect(again.value.replacement).toMatchObject({ seq: 5, qtyMilli: 7000, replacesId: again.value.original.id });
    expect(await onHand('T恤')).toEqual({ qty: 7, value: 14_000 });
    expect((await svc.undo(shop, { entryNo: 5 }, source())).ok).toBe(true);
    expect(await svc.correct(shop, { entryNo: 1, field: 'quantity', value: 6 }, source())).toEqual({
      ok: false,
      failure: { code: 'ALREADY_REVERSED', entryNo: 5, reversalNo: 6 },
    });
  });

  it('corrects quantity and unit price together', async () => {
    await buy('T恤', 10, 2000);
    await sell('T恤', 3, 5900);
    const r = await svc.correct(shop, { entryNo: 2, field: 'quantity', value: 2, also: { field: 'unitPrice', value: 6000 } }, source());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.replacement).toMatchObject({ kind: 'sale', qtyMilli: -2000, unitPrice: 6000, amount: 12_000 });
    expect(await onHand('T恤')).toEqual({ qty: 8, value: 16_000 });
  });

  it('corrects a quantity by reversing and re-recording', async () => {
    await buy('T恤', 10, 2000);
    await sell('T恤', 3, 5900);
    const r = await svc.correct(shop, { entryNo: 2, field: 'quantity', value: 4 }, source());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.reversal).toMatchObject({ seq: 3, reversesId: 2 });
    expect(r.value.replacement).toMatchObject({ seq: 4, kind: 'sale', qtyMilli: -4000, unitPrice: 5900, amount: 23_600, replacesId: 2 });
    expect(await onHand('T恤')).toEqual({ qty: 6, value: 12_000 });
  });
});

describe('bad input writes nothing', () => {
  const cases: [string, { quantity: number; unitPrice?: number }, string][] = [
    ['zero quantity', { quantity: 0, unitPrice: 100 }, 'zero'],
    ['negative quantity', { quantity: -3, unitPrice: 100 }, 'negative'],
    ['absurd quantity', { quantity: 1e9 + 1, unitPrice: 100 }, 'too_large'],
    ['fractional count', { quantity: 1.5, unitPrice: 100 }, 'fractional'],
    ['price with three decimals', { quantity: 1, unitPrice: 100.5 }, 'precision'],
    ['negative price', { quantity: 1, unitPrice: -1 }, 'negative'],
  ];
  it.each(cases)('%s', async (_name, item, reason) => {
    await buy('T恤', 5, 2000);
    const r = await svc.record(shop, { kind: 'purchase', items: [{ product: 'T恤', ...item }] }, source());
    expect(r.ok).toBe(false);
    expect(!r.ok && 'reason' in r.failure && r.failure.reason).toBe(reason);
    expect(await t.store.entries(shop)).toHaveLength(1);
  });

  it('allows fractional quantities of weight units', async () => {
    const r = await svc.record(shop, { kind: 'purchase', items: [{ product: '苹果', quantity: 2.5, unit: '斤', unitPrice: 600 }] }, source());
    expect(r.ok && r.value.entries[0]).toMatchObject({ qtyMilli: 2500, amount: 1500 });
  });
});
