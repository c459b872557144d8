import type ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';

/** How a column's numbers are shown in Excel. */
export type ColumnKind = 'text' | 'money' | 'quantity' | 'date' | 'percent' | 'integer';

export interface SheetColumn {
  header: string;
  kind: ColumnKind;
  /** Width in characters (a CJK character counts as two). */
  width?: number | undefined;
}

export type SheetCell = string | number | Date | null;

export interface Sheet {
  name: string;
  columns: readonly SheetColumn[];
  rows: readonly (readonly SheetCell[])[];
  /** A bold last row (合计). */
  total?: readonly SheetCell[] | undefined;
}

const FORMATS: Readonly<Record<ColumnKind, string | undefined>> = {
  text: undefined,
  money: '#,##0.00',
  quantity: '#,##0.###',
  date: 'yyyy-mm-dd hh:mm',
  percent: '0.0%',
  integer: '0',
};

const DEFAULT_WIDTH: Readonly<Record<ColumnKind, number>> = { text: 14, money: 13, quantity: 10, date: 17, percent: 8, integer: 8 };

/**
 * An .xlsx workbook, one sheet per report: Chinese headers in a frozen, filterable first row; money
 * with two decimals and thousands separators; dates as real Excel dates (in the shop's local time,
 * which is what the caller passes).
 */
export async function xlsxBuffer(sheets: readonly Sheet[]): Promise<Buffer> {
  const { default: Excel } = await import('exceljs'); // loaded only when a workbook is written
  const workbook: ExcelJS.Workbook = new Excel.Workbook();
  workbook.creator = 'jxc';
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(DEFAULT_WIDTH[c.kind], c.header.length * 2 + 2) }));
    sheet.columns.forEach((c, i) => {
      const format = FORMATS[c.kind];
      if (format) ws.getColumn(i + 1).numFmt = format;
    });
    ws.getRow(1).font = { bold: true };
    for (const row of sheet.rows) ws.addRow([...row]);
    if (sheet.total) ws.addRow([...sheet.total]).font = { bold: true };
    if (sheet.columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  }
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

/** 1570 分 → 15.7 for a money cell (the cell's format shows 15.70). */
export function moneyCell(cents: number | null): number | null {
  return cents === null ? null : cents / 100;
}

/** Rows written between yields to the event loop, so compression keeps up and other work runs. */
const STREAM_CHUNK = 2_000;

/** Sheet XML waiting to be compressed beyond which rows wait: exceljs itself never waits for the zip. */
const PENDING_LIMIT = 4 * 1024 * 1024;

/**
 * Waits until the zip has compressed what the sheet wrote and the file took it. exceljs hands the
 * sheet's XML to the zip without backpressure, so without this a fast reader fills memory with
 * XML the compressor has not reached yet.
 */
async function caughtUp(ws: object, zip: Writable, out: Writable): Promise<void> {
  // The stream exceljs writes the sheet into, and the compressor it feeds (internal, hence looked up with care).
  const pipes = (ws as { stream?: { pipes?: unknown } }).stream?.pipes;
  const next = Array.isArray(pipes) ? (pipes[0] as { _writableState?: { length?: number }; _readableState?: { length?: number } } | undefined) : undefined;
  // exceljs's own (readable-stream 2) PassThrough: its buffered lengths are only in its states.
  const pending = () => (next?._writableState?.length ?? 0) + (next?._readableState?.length ?? 0);
  for (let spins = 0; spins < 10_000; spins++) {
    const behind = pending() > PENDING_LIMIT || zip.writableNeedDrain || out.writableNeedDrain;
    if (!behind) break;
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** One sheet of a streamed workbook: its layout and its rows, produced as they are written. */
export interface StreamedSheet {
  sheet: Omit<Sheet, 'rows'>;
  rows: Iterable<readonly SheetCell[]> | AsyncIterable<readonly SheetCell[]>;
}

/**
 * Writes a one-sheet workbook to `out` as rows come, with exceljs's streaming writer: each row is
 * committed (and let go) as soon as it is written, so memory does not grow with the number of rows.
 * Formatted like xlsxBuffer (frozen bold header, number formats, filter). Does not end `out`.
 * Returns the number of rows written.
 */
export async function writeXlsxStream(out: Writable, sheet: Omit<Sheet, 'rows'>, rows: Iterable<readonly SheetCell[]> | AsyncIterable<readonly SheetCell[]>, onProgress?: (rows: number) => void): Promise<number> {
  return writeXlsxSheets(out, [{ sheet, rows }], onProgress);
}

/** writeXlsxStream for several sheets, written one after the other; returns the rows of all. */
export async function writeXlsxSheets(out: Writable, sheets: readonly StreamedSheet[], onProgress?: (rows: number) => void): Promise<number> {
  const zip = new PassThrough();
  zip.pipe(out, { end: false });
  const zipped = once(zip, 'end');
  const { default: Excel } = await import('exceljs'); // loaded only when a workbook is written
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: zip, useStyles: true, useSharedStrings: false });
  workbook.creator = 'jxc';
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  let count = 0;
  for (const { sheet, rows } of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({
      header: c.header,
      width: c.width ?? Math.max(DEFAULT_WIDTH[c.kind], c.header.length * 2 + 2),
      style: FORMATS[c.kind] ? { numFmt: FORMATS[c.kind] } : {},
    }));
    if (sheet.columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.commit();
    for await (const row of rows) {
      ws.addRow([...row]).commit();
      if (++count % STREAM_CHUNK === 0) {
        onProgress?.(count);
        await caughtUp(ws, zip, out);
      }
    }
    if (sheet.total) {
      const total = ws.addRow([...sheet.total]);
      total.font = { bold: true };
      total.commit();
    }
    ws.commit();
  }
  await workbook.commit();
  await zipped;
  onProgress?.(count);
  return count;
}
