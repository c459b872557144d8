import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough, Writable } from 'node:stream';
import { entriesCsv, entriesJson, exportReport, localFormatter, profitReport, writeExport, type EntryExportRow, type ReportReader } from '../../../src/adapters/files/export.ts';
import { PrismaReader } from '../../../src/adapters/prisma/prisma-reader.ts';
import { SqliteReports } from '../../../src/adapters/prisma/sqlite-reports.ts';
import { InventoryService } from '../../../src/core/inventory.service.ts';
import type { ShopRecord } from '../../../src/core/ports.ts';
import { createTestDb, source, TestClock, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
let reader: PrismaReader;
let shop: ShopRecord;
const clock = new TestClock(new Date('2026-11-10T02:00:00Z'));

beforeAll(async () => {
  t = createTestDb();
  reader = new PrismaReader(t.path);
  shop = await t.store.createShop('测试店', clock.now());
  const service = new InventoryService(t.store, clock);
  const write = async (req: Parameters<InventoryService['record']>[1]) => {
    const r = await service.record(shop.id, req, source());
    if (!r.ok) throw new Error(JSON.stringify(r.failure));
  };
  await write({ kind: 'purchase', items: [{ product: 'T恤', quantity: 50, unitPrice: 2000 }, { product: '短裤', quantity: 30, unitPrice: 1500 }] });
  clock.advance(3_600_000);
  await write({ kind: 'sale', items: [{ product: 'T恤', quantity: 3, unitPrice: 5900 }], channel: '淘宝' });
  await write({ kind: 'sale', items: [{ product: '短裤', quantity: 2, unitPrice: 3900 }], channel: '抖音' });
  await write({ kind: 'sale', items: [{ product: 'T恤', quantity: 1, unitPrice: 5900 }] });
  await write({ kind: 'customerReturn', items: [{ product: 'T恤', quantity: 1, unitPrice: 5900 }], channel: '淘宝' });
  await write({ kind: 'sale', items: [{ product: '短裤', quantity: 5, unitPrice: 3900 }], channel: '抖音' });
  const undo = await service.undo(shop.id, {}, { ...source(), actorId: 'console:alice' });
  if (!undo.ok) throw new Error(JSON.stringify(undo.failure));
});
afterAll(async () => {
  await reader.close();
  t.cleanup();
});

const sources = () => ({ reader, queries: new SqliteReports(t.db) });

describe('profit by product and by channel', () => {
  it('nets returns and undone sales out of revenue, cost and counts', async () => {
    const report = await profitReport(new SqliteReports(t.db), shop.id);
    // T恤: two sales of 4 @59 less 1 returned; 短裤: 2 sold (the sale of 5 was undone).
    expect(report.totals).toEqual({ soldMilli: 5000, returnedMilli: 1000, revenue: 25500, refunds: 5900, cost: 9000, sales: 3 });
    expect(report.byProduct.map((r) => [r.product, r.soldMilli / 1000, r.returnedMilli / 1000, r.revenue, r.cost, r.sales])).toEqual([
      ['T恤', 3, 1, 17700, 6000, 2],
      ['短裤', 2, 0, 7800, 3000, 1],
    ]);
    expect(report.byChannel.map((r) => [r.channel, r.revenue, r.cost, r.sales])).toEqual([
      ['淘宝', 11800, 4000, 1],
      ['抖音', 7800, 3000, 1],
      [null, 5900, 2000, 1],
    ]);
  });

  it('exports as JSON with money strings and margins', async () => {
    const file = await exportReport(sources(), { what: 'profit', format: 'json', shop });
    const json = JSON.parse(file.buffer.toString('utf8'));
    expect(json.totals).toEqual({ sales: 3, revenue: '255.00', cost: '90.00', grossProfit: '165.00', margin: 0.6471, quantity: 5, refunds: '59.00' });
    expect(json.byChannel[2]).toEqual({ channel: null, quantity: 1, returned: 0, sales: 1, revenue: '59.00', cost: '20.00', grossProfit: '39.00', margin: 0.661 });
    expect(file.filename).toMatch(/^测试店-利润-\d{4}-\d{2}-\d{2}\.json$/);
  });

  it('exports as one CSV with a dimension column', async () => {
    const file = await exportReport(sources(), { what: 'profit', format: 'csv', shop });
    const lines = file.buffer.toString('utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFF维度,名称,编码,单位,笔数,销量,销售额,销售成本,毛利,毛利率');
    expect(lines).toContain('商品,T恤,,件,2,3,177.00,60.00,117.00,66.1%');
    expect(lines).toContain('渠道,未填渠道,,,1,1,59.00,20.00,39.00,66.1%');
    expect(lines).toContain('合计,合计,,,3,5,255.00,90.00,165.00,64.7%');
  });
});

describe('xlsx export', () => {
  async function open(what: 'stock' | 'entries' | 'profit') {
    const file = await exportReport(sources(), { what, format: 'xlsx', shop });
    expect(file.contentType).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.buffer as unknown as ExcelJS.Buffer);
    return wb;
  }

  it('has Chinese headers in a frozen first row and money formats (stock)', async () => {
    const ws = (await open('stock')).getWorksheet('库存') as ExcelJS.Worksheet;
    expect(ws.getRow(1).values).toEqual([undefined, '商品', '编码', '单位', '仓库', '数量', '平均成本', '金额']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(2).values).toEqual([undefined, 'T恤', undefined, '件', '默认仓', 47, 20, 940]);
    expect(ws.getCell('G2').numFmt).toBe('#,##0.00');
    expect(ws.getRow(4).values).toEqual([undefined, '合计', undefined, undefined, undefined, undefined, undefined, 940 + 420]);
  });

  it('writes entry times as Excel dates in the shop time zone', async () => {
    const ws = (await open('entries')).getWorksheet('流水') as ExcelJS.Worksheet;
    expect(ws.getCell('B1').value).toBe('时间');
    // 02:00 and 03:00 UTC are 10:00 and 11:00 in Asia/Shanghai; Excel dates carry the wall-clock time.
    expect(ws.getCell('B2').value).toEqual(new Date('2026-11-10T10:00:00Z'));
    expect(ws.getCell('B4').value).toEqual(new Date('2026-11-10T11:00:00Z'));
    expect(ws.getCell('B4').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(ws.getCell('C4').value).toBe('出货');
    expect(ws.getCell('H4').value).toBe(177);
    expect(ws.getColumn(13).values.filter(Boolean)).toEqual(['撤销的编号', '#7']);
  });

  it('puts profit by product and by channel on their own sheets', async () => {
    const wb = await open('profit');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['利润-按商品', '利润-按渠道']);
    const byChannel = wb.getWorksheet('利润-按渠道') as ExcelJS.Worksheet;
    expect(byChannel.getRow(1).values).toEqual([undefined, '渠道', '笔数', '销量', '销售额', '销售成本', '毛利', '毛利率']);
    expect(byChannel.getRow(2).values).toEqual([undefined, '淘宝', 1, 2, 118, 40, 78, 0.661]);
    expect(byChannel.getCell('G2').numFmt).toBe('0.0%');
    expect(byChannel.getRow(5).values).toEqual([undefined, '合计', 3, 5, 255, 90, 165, 0.6471]);
  });

  it('keeps the JSON and CSV formats of stock and entries', async () => {
    const stock = JSON.parse((await exportReport(sources(), { what: 'stock', format: 'json', shop })).buffer.toString('utf8'));
    expect(stock[0]).toEqual({ product: 'T恤', sku: null, unit: '件', location: '默认仓', quantity: 47, avgCost: '20.00', value: '940.00' });
    const csv = (await exportReport(sources(), { what: 'entries', format: 'csv', shop })).buffer.toString('utf8');
    expect(csv.startsWith('\uFEFF编号,时间,类型,商品,仓库,数量,单价,金额,成本,渠道,往来单位,经办人,撤销的编号,备注,批次,代发供应商,代发进价\r\n')).toBe(true);
  });
});

describe('streamed entry exports', () => {
  async function streamed(format: 'csv' | 'json' | 'xlsx', reader: ReportReader = sources().reader): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const out = new PassThrough();
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeExport({ reader, queries: new SqliteReports(t.db) }, { what: 'entries', format, shop }, out);
    return Buffer.concat(chunks);
  }

  it('writes the same CSV and JSON as the in-memory builders', async () => {
    const rows = await reader.entryRows(shop.id);
    expect(rows.length).toBeGreaterThan(5);
    expect((await streamed('csv')).toString('utf8')).toBe(entriesCsv(rows, shop.timeZone));
    expect((await streamed('json')).toString('utf8')).toBe(`${JSON.stringify(entriesJson(rows), null, 2)}\n`);
  });

  it('writes an xlsx with the bold frozen header, filter and formats', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await streamed('xlsx')) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('流水') as ExcelJS.Worksheet;
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getCell('H2').numFmt).toBe('#,##0.00');
    expect(ws.rowCount).toBe((await reader.entryRows(shop.id)).length + 1);
  });

  it('writes rows out while still reading them, waiting when the file is slow', async () => {
    let yielded = 0;
    const row = (i: number): EntryExportRow => ({
      seq: i, occurredAt: new Date(1_790_000_000_000 + i * 1000), kind: 'sale', product: 'T恤', location: '默认仓', qtyMilli: -1000,
      unitPrice: 5900, amount: 5900, cost: 2000, channel: null, counterparty: null, actor: 'a', reverses: null,
    });
    const many: ReportReader = {
      ...reader,
      shops: () => reader.shops(),
      stockRows: (id) => reader.stockRows(id),
      entryRows: async () => [],
      *eachEntryRow() {
        for (let i = 1; i <= 20_000; i++) {
          yielded = i;
          yield row(i);
        }
      },
    };
    const seenAtWrite: number[] = [];
    let bytes = 0;
    // A slow file: each write is acknowledged a little later, with a small buffer.
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        seenAtWrite.push(yielded);
        bytes += chunk.length;
        setTimeout(done, 1);
      },
    });
    const count = await writeExport({ reader: many, queries: new SqliteReports(t.db) }, { what: 'entries', format: 'csv', shop }, out);
    expect(count).toBe(20_000);
    expect(bytes).toBeGreaterThan(20_000 * 40);
    // The first chunk went out long before the last row was read.
    expect(seenAtWrite[0]).toBeLessThanOrEqual(2_001);
    expect(seenAtWrite.length).toBeGreaterThan(5);
  });
});

describe('local time of export rows', () => {
  it('matches Intl for every quarter hour across daylight-saving changes', () => {
    const intl = (zone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (const zone of ['America/New_York', 'Australia/Adelaide', 'Asia/Shanghai', 'Asia/Kathmandu']) {
      const local = localFormatter(zone);
      const reference = intl(zone);
      // Two days around each change of 2026, minute by minute with odd seconds.
      for (const day of [Date.UTC(2026, 2, 8), Date.UTC(2026, 10, 1), Date.UTC(2026, 3, 5), Date.UTC(2026, 9, 4)]) {
        for (let t = day - 86_400_000; t < day + 86_400_000; t += 7 * 60_000 + 13_000) {
          expect(local(new Date(t))).toBe(reference.format(new Date(t)));
        }
      }
    }
  });
});
