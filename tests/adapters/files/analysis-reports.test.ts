// Reports in chat (src/bot/reports.ts) over the SQL report port (src/adapters/prisma/sqlite-reports.ts)
// and the pure analysis (src/core/analysis.ts), on a real SQLite ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDigestStore } from '../../../src/adapters/prisma/sqlite-digest.ts';
import { SqliteReports } from '../../../src/adapters/prisma/sqlite-reports.ts';
import { stockHealthNow } from '../../../src/core/digest.ts';
import { displayWidth, renderReport } from '../../../src/bot/reports.ts';
import { parsePeriod } from '../../../src/bot/parse/index.ts';
import { margin, slowMovers, topProducts } from '../../../src/core/analysis.ts';
import { InventoryService, type WriteRequest } from '../../../src/core/inventory.service.ts';
import type { ShopRecord, StockRow } from '../../../src/core/ports.ts';
import type { ProductSalesRow } from '../../../src/core/report-queries.ts';
import { createTestDb, source, TestClock, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
let shop: ShopRecord;
let reports: SqliteReports;
let digest: SqliteDigestStore;
const clock = new TestClock(new Date('2026-11-02T02:00:00Z'));
const NOW = new Date('2026-11-27T06:00:00Z');

beforeAll(async () => {
  t = createTestDb();
  shop = await t.store.createShop('测试店', clock.now());
  reports = new SqliteReports(t.db);
  digest = new SqliteDigestStore(t.db);
  const service = new InventoryService(t.store, clock);
  const write = async (req: WriteRequest) => {
    const r = await service.record(shop.id, req, source());
    if (!r.ok) throw new Error(JSON.stringify(r.failure));
  };
  await write({
    kind: 'purchase',
    items: [
      { product: 'T恤 白色 加大码 纯棉', quantity: 100, unitPrice: 2000 },
      { product: '短裤', quantity: 50, unitPrice: 1500, unit: '条' },
      { product: '袜子', quantity: 200, unitPrice: 250, unit: '双' },
      { product: '帽子', quantity: 10, unitPrice: 3000, unit: '顶' },
    ],
  });
  clock.set('2026-11-18T03:00:00Z'); // last week (Mon 16 – Sun 22)
  await write({ kind: 'sale', items: [{ product: 'T恤 白色 加大码 纯棉', quantity: 30, unitPrice: 5900 }], channel: '淘宝' });
  await write({ kind: 'sale', items: [{ product: '短裤', quantity: 5, unitPrice: 3900 }], channel: '抖音' });
  await write({ kind: 'sale', items: [{ product: '短裤', quantity: 2, unitPrice: 3900 }] });
  clock.set('2026-11-20T03:00:00Z');
  await write({ kind: 'sale', items: [{ product: '袜子', quantity: 40, unitPrice: 900 }], channel: '淘宝' });
  await write({ kind: 'customerReturn', items: [{ product: 'T恤 白色 加大码 纯棉', quantity: 1, unitPrice: 5900 }], channel: '淘宝' });
  await write({ kind: 'sale', items: [{ product: '袜子', quantity: 100, unitPrice: 900 }], channel: '淘宝' });
  const undo = await service.undo(shop.id, {}, source());
  if (!undo.ok) throw new Error('undo');
});
afterAll(() => t.cleanup());

const period = (word: string) => parsePeriod(word, NOW, 'Asia/Shanghai') as NonNullable<ReturnType<typeof parsePeriod>>;
const stock = (): Promise<StockRow[]> => t.store.stock(shop.id);
const health = (noSaleDays?: number) => stockHealthNow(digest, shop.id, NOW, noSaleDays === undefined ? {} : { noSaleDays });
const slowIds = async (noSaleDays: number) => new Set((await health(noSaleDays)).overstock.filter((o) => o.reasons.includes('noSale')).map((o) => o.productId));
const report = async (kind: 'sales' | 'profit' | 'top' | 'slow' | 'daily', seeCost: boolean, extra: { period?: string; byChannel?: boolean } = {}) =>
  renderReport(reports, await stock(), health, shop, { intent: 'report', kind, period: extra.period ? period(extra.period) : undefined, byChannel: extra.byChannel }, seeCost, NOW);

/** Table lines (everything after the heading lines) fit a phone screen. */
function expectNarrow(text: string) {
  for (const line of text.split('\n').filter((l) => !/^[📈💰🔥🐢📋✅⛔]|^(销售额|毛利|按)/u.test(l))) expect(displayWidth(line)).toBeLessThanOrEqual(32);
}

describe('销量 / 利润 / 畅销 / 滞销 in chat', () => {
  it('销量 上周: a table of products, net of returns and undone sales', async () => {
    const text = await report('sales', false, { period: '上周' });
    expect(text.split('\n')).toEqual([
      '📈 销量 上周（11月16日–11月22日）',
      '销售额 2,344.00 元，4 笔（已扣退款 59.00）',
      '商品               数量   销售额',
      '袜子               40双   360.00',
      'T恤 白色 加大码 …  29件 1,711.00',
      '短裤                7条   273.00',
    ]);
    expectNarrow(text);
  });

  it('shows cost and profit only to owners', async () => {
    expect(await report('sales', true, { period: '上周' })).toContain('\n毛利 1,559.00 元（成本 785.00，毛利率 66.5%）\n');
    expect(await report('sales', false, { period: '上周' })).not.toMatch(/毛利|成本/);
    expect(await report('sales', false, { period: '本月', byChannel: true })).not.toMatch(/毛利|成本/);
    expect(await report('top', false, { period: '最近30天' })).not.toMatch(/毛利|成本/);
    expect(await report('slow', false)).not.toMatch(/金额|300\.00/);
    expect(await report('profit', false)).toBe('⛔ 利润只有「老板」可以查看。可以发「销量 本月」看销量。');
  });

  it('利润 本月: totals first, then products by gross profit', async () => {
    const text = await report('profit', true, { period: '本月' });
    expect(text).toMatch(/^💰 利润 本月（.*）\n销售额 2,344\.00 元，4 笔\n毛利 1,559\.00 元（成本 785\.00，毛利率 66\.5%）\n/);
    expect(text.split('\n').slice(3)).toEqual([
      '商品                 毛利 毛利率',
      'T恤 白色 加大码… 1,131.00  66.1%',
      '袜子               260.00  72.2%',
      '短裤               168.00  61.5%',
    ]);
    expectNarrow(text);
  });

  it('按渠道: one line per channel with a total; owners also see profit and margin', async () => {
    const staff = await report('sales', false, { period: '本月', byChannel: true });
    expect(staff.split('\n').slice(1)).toEqual(['渠道 笔数   销售额', '淘宝    2 2,071.00', '抖音    1   195.00', '未填    1    78.00', '合计    4 2,344.00']);
    const owner = await report('profit', true, { period: '本月', byChannel: true });
    expect(owner.split('\n').slice(1)).toEqual([
      '渠道 笔数   销售额     毛利 毛利率',
      '淘宝    2 2,071.00 1,391.00  67.2%',
      '抖音    1   195.00   120.00  61.5%',
      '未填    1    78.00    48.00  61.5%',
      '合计    4 2,344.00 1,559.00  66.5%',
    ]);
  });

  it('畅销: top by units for everyone, by gross profit for owners', async () => {
    expect((await report('top', false, { period: '最近30天' })).split('\n')).toEqual([
      '🔥 畅销 最近30天（10月29日–11月27日）',
      '按销量：',
      '1 袜子                 40双',
      '2 T恤 白色 加大码 纯棉 29件',
      '3 短裤                  7条',
    ]);
    expect(await report('top', true, { period: '最近30天' })).toContain('按毛利：\n1 T恤 白色 加大码 纯棉 1,131.00\n2 袜子                   260.00\n3 短裤                   168.00');
  });

  it('滞销: stock that has not sold in the shop’s no-sale days, with its value for owners', async () => {
    // Every product is 25 days old: none has gone the shop's 30 days unsold yet.
    expect(await report('slow', true)).toBe('✅ 没有滞销：有库存、满 30 天的商品在最近 30 天都卖出过。');
    expect((await report('slow', true, { period: '最近20天' })).split('\n')).toEqual(['🐢 滞销：20 天没卖出、仍有库存 1 种，压着 300.00 元', '商品 库存   金额 上次卖出', '帽子 10顶 300.00 从未卖出']);
    expect((await report('slow', false, { period: '最近5天' })).split('\n')).toEqual([
      '🐢 滞销：5 天没卖出、仍有库存 4 种',
      '商品               库存 上次卖出',
      'T恤 白色 加大码 …  71件    9天前',
      '短裤               43条    9天前',
      '袜子              160双    7天前',
      '帽子               10顶 从未卖出',
    ]);
  });
});

describe('analysis', () => {
  const row = (product: string, soldMilli: number, revenue: number, cost: number): ProductSalesRow => ({
    productId: product.length,
    product,
    sku: null,
    unit: '件',
    soldMilli,
    returnedMilli: 0,
    revenue,
    cost,
    sales: 1,
  });

  it('ranks by units or by profit, ties by revenue, leaving out what did not sell', () => {
    const rows = [row('A', 5000, 100, 90), row('B', 5000, 300, 100), row('C', 0, 0, 0), row('D', 1000, 900, 100)];
    expect(topProducts(rows, 'quantity', 10).map((r) => r.product)).toEqual(['B', 'A', 'D']);
    expect(topProducts(rows, 'profit', 2).map((r) => r.product)).toEqual(['D', 'B']);
    expect(margin(0, 0)).toBeNull();
    expect(margin(200, 50)).toBe(0.75);
  });

  it('counts idle days from the last sale that was not undone', async () => {
    const rows: StockRow[] = await stock();
    const last = await reports.lastSales(shop.id, NOW);
    const slow = slowMovers(rows, last, NOW, await slowIds(7));
    // Most value tied up first; 袜子 last sold 7 days ago (its later, undone sale does not count).
    expect(slow.map((s) => [s.product, s.idleDays, s.value])).toEqual([
      ['T恤 白色 加大码 纯棉', 9, 142000],
      ['短裤', 9, 64500],
      ['袜子', 7, 40000],
      ['帽子', null, 30000],
    ]);
    expect(slowMovers(rows, last, NOW, await slowIds(8)).map((s) => s.product)).toEqual(['T恤 白色 加大码 纯棉', '短裤', '帽子']);
  });
});
