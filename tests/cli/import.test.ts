import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jxc } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'jxc-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const STOCK = ['品名,SKU,单位,库存,进价(元),售价,安全库存', 'T恤 白色 L,TS-01,件,50,20,59,10', '短裤,SP-01,条,30,15.5,39,', '袜子,SK-01,双,100,2.5,9,'];

describe('jxc import stock', () => {
  const databaseUrl = `file:${join(dir, 'stock.db')}`;
  const gbk = file('期初库存.csv', iconv.encode(`${STOCK.join('\r\n')}\r\n`, 'gbk'));

  it('checks a GBK CSV with --dry-run and writes nothing', async () => {
    const r = await jxc(['import', 'stock', gbk, '--shop', '新店', '--dry-run'], { databaseUrl });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('🔍 试导入期初库存：期初库存.csv（csv，编码 GB18030）');
    expect(r.stdout).toContain('将导入 3 行：新商品 3 种');
    const shops = await jxc(['export', 'stock', '--format', 'json'], { databaseUrl });
    expect(JSON.parse(shops.stdout)).toEqual([]);
  });

  it('imports into a new shop, and a second run changes nothing', async () => {
    const r = await jxc(['import', 'stock', gbk, '--shop', '新店'], { databaseUrl });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✅ 已导入 3 行：新商品 3 种；入库 3 行，数量 180，金额 1,715.00 元');
    const before = (await jxc(['export', 'entries', '--format', 'json', '--shop', '新店'], { databaseUrl })).stdout;
    const again = await jxc(['import', 'stock', gbk, '--shop', '新店'], { databaseUrl });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('没有要导入的新内容，账本没有变化。');
    expect(again.stdout).toContain('之前已导入过 3 行，没有重复记录。');
    expect((await jxc(['export', 'entries', '--format', 'json', '--shop', '新店'], { databaseUrl })).stdout).toBe(before);
    const stock = JSON.parse((await jxc(['export', 'stock', '--format', 'json', '--shop', '新店'], { databaseUrl })).stdout) as { product: string; quantity: number; value: string }[];
    expect(stock.map((s) => [s.product, s.quantity, s.value])).toEqual([
      ['T恤 白色 L', 50, '1000.00'],
      ['短裤', 30, '465.00'],
      ['袜子', 100, '250.00'],
    ]);
  });

  it('lists bad rows, exits 1 and writes nothing; --skip-bad imports the rest', async () => {
    const bad = file('bad.csv', ['商品,数量,成本', '帽子,10,-3', '围巾,五,3', '手套,4,3', ''].join('\n'));
    const r = await jxc(['import', 'stock', bad, '--shop', '二店'], { databaseUrl });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  第 2 行：成本不能为负数（-3）');
    expect(r.stdout).toContain('  第 3 行：数量「五」不是数字');
    expect(r.stdout).toContain('没有写入任何数据');
    expect(r.stdout).toContain('加 --skip-bad');
    expect(JSON.parse((await jxc(['export', 'stock', '--format', 'json', '--shop', '二店'], { databaseUrl })).stdout)).toEqual([]);
    const skipped = await jxc(['import', 'stock', bad, '--shop', '二店', '--skip-bad'], { databaseUrl });
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('✅ 已导入 1 行');
  });

  it('reads an xlsx file', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRows([
      ['Product', 'SKU', 'Qty', 'Cost', 'Location'],
      ['Mug', 'MUG-1', 12, 8.5, '天猫仓'],
    ]);
    const path = file('stock.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const r = await jxc(['import', 'stock', path, '--shop', '三店'], { databaseUrl });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('xlsx，工作表「Sheet1」');
    expect(r.stdout).toContain('新仓库：天猫仓');
  });

  it('explains a missing file and a missing argument', async () => {
    const missing = await jxc(['import', 'stock', join(dir, 'nope.csv')], { databaseUrl });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('文件不存在');
    const none = await jxc(['import', 'things'], { databaseUrl });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('stock（期初库存）、entries（流水）或 orders（平台订单导出）');
  });
});

describe('jxc import entries, then export', () => {
  const databaseUrl = `file:${join(dir, 'entries.db')}`;

  it('moves a ledger over and reports profit by product and channel as xlsx', async () => {
    file('open.csv', ['商品,编码,单位,数量,成本', 'T恤,TS-01,件,50,20'].join('\n'));
    expect((await jxc(['import', 'stock', join(dir, 'open.csv'), '--date', '2026-10-31'], { databaseUrl })).code).toBe(0);
    const ledger = file(
      '流水.csv',
      ['日期,类型,编码,数量,单价,渠道', '2026-11-01 10:00,出货,TS-01,3,59,淘宝', '2026-11-02 11:00,出货,TS-01,2,59,抖音', '2026-11-03,客退,TS-01,1,59,淘宝'].join('\n'),
    );
    const r = await jxc(['import', 'entries', ledger], { databaseUrl });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✅ 已导入 3 行');

    const profit = JSON.parse((await jxc(['export', 'profit', '--format', 'json', '--from', '2026-11-01', '--to', '2026-11-30'], { databaseUrl })).stdout);
    expect(profit.totals).toMatchObject({ revenue: '236.00', cost: '80.00', grossProfit: '156.00', sales: 2 });

    const out = join(dir, 'profit.xlsx');
    const x = await jxc(['export', 'profit', '--format', 'xlsx', '--out', out, '--from', '2026-11-01'], { databaseUrl });
    expect(x.code).toBe(0);
    expect(x.stderr).toContain(`已导出到 ${out}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['利润-按商品', '利润-按渠道']);
    expect(wb.getWorksheet('利润-按商品')?.getRow(2).values).toEqual([undefined, 'T恤', 'TS-01', '件', 2, 4, 236, 80, 156, 0.661]);

    const entries = await jxc(['export', 'entries', '--out', join(dir, 'entries.xlsx')], { databaseUrl });
    expect(entries.code).toBe(0);
    const ewb = new ExcelJS.Workbook();
    await ewb.xlsx.load(readFileSync(join(dir, 'entries.xlsx')) as unknown as ExcelJS.Buffer);
    expect(ewb.getWorksheet('流水')?.rowCount).toBe(5);
  });
});
