import ExcelJS from 'exceljs';
import { crc32, createDeflateRaw } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile, type ImportTarget } from '../../../src/adapters/files/import.ts';
import { declaredUnpackedBytes, TABLE_LIMITS } from '../../../src/adapters/files/limits.ts';
import { readTable } from '../../../src/adapters/files/table.ts';
import { createTestDb, TestClock, type TestDb, importTarget } from '../../helpers/db.ts';

let t: TestDb;
let target: ImportTarget;
const clock = new TestClock(new Date('2026-11-27T02:00:00Z'));

beforeEach(async () => {
  t = createTestDb();
  target = await importTarget(t, clock);
});
afterEach(() => t.cleanup());

const csv = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');

interface ZipEntry {
  name: string;
  /** Parts of the uncompressed content, streamed through deflate so a test never holds it whole. */
  parts: () => Iterable<Buffer>;
}

/** A zip written the way Excel writes xlsx files (deflate, sizes in the central directory). */
async function zip(entries: ZipEntry[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const deflate = createDeflateRaw({ level: 9 });
    const compressed: Buffer[] = [];
    deflate.on('data', (c: Buffer) => compressed.push(c));
    const done = new Promise((resolve) => deflate.on('end', resolve));
    let crc = 0;
    let size = 0;
    for (const part of entry.parts()) {
      crc = crc32(part, crc);
      size += part.length;
      if (!deflate.write(part)) await new Promise((resolve) => deflate.once('drain', resolve));
    }
    deflate.end();
    await done;
    const data = Buffer.concat(compressed);
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(20, 6);
    head.writeUInt16LE(8, 10);
    head.writeUInt32LE(crc, 16);
    head.writeUInt32LE(data.length, 20);
    head.writeUInt32LE(size, 24);
    head.writeUInt16LE(name.length, 28);
    head.writeUInt32LE(offset, 42);
    central.push(head, name);
    out.push(local, name, data);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, directory, end]);
}

const text = (s: string) => () => [Buffer.from(s)];

/** A minimal workbook whose one sheet has `filler` bytes of blanks inside its XML: 130 MB unpack from about 130 KB. */
function workbook(filler: number): ZipEntry[] {
  return [
    {
      name: '[Content_Types].xml',
      parts: text(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      parts: text(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      parts: text(
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="库存" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      parts: text(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      *parts() {
        yield Buffer.from(
          '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>商品</t></is></c><c r="B1" t="inlineStr"><is><t>数量</t></is></c><c r="C1" t="inlineStr"><is><t>成本</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>T恤</t></is></c><c r="B2"><v>5</v></c><c r="C2"><v>10</v></c></row>',
        );
        const blanks = Buffer.alloc(1024 * 1024, 0x20);
        for (let left = filler; left > 0; left -= blanks.length) yield left >= blanks.length ? blanks : blanks.subarray(0, left);
        yield Buffer.from('</sheetData></worksheet>');
      },
    },
  ];
}

describe('spreadsheet size limits, checked before parsing', () => {
  it('reads a small hand-made workbook (the zip writer is sound)', async () => {
    const bytes = await zip(workbook(1000));
    const s = await importFile(target, 'stock', bytes, '库存.xlsx');
    expect(s.fatal).toBeUndefined();
    expect(s.importedRows).toBe(1);
  });

  it('refuses an xlsx that unpacks beyond the limit, saying the limits, and writes nothing', async () => {
    const bytes = await zip(workbook(130 * 1024 * 1024));
    expect(bytes.length).toBeLessThan(1024 * 1024);
    expect(declaredUnpackedBytes(bytes)).toBeGreaterThan(TABLE_LIMITS.maxUnpackedBytes);
    const s = await importFile(target, 'stock', bytes, '库存.xlsx');
    expect(s.fatal).toBe(
      '这个 xlsx 解压后有 130 MB，太大了。上限：最多 300,000 行，xlsx 解压后最多 128 MB，CSV 最多 64 MB。请拆成几个文件再导入（例如每个文件一个月的流水），或删掉不用的工作表和列。',
    );
    expect(s.written).toBe(false);
    expect(await t.store.entries(target.shop.id)).toEqual([]);
  });

  it('counts a ZIP64 size as too big, and a zip without a readable directory as damaged', async () => {
    const bytes = await zip(workbook(10));
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const first = bytes.readUInt32LE(eocd + 16);
    const zip64 = Buffer.from(bytes);
    zip64.writeUInt32LE(0xffffffff, first + 24);
    expect((await importFile(target, 'stock', zip64, '库存.xlsx')).fatal).toMatch(/^这个 xlsx 解压后有 4096 MB，太大了。/);
    const cut = Buffer.from(bytes.subarray(0, eocd));
    expect((await importFile(target, 'stock', cut, '库存.xlsx')).fatal).toBe('读不了这个 xlsx 文件（文件损坏或不是 Excel 表格）。');
  });

  it('refuses a CSV with more rows than the limit before parsing it', async () => {
    const lines = ['商品,数量', ...Array.from({ length: TABLE_LIMITS.maxRows + 11 }, (_, i) => `商品${i % 7},1`)];
    const s = await importFile(target, 'stock', csv(lines), '库存.csv');
    expect(s.fatal).toBe(
      '表格有 300,000 行以上，太多了。上限：最多 300,000 行，xlsx 解压后最多 128 MB，CSV 最多 64 MB。请拆成几个文件再导入（例如每个文件一个月的流水），或删掉不用的工作表和列。',
    );
    expect(await t.store.entries(target.shop.id)).toEqual([]);
  });

  it('refuses a CSV over the byte limit, and a sheet over the row limit', async () => {
    const limits = { ...TABLE_LIMITS, maxRows: 50, maxCsvBytes: 1000 };
    await expect(readTable(Buffer.alloc(1001, 0x41), '库存.csv', undefined, limits)).rejects.toThrow(/^这个 CSV 文件有 0\.0 MB，太大了。上限：最多 50 行/);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('库存');
    ws.addRow(['商品', '数量']);
    for (let i = 0; i < 61; i++) ws.addRow([`商品${i}`, 1]);
    const bytes = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    await expect(readTable(bytes, '库存.xlsx', undefined, limits)).rejects.toThrow(/^表格有 50 行以上，太多了。/);
    await expect(readTable(bytes, '库存.xlsx', undefined, { ...limits, maxRows: 100 })).resolves.toMatchObject({ headers: ['商品', '数量'] });
  });
});

describe('rows a person could not have meant', () => {
  const next = new Date().getUTCFullYear() + 1;

  it('refuses dates before 2000 or after next year, and names over 100 characters, with the row number', async () => {
    const long = '很'.repeat(101);
    const s = await importFile(
      target,
      'entries',
      csv([
        '日期,类型,商品,数量,单价',
        '2026-11-01,进货,T恤,5,20',
        '1999-12-31,进货,T恤,5,20',
        `${next + 1}-01-01,进货,T恤,5,20`,
        `${next}-12-31,进货,T恤,5,20`,
        `2026-11-02,进货,${long},5,20`,
        `2026-11-02,进货,${'好'.repeat(100)},5,20`,
      ]),
      '流水.csv',
    );
    expect(s.problems).toEqual([
      { row: 3, reason: `日期「1999-12-31」不在 2000 年到 ${next} 年之间，请检查年份（例：2026-11-01）` },
      { row: 4, reason: `日期「${next + 1}-01-01」不在 2000 年到 ${next} 年之间，请检查年份（例：2026-11-01）` },
      { row: 6, reason: `商品名称太长（最多 100 个字）：${'很'.repeat(20)}…` },
    ]);
    expect(s.blocked).toBe(true);
    expect(await t.store.entries(target.shop.id)).toEqual([]);
  });

  it('refuses a stock row whose name is over 100 characters', async () => {
    const s = await importFile(target, 'stock', csv(['商品,数量,成本', 'T恤,5,10', `${'长'.repeat(101)},5,10`]), '库存.csv');
    expect(s.problems).toEqual([{ row: 3, reason: `商品名称太长（最多 100 个字）：${'长'.repeat(20)}…` }]);
  });
});
