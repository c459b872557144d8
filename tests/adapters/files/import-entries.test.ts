import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entriesCsv } from '../../../src/adapters/files/export.ts';
import { detectImportKind, importFile, type ImportTarget } from '../../../src/adapters/files/import.ts';
import { InventoryService } from '../../../src/core/inventory.service.ts';
import { createTestDb, TestClock, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
let target: ImportTarget;
const clock = new TestClock(new Date('2026-11-27T02:00:00Z'));

async function targetFor(db: TestDb, name: string): Promise<ImportTarget> {
  const shop = await db.store.createShop(name, clock.now());
  return { store: db.store, service: new InventoryService(db.store, clock), shop, actor: { id: 'cli:alice', name: 'alice' }, now: () => clock.now() };
}

beforeEach(async () => {
  t = createTestDb();
  target = await targetFor(t, '测试店');
});
afterEach(() => t.cleanup());

const csv = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');
const stockOf = async (tt: ImportTarget) => (await tt.store.stock(tt.shop.id)).map((r) => [r.product, r.location, r.qtyMilli / 1000, r.value]);
const ledger = async () => (await t.store.entries(target.shop.id)).map((e) => [e.kind, e.product, e.qtyMilli / 1000, e.unitPrice, e.amount, e.cost, e.channel]);

const LEDGER = [
  '日期,类型,商品,数量,单价,渠道,客户',
  '2026-11-01 09:00,进货,T恤,50,20,,老王',
  '2026-11-02 10:00,出货,T恤,3,59,淘宝,',
  '2026-11-03,客退,T恤,1,59,淘宝,',
  '2026-11-04,退供,T恤,5,20,,老王',
];

describe('importing a ledger of purchases, sales and returns', () => {
  it('records each row as the entry it names, dated as written', async () => {
    const s = await importFile(target, 'entries', csv(LEDGER), '流水.csv');
    expect(s.problems).toEqual([]);
    expect(await ledger()).toEqual([
      ['purchase', 'T恤', 50, 2000, 100000, 0, null],
      ['sale', 'T恤', -3, 5900, 17700, 6000, '淘宝'],
      ['customer_return', 'T恤', 1, 5900, -5900, -2000, '淘宝'],
      ['supplier_return', 'T恤', -5, 2000, -10000, 10000, null],
    ]);
    expect((await t.store.entries(target.shop.id)).map((e) => e.occurredAt.toISOString())).toEqual([
      '2026-11-01T01:00:00.000Z',
      '2026-11-02T02:00:00.000Z',
      '2026-11-02T16:00:00.000Z',
      '2026-11-03T16:00:00.000Z',
    ]);
    expect(await stockOf(target)).toEqual([['T恤', '默认仓', 43, 86000]]);
    expect(s.byKind.sale).toEqual({ rows: 1, qtyMilli: 3000, amount: 17700 });
  });

  it('applies rows in date order, whatever their order in the file', async () => {
    const s = await importFile(target, 'entries', csv([LEDGER[0] as string, LEDGER[2] as string, LEDGER[1] as string]), '流水.csv');
    expect(s.problems).toEqual([]);
    expect((await ledger()).map((e) => e[0])).toEqual(['purchase', 'sale']);
  });

  it('changes nothing when imported again, and adds only the rows that are new', async () => {
    await importFile(target, 'entries', csv(LEDGER.slice(0, 3)), 'a.csv');
    const again = await importFile(target, 'entries', csv(LEDGER), 'b.csv');
    expect(again.duplicateRows).toBe(2);
    expect(again.importedRows).toBe(2);
    expect(await ledger()).toHaveLength(4);
    const third = await importFile(target, 'entries', csv(LEDGER), 'c.csv');
    expect(third.written).toBe(false);
    expect(await ledger()).toHaveLength(4);
  });

  it('keeps identical lines as separate sales', async () => {
    await importFile(target, 'entries', csv([...LEDGER.slice(0, 2), LEDGER[2] as string, LEDGER[2] as string]), 'a.csv');
    expect(await stockOf(target)).toEqual([['T恤', '默认仓', 44, 88000]]);
  });

  it('finds problems only the ledger can see, by row, and writes nothing', async () => {
    const s = await importFile(
      target,
      'entries',
      csv([...LEDGER.slice(0, 2), '2026-11-05,出货,T恤,100,59,,', '2026-11-05,出货,袜子,1,5,,', '2026-11-05,盘点,T恤,1,,,', '昨天,出货,T恤,1,59,,', '2026-11-06,出货,T恤,0,59,,']),
      '流水.csv',
    );
    expect(s.problems).toEqual([
      { row: 3, reason: 'T恤 库存不足：默认仓 现有 50件，需要 100件' },
      { row: 4, reason: '没有商品「袜子」：出货前要先有这个商品（先导入期初库存或进货）' },
      { row: 5, reason: '类型「盘点」不能导入（可以是 进货、出货、客退、退供）' },
      { row: 6, reason: '日期「昨天」看不懂（例：2026-11-01 或 2026-11-01 10:30）' },
      { row: 7, reason: '数量不能为 0' },
    ]);
    expect(s.written).toBe(false);
    expect(await ledger()).toEqual([]);
    expect(await t.store.products(target.shop.id)).toEqual([]);
  });

  it('reads invoice lines without a type column: negative quantities are customer returns', async () => {
    await importFile(target, 'entries', csv(['日期,类型,商品,编码,数量,单价', '2010-11-30,进货,Heart holder,85123A,100,1.5']), 'open.csv');
    const s = await importFile(
      target,
      'entries',
      csv([
        'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
        '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
        'C536379,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-2,2010-12-01 09:41:00,2.55,14527,United Kingdom',
      ]),
      'invoices.csv',
    );
    expect(s.problems).toEqual([]);
    expect(s.ignoredColumns).toEqual(['Country']);
    expect((await ledger()).slice(1)).toEqual([
      ['sale', 'Heart holder', -6, 255, 1530, 900, null],
      ['customer_return', 'Heart holder', 2, 255, -510, -300, null],
    ]);
    expect((await t.store.entries(target.shop.id))[1]?.counterparty).toBe('17850');
  });

  it('writes the lines of one document all or none', async () => {
    await importFile(target, 'entries', csv(['日期,类型,商品,数量,单价', '2026-11-01,进货,A,10,1', '2026-11-01,进货,B,10,1']), 'open.csv');
    const s = await importFile(
      target,
      'entries',
      csv(['单号,日期,类型,商品,数量,单价', 'S1,2026-11-02,出货,A,2,5', 'S1,2026-11-02,出货,B,20,5', 'S2,2026-11-02,出货,A,1,5', 'S3,2026-11-02,出货,B,x,5', 'S3,2026-11-02,出货,A,1,5']),
      '单据.csv',
      { skipBad: true },
    );
    expect(s.problems).toEqual([
      { row: 3, reason: 'B 库存不足：默认仓 现有 10件，需要 20件（单号 S1 整单 2 行未导入）' },
      { row: 5, reason: '数量「x」不是数字' },
    ]);
    expect(s.notes).toEqual(['单号 S3 有错误行，同一单的第 6 行也没有导入']);
    expect(s.importedRows).toBe(1);
    expect(await stockOf(target)).toEqual([
      ['A', '默认仓', 9, 900],
      ['B', '默认仓', 10, 1000],
    ]);
  });

  it('re-imports its own CSV export into another shop to the same stock', async () => {
    await importFile(target, 'entries', csv(LEDGER), '流水.csv');
    const file = entriesCsv(
      (await t.store.entries(target.shop.id)).map((e) => ({ ...e, actor: e.actorName ?? e.actorId, reverses: null })),
      target.shop.timeZone,
    );
    const other = await targetFor(t, '分店');
    const s = await importFile(other, 'entries', Buffer.from(file, 'utf8'), 'export.csv');
    expect(s.problems).toEqual([]);
    expect(await stockOf(other)).toEqual(await stockOf(target));
  });

  it('finds a product by a code in the product column and converts 箱 to its own unit', async () => {
    await importFile(target, 'entries', csv(['日期,类型,商品,编码,单位,数量,单价', '2026-11-01,进货,可乐,CL-01,瓶,48,2']), 'a.csv');
    const cola = (await t.store.products(target.shop.id))[0];
    await t.store.setUnit(cola?.id as number, '箱', 24_000);
    const s = await importFile(target, 'entries', csv(['日期,类型,商品,单位,数量,单价', '2026-11-02,出货,CL-01,箱,1,60']), 'b.csv');
    expect(s.problems).toEqual([]);
    expect((await ledger())[1]).toEqual(['sale', '可乐', -24, 250, 6000, 4800, null]);
  });

  it('tells a ledger from a stock list by its date column', async () => {
    expect(await detectImportKind(csv(LEDGER), '流水.csv')).toBe('entries');
    expect(await detectImportKind(csv(['商品,数量,成本', 'A,1,1']), '库存.csv')).toBe('stock');
  });
});
