import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile, previewImport, type ImportTarget } from '../../../src/adapters/files/import.ts';
import { formatImportSummary } from '../../../src/adapters/files/import-summary.ts';
import { createTestDb, TestClock, type TestDb, importTarget } from '../../helpers/db.ts';

let t: TestDb;
let target: ImportTarget;
const clock = new TestClock(new Date('2026-11-27T02:00:00Z'));

beforeEach(async () => {
  t = createTestDb();
  target = await importTarget(t, clock);
});
afterEach(() => t.cleanup());

const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
const stock = async () => (await t.store.stock(target.shop.id)).map((r) => [r.product, r.sku, r.location, r.qtyMilli / 1000, r.value]);
const entryCount = () => (t.db.prepare('SELECT COUNT(*) AS n FROM Entry').get() as { n: number }).n;

async function xlsx(rows: unknown[][], title?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('期初库存');
  if (title) ws.addRow([title]);
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const GOOD = ['商品,编码,单位,数量,成本,售价,预警,积压,仓库', 'T恤 白色 L,TS-01,件,50,20,59,10,200,', '短裤,SP-01,条,30,15.5,39,,,', '可乐,CL-01,瓶,24,2,3.5,,,天猫仓'];

describe('importing opening stock', () => {
  it('creates products with their settings and stock valued at cost', async () => {
    const s = await importFile(target, 'stock', csv(GOOD), '库存.csv');
    expect(s.problems).toEqual([]);
    expect(s.written).toBe(true);
    expect(s.createdProducts).toEqual(['T恤 白色 L', '短裤', '可乐']);
    expect(s.createdLocations).toEqual(['天猫仓']);
    expect(await stock()).toEqual([
      ['T恤 白色 L', 'TS-01', '默认仓', 50, 100000],
      ['可乐', 'CL-01', '天猫仓', 24, 4800],
      ['短裤', 'SP-01', '默认仓', 30, 46500],
    ]);
    const tee = (await t.store.products(target.shop.id)).find((p) => p.sku === 'TS-01');
    expect(tee).toMatchObject({ unit: '件', salePrice: 5900, reorderLevel: 10, overstockLevel: 200, lastCost: 2000 });
    const entries = await t.store.entries(target.shop.id);
    expect(entries.map((e) => [e.kind, e.counterparty, e.actorName])).toEqual(Array(3).fill(['purchase', '期初库存', 'alice']));
  });

  it('changes nothing when the same file is imported again', async () => {
    await importFile(target, 'stock', csv(GOOD), '库存.csv');
    const before = { stock: await stock(), entries: entryCount() };
    const again = await importFile(target, 'stock', csv(GOOD), '库存-副本.csv');
    expect(again.written).toBe(false);
    expect(again.duplicateRows).toBe(3);
    expect(again.importedRows).toBe(0);
    expect(again.createdProducts).toEqual([]);
    expect(again.updatedProducts).toBe(0);
    expect({ stock: await stock(), entries: entryCount() }).toEqual(before);
    expect(formatImportSummary(again)).toContain('之前已导入过 3 行，没有重复记录');
  });

  it('lists every bad row with its number and reason and writes nothing', async () => {
    const s = await importFile(
      target,
      'stock',
      csv([
        '品名,SKU,单位,库存,进价',
        'T恤,TS-01,件,50,20',
        ',,件,5,3',
        '袜子,SK-01,双,很多,2.5',
        '帽子,HT-01,顶,10,-3',
        '围巾,SC-01,筐,5,3',
        'T恤 黑,TS-01,件,5,20',
        '手套,GL-01,副,-2,3',
        '口罩,MK-01,个,5,',
        '毛巾,TW-01,条,1.5,3',
      ]),
      '库存.csv',
    );
    expect(s.problems).toEqual([
      { row: 3, reason: '缺少商品名称' },
      { row: 4, reason: '数量「很多」不是数字' },
      { row: 5, reason: '成本不能为负数（-3）' },
      { row: 6, reason: '不认识的单位「筐」' },
      { row: 7, reason: '编码 TS-01：与第 2 行的名称不同（「T恤」/「T恤 黑」）' },
      { row: 8, reason: '数量不能为负数（-2）' },
      { row: 9, reason: '缺少成本（期初库存要有进价才能算利润；不知道可以先填 0）' },
      { row: 10, reason: '「毛巾」按条计，数量必须是整数' },
    ]);
    expect(s.written).toBe(false);
    expect(s.blocked).toBe(true);
    expect(await stock()).toEqual([]);
    expect(await t.store.products(target.shop.id)).toEqual([]);
    const text = formatImportSummary(s, { skipBadHint: '加 --skip-bad' });
    expect(text).toContain('第 4 行：数量「很多」不是数字');
    expect(text).toContain('没有写入任何数据');
  });

  it('imports the good rows and skips the bad ones with skipBad', async () => {
    const s = await importFile(target, 'stock', csv(['商品,数量,成本', 'A,5,1', 'B,x,1', 'C,7,2']), 'x.csv', { skipBad: true });
    expect(s.problems.map((p) => p.row)).toEqual([3]);
    expect(s.written).toBe(true);
    expect((await stock()).map((r) => r[0])).toEqual(['A', 'C']);
  });

  it('counts a row repeated exactly once, and refuses a repeat with other figures', async () => {
    const s = await importFile(target, 'stock', csv(['商品,编码,数量,成本', 'A,a1,5,1', 'A,a1,5,1', 'B,b1,5,1', 'B,b1,6,1']), 'x.csv');
    expect(s.problems).toEqual([{ row: 5, reason: '编码 b1：在默认仓重复，与第 4 行数据不同' }]);
    expect(s.notes).toContain('1 行与前面的行完全相同，只计一次');
  });

  it('writes nothing on a dry run but reports what would happen', async () => {
    const s = await previewImport(target, 'stock', csv(GOOD), '库存.csv');
    expect(s.dryRun).toBe(true);
    expect(s.written).toBe(false);
    expect(s.importedRows).toBe(3);
    expect(s.createdProducts).toHaveLength(3);
    expect(await stock()).toEqual([]);
    expect(await t.store.products(target.shop.id)).toEqual([]);
    expect(formatImportSummary(s)).toContain('试导入，没有写入任何数据');
  });

  it('reads a GBK CSV as Excel in China saves it', async () => {
    const s = await importFile(target, 'stock', iconv.encode(`${GOOD.join('\r\n')}\r\n`, 'gbk'), '库存.csv');
    expect(s.encoding).toBe('gb18030');
    expect((await stock()).map((r) => r[0])).toEqual(['T恤 白色 L', '可乐', '短裤']);
  });

  it('reads xlsx with a title row above English headers, numbers and units in the quantity cell', async () => {
    const bytes = await xlsx(
      [
        ['Qty', 'Product', 'Unit Cost', 'Price'],
        ['50件', 'T恤', 20, 59.9],
        ['2.5斤', '大米', 3.2, 5],
        [1.5, '小米', 3, 5],
      ],
      '2026 年期初库存',
    );
    const s = await importFile(target, 'stock', bytes, 'stock.xlsx');
    expect(s.problems).toEqual([{ row: 5, reason: '「小米」按件计，数量必须是整数' }]);
    expect(s.sheet).toBe('期初库存');
    await importFile(target, 'stock', bytes, 'stock.xlsx', { skipBad: true });
    expect(await stock()).toEqual([
      ['T恤', null, '默认仓', 50, 100000],
      ['大米', null, '默认仓', 2.5, 800],
    ]);
    expect((await t.store.products(target.shop.id)).map((p) => [p.name, p.unit, p.salePrice])).toEqual([
      ['T恤', '件', 5990],
      ['大米', '斤', 500],
    ]);
  });

  it('adds to an existing product by SKU, converting units it has a conversion for', async () => {
    await importFile(target, 'stock', csv(['商品,编码,单位,数量,成本', '可乐,CL-01,瓶,24,2']), 'a.csv');
    const cola = (await t.store.products(target.shop.id))[0];
    await t.store.setUnit(cola?.id as number, '箱', 24_000);
    const s = await importFile(target, 'stock', csv(['商品,编码,单位,数量,金额,仓库', '可乐 330ml,CL-01,箱,2,96,二号仓', '可乐 330ml,CL-01,提,1,10,三号仓']), 'b.csv');
    expect(s.problems).toEqual([{ row: 3, reason: '单位「提」与商品「可乐」的单位「瓶」不同，也没有设置换算' }]);
    const ok = await importFile(target, 'stock', csv(['商品,编码,单位,数量,金额,仓库', '可乐 330ml,CL-01,箱,2,96,二号仓']), 'c.csv');
    expect(ok.createdProducts).toEqual([]);
    expect(await stock()).toContainEqual(['可乐', 'CL-01', '二号仓', 48, 9600]);
  });

  it('converts built-in units with no setting: 克 and 公斤 into 斤, 打 into 个', async () => {
    await importFile(target, 'stock', csv(['商品,单位,数量,成本', '核桃,斤,10,12', '鸡蛋,个,10,1']), 'a.csv');
    const s = await importFile(target, 'stock', csv(['商品,单位,数量,金额,仓库', '核桃,克,500,12,二号仓', '核桃,公斤,1.5,36,三号仓', '鸡蛋,打,2,24,二号仓']), 'b.csv');
    expect(s.problems).toEqual([]);
    expect(await stock()).toContainEqual(['核桃', null, '二号仓', 1, 1200]);
    expect(await stock()).toContainEqual(['核桃', null, '三号仓', 3, 3600]);
    expect(await stock()).toContainEqual(['鸡蛋', null, '二号仓', 24, 2400]);
  });

  it('keeps two products with one name apart by their SKUs', async () => {
    const s = await importFile(target, 'stock', csv(['商品,编码,数量,成本', '马克杯,MUG-R,5,10', '马克杯,MUG-B,3,10']), 'x.csv');
    expect(s.createdProducts).toEqual(['马克杯', '马克杯（MUG-B）']);
    expect(s.notes).toContain('1 种商品与已有商品同名但编码不同，名称后加上了编码');
  });

  it('says what is missing when the file has no quantity column', async () => {
    const s = await importFile(target, 'stock', csv(['商品,成本', 'A,1']), 'x.csv');
    expect(s.fatal).toContain('找不到数量列');
    expect(formatImportSummary(s)).toContain('没有写入任何数据');
  });

  it('reports progress as rows are written', async () => {
    const lines = ['商品,数量,成本', ...Array.from({ length: 1200 }, (_, i) => `P${i},1,1`)];
    const calls: [number, number][] = [];
    await importFile(target, 'stock', csv(lines), 'big.csv', { onProgress: (d, n) => calls.push([d, n]), batchSize: 500 });
    // Committed chunks of at most batchSize rows (fewer when a chunk has held the write lock long enough).
    expect(calls[0]).toEqual([0, 1200]);
    expect(calls.at(-1)).toEqual([1200, 1200]);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < calls.length; i++) {
      const step = (calls[i]?.[0] ?? 0) - (calls[i - 1]?.[0] ?? 0);
      expect(step).toBeGreaterThan(0);
      expect(step).toBeLessThanOrEqual(500);
    }
  });
});
