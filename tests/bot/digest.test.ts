import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDigestStore } from '../../src/adapters/prisma/sqlite-digest.ts';
import { digestReply, digestWindow, lowStockAlertText, renderDigest } from '../../src/bot/digest.ts';
import { parseIsoDate } from '../../src/core/zoned-time.ts';
import { buildDigest, DEFAULT_DIGEST_SETTINGS, type DigestInput } from '../../src/core/digest.ts';
import type { ProductStockRow } from '../../src/core/digest-queries.ts';
import { createService, createTestDb, source, TestClock, type TestDb } from '../helpers/db.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const asOf = new Date('2026-11-27T13:00:00Z'); // 21:00 in Shanghai
const window = digestWindow(asOf, 'Asia/Shanghai');

function product(productId: number, name: string, qty: number, extra: Partial<ProductStockRow> = {}): ProductStockRow {
  return {
    productId,
    name,
    unit: '件',
    mode: 'normal',
    reorderLevel: null,
    overstockLevel: null,
    leadTimeDays: null,
    createdAt: new Date(asOf.getTime() - 100 * DAY),
    qtyMilli: qty * 1000,
    value: qty * 2000,
    ...extra,
  };
}

/** A busy day: every section of the digest has something in it. */
function busy(over: Partial<DigestInput> = {}): DigestInput {
  return {
    shop: { id: 1, name: '小店', timeZone: 'Asia/Shanghai' },
    window,
    settings: DEFAULT_DIGEST_SETTINGS,
    products: [
      product(1, 'T恤', 4, { reorderLevel: 5 }),
      product(2, '毛衣', 250, { overstockLevel: 200 }),
      product(3, '预售款', -3, { mode: 'presale', value: -6000, reorderLevel: 0 }),
      product(4, '牛奶', 24, { unit: '瓶' }),
    ],
    movements: [
      { productId: 1, purchasedMilli: 10_000, soldMilli: 3000, customerReturnMilli: 1000, supplierReturnMilli: 0, adjustedMilli: -1000 },
      { productId: 4, purchasedMilli: 0, soldMilli: 0, customerReturnMilli: 0, supplierReturnMilli: 2000, adjustedMilli: 0 },
    ],
    channels: [
      { channel: '淘宝', salesCount: 2, revenue: 11_800, cost: 4000 },
      { channel: null, salesCount: 1, revenue: 5900, cost: 2000 },
    ],
    sales: [
      { productId: 1, windowSoldMilli: 14_000, recentSales: 5, monthRevenue: 200_000, monthCost: 120_000, monthSalesCount: 30 },
      { productId: 4, windowSoldMilli: 7000, recentSales: 3, monthRevenue: 100_000, monthCost: 60_000, monthSalesCount: 10 },
    ],
    batches: [{ productId: 4, code: 'A1', expiresAt: new Date(asOf.getTime() + 5 * DAY), qtyMilli: 12_000 }],
    ...over,
  };
}

describe('renderDigest', () => {
  it('words every section of a busy day, compactly', () => {
    expect(renderDigest(buildDigest(busy()), { seeCost: true })).toBe(
      [
        '📋 小店 日报 11月27日（截至 21:00）',
        '📝 今日出入库 2 种：',
        '· T恤 进10件 出3件 客退1件 盘亏1件',
        '· 牛奶 退供2瓶',
        '🛒 销售 3 笔，销售额 177.00 元',
        '· 淘宝 2 笔 118.00 元',
        '· 未注明渠道 1 笔 59.00 元',
        '📦 库存 3 种，共 278 个单位',
        '库存金额 5,500.00 元（按平均成本）',
        '💰 今日毛利 117.00 元，毛利率 66.1%',
        '   营收 177.00 元，成本 60.00 元',
        '💰 本月至今毛利 1,200.00 元，毛利率 40.0%',
        '   营收 3,000.00 元，成本 1,800.00 元',
        '⚠️ 缺货/低库存 2 种：',
        '· 预售款 -3件（预警0，已断货） → 建议补3件',
        '· T恤 4件（预警5，够卖4天，交期7天） → 建议补10件',
        '🐢 积压/滞销 1 种：',
        '· 毛衣 250件（积压线200，30天没卖出）',
        '🚚 待发（预售欠货）1 种：',
        '· 预售款 欠3件',
        '⏳ 临期 1 批：',
        '· 牛奶 批次A1 12瓶 12月2日到期',
      ].join('\n'),
    );
  });

  it('gives staff the owner’s copy minus exactly the cost, value and profit lines', () => {
    const digest = buildDigest(busy());
    const owner = renderDigest(digest, { seeCost: true }).split('\n');
    const staff = renderDigest(digest, { seeCost: false }).split('\n');
    const money = /库存金额|成本|毛利/;
    expect(staff).toEqual(owner.filter((line) => !money.test(line)));
    expect(owner.filter((line) => money.test(line))).toHaveLength(5);
    for (const line of staff) expect(line).not.toMatch(/金额 .*元（|成本|毛利|利润/);
  });

  it('says a quiet day in one line and leaves empty sections out', () => {
    const text = renderDigest(buildDigest(busy({ movements: [], channels: [], batches: [], sales: busy().sales.map((r) => ({ ...r, monthRevenue: 0, monthCost: 0 })) })), { seeCost: true });
    const lines = text.split('\n');
    expect(lines[1]).toBe('今天没有进出库记录。');
    expect(text).not.toMatch(/出入库 \d|销售 \d|毛利|临期/);
    const empty = renderDigest(buildDigest(busy({ products: [], movements: [], channels: [], sales: [], batches: [] })), { seeCost: true });
    expect(empty).toBe('📋 小店 日报 11月27日（截至 21:00）\n今天没有进出库记录。');
  });

  it('marks a late digest and speaks of 当日 once the day is over', () => {
    const next = digestWindow(new Date(asOf.getTime() + 6 * HOUR), 'Asia/Shanghai', '2026-11-27');
    const lines = renderDigest(buildDigest(busy({ window: next })), { seeCost: true, late: true }).split('\n');
    expect(lines.slice(0, 3)).toEqual(['📋 小店 日报 11月27日', '⏰ 补发：预定发送时机器人不在线。', '📝 当日出入库 2 种：']);
    expect(lines).toContain('💰 当日毛利 117.00 元，毛利率 66.1%');
  });

  it('names no channel when no sale named one', () => {
    const text = renderDigest(buildDigest(busy({ channels: [{ channel: null, salesCount: 2, revenue: 5000, cost: 0 }] })), { seeCost: false });
    expect(text).toContain('🛒 销售 2 笔，销售额 50.00 元\n📦');
  });

  it('cuts long lists to ten lines and says how many more', () => {
    const products = Array.from({ length: 25 }, (_, i) => product(i + 1, `商品${String(i + 1).padStart(2, '0')}`, 0, { reorderLevel: 1 }));
    const text = renderDigest(buildDigest(busy({ products, movements: [], sales: [], batches: [] })), { seeCost: false });
    expect(text).toContain('⚠️ 缺货/低库存 25 种：');
    expect(text.split('\n').filter((l) => l.startsWith('· 商品'))).toHaveLength(10);
    expect(text).toContain('…另 15 种，发「查 缺货」看全部');
  });
});

describe('digestWindow', () => {
  it('spans the local day, the month so far, and ends the rate windows now', () => {
    expect(window).toEqual({
      date: '2026-11-27',
      dayFrom: new Date('2026-11-26T16:00:00Z'),
      dayTo: new Date('2026-11-27T16:00:00Z'),
      monthFrom: new Date('2026-10-31T16:00:00Z'),
      asOf,
    });
  });

  it('has 25 and 23 hours on the days New York changes its clocks', () => {
    const back = digestWindow(new Date('2026-11-02T12:00:00Z'), 'America/New_York', '2026-11-01');
    expect(back.dayTo.getTime() - back.dayFrom.getTime()).toBe(25 * HOUR);
    expect(back.dayFrom).toEqual(new Date('2026-11-01T04:00:00Z'));
    const forward = digestWindow(new Date('2026-03-09T12:00:00Z'), 'America/New_York', '2026-03-08');
    expect(forward.dayTo.getTime() - forward.dayFrom.getTime()).toBe(23 * HOUR);
    // A past date's rates end with its day.
    expect(back.asOf).toEqual(back.dayTo);
  });

  it('reads only real calendar dates', () => {
    expect(parseIsoDate('2026-02-28')).toEqual({ year: 2026, month: 2, day: 28 });
    for (const bad of ['2026-02-30', '2026-13-01', '26-11-27', '2026/11/27', '']) expect(parseIsoDate(bad)).toBeUndefined();
  });
});

describe('lowStockAlertText', () => {
  it('is one line for one product and a list for several', () => {
    const c = { productId: 1, product: 'T恤', unit: '件', reorderLevel: 5, reasons: ['reorderLevel' as const], coverDays: null, beforeMilli: 7000, afterMilli: 4000 };
    expect(lowStockAlertText([])).toBeNull();
    expect(lowStockAlertText([c])).toBe('⚠️ 低库存：T恤 只剩 4件，已到预警线 5件，该补货了。');
    expect(lowStockAlertText([c, { ...c, productId: 2, product: '短裤', afterMilli: 0 }])).toBe('⚠️ 低库存 2 种：\n· T恤 剩4件（预警5）\n· 短裤 剩0件（预警5）');
  });

  it('says the days of cover when the sales rate, not a level, made the product short', () => {
    const c = { productId: 1, product: '袜子', unit: '双', reorderLevel: null, reasons: ['cover' as const], coverDays: 3, beforeMilli: 20_000, afterMilli: 6000 };
    expect(lowStockAlertText([c])).toBe('⚠️ 低库存：袜子 只剩 6双，按最近销量只够卖3天，该补货了。');
  });
});

describe('digestReply (日报 in a chat)', () => {
  let t: TestDb;
  beforeEach(() => {
    t = createTestDb();
  });
  afterEach(() => t.cleanup());

  it('answers with the current digest for the asking chat and records no run', async () => {
    const clock = new TestClock(new Date('2026-11-27T02:00:00Z'));
    const svc = createService(t.store, clock);
    const shop = await t.store.createShop('问询店', clock.now());
    await svc.record(shop.id, { kind: 'purchase', items: [{ product: 'T恤', quantity: 10, unitPrice: 2000 }] }, source());
    await svc.record(shop.id, { kind: 'sale', items: [{ product: 'T恤', quantity: 2, unitPrice: 5900 }] }, source());
    clock.set('2026-11-27T06:30:00Z');
    const queries = new SqliteDigestStore(t.db);
    const owner = await digestReply(queries, shop, true, clock.now());
    expect(owner.split('\n').slice(0, 4)).toEqual(['📋 问询店 日报 11月27日（截至 14:30）', '📝 今日出入库 1 种：', '· T恤 进10件 出2件', '🛒 销售 1 笔，销售额 118.00 元']);
    expect(owner).toContain('毛利 78.00 元');
    expect(await digestReply(queries, shop, false, clock.now())).not.toContain('毛利');
    expect(await digestReply(queries, shop, true, clock.now(), '2026-11-26')).toContain('这天没有进出库记录。');
    expect((t.db.prepare('SELECT COUNT(*) AS n FROM DigestRun').get() as { n: number }).n).toBe(0);
  });
});
