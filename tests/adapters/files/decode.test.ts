import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/adapters/files/decode.ts';
import { csvTable, readTable } from '../../../src/adapters/files/table.ts';

const CSV = '商品,数量,成本\r\nT恤 白色,50,20\r\n𠮷野家便当,3,12.5\r\n';

describe('reading CSV in the encodings Chinese spreadsheets are saved in', () => {
  it.each([
    ['UTF-8 without a BOM', Buffer.from(CSV, 'utf8'), 'utf-8'],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]), 'utf-8-bom'],
    ['GB18030 (Excel in China)', iconv.encode(CSV, 'gb18030'), 'gb18030'],
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV, 'utf16le')]), 'utf-16le'],
  ])('%s', async (_label, bytes, encoding) => {
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.text).toBe(CSV);
    const table = await readTable(bytes, '库存.csv');
    expect(table.encoding).toBe(encoding);
    expect(table.headers).toEqual(['商品', '数量', '成本']);
    expect(table.rows.map((r) => r.cells[0])).toEqual(['T恤 白色', '𠮷野家便当']);
  });

  it('reads GBK text that happens to contain no multi-byte UTF-8 look-alikes', () => {
    // "库存" in GBK is C4 BF B4 E6: not valid UTF-8, so it must be taken as GBK, not mangled.
    const bytes = iconv.encode('品名,库存\n袜子,100\n', 'gbk');
    expect(decodeText(bytes)).toEqual({ text: '品名,库存\n袜子,100\n', encoding: 'gb18030' });
  });

  it('numbers rows as Excel shows them, skipping blank lines but not their numbers', () => {
    const table = csvTable('期初库存表\n\n商品,数量\nA,1\n\nB,2\n', (cells) => cells.includes('数量'));
    expect(table.headerRow).toBe(3);
    expect(table.rows.map((r) => [r.row, r.cells[0]])).toEqual([
      [4, 'A'],
      [6, 'B'],
    ]);
  });

  it('detects semicolon and tab separated files', () => {
    expect(csvTable('商品;数量\nA;1\n').rows[0]?.cells).toEqual(['A', '1']);
    expect(csvTable('商品\t数量\nA\t1\n').rows[0]?.cells).toEqual(['A', '1']);
  });

  it('refuses an old binary .xls with advice', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    await expect(readTable(ole, '库存.xls')).rejects.toThrow('另存为');
  });
});
