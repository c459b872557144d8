import { describe, expect, it } from 'vitest';
import {
  buildDigest,
  DEFAULT_DIGEST_SETTINGS,
  reorderCrossings,
  shortageOf,
  suggestedPurchaseMilli,
  type DigestInput,
} from '../../src/core/digest.ts';
import type { ProductStockRow } from '../../src/core/digest-queries.ts';

const DAY = 86_400_000;
const asOf = new Date('2026-11-27T13:00:00Z');
const window = {
  date: '2026-11-27',
  dayFrom: new Date('2026-11-26T16:00:00Z'),
  dayTo: new Date('2026-11-27T16:00:00Z'),
  monthFrom: new Date('2026-10-31T16:00:00Z'),
  asOf,
};
const old = new Date(asOf.getTime() - 100 * DAY);

let nextId = 1;
function product(name: string, qty: number, extra: Partial<ProductStockRow> = {}): ProductStockRow {
  return {
    productId: nextId++,
    name,
    unit: '件',
    mode: 'normal',
    reorderLevel: null,
    overstockLevel: null,
    leadTimeDays: null,
    createdAt: old,
    qtyMilli: qty * 1000,
    value: qty * 1000,
    ...extra,
  };
}

function input(over: Partial<DigestInput>): DigestInput {
  return {
    shop: { id: 1, name: '店', timeZone: 'Asia/Shanghai' },
    window,
    settings: DEFAULT_DIGEST_SETTINGS,
    products: [],
    movements: [],
    channels: [],
    sales: [],
    batches: [],
    ...over,
  };
}

/** Units sold over the 14-day window for a daily rate of `perDay`. */
const sold = (productId: number, perDay: number, recentSales = 1) => ({ productId, windowSoldMilli: perDay * 14 * 1000, recentSales, monthRevenue: 0, monthCost: 0, monthSalesCount: 0 });

describe('缺货 / 低库存', () => {
  it('flags stock at or below the reorder level, not above it', () => {
    const at = product('帽子', 5, { reorderLevel: 5 });
    const above = product('围巾', 6, { reorderLevel: 5 });
    const d = buildDigest(input({ products: [at, above], sales: [sold(at.productId, 0, 1), sold(above.productId, 0, 1)] }));
    expect(d.shortages.map((s) => [s.product, s.reasons])).toEqual([['帽子', ['reorderLevel']]]);
  });

  it('flags fewer days of cover than the lead time at the 14-day rate', () => {
    // 2 a day: 13 units last 6.5 days, under the default 7-day lead time; 14 last exactly 7.
    const short = product('T恤', 13);
    const enough = product('短裤', 14);
    const d = buildDigest(input({ products: [short, enough], sales: [sold(short.productId, 2), sold(enough.productId, 2)] }));
    expect(d.shortages).toHaveLength(1);
    expect(d.shortages[0]).toMatchObject({ product: 'T恤', reasons: ['cover'], coverDays: 6.5, dailyMilli: 2000, leadTimeDays: 7 });
  });

  it('uses the product’s own lead time before the shop’s', () => {
    const p = product('T恤', 13, { leadTimeDays: 3 });
    expect(buildDigest(input({ products: [p], sales: [sold(p.productId, 2)] })).shortages).toEqual([]);
  });

  it('suggests enough to cover lead time plus safety days: ⌈v × (L + S)⌉ − q', () => {
    // v = 2/day, L = 7, S = 7: 28 units wanted, 13 on hand → 15.
    const p = product('T恤', 13);
    expect(buildDigest(input({ products: [p], sales: [sold(p.productId, 2)] })).shortages[0]?.suggestMilli).toBe(15_000);
    // v = 10/14 a day: 10 units over 14 days → ⌈10⌉ = 10 wanted, 3 on hand → 7.
    expect(suggestedPurchaseMilli(3000, 10_000, 7, null, DEFAULT_DIGEST_SETTINGS)).toBe(7000);
    // 1 unit sold: ⌈1⌉ wanted, but the reorder level 5 asks for more.
    expect(suggestedPurchaseMilli(2000, 1000, 7, 5, DEFAULT_DIGEST_SETTINGS)).toBe(3000);
    // Presale owing 4: the owed units come on top.
    expect(suggestedPurchaseMilli(-4000, 14_000, 7, null, DEFAULT_DIGEST_SETTINGS)).toBe(18_000);
    // Fractional stock of a weight unit rounds the purchase up to whole units.
    expect(suggestedPurchaseMilli(2500, 14_000, 7, null, DEFAULT_DIGEST_SETTINGS)).toBe(12_000);
  });

  it('counts the window’s net sales only (returns reduce the rate, never below zero)', () => {
    const p = product('T恤', 5, { reorderLevel: null });
    expect(shortageOf(p, -3000, DEFAULT_DIGEST_SETTINGS)).toBeUndefined();
  });

  it('never lists dropship products, which hold no stock', () => {
    const p = product('代发杯', 0, { mode: 'dropship', reorderLevel: 5 });
    const d = buildDigest(input({ products: [p], sales: [sold(p.productId, 3)] }));
    expect(d.shortages).toEqual([]);
    expect(d.overstock).toEqual([]);
  });

  it('puts the out-of-stock first, then the fewest days of cover', () => {
    const a = product('A', 10);
    const b = product('B', 0, { reorderLevel: 2 });
    const c = product('C', 4);
    const d = buildDigest(input({ products: [a, b, c], sales: [sold(a.productId, 2), sold(c.productId, 2)] }));
    expect(d.shortages.map((s) => s.product)).toEqual(['B', 'C', 'A']);
  });
});

describe('积压 / 滞销', () => {
  it('flags stock above the overstock level', () => {
    const p = product('毛衣', 201, { overstockLevel: 200 });
    const q = product('外套', 200, { overstockLevel: 200 });
    const d = buildDigest(input({ products: [p, q], sales: [sold(p.productId, 10), sold(q.productId, 10)] }));
    expect(d.overstock.map((o) => [o.product, o.reasons])).toEqual([['毛衣', ['overstockLevel']]]);
  });

  it('flags more than 90 days of cover, and takes the shop’s own limit', () => {
    const p = product('袜子', 91); // 1 a day: 91 days
    const q = product('手套', 90);
    const d = buildDigest(input({ products: [p, q], sales: [sold(p.productId, 1), sold(q.productId, 1)] }));
    expect(d.overstock.map((o) => o.product)).toEqual(['袜子']);
    const tight = buildDigest(input({ products: [q], sales: [sold(q.productId, 1)], settings: { ...DEFAULT_DIGEST_SETTINGS, overstockCoverDays: 60 } }));
    expect(tight.overstock.map((o) => [o.product, o.reasons])).toEqual([['手套', ['cover']]]);
  });

  it('flags no sale in 30 days while stock remains, for products older than that', () => {
    const stale = product('旧款', 3);
    const fresh = product('新款', 3, { createdAt: new Date(asOf.getTime() - 10 * DAY) });
    const empty = product('空的', 0);
    const d = buildDigest(input({ products: [stale, fresh, empty] }));
    expect(d.overstock.map((o) => [o.product, o.reasons])).toEqual([['旧款', ['noSale']]]);
    // A sale in the last 30 days (though none in the last 14) clears it.
    const sold30 = buildDigest(input({ products: [stale], sales: [{ ...sold(stale.productId, 0), recentSales: 1 }] }));
    expect(sold30.overstock).toEqual([]);
  });

  it('rates a new product over the days it has existed, and does not judge one younger than a few days', () => {
    // Bought yesterday, one sold: not 406 days of cover (29 × 14 ÷ 1), and too young to be 积压.
    const fresh = product('新到卫衣', 29, { createdAt: new Date(asOf.getTime() - 1 * DAY) });
    const d = buildDigest(input({ products: [fresh], sales: [{ ...sold(fresh.productId, 0), windowSoldMilli: 1000 }] }));
    expect(d.overstock).toEqual([]);
    // Ten days old, 2 sold: 1 every 5 days, so 29 units last 145 days (> 90): 积压 by cover.
    const tenDays = product('旧卫衣', 29, { createdAt: new Date(asOf.getTime() - 10 * DAY) });
    const e = buildDigest(input({ products: [tenDays], sales: [{ ...sold(tenDays.productId, 0), windowSoldMilli: 2000 }] }));
    expect(e.overstock).toMatchObject([{ product: '旧卫衣', reasons: ['cover'], coverDays: 145 }]);
    // The rate of a young product also makes it short sooner: 5 sold in 2 days is 2.5 a day, 10 units last 4 days.
    const hot = product('爆款', 10, { createdAt: new Date(asOf.getTime() - 2 * DAY) });
    expect(buildDigest(input({ products: [hot], sales: [{ ...sold(hot.productId, 0), windowSoldMilli: 5000 }] })).shortages).toMatchObject([
      { product: '爆款', reasons: ['cover'], coverDays: 4 },
    ]);
  });

  it('does not call a short product 积压 as well', () => {
    const p = product('帽子', 3, { reorderLevel: 5 });
    const d = buildDigest(input({ products: [p] }));
    expect(d.shortages.map((s) => s.product)).toEqual(['帽子']);
    expect(d.overstock).toEqual([]);
  });
});

describe('stock, 待发 and 临期', () => {
  it('counts SKUs and units in stock and values every balance', () => {
    const d = buildDigest(
      input({
        products: [product('A', 3), product('B', 0), product('预售款', -2, { mode: 'presale', value: -2000 }), product('C', 4, { unit: '斤' })],
      }),
    );
    expect(d.stock).toEqual({ skus: 2, unitsMilli: 7000, value: 5000, unit: null });
    expect(d.backorders).toEqual([expect.objectContaining({ product: '预售款', owedMilli: 2000 })]);
  });

  it('names the unit when every SKU in stock uses the same one', () => {
    expect(buildDigest(input({ products: [product('A', 3), product('B', 2)] })).stock.unit).toBe('件');
  });

  it('lists batches with stock, expired ones marked', () => {
    const p = product('牛奶', 20, { unit: '瓶' });
    const d = buildDigest(
      input({
        products: [p],
        batches: [
          { productId: p.productId, code: 'B', expiresAt: new Date(asOf.getTime() + 5 * DAY), qtyMilli: 12_000 },
          { productId: p.productId, code: 'A', expiresAt: new Date(asOf.getTime() - DAY), qtyMilli: 8000 },
          { productId: p.productId, code: 'C', expiresAt: new Date(asOf.getTime() + DAY), qtyMilli: 0 },
        ],
      }),
    );
    expect(d.expiring.map((e) => [e.code, e.expired])).toEqual([
      ['A', true],
      ['B', false],
    ]);
  });
});

describe('today and profit', () => {
  it('drops products whose entries cancel out and is quiet with no entries', () => {
    const p = product('A', 3);
    const d = buildDigest(input({ products: [p], movements: [{ productId: p.productId, purchasedMilli: 0, soldMilli: 0, customerReturnMilli: 0, supplierReturnMilli: 0, adjustedMilli: 0 }] }));
    expect(d.movements).toEqual([]);
    expect(d.quiet).toBe(true);
  });

  it('totals channels into the day and works out margin', () => {
    const d = buildDigest(
      input({
        channels: [
          { channel: null, salesCount: 1, revenue: 5900, cost: 2000 },
          { channel: '淘宝', salesCount: 2, revenue: 11_800, cost: 4000 },
        ],
        sales: [
          { ...sold(1, 1), monthRevenue: 70_000, monthCost: 50_000, monthSalesCount: 15 },
          { ...sold(2, 1), monthRevenue: 30_000, monthCost: 10_000, monthSalesCount: 5 },
        ],
      }),
    );
    expect(d.channels.map((c) => c.channel)).toEqual(['淘宝', null]);
    expect(d.sales).toEqual({ salesCount: 3, revenue: 17_700 });
    expect(d.profit.day).toEqual({ revenue: 17_700, cost: 6000, grossProfit: 11_700, margin: 11_700 / 17_700 });
    expect(d.profit.month).toEqual({ revenue: 100_000, cost: 60_000, grossProfit: 40_000, margin: 0.4 });
    expect(d.quiet).toBe(false);
  });

  it('has no margin without revenue', () => {
    expect(buildDigest(input({})).profit.day.margin).toBeNull();
  });
});

describe('reorderCrossings', () => {
  const p = product('T恤', 5, { reorderLevel: 5 });

  it('fires when a sale takes stock from above the level to at or below it', () => {
    expect(reorderCrossings([{ productId: p.productId, qtyMilli: -3000 }], [p], [], DEFAULT_DIGEST_SETTINGS, asOf)).toEqual([
      { productId: p.productId, product: 'T恤', unit: '件', reorderLevel: 5, reasons: ['reorderLevel'], coverDays: null, beforeMilli: 8000, afterMilli: 5000 },
    ]);
  });

  it('stays quiet below the line already, above it still, or without a level', () => {
    const below = { ...p, qtyMilli: 3000 };
    const cross = (qtyMilli: number, after: ProductStockRow) => reorderCrossings([{ productId: p.productId, qtyMilli }], [after], [], DEFAULT_DIGEST_SETTINGS, asOf);
    expect(cross(-1000, below)).toEqual([]);
    expect(cross(-1000, { ...p, qtyMilli: 6000 })).toEqual([]);
    expect(cross(-3000, { ...p, reorderLevel: null })).toEqual([]);
  });

  it('fires when a sale leaves fewer days of cover than the lead time, by the digest’s rule', () => {
    // 2 a day over the window, lead time 7: 15 units are enough, 13 are not.
    const q = product('袜子', 13);
    const crossed = reorderCrossings([{ productId: q.productId, qtyMilli: -2000 }], [q], [sold(q.productId, 2)], DEFAULT_DIGEST_SETTINGS, asOf);
    expect(crossed).toMatchObject([{ product: '袜子', reasons: ['cover'], reorderLevel: null, coverDays: 6.5, beforeMilli: 15_000 }]);
    expect(buildDigest(input({ products: [q], sales: [sold(q.productId, 2)] })).shortages.map((s) => s.product)).toEqual(['袜子']);
  });

  it('adds up several lines of the same product in one message', () => {
    const sold = [
      { productId: p.productId, qtyMilli: -1000 },
      { productId: p.productId, qtyMilli: -1000 },
    ];
    expect(reorderCrossings(sold, [p], [], DEFAULT_DIGEST_SETTINGS, asOf)[0]?.beforeMilli).toBe(7000);
  });
});
