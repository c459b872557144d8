import { averageCost } from '../../core/valuation.ts';
import { formatYuan } from '../../core/money.ts';
import { fromMilli } from '../../core/quantity.ts';
import { KIND_LABELS } from '../../core/labels.ts';
import { margin } from '../../core/analysis.ts';
import type { ChannelSalesRow, ProductSalesRow, ReportQueries, SalesTotals } from '../../core/report-queries.ts';
import { payablesBySupplier, recordedUnitCost, type SupplierPayable } from '../../core/payables.ts';
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { localDateTime, wallClockDate } from '../../core/zoned-time.ts';
import { moneyCell, writeXlsxSheets, writeXlsxStream, xlsxBuffer, type Sheet, type SheetCell } from './xlsx.ts';

export type { EntryExportRow, ReportReader, StockExportRow } from '../../core/export-rows.ts';
import type { EntryExportRow, ReportReader, StockExportRow } from '../../core/export-rows.ts';

const money = (cents: number | null): string | null => (cents === null ? null : formatYuan(cents));

/** Stock rows with the JSON keys of the export format; money as strings in 元. */
export function stockJson(rows: StockExportRow[]): object[] {
  return rows.map((r) => {
    const avg = averageCost({ qtyMilli: r.qtyMilli, value: r.value });
    return {
      product: r.product,
      sku: r.sku,
      unit: r.unit,
      location: r.location,
      quantity: fromMilli(r.qtyMilli),
      avgCost: money(avg),
      value: formatYuan(r.value),
    };
  });
}

/** Entry rows with the JSON keys of the export format. */
export function entriesJson(rows: EntryExportRow[]): object[] {
  return rows.map(entryJson);
}

function entryJson(r: EntryExportRow): object {
  const batches = batchesOf(r).map((b) => ({ code: b.code, expiresAt: b.expiresAt === null ? null : new Date(b.expiresAt).toISOString(), quantity: fromMilli(b.qtyMilli) }));
  return {
    id: r.seq,
    occurredAt: r.occurredAt.toISOString(),
    kind: r.kind,
    product: r.product,
    location: r.location,
    quantity: fromMilli(r.qtyMilli),
    unitPrice: money(r.unitPrice),
    amount: formatYuan(r.amount),
    cost: formatYuan(r.cost),
    channel: r.channel,
    counterparty: r.counterparty,
    actor: r.actor,
    reverses: r.reverses,
    note: r.note ?? null,
    ...(batches.length > 0 ? { batches } : {}),
    supplier: r.supplier ?? null,
    supplierUnitCost: money(recordedUnitCost(r)),
  };
}

interface ExportedBatch {
  code: string | null;
  expiresAt: number | null;
  qtyMilli: number;
}

function batchesOf(r: EntryExportRow): ExportedBatch[] {
  if (r.batches === null || r.batches === undefined || r.batches === '[]') return [];
  return JSON.parse(r.batches) as ExportedBatch[];
}

/** `A1101（2027-05-01 到期）`; with each quantity when the entry moved several batches. */
function batchText(r: EntryExportRow, localDay: (at: Date) => string): string | null {
  const list = batchesOf(r);
  if (list.length === 0) return null;
  return list
    .map((b) => {
      const date = b.expiresAt === null ? '' : `（${localDay(new Date(b.expiresAt))} 到期）`;
      return `${b.code ?? '未编号'}${date}${list.length > 1 ? ` ${fromMilli(Math.abs(b.qtyMilli))}` : ''}`;
    })
    .join('、');
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Cells starting with = + - @ are formulas to Excel; a leading quote keeps them text.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV with a UTF-8 BOM and Chinese headers, so Excel in China opens it cleanly. */
export function toCsv(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [headers.map(csvCell).join(','), ...rows.map((row) => row.map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function stockCsv(rows: StockExportRow[]): string {
  return toCsv(
    ['商品', '编码', '单位', '仓库', '数量', '平均成本', '金额'],
    rows.map((r) => [r.product, r.sku, r.unit, r.location, fromMilli(r.qtyMilli), money(averageCost(r)), formatYuan(r.value)]),
  );
}

/** "2026-11-27 10:05" in one zone, for every row of an export (src/core/zoned-time.ts does the work). */
export function localFormatter(timeZone: string): (date: Date) => string {
  return (date) => localDateTime(date, timeZone);
}

/** Excel's zoneless wall-clock dates in one zone. */
function wallClockFormatter(timeZone: string): (at: Date) => Date {
  return (at) => wallClockDate(at, timeZone);
}

const ENTRY_HEADERS = ['编号', '时间', '类型', '商品', '仓库', '数量', '单价', '金额', '成本', '渠道', '往来单位', '经办人', '撤销的编号', '备注', '批次', '代发供应商', '代发进价'] as const;

function entryCsvCells(r: EntryExportRow, local: (date: Date) => string): unknown[] {
  return [
    r.seq,
    local(r.occurredAt),
    KIND_LABELS[r.kind as keyof typeof KIND_LABELS] ?? r.kind,
    r.product,
    r.location,
    fromMilli(r.qtyMilli),
    money(r.unitPrice),
    formatYuan(r.amount),
    formatYuan(r.cost),
    r.channel,
    r.counterparty,
    r.actor,
    r.reverses === null ? '' : `#${r.reverses}`,
    r.note ?? null,
    batchText(r, (at) => local(at).slice(0, 10)),
    r.supplier ?? null,
    money(recordedUnitCost(r)),
  ];
}

export function entriesCsv(rows: EntryExportRow[], timeZone: string): string {
  const local = localFormatter(timeZone);
  return toCsv(ENTRY_HEADERS, rows.map((r) => entryCsvCells(r, local)));
}

/** Gross profit over a period, by product and by sales channel. */
export interface ProfitReport {
  from?: Date | undefined;
  to?: Date | undefined;
  totals: SalesTotals;
  byProduct: ProductSalesRow[];
  byChannel: ChannelSalesRow[];
}

/** The profit report from the report port; without a range it covers all time. */
export async function profitReport(queries: ReportQueries, shopId: number, from?: Date, to?: Date): Promise<ProfitReport> {
  const start = from ?? new Date(0);
  const end = to ?? new Date(8.64e15);
  return {
    from,
    to,
    totals: await queries.salesTotals(shopId, start, end),
    byProduct: (await queries.salesByProduct(shopId, start, end)).filter(hasSales),
    byChannel: (await queries.salesByChannel(shopId, start, end)).filter(hasSales),
  };
}

const hasSales = (r: { soldMilli: number; revenue: number; cost: number }) => r.soldMilli !== 0 || r.revenue !== 0 || r.cost !== 0;

/** Margin as a fraction rounded to four places (0.6610), or null without revenue. */
const marginValue = (r: { revenue: number; cost: number }): number | null => {
  const m = margin(r.revenue, r.cost);
  return m === null ? null : Math.round(m * 10_000) / 10_000;
};

const CHANNEL_NONE = '未填渠道';

/** Profit as JSON: money as "15.70" strings like the other exports, margin as a fraction. */
export function profitJson(report: ProfitReport): object {
  const figures = (r: { revenue: number; cost: number; sales: number }) => ({
    sales: r.sales,
    revenue: formatYuan(r.revenue),
    cost: formatYuan(r.cost),
    grossProfit: formatYuan(r.revenue - r.cost),
    margin: marginValue(r),
  });
  return {
    from: report.from?.toISOString() ?? null,
    to: report.to?.toISOString() ?? null,
    totals: { ...figures(report.totals), quantity: fromMilli(report.totals.soldMilli), refunds: formatYuan(report.totals.refunds) },
    byProduct: report.byProduct.map((r) => ({
      product: r.product,
      sku: r.sku,
      unit: r.unit,
      quantity: fromMilli(r.soldMilli),
      returned: fromMilli(r.returnedMilli),
      ...figures(r),
    })),
    byChannel: report.byChannel.map((r) => ({ channel: r.channel, quantity: fromMilli(r.soldMilli), returned: fromMilli(r.returnedMilli), ...figures(r) })),
  };
}

const percentText = (r: { revenue: number; cost: number }): string => {
  const m = margin(r.revenue, r.cost);
  return m === null ? '' : `${(m * 100).toFixed(1)}%`;
};

/** Profit as one CSV: a 维度 column says whether a line is a product or a channel. */
export function profitCsv(report: ProfitReport): string {
  const line = (dim: string, name: string, sku: string | null, unit: string | null, r: ProductSalesRow | ChannelSalesRow | SalesTotals) => [
    dim,
    name,
    sku,
    unit,
    r.sales,
    fromMilli(r.soldMilli),
    formatYuan(r.revenue),
    formatYuan(r.cost),
    formatYuan(r.revenue - r.cost),
    percentText(r),
  ];
  return toCsv(
    ['维度', '名称', '编码', '单位', '笔数', '销量', '销售额', '销售成本', '毛利', '毛利率'],
    [
      ...report.byProduct.map((r) => line('商品', r.product, r.sku, r.unit, r)),
      ...report.byChannel.map((r) => line('渠道', r.channel ?? CHANNEL_NONE, null, null, r)),
      line('合计', '合计', null, null, report.totals),
    ],
  );
}

export function stockSheet(rows: StockExportRow[]): Sheet {
  return {
    name: '库存',
    columns: [
      { header: '商品', kind: 'text', width: 24 },
      { header: '编码', kind: 'text' },
      { header: '单位', kind: 'text', width: 6 },
      { header: '仓库', kind: 'text' },
      { header: '数量', kind: 'quantity' },
      { header: '平均成本', kind: 'money' },
      { header: '金额', kind: 'money' },
    ],
    rows: rows.map((r) => [r.product, r.sku, r.unit, r.location, fromMilli(r.qtyMilli), moneyCell(averageCost(r)), moneyCell(r.value)]),
    total: rows.length > 0 ? ['合计', null, null, null, null, null, moneyCell(rows.reduce((s, r) => s + r.value, 0))] : undefined,
  };
}

export function entriesSheet(rows: EntryExportRow[], timeZone: string): Sheet {
  const wall = wallClockFormatter(timeZone);
  return { ...ENTRIES_SHEET, rows: rows.map((r) => entrySheetCells(r, wall)) };
}

const ENTRIES_SHEET: Omit<Sheet, 'rows'> = {
  name: '流水',
  columns: [
    { header: '编号', kind: 'integer' },
    { header: '时间', kind: 'date' },
    { header: '类型', kind: 'text', width: 6 },
    { header: '商品', kind: 'text', width: 24 },
    { header: '仓库', kind: 'text' },
    { header: '数量', kind: 'quantity' },
    { header: '单价', kind: 'money' },
    { header: '金额', kind: 'money' },
    { header: '成本', kind: 'money' },
    { header: '渠道', kind: 'text' },
    { header: '往来单位', kind: 'text' },
    { header: '经办人', kind: 'text' },
    { header: '撤销的编号', kind: 'text' },
    { header: '备注', kind: 'text', width: 20 },
    { header: '批次', kind: 'text', width: 24 },
    { header: '代发供应商', kind: 'text' },
    { header: '代发进价', kind: 'money' },
  ],
};

function entrySheetCells(r: EntryExportRow, wall: (at: Date) => Date): SheetCell[] {
  return [
    r.seq,
    wall(r.occurredAt),
    KIND_LABELS[r.kind as keyof typeof KIND_LABELS] ?? r.kind,
    r.product,
    r.location,
    fromMilli(r.qtyMilli),
    moneyCell(r.unitPrice),
    moneyCell(r.amount),
    moneyCell(r.cost),
    r.channel,
    r.counterparty,
    r.actor,
    r.reverses === null ? null : `#${r.reverses}`,
    r.note ?? null,
    // The wall-clock Date's UTC fields are the shop's local ones.
    batchText(r, (at) => wall(at).toISOString().slice(0, 10)),
    r.supplier ?? null,
    moneyCell(recordedUnitCost(r)),
];
}

/** Two sheets: profit by product and by channel, each with a total row. */
export function profitSheets(report: ProfitReport): Sheet[] {
  const figures = (r: { sales: number; soldMilli: number; revenue: number; cost: number }) => [
    r.sales,
    fromMilli(r.soldMilli),
    moneyCell(r.revenue),
    moneyCell(r.cost),
    moneyCell(r.revenue - r.cost),
    marginValue(r),
  ];
  const money = [
    { header: '笔数', kind: 'integer' },
    { header: '销量', kind: 'quantity' },
    { header: '销售额', kind: 'money' },
    { header: '销售成本', kind: 'money' },
    { header: '毛利', kind: 'money' },
    { header: '毛利率', kind: 'percent' },
  ] as const;
  return [
    {
      name: '利润-按商品',
      columns: [{ header: '商品', kind: 'text', width: 24 }, { header: '编码', kind: 'text' }, { header: '单位', kind: 'text', width: 6 }, ...money],
      rows: report.byProduct.map((r) => [r.product, r.sku, r.unit, ...figures(r)]),
      total: ['合计', null, null, ...figures(report.totals)],
    },
    {
      name: '利润-按渠道',
      columns: [{ header: '渠道', kind: 'text' }, ...money],
      rows: report.byChannel.map((r) => [r.channel ?? CHANNEL_NONE, ...figures(r)]),
      total: ['合计', ...figures(report.totals)],
    },
  ];
}

/** What the dropship suppliers are owed over a period (src/core/payables.ts), by supplier. */
export async function payablesReport(queries: ReportQueries, shopId: number, from?: Date, to?: Date): Promise<SupplierPayable[]> {
  return payablesBySupplier(await queries.payables(shopId, from ?? new Date(0), to ?? new Date(8.64e15)));
}

/** 应付 as JSON: one object per supplier with its products; money as "15.70" strings. */
export function payablesJson(groups: SupplierPayable[], from?: Date, to?: Date): object {
  return {
    from: from?.toISOString() ?? null,
    to: to?.toISOString() ?? null,
    total: formatYuan(groups.reduce((s, g) => s + g.owed, 0)),
    suppliers: groups.map((g) => ({
      supplier: g.supplier,
      owed: formatYuan(g.owed),
      products: g.lines.map((l) => ({ product: l.product, unit: l.unit, quantity: fromMilli(l.qtyMilli), owed: formatYuan(l.owed) })),
    })),
  };
}

const PAYABLE_HEADERS = ['供应商', '商品', '单位', '数量', '应付金额'] as const;

/** 应付 as CSV: a line per supplier and product, a 小计 per supplier and a 合计. */
export function payablesCsv(groups: SupplierPayable[]): string {
  const rows: unknown[][] = [];
  for (const g of groups) {
    for (const l of g.lines) rows.push([g.supplier, l.product, l.unit, fromMilli(l.qtyMilli), formatYuan(l.owed)]);
    rows.push([g.supplier, '小计', null, null, formatYuan(g.owed)]);
  }
  rows.push(['合计', null, null, null, formatYuan(groups.reduce((s, g) => s + g.owed, 0))]);
  return toCsv(PAYABLE_HEADERS, rows);
}

/** 应付 as a sheet: a line per supplier and product, with the total. */
export function payablesSheet(groups: SupplierPayable[]): Sheet {
  return {
    name: '应付',
    columns: [
      { header: '供应商', kind: 'text' },
      { header: '商品', kind: 'text', width: 24 },
      { header: '单位', kind: 'text', width: 6 },
      { header: '数量', kind: 'quantity' },
      { header: '应付金额', kind: 'money' },
    ],
    rows: groups.flatMap((g) => g.lines.map((l): SheetCell[] => [g.supplier, l.product, l.unit, fromMilli(l.qtyMilli), moneyCell(l.owed)])),
    total: ['合计', null, null, null, moneyCell(groups.reduce((s, g) => s + g.owed, 0))],
  };
}

export type ExportWhat = 'stock' | 'entries' | 'profit' | 'payables';
export type ExportFormat = 'xlsx' | 'csv' | 'json';

/** An export ready to save or send as a document. */
export interface ExportFile {
  buffer: Buffer;
  filename: string;
  contentType: string;
}

const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const TITLES: Readonly<Record<ExportWhat, string>> = { stock: '库存', entries: '流水', profit: '利润', payables: '应付' };

/** What to export, of which shop, over which period. */
export interface ExportRequest {
  what: ExportWhat;
  format: ExportFormat;
  shop: { id: number; name: string; timeZone: string } | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  now?: Date | undefined;
}

/** The file name and type of an export (what a chat sends it as). */
export function exportFileInfo(request: ExportRequest): { filename: string; contentType: string } {
  const timeZone = request.shop?.timeZone ?? 'Asia/Shanghai';
  const stamp = localDateTime(request.now ?? new Date(), timeZone).slice(0, 10);
  return { filename: `${request.shop?.name ?? 'jxc'}-${TITLES[request.what]}-${stamp}.${request.format}`, contentType: CONTENT_TYPES[request.format] };
}

/**
 * Builds an export of a shop as a file: stock (now), entries or profit (over [from, to)), as xlsx,
 * CSV (UTF-8 with BOM, Chinese headers) or JSON. The same function serves the command line and chat.
 * Held in memory: for entries of a long period use writeExport, which streams.
 */
export async function exportReport(sources: { reader: ReportReader; queries: ReportQueries }, request: ExportRequest): Promise<ExportFile> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(sink, 'end');
  await writeExport(sources, request, sink);
  sink.end();
  await ended;
  return { buffer: Buffer.concat(chunks), ...exportFileInfo(request) };
}

/**
 * Writes an export to `out` (a file, stdout, a temporary file to send in chat) as it is read: entries
 * come from the database one row at a time, CSV and JSON are written in chunks that wait for the
 * stream to drain, and xlsx goes through exceljs's streaming writer, so memory stays flat in the
 * number of rows. Yields to the event loop between chunks so a bot keeps answering meanwhile.
 * Does not end `out`. Returns the number of data rows written.
 */
export async function writeExport(sources: { reader: ReportReader; queries: ReportQueries }, request: ExportRequest, out: Writable, onProgress?: (rows: number) => void): Promise<number> {
  const { what, format, shop } = request;
  const timeZone = shop?.timeZone ?? 'Asia/Shanghai';
  if (what === 'entries') {
    const rows = shop ? sources.reader.eachEntryRow(shop.id, request.from, request.to) : [];
    return streamEntries(rows, format, timeZone, out, onProgress);
  }
  let body: Buffer;
  let count: number;
  if (what === 'stock') {
    const rows = shop ? await sources.reader.stockRows(shop.id) : [];
    count = rows.length;
    body = await encode(format, () => stockJson(rows), () => stockCsv(rows), () => [stockSheet(rows)]);
  } else if (what === 'payables') {
    const groups = shop ? await payablesReport(sources.queries, shop.id, request.from, request.to) : [];
    count = groups.reduce((s, g) => s + g.lines.length, 0);
    body = await encode(format, () => payablesJson(groups, request.from, request.to), () => payablesCsv(groups), () => [payablesSheet(groups)]);
  } else {
    const report: ProfitReport = shop
      ? await profitReport(sources.queries, shop.id, request.from, request.to)
      : { from: request.from, to: request.to, totals: { soldMilli: 0, returnedMilli: 0, revenue: 0, refunds: 0, cost: 0, sales: 0 }, byProduct: [], byChannel: [] };
    count = report.byProduct.length + report.byChannel.length;
    body = await encode(format, () => profitJson(report), () => profitCsv(report), () => profitSheets(report));
  }
  await write(out, body);
  return count;
}

/** Rows gathered before a write: big enough that writes are few, small enough to stay flat. */
const CHUNK_ROWS = 2_000;

async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

async function streamEntries(rows: Iterable<EntryExportRow> | AsyncIterable<EntryExportRow>, format: ExportFormat, timeZone: string, out: Writable, onProgress?: (rows: number) => void): Promise<number> {
  let count = 0;
  if (format === 'xlsx') {
    const wall = wallClockFormatter(timeZone);
    return writeXlsxStream(out, ENTRIES_SHEET, (async function* () {
      for await (const r of rows) yield entrySheetCells(r, wall);
    })(), onProgress);
  }
  const local = localFormatter(timeZone);
  let chunk: string[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    await write(out, chunk.join(''));
    chunk = [];
    onProgress?.(count);
    await breathe();
  };
  if (format === 'csv') {
    chunk.push(`\uFEFF${ENTRY_HEADERS.map(csvCell).join(',')}\r\n`);
    for await (const r of rows) {
      chunk.push(`${entryCsvCells(r, local).map(csvCell).join(',')}\r\n`);
      if (++count % CHUNK_ROWS === 0) await flush();
    }
  } else {
    // The same text as JSON.stringify(array, null, 2), one row at a time.
    for await (const r of rows) {
      chunk.push(`${count === 0 ? '[\n' : ',\n'}  ${JSON.stringify(entryJson(r), null, 2).replace(/\n/g, '\n  ')}`);
      if (++count % CHUNK_ROWS === 0) await flush();
    }
    chunk.push(count === 0 ? '[]\n' : '\n]\n');
  }
  await flush();
  return count;
}

async function encode(format: ExportFormat, json: () => unknown, csv: () => string, sheets: () => Sheet[]): Promise<Buffer> {
  if (format === 'json') return Buffer.from(`${JSON.stringify(json(), null, 2)}\n`, 'utf8');
  if (format === 'csv') return Buffer.from(csv(), 'utf8');
  return xlsxBuffer(sheets());
}

/**
 * The chat's 导出 of a period as one workbook streamed to `out`: the entries (read one row at a time),
 * the profit by product and by channel, and what dropship suppliers are owed (when any are). Returns the number of entries written.
 */
export async function writeEntriesAndProfit(
  sources: { reader: ReportReader; queries: ReportQueries },
  shop: { id: number; timeZone: string },
  period: { from: Date; to: Date },
  out: Writable,
  onProgress?: (rows: number) => void,
): Promise<number> {
  const wall = wallClockFormatter(shop.timeZone);
  let entries = 0;
  const rows = (async function* () {
    for await (const r of sources.reader.eachEntryRow(shop.id, period.from, period.to)) {
      entries += 1;
      yield entrySheetCells(r, wall);
    }
  })();
  const profit = profitSheets(await profitReport(sources.queries, shop.id, period.from, period.to));
  // What dropship suppliers are owed for the period, when any are.
  const payables = await payablesReport(sources.queries, shop.id, period.from, period.to);
  const more = payables.length > 0 ? [...profit, payablesSheet(payables)] : profit;
  await writeXlsxSheets(out, [{ sheet: ENTRIES_SHEET, rows }, ...more.map((sheet) => ({ sheet, rows: sheet.rows }))], onProgress);
  return entries;
}
