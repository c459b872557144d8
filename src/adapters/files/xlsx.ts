import type ExcelJS from 'exceljs';

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

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

/** The instant as the shop's wall-clock time, the way Excel dates (which have no zone) are read. */
export function wallClockDate(at: Date, timeZone: string): Date {
  let f = wallFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    wallFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')));
}
