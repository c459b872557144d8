import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportReport, writeEntriesAndProfit } from '../../src/adapters/files/export.ts';
import { SqliteExportReader } from '../../src/adapters/prisma/sqlite-export-reader.ts';
import { SqliteReports } from '../../src/adapters/prisma/sqlite-reports.ts';
import type { ChatEngine } from '../../src/bot/engine.ts';
import type { ShopRecord } from '../../src/core/ports.ts';
import { engineShop, type TestClock, type TestDb } from '../helpers/db.ts';

/**
 * 一件代发 and 应付 through the real engine on a real SQLite file built from the migrations: the
 * setting, the sales the supplier ships (revenue, cost at the agreed price, the supplier, stock
 * untouched), what the owner and the staff read back, what the supplier is owed after returns and
 * undos, and the exports.
 */

let t: TestDb;
let clock: TestClock;
let engine: ChatEngine;
let shop: ShopRecord;
let n = 0;

beforeEach(async () => {
  ({ t, clock, engine, shop } = await engineShop());
});
afterEach(() => t.cleanup());

/** The owner in their private chat (may see cost). */
async function say(text: string): Promise<string> {
  n += 1;
  return (await engine.handle({ platform: 'test', chatId: 'boss', chatType: 'private', messageId: String(n), userId: 'boss', text }, shop, 'owner'))?.text ?? '';
}

/** A member of staff in the shop's group. */
async function staffSays(text: string): Promise<string> {
  n += 1;
  return (await engine.handle({ platform: 'test', chatId: 'g', chatType: 'group', messageId: String(n), userId: 'li', text }, shop, 'staff'))?.text ?? '';
}

/** The owner in a group whose audience is staff: the owner may act, cost stays hidden. */
async function ownerInStaffGroup(text: string): Promise<string> {
  n += 1;
  return (await engine.handle({ platform: 'test', chatId: 'g', chatType: 'group', messageId: String(n), userId: 'boss', text }, shop, { role: 'owner', seeCost: false }))?.text ?? '';
}

async function ledger() {
  return (await t.store.entries(shop.id)).map((e) => ({
    seq: e.seq,
    kind: e.kind,
    locationId: e.locationId,
    qtyMilli: e.qtyMilli,
    amount: e.amount,
    cost: e.cost,
    valueDelta: e.valueDelta,
    supplier: e.supplier ?? null,
  }));
}

/** Says a line that must be answered without writing anything. */
async function refused(text: string, by: (text: string) => Promise<string> = say): Promise<string> {
  const before = JSON.stringify(await ledger());
  const reply = await by(text);
  expect(JSON.stringify(await ledger())).toBe(before);
  return reply;
}

describe('设置 代发 with a supplier and an agreed cost', () => {
  it('creates a product that was never bought in, and keeps the terms when only the mode is set again', async () => {
    const reply = await say('设置 手机壳 代发 供应商 老李 进价 6');
    expect(reply).toContain('✅ 手机壳 模式：一件代发（只记收入和成本，不动库存），供应商 老李，进价 6.00 元/件');
    expect(reply).toContain('新商品已建档');
    expect(await t.store.products(shop.id)).toMatchObject([{ name: '手机壳', mode: 'dropship', dropshipSupplier: '老李', dropshipCost: 600 }]);
    // The terms stay when the mode alone is set again; a new cost replaces the old one.
    expect(await say('设置 手机壳 代发')).toContain('供应商 老李，进价 6.00 元/件');
    expect(await say('设置 手机壳 代发 进价 6.5')).toContain('供应商 老李，进价 6.50 元/件');
    expect((await t.store.products(shop.id))[0]).toMatchObject({ dropshipSupplier: '老李', dropshipCost: 650 });
    expect(await t.store.entries(shop.id)).toEqual([]);
  });

  it('says what is missing when the terms are not given, and only creates products for 代发', async () => {
    await say('进货 耳机 10个 单价 20');
    const reply = await say('设置 耳机 代发');
    expect(reply).toContain('✅ 耳机 模式：一件代发');
    expect(reply).toContain('还没设供应商和进价：设置 耳机 代发 供应商 老李 进价 6（不设进价时按最近一次进价算成本）');
    expect(reply).not.toContain('新商品已建档');
    expect(reply).toContain('⚠️ 现有库存 10个 不会随代发销售减少；要清掉请发「退供 耳机 10个」或「盘点 耳机 0」。');
    expect(await say('设置 充电器 预售')).toContain('没有找到商品「充电器」');
    expect((await t.store.products(shop.id)).map((p) => p.name)).toEqual(['耳机']);
  });

  it('hides the agreed cost from a chat whose audience may not see cost', async () => {
    const reply = await ownerInStaffGroup('设置 手机壳 代发 供应商 老李 进价 6');
    expect(reply).toContain('供应商 老李，进价已记下（店员看不到）');
    expect(reply).not.toContain('6.00');
  });
});

describe('dropship sales', () => {
  beforeEach(async () => {
    await say('设置 手机壳 代发 供应商 老李 进价 6');
  });

  it('records revenue, the cost at the agreed price and the supplier, and leaves stock alone', async () => {
    const reply = await say('卖了 手机壳 3个 15元 淘宝');
    expect(reply).toContain('✅ #1 出货 手机壳 3件 × 15.00 = 45.00 淘宝（一件代发 老李，成本 18.00，不动库存）');
    expect(await ledger()).toEqual([{ seq: 1, kind: 'sale', locationId: null, qtyMilli: -3000, amount: 4500, cost: 1800, valueDelta: 0, supplier: '老李' }]);
    expect((await t.store.stock(shop.id)).filter((r) => r.qtyMilli !== 0)).toEqual([]);
    expect(await say('查 手机壳')).toContain('手机壳：0件 [一件代发]');
    expect(await say('利润 本月')).toContain('18.00');
  });

  it('never shows the cost to staff, nor to the owner in a staff chat', async () => {
    const staff = await staffSays('卖了 手机壳 2个 15元 淘宝');
    expect(staff).toContain('✅ #1 出货 手机壳 2件 × 15.00 = 30.00 淘宝（一件代发 老李，不动库存）');
    expect(staff).not.toMatch(/成本|12\.00|6\.00/);
    const owner = await ownerInStaffGroup('卖了 手机壳 1个 15元 淘宝');
    expect(owner).toContain('（一件代发 老李，不动库存）');
    expect(owner).not.toContain('成本');
    expect((await ledger()).map((e) => e.cost)).toEqual([1200, 600]);
  });

  it('answers 进价多少 with the agreed terms, for owners only', async () => {
    expect(await say('手机壳 进价多少')).toBe('💰 手机壳：一件代发，供应商 老李，代发进价 6.00 元/件');
    expect(await staffSays('手机壳 进价多少')).toMatch(/^⛔/);
  });

  it('costs a later sale at a new agreed price without touching earlier ones', async () => {
    await say('卖了 手机壳 3个 15元');
    await say('设置 手机壳 代发 进价 7');
    expect(await say('卖了 手机壳 1个 15元')).toContain('成本 7.00');
    expect((await ledger()).map((e) => e.cost)).toEqual([1800, 700]);
  });

  it('goes back to normal with 取消代发: sales need stock again, and what was owed stays', async () => {
    await say('卖了 手机壳 3个 15元');
    expect(await say('设置 手机壳 取消代发')).toBe('✅ 手机壳 模式：普通（不许超卖）');
    expect(await refused('卖了 手机壳 1个 15元')).toContain('库存不足');
    expect(await say('应付 老李')).toContain('18.00');
    expect(await say('设置 手机壳 代发')).toContain('供应商 老李，进价 6.00 元/件');
    expect(await say('卖了 手机壳 1个 15元')).toContain('（一件代发 老李，成本 6.00，不动库存）');
  });
});

describe('应付', () => {
  beforeEach(async () => {
    await say('设置 手机壳 代发 供应商 老李 进价 6');
    await say('设置 数据线 代发 供应商 老王 进价 3');
  });

  it('sums what each supplier is owed this month; an undo and a return take it back', async () => {
    await say('卖了 手机壳 3个 15元 淘宝');
    await staffSays('卖了 手机壳 2个 15元 拼多多');
    await say('卖了 数据线 4条 10元 抖音');
    expect(await say('应付 老李 本月')).toBe('💰 应付 老李（本月）：30.00 元\n· 手机壳 5件 30.00');
    expect(await say('应付')).toBe('💰 应付代发供应商（本月）2 家，合计 42.00 元\n· 老李 30.00 元（手机壳 5件 30.00）\n· 老王 12.00 元（数据线 4件 12.00）');
    // The owner's last message is the 数据线 sale; undo the first 手机壳 sale by its number.
    expect(await say('撤销 #1')).toContain('已撤销 #1 出货 手机壳 3件');
    expect(await say('应付 老李 本月')).toBe('💰 应付 老李（本月）：12.00 元\n· 手机壳 2件 12.00');
    const back = await say('退货 手机壳 1个 退款 15');
    expect(back).toContain('（一件代发 老李，退回成本 6.00，不动库存）');
    expect(await say('应付 老李')).toBe('💰 应付 老李（本月）：6.00 元\n· 手机壳 1件 6.00');
    expect((await t.store.stock(shop.id)).filter((r) => r.qtyMilli !== 0)).toEqual([]);
  });

  it('follows a correction of a dropship sale', async () => {
    await say('卖了 手机壳 3个 15元');
    expect(await say('改 #1 数量 4')).toContain('（一件代发 老李，成本 24.00，不动库存）');
    expect(await say('应付 老李')).toBe('💰 应付 老李（本月）：24.00 元\n· 手机壳 4件 24.00');
  });

  it('reads the period: a sale dated last month counts for 上月, not 本月', async () => {
    await say('10月20日 卖了 手机壳 2个 15元');
    await say('卖了 手机壳 1个 15元');
    expect(await say('应付 老李 上月')).toBe('💰 应付 老李（上月）：12.00 元\n· 手机壳 2件 12.00');
    expect(await say('应付 老李 本月')).toBe('💰 应付 老李（本月）：6.00 元\n· 手机壳 1件 6.00');
    expect(await say('应付 老李 今年')).toContain('18.00');
    expect(await say('应付 上周')).toBe('✅ 上周没有欠代发供应商的货款。');
  });

  it('answers a supplier owed nothing, and refuses one it does not know with the ones it does', async () => {
    expect(await say('应付 老李')).toBe('✅ 本月不欠「老李」代发货款（没有代发销售，或已全部退货、撤销）。');
    expect(await refused('应付 老张')).toBe('❌ 没有供应商「老张」的代发记录。代发供应商有：老李、老王。\n例：应付 老李 本月');
  });

  it('does not count purchases, even with a supplier named', async () => {
    await say('进货 耳机 10个 单价 20 供应商 老李');
    expect(await say('应付 老李')).toContain('不欠「老李」');
  });

  it('is for owners who may see cost only', async () => {
    await say('卖了 手机壳 3个 15元');
    expect(await refused('应付 老李', staffSays)).toBe('⛔ 你的身份是「店员」，这个操作需要「老板」权限。');
    const owner = await refused('应付', ownerInStaffGroup);
    expect(owner).toContain('⛔ 应付（代发进价）只有「老板」');
    expect(owner).not.toContain('18.00');
  });
});

describe('the exports carry dropship', () => {
  it('entries have the supplier and agreed cost; payables sum by supplier', async () => {
    await say('设置 手机壳 代发 供应商 老李 进价 6');
    await say('进货 耳机 10个 单价 20 供应商 老王');
    await say('卖了 手机壳 3个 15元 淘宝');
    await say('卖了 手机壳 2个 15元 淘宝');
    await say('撤销');
    const sources = { reader: new SqliteExportReader(t.db), queries: new SqliteReports(t.db) };
    const shopRow = { id: shop.id, name: shop.name, timeZone: shop.timeZone };

    const csv = (await exportReport(sources, { what: 'entries', format: 'csv', shop: shopRow })).buffer.toString('utf8').split('\r\n');
    expect(csv[0]).toBe('\uFEFF编号,时间,类型,商品,仓库,数量,单价,金额,成本,渠道,往来单位,经办人,撤销的编号,备注,批次,代发供应商,代发进价');
    expect(csv[1]).toMatch(/^1,.*,进货,耳机,默认仓,10,20.00,200.00,0.00,,老王,.*,,,,$/);
    expect(csv[2]).toMatch(/^2,.*,出货,手机壳,,-3,15.00,45.00,18.00,淘宝,,.*,,,,老李,6.00$/);
    expect(csv[4]).toMatch(/^4,.*,撤销,手机壳,,2,15.00,-30.00,-12.00,淘宝,,.*,#3,,,老李,6.00$/);

    const json = JSON.parse((await exportReport(sources, { what: 'entries', format: 'json', shop: shopRow })).buffer.toString('utf8')) as object[];
    expect(json[1]).toMatchObject({ id: 2, supplier: '老李', supplierUnitCost: '6.00', cost: '18.00' });
    expect(json[0]).toMatchObject({ id: 1, supplier: null, supplierUnitCost: null });

    const payables = await exportReport(sources, { what: 'payables', format: 'json', shop: shopRow, now: clock.now() });
    expect(payables.filename).toMatch(/^店-应付-2026-11-27\.json$/);
    expect(JSON.parse(payables.buffer.toString('utf8'))).toEqual({
      from: null,
      to: null,
      total: '18.00',
      suppliers: [{ supplier: '老李', owed: '18.00', products: [{ product: '手机壳', unit: '件', quantity: 3, owed: '18.00' }] }],
    });
    const payablesCsv = (await exportReport(sources, { what: 'payables', format: 'csv', shop: shopRow })).buffer.toString('utf8');
    expect(payablesCsv).toBe('\uFEFF供应商,商品,单位,数量,应付金额\r\n老李,手机壳,件,3,18.00\r\n老李,小计,,,18.00\r\n合计,,,,18.00\r\n');
  });

  it('puts 应付 on a sheet of its own, and in the chat workbook of a period when anything is owed', async () => {
    await say('设置 手机壳 代发 供应商 老李 进价 6');
    await say('设置 数据线 代发 供应商 老王 进价 3');
    await say('卖了 手机壳 3个 15元 淘宝');
    await say('卖了 数据线 4条 10元 抖音');
    const sources = { reader: new SqliteExportReader(t.db), queries: new SqliteReports(t.db) };
    const load = async (buffer: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
      return wb;
    };
    const file = await exportReport(sources, { what: 'payables', format: 'xlsx', shop: { id: shop.id, name: shop.name, timeZone: shop.timeZone } });
    const ws = (await load(file.buffer)).getWorksheet('应付') as ExcelJS.Worksheet;
    expect(ws.getRow(1).values).toEqual([undefined, '供应商', '商品', '单位', '数量', '应付金额']);
    expect(ws.getRow(2).values).toEqual([undefined, '老李', '手机壳', '件', 3, 18]);
    expect(ws.getRow(3).values).toEqual([undefined, '老王', '数据线', '件', 4, 12]);
    expect(ws.getRow(4).values).toEqual([undefined, '合计', undefined, undefined, undefined, 30]);

    const month = { from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') };
    const workbook = async (period: { from: Date; to: Date }) => {
      const chunks: Buffer[] = [];
      const out = new PassThrough();
      out.on('data', (c: Buffer) => chunks.push(c));
      await writeEntriesAndProfit(sources, shop, period, out);
      out.end();
      return load(Buffer.concat(chunks));
    };
    const wb = await workbook(month);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['流水', '利润-按商品', '利润-按渠道', '应付']);
    const entries = wb.getWorksheet('流水') as ExcelJS.Worksheet;
    expect(entries.getRow(1).values).toContain('代发供应商');
    expect(entries.getRow(2).values).toEqual(expect.arrayContaining(['老李', 6]));
    // A month with no dropship sales has no 应付 sheet.
    const october = await workbook({ from: new Date('2026-09-30T16:00:00Z'), to: month.from });
    expect(october.worksheets.map((w) => w.name)).toEqual(['流水', '利润-按商品', '利润-按渠道']);
  });
});
