import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOrders, type OrderImportSummary } from '../../../../src/adapters/files/orders/import-orders.ts';
import { formatOrderSummary } from '../../../../src/adapters/files/orders/order-summary.ts';
import { readOrderFile } from '../../../../src/adapters/files/orders/read-orders.ts';
import type { ImportTarget } from '../../../../src/adapters/files/import.ts';
import { csvTable } from '../../../../src/adapters/files/table.ts';
import { createTestDb, importTarget, source, TestClock, type TestDb } from '../../../helpers/db.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/orders/${name}`, import.meta.url));

let t: TestDb;
let target: ImportTarget;
const clock = new TestClock(new Date('2026-11-30T04:00:00Z'));

/** The shop's catalogue: T恤 and 短裤 with codes, 袜子 without one but with the platform title as an alias. */
beforeEach(async () => {
  t = createTestDb();
  target = await importTarget(t, clock);
  const shop = target.shop.id;
  for (const [product, quantity, unitPrice] of [['T恤', 50, 2000], ['短裤', 30, 1500], ['袜子', 100, 250]] as const) {
    const r = await target.service.record(shop, { kind: 'purchase', items: [{ product, quantity, unit: product === '袜子' ? '双' : '件', unitPrice }], occurredAt: new Date('2026-11-01T02:00:00Z') }, source(`进货 ${product}`));
    expect(r.ok).toBe(true);
  }
  const id = async (name: string) => (await t.store.products(shop)).find((p) => p.name === name)?.id as number;
  await t.store.updateProduct(shop, await id('T恤'), { sku: 'TS-01' });
  await t.store.updateProduct(shop, await id('短裤'), { sku: 'DK-01' });
  await t.store.addAlias(shop, await id('袜子'), '纯棉袜子');
});
afterEach(() => t.cleanup());

const stock = async (name: string) => (await t.store.stock(target.shop.id)).find((r) => r.product === name)?.qtyMilli;
const orderEntries = async () => (await t.store.entries(target.shop.id)).filter((e) => e.kind === 'sale' || e.kind === 'customer_return');

describe('recognising the platform from the header row', () => {
  it.each([
    ['taobao-qianniu.csv', 'taobao', '淘宝'],
    ['pinduoduo.csv', 'pinduoduo', '拼多多'],
    ['douyin.csv', 'douyin', '抖音'],
    ['jd.csv', 'jd', '京东'],
    ['微店订单.csv', 'weidian', '微店'],
    ['快手订单.csv', 'kuaishou', '快手'],
    ['xiaohongshu-orders.csv', 'xiaohongshu', '小红书'],
  ])('%s is %s, recorded on channel %s', async (name, id, channel) => {
    const read = await readOrderFile(fixture(name), name);
    if ('fatal' in read) throw new Error(read.fatal);
    expect(read.layout.id).toBe(id);
    expect(read.channel).toBe(channel);
    expect(read.detectedBy).toBe('header');
  });

  it('takes 天猫 as the channel when the file or the user says so, with the 淘宝 layout', async () => {
    const byName = await readOrderFile(fixture('taobao-qianniu.csv'), '天猫订单.csv');
    expect('fatal' in byName ? byName.fatal : [byName.layout.id, byName.channel]).toEqual(['taobao', '天猫']);
    const byOption = await readOrderFile(fixture('taobao-qianniu.csv'), 'x.csv', '天猫');
    expect('fatal' in byOption ? byOption.fatal : [byOption.layout.id, byOption.channel]).toEqual(['taobao', '天猫']);
  });

  it('refuses a file that is no order export, and an unknown platform name', async () => {
    const stockList = Buffer.from('商品,编码,数量,成本\nT恤,TS-01,50,20\n');
    const read = await readOrderFile(stockList, '库存.csv');
    expect('fatal' in read && read.fatal).toMatch(/^认不出这是哪个平台的订单导出（表头：商品、编码、数量、成本）。支持：淘宝、天猫、拼多多/);
    const named = await readOrderFile(fixture('jd.csv'), 'jd.csv', '亚马逊');
    expect('fatal' in named && named.fatal).toBe('不认识平台「亚马逊」。可以写：淘宝、天猫、拼多多、抖店、京东、微店、快手、小红书。');
  });

  it('refuses an export without a status column rather than record closed orders', async () => {
    const text = fixture('pinduoduo.csv').toString('utf8').replace('订单状态', '备注2');
    const read = await readOrderFile(Buffer.from(text), 'pdd.csv');
    expect('fatal' in read && read.fatal).toBe('这是拼多多的订单表，但找不到订单状态列（要靠它跳过已关闭、未付款的订单）。请导出完整的订单明细（含订单号、商品、数量、状态、付款时间）。');
  });

  it('refuses 千牛\'s order-level sheet with what to export instead', async () => {
    const sheet = Buffer.from('订单编号,买家会员名,买家应付货款,买家应付邮费,总金额,买家实际支付金额,订单状态,订单创建时间,订单付款时间,宝贝标题,宝贝种类,宝贝总数量\n1001,tb1,59,0,59,59,交易成功,2026-11-20 10:00,2026-11-20 10:01,夏季纯棉T恤男,1,1\n');
    const read = await readOrderFile(sheet, 'ExportOrderList202611.csv');
    expect('fatal' in read && read.fatal).toBe('这是淘宝/天猫的订单表（每个订单一行，没有每件商品的明细）。请在千牛「已卖出的宝贝」导出时选宝贝（子订单）明细，再发那个文件。');
  });

  it('reads the same lines from a GBK file as from UTF-8', async () => {
    const utf8 = await readOrderFile(fixture('taobao-qianniu.csv'), 'a.csv');
    const gbk = await readOrderFile(iconv.encode(fixture('taobao-qianniu.csv').toString('utf8'), 'gbk'), 'a.csv');
    if ('fatal' in utf8 || 'fatal' in gbk) throw new Error('unreadable');
    expect(gbk.table.encoding).toBe('gb18030');
    expect(utf8.table.encoding).toBe('utf-8');
    expect(gbk.table.rows).toEqual(utf8.table.rows);
  });
});

describe('importing a 淘宝 export', () => {
  it('records paid lines as sales at their pay time, a refund as a return, skips closed and unpaid orders, lists unmatched titles', async () => {
    const s = await importOrders(target, fixture('taobao-qianniu.csv'), 'taobao-qianniu.csv');
    expect(s.fatal).toBeUndefined();
    expect([s.rows, s.orders]).toEqual([8, 7]);
    expect(s.sales).toEqual({ lines: 4, qtyMilli: 7000, amount: 10800 + 3700 + 2770 + 5900 });
    expect(s.returns).toEqual({ lines: 1, qtyMilli: 1000, amount: 5900 });
    expect(s.cancelled).toEqual([{ status: '交易关闭', lines: 1 }, { status: '等待买家付款', lines: 1 }]);
    expect(s.unmatched.map((u) => [u.title, u.skuCode, u.rows])).toEqual([
      ['冰丝防晒衣女 颜色分类:浅蓝', 'FS-09', [8]],
      ['短裤子', '', [9]],
    ]);
    expect(s.unmatched[1]?.suggestions).toContain('短裤');
    expect(s.problems).toEqual([]);
    expect(s.written).toBe(true);
    // T恤 50 − 2 − 1 + 1 (refunded); 短裤 and 袜子 by code and by alias.
    expect([await stock('T恤'), await stock('短裤'), await stock('袜子')]).toEqual([48_000, 29_000, 97_000]);
    const first = (await orderEntries()).find((e) => e.kind === 'sale' && e.product === 'T恤');
    expect(first).toMatchObject({ channel: '淘宝', qtyMilli: -2000, amount: 10800, occurredAt: new Date('2026-11-20T02:00:00Z') });
    const refund = (await orderEntries()).find((e) => e.kind === 'customer_return');
    expect(refund).toMatchObject({ channel: '淘宝', qtyMilli: 1000, amount: -5900, occurredAt: new Date('2026-11-22T03:00:00Z') });

    const report = formatOrderSummary(s);
    expect(report).toContain('📦 导入淘宝/天猫订单：taobao-qianniu.csv（csv，编码 UTF-8）');
    expect(report).toContain('✅ 已记销售 4 行：数量 7，金额 231.70 元（渠道 淘宝）');
    expect(report).toContain('↩️ 已记退货 1 行（退款成功的订单）：数量 1，退款 59.00 元');
    expect(report).toContain('⏭️ 跳过 2 行：交易关闭 1 行、等待买家付款 1 行（没有成交，不记账）');
    expect(report).toContain('❓ 没对上商品，没有记账 2 行：');
    expect(report).toContain('「短裤子」（第 9 行）你是不是要找：短裤？');
    expect(report).toContain('（例：别名 短裤 短裤子）后再导入这个文件，已记的行不会重复。');
  });

  it('writes nothing the second time and says the lines were there', async () => {
    await importOrders(target, fixture('taobao-qianniu.csv'), 'taobao-qianniu.csv');
    const before = (await orderEntries()).length;
    const again = await importOrders(target, iconv.encode(fixture('taobao-qianniu.csv').toString('utf8'), 'gbk'), '宝贝报表.csv');
    expect(again.duplicates).toBe(5);
    expect([again.sales.lines, again.returns.lines, again.written]).toEqual([0, 0, false]);
    expect(await orderEntries()).toHaveLength(before);
    expect(await stock('T恤')).toBe(48_000);
    const report = formatOrderSummary(again);
    expect(report).toContain('之前已导入过 5 笔（同一平台、订单号和商品行），这次没有重复记录。');
    expect(report).toContain('没有要导入的新内容，账本没有变化。');
  });

  it('records just the fixed line when the file is imported again after an alias is added', async () => {
    await importOrders(target, fixture('taobao-qianniu.csv'), 'taobao-qianniu.csv');
    const shorts = (await t.store.products(target.shop.id)).find((p) => p.name === '短裤')?.id as number;
    await t.store.addAlias(target.shop.id, shorts, '短裤子');
    const s = await importOrders(target, fixture('taobao-qianniu.csv'), 'taobao-qianniu.csv');
    expect([s.sales.lines, s.sales.amount, s.duplicates]).toEqual([1, 3500, 5]);
    expect(s.unmatched.map((u) => u.title)).toEqual(['冰丝防晒衣女 颜色分类:浅蓝']);
    expect(await stock('短裤')).toBe(28_000);
  });

  it('records a refund that shows up in a later export, once', async () => {
    const paid = fixture('taobao-qianniu.csv').toString('utf8');
    await importOrders(target, Buffer.from(paid), 'week1.csv');
    // A week later the first order came back: the same line now says 退款成功.
    const later = paid.replace('108.00,交易成功,没有申请退款,0.00', '108.00,交易关闭,退款成功,108.00');
    const s = await importOrders(target, Buffer.from(later), 'week2.csv');
    expect([s.sales.lines, s.returns.lines, s.duplicates]).toEqual([0, 1, 5]);
    expect(s.returns.amount).toBe(10800);
    expect(await stock('T恤')).toBe(50_000);
  });

  it('records only the sale of a line refunded in part, and says so', async () => {
    const text = fixture('taobao-qianniu.csv').toString('utf8').replace('交易关闭,退款成功,59.00', '交易成功,退款成功,20.00');
    const s = await importOrders(target, Buffer.from(text), 'a.csv');
    expect([s.sales.lines, s.returns.lines]).toEqual([4, 0]);
    expect(s.partialRefunds).toEqual([{ row: 5, orderNo: '4104400003', refund: 2000, paid: 5900 }]);
    expect(await stock('T恤')).toBe(47_000);
    expect(formatOrderSummary(s)).toContain('💬 部分退款 1 行，只记了销售（不知道退回了几件）：第 5 行（订单 4104400003，退 20.00 / 实付 59.00 元）。');
  });

  it('counts a 子订单 listed twice as one line', async () => {
    const lines = fixture('taobao-qianniu.csv').toString('utf8').split('\n');
    const s = await importOrders(target, Buffer.from([...lines.slice(0, 2), lines[1], ...lines.slice(2)].join('\n')), 'a.csv');
    expect(s.sales.lines).toBe(4);
    expect(await stock('T恤')).toBe(48_000);
  });

  it('dates a 子订单 sheet without order times by its ship time, and lists a paid line not shipped yet', async () => {
    const text = fixture('taobao-qianniu.csv').toString('utf8').replace(',订单付款时间,订单创建时间,', ',付款备注,创建备注,');
    const s = await importOrders(target, Buffer.from(text), 'a.csv');
    expect(s.sales.lines).toBe(4);
    expect((await orderEntries()).find((e) => e.kind === 'sale')?.occurredAt).toEqual(new Date('2026-11-20T08:00:00Z'));
    expect(s.problems.map((p) => p.reason)).toEqual(['订单 4104400006 没有付款时间或下单时间', '订单 4104400007 没有付款时间或下单时间']);
  });

  it('previews without writing, on the same numbers', async () => {
    const preview = await importOrders(target, fixture('taobao-qianniu.csv'), 'a.csv', { dryRun: true });
    expect(preview.sales.lines).toBe(4);
    expect(await orderEntries()).toEqual([]);
    expect(formatOrderSummary(preview)).toContain('✅ 将记销售 4 行：数量 7，金额 231.70 元（渠道 淘宝）');
  });
});

describe('importing the other layouts', () => {
  it('拼多多: 商家实收金额 per order, 已取消 skipped, 退款成功 as a return, a tab after the order number ignored', async () => {
    const s = await importOrders(target, fixture('pinduoduo.csv'), 'pinduoduo.csv');
    expect(s.sales).toEqual({ lines: 3, qtyMilli: 4000, amount: 5400 + 7200 + 5900 });
    expect(s.returns.lines).toBe(1);
    expect(s.cancelled).toEqual([{ status: '已取消', lines: 1 }]);
    expect(s.unmatched.map((u) => u.title)).toEqual(['冰丝袖套防晒 浅灰']);
    const again = await importOrders(target, fixture('pinduoduo.csv'), 'pinduoduo.csv');
    expect(again.duplicates).toBe(4);
    expect(t.db.prepare("SELECT messageId FROM SourceMessage WHERE platform = 'order:pinduoduo' ORDER BY id").pluck().all()).toEqual([
      '261120-512345678901234#TS-01',
      '261121-512345678901235#DK-01',
      '261122-512345678901237#TS-01',
      '261122-512345678901237#TS-01#退款',
    ]);
  });

  it('抖店: a two-line order keyed by 子订单编号, 已关闭 skipped unless its after-sale finished', async () => {
    const s = await importOrders(target, fixture('douyin.csv'), 'douyin.csv');
    expect(s.sales).toEqual({ lines: 3, qtyMilli: 3000, amount: 4990 + 3500 + 5900 });
    expect(s.returns.lines).toBe(1);
    expect(s.cancelled).toEqual([{ status: '已关闭', lines: 1 }]);
    expect(s.unmatched.map((u) => u.title)).toEqual(['直播间福袋款 随机']);
    const keys = t.db.prepare("SELECT messageId FROM SourceMessage WHERE platform = 'order:douyin' ORDER BY id").pluck().all();
    expect(keys).toContain('6938000000000000001#6938000000000000102');
    const sale = (await orderEntries()).find((e) => e.product === '短裤');
    expect(sale).toMatchObject({ channel: '抖音', occurredAt: new Date('2026-11-20T12:00:30Z') });
  });

  it('京东: the order\'s 结算金额 split over its lines to the 分, an unknown state listed and not recorded', async () => {
    const s = await importOrders(target, fixture('jd.csv'), 'jd.csv');
    const sales = (await orderEntries()).filter((e) => e.kind === 'sale');
    expect(sales.map((e) => [e.product, e.qtyMilli, e.amount])).toEqual([
      ['T恤', -2000, 11048],
      ['短裤', -1000, 3652],
    ]);
    expect(s.sales.amount).toBe(14700);
    expect(s.cancelled).toEqual([{ status: '已取消', lines: 1 }]);
    expect(s.unknownStatus).toEqual([{ row: 5, status: '(删除)锁定' }]);
    expect(formatOrderSummary(s)).toContain('❔ 订单状态不认识，没有记账 1 行：第 5 行「(删除)锁定」');
  });

  it('京东: an order amount written on the first line only is still the whole order\'s', async () => {
    const text = fixture('jd.csv').toString('utf8').replace('39.00,157.00,147.00,0.00,147.00,', '39.00,,,,,');
    expect(text).not.toBe(fixture('jd.csv').toString('utf8'));
    const s = await importOrders(target, Buffer.from(text), 'jd.csv');
    expect((await orderEntries()).filter((e) => e.kind === 'sale').map((e) => e.amount)).toEqual([11048, 3652]);
    expect(s.sales.amount).toBe(14700);
  });

  it('guessed layouts say so in the report', async () => {
    const s = await importOrders(target, fixture('快手订单.csv'), '快手订单.csv');
    expect([s.platform, s.sales.lines, s.sales.amount]).toEqual(['快手小店', 1, 3600]);
    expect(formatOrderSummary(s)).toContain('注意：快手小店的导出格式是按常见表头推测的，请核对下面的数量和金额。');
    const xhs = await importOrders(target, fixture('xiaohongshu-orders.csv'), 'xiaohongshu-orders.csv');
    expect([xhs.sales.lines, xhs.returns.lines, xhs.returns.amount]).toEqual([2, 1, 5500]);
  });

  it('reads an .xlsx export like its CSV', async () => {
    const rows = csvTable(fixture('pinduoduo.csv').toString('utf8').replace(/^\uFEFF/, ''));
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('订单列表');
    sheet.addRow(rows.headers);
    for (const r of rows.rows) sheet.addRow(r.cells);
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    const s: OrderImportSummary = await importOrders(target, bytes, 'orders.xlsx');
    expect([s.platform, s.format, s.sheet]).toEqual(['拼多多', 'xlsx', '订单列表']);
    expect(s.sales).toEqual({ lines: 3, qtyMilli: 4000, amount: 18500 });
  });

  it('does not record the refund of a sale the ledger refused', async () => {
    const text = fixture('pinduoduo.csv').toString('utf8').replace(',59.00,59.00,1,2026-11-22 14:00:00,', ',59.00,59.00,60,2026-11-22 14:00:00,');
    expect(text).not.toBe(fixture('pinduoduo.csv').toString('utf8'));
    const s = await importOrders(target, Buffer.from(text), 'pdd.csv');
    expect(s.problems.map((p) => [p.row, p.reason])).toEqual([
      [5, '订单 261122-512345678901237：T恤 库存不足：默认仓 现有 49件，需要 60件'],
      [5, '订单 261122-512345678901237 的退款没有记：这一行的销售没有记上'],
    ]);
    expect(s.returns.lines).toBe(0);
    expect(await stock('T恤')).toBe(49_000);
  });

  it('lists a line the ledger refuses (not enough stock) and records the others', async () => {
    const text = fixture('pinduoduo.csv').toString('utf8').replace(',72.00,72.00,2,', ',72.00,72.00,40,');
    const s = await importOrders(target, Buffer.from(text), 'pdd.csv');
    expect(s.problems).toEqual([{ row: 3, reason: '订单 261121-512345678901235：短裤 库存不足：默认仓 现有 30件，需要 40件' }]);
    expect(s.sales.lines).toBe(2);
    expect(await stock('短裤')).toBe(30_000);
  });
});
