import type ExcelJS from 'exceljs';
import { createRequire } from 'node:module';
import type * as CsvParse from 'csv-parse/sync';
import { decodeText, type TextEncoding } from './decode.ts';
import { declaredUnpackedBytes, lineCount, TABLE_LIMITS, tooBigMessage, type TableLimits } from './limits.ts';

const load = createRequire(import.meta.url);
let csvParse: typeof CsvParse | undefined;
/** csv-parse, loaded by the first CSV read rather than by every start-up of the chat. */
function csv(): typeof CsvParse {
  csvParse ??= load('csv-parse/sync') as typeof CsvParse;
  return csvParse;
}

/** One spreadsheet cell as read: CSV gives text, xlsx also numbers, dates and booleans. */
export type Cell = string | number | boolean | Date | null;

/** A data row with the row number a person sees in Excel (the header row is usually 1). */
export interface TableRow {
  row: number;
  cells: Cell[];
}

/** A sheet of rows under one header row. */
export interface Table {
  format: 'xlsx' | 'csv';
  /** How a CSV was encoded (xlsx is always UTF-8 inside). */
  encoding?: TextEncoding | undefined;
  sheet?: string | undefined;
  headerRow: number;
  headers: string[];
  rows: TableRow[];
}

/** A file that is not a table we can read; the message is for the user. */
export class TableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TableError';
  }
}

/** How many leading rows may hold a title before the header row. */
const HEADER_SEARCH_ROWS = 10;

/**
 * Reads an .xlsx or .csv file into header + rows. The header row is the first of the leading rows
 * that `isHeader` accepts (templates often have a title row above it); without one, the first
 * non-empty row.
 */
export async function readTable(
  bytes: Uint8Array,
  filename: string,
  isHeader: (cells: string[]) => boolean = () => true,
  limits: TableLimits = TABLE_LIMITS,
): Promise<Table> {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm') || isZip(bytes)) {
    // Checked before exceljs inflates anything: a small zip can hold gigabytes.
    const unpacked = declaredUnpackedBytes(bytes);
    if (unpacked === undefined) throw new TableError('读不了这个 xlsx 文件（文件损坏或不是 Excel 表格）。');
    if (unpacked > limits.maxUnpackedBytes) throw new TableError(tooBigMessage({ unpackedBytes: unpacked }, limits));
    return readXlsx(bytes, isHeader, limits);
  }
  if (lower.endsWith('.xls') && isOle(bytes)) {
    throw new TableError('这是旧版 Excel（.xls）文件。请在 Excel 里「另存为」.xlsx 或 CSV 后再导入。');
  }
  if (bytes.length > limits.maxCsvBytes) throw new TableError(tooBigMessage({ csvBytes: bytes.length }, limits));
  // A header and a title row above it come on top of the data rows.
  if (lineCount(bytes) > limits.maxRows + HEADER_SEARCH_ROWS) throw new TableError(tooBigMessage({ rows: limits.maxRows }, limits));
  return readCsv(bytes, isHeader);
}

/** Parses CSV text (already decoded) into a table. */
export function csvTable(text: string, isHeader: (cells: string[]) => boolean = () => true, encoding?: TextEncoding): Table {
  let records: string[][];
  try {
    records = csv().parse(text, { delimiter: detectDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    throw new TableError(`CSV 格式有误：${(error as Error).message}`, { cause: error });
  }
  const all: TableRow[] = records.map((cells, i) => ({ row: i + 1, cells }));
  return withHeader(all, 'csv', isHeader, { encoding });
}

function readCsv(bytes: Uint8Array, isHeader: (cells: string[]) => boolean): Table {
  const { text, encoding } = decodeText(bytes);
  return csvTable(text, isHeader, encoding);
}

async function readXlsx(bytes: Uint8Array, isHeader: (cells: string[]) => boolean, limits: TableLimits): Promise<Table> {
  const { default: Excel } = await import('exceljs'); // loaded only when a workbook is read
  const workbook = new Excel.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer view of the same bytes is what it reads.
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new TableError('读不了这个 xlsx 文件（文件损坏或不是 Excel 表格）。', { cause: error });
  }
  let fallback: Table | undefined;
  for (const sheet of workbook.worksheets) {
    if (sheet.actualRowCount > limits.maxRows + HEADER_SEARCH_ROWS) throw new TableError(tooBigMessage({ rows: limits.maxRows }, limits));
    const rows: TableRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = row.values as unknown[];
      const cells: Cell[] = [];
      for (let c = 1; c < values.length; c++) cells.push(cellValue(values[c]));
      rows.push({ row: rowNumber, cells });
    });
    if (rows.length === 0) continue;
    const table = withHeader(rows, 'xlsx', isHeader, { sheet: sheet.name });
    if (table.headers.length > 0 && isHeader(table.headers.map(String))) return table;
    fallback ??= table;
  }
  if (!fallback) throw new TableError('表格是空的。');
  return fallback;
}

function withHeader(all: TableRow[], format: Table['format'], isHeader: (cells: string[]) => boolean, extra: Partial<Table>): Table {
  const nonEmpty = all.filter((r) => !isBlankRow(r.cells));
  const candidates = nonEmpty.slice(0, HEADER_SEARCH_ROWS);
  const header = candidates.find((r) => isHeader(r.cells.map(cellText))) ?? candidates[0];
  if (!header) return { format, ...extra, headerRow: 0, headers: [], rows: [] };
  return {
    format,
    ...extra,
    headerRow: header.row,
    headers: header.cells.map(cellText),
    rows: nonEmpty.filter((r) => r.row > header.row),
  };
}

/** Text of a cell for headers and text fields. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).trim();
}

export function isBlankRow(cells: readonly Cell[]): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

/** Flattens exceljs cell values (rich text, formulas, hyperlinks, errors) to plain values. */
function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string; formula?: string; sharedFormula?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v || v.formula !== undefined || v.sharedFormula !== undefined) return cellValue(v.result);
    if (v.text !== undefined) return cellValue(v.text);
    if (v.error !== undefined) return v.error;
  }
  return String(value);
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, Math.min(text.length, 4096)).split(/\r?\n/, 1)[0] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const counts = [',', '\t', ';'].map((d) => ({ d, n: unquoted.split(d).length - 1 }));
  const best = counts.reduce((a, b) => (b.n > a.n ? b : a));
  return best.n > 0 ? best.d : ',';
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function isOle(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}
