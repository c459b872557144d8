import { averageCost } from '../../core/valuation.ts';
import { formatYuan } from '../../core/money.ts';
import { fromMilli } from '../../core/quantity.ts';
import { KIND_LABELS } from '../../core/labels.ts';
import { margin } from '../../core/analysis.ts';
import type { ChannelSalesRow, ProductSalesRow, ReportQueries, SalesTotals } from '../../core/report-queries.ts';
import { moneyCell, wallClockDate, xlsxBuffer, type Sheet } from './xlsx.ts';

export interface StockExportRow {
  product: string;
  sku: string | null;
  unit: string;
  location: string;
  qtyMilli: number;
  value: number;
}

export interface EntryExportRow {
  seq: number;
  occurredAt: Date;
  kind: string;
  product: string;
  location: string | null;
  qtyMilli: number;
  unitPrice: number | null;
  amount: number;
  cost: number;
  channel: string | null;
  counterparty: string | null;
  actor: string;
  reverses: number | null;
  /** Words kept with the entry (`单号 778899`); null or absent when none. */
  note?: string | null | undefined;
}

/** The reads an export needs. */
export interface ReportReader {
  shops(): Promise<{ id: number; name: string; timeZone: string }[]>;
  stockRows(shopId: number): Promise<StockExportRow[]>;
  entryRows(shopId: number, from?: Date, to?: Date): Promise<EntryExportRow[]>;
}

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
  return rows.map((r) => ({
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
  }));
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

/** "2026-11-27 10:05" in the shop's zone. */
export function formatLocal(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function entriesCsv(rows: EntryExportRow[], timeZone: string): string {
  return toCsv(
    ['编号', '时间', '类型', '商品', '仓库', '数量', '单价', '金额', '成本', '渠道', '往来单位', '经办人', '撤销的编号', '备注'],
    rows.map((r) => [
      r.seq,
      formatLocal(r.occurredAt, timeZone),
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
    ]),
  );
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
export function profitReport(queries: ReportQueries, shopId: number, from?: Date, to?: Date): ProfitReport {
  const start = from ?? new Date(0);
  const end = to ?? new Date(8.64e15);
  return {
    from,
    to,
    totals: queries.salesTotals(shopId, start, end),
    byProduct: queries.salesByProduct(shopId, start, end).filter(hasSales),
    byChannel: queries.salesByChannel(shopId, start, end).filter(hasSales),
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
  return {
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
    ],
    rows: rows.map((r) => [
      r.seq,
      wallClockDate(r.occurredAt, timeZone),
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
    ]),
  };
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

export type ExportWhat = 'stock' | 'entries' | 'profit';
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

const TITLES: Readonly<Record<ExportWhat, string>> = { stock: '库存', entries: '流水', profit: '利润' };

/**
 * Builds an export of a shop as a file: stock (now), entries or profit (over [from, to)), as xlsx,
 * CSV (UTF-8 with BOM, Chinese headers) or JSON. The same function serves the command line and chat.
 */
export async function exportReport(
  sources: { reader: ReportReader; queries: ReportQueries },
  request: { what: ExportWhat; format: ExportFormat; shop: { id: number; name: string; timeZone: string } | undefined; from?: Date | undefined; to?: Date | undefined; now?: Date | undefined },
): Promise<ExportFile> {
  const { what, format, shop } = request;
  const timeZone = shop?.timeZone ?? 'Asia/Shanghai';
  const stamp = formatLocal(request.now ?? new Date(), timeZone).slice(0, 10);
  const filename = `${shop?.name ?? 'jxc'}-${TITLES[what]}-${stamp}.${format}`;
  let body: Buffer;
  if (what === 'stock') {
    const rows = shop ? await sources.reader.stockRows(shop.id) : [];
    body = await encode(format, () => stockJson(rows), () => stockCsv(rows), () => [stockSheet(rows)]);
  } else if (what === 'entries') {
    const rows = shop ? await sources.reader.entryRows(shop.id, request.from, request.to) : [];
    body = await encode(format, () => entriesJson(rows), () => entriesCsv(rows, timeZone), () => [entriesSheet(rows, timeZone)]);
  } else {
    const report: ProfitReport = shop
      ? profitReport(sources.queries, shop.id, request.from, request.to)
      : { from: request.from, to: request.to, totals: { soldMilli: 0, returnedMilli: 0, revenue: 0, refunds: 0, cost: 0, sales: 0 }, byProduct: [], byChannel: [] };
    body = await encode(format, () => profitJson(report), () => profitCsv(report), () => profitSheets(report));
  }
  return { buffer: body, filename, contentType: CONTENT_TYPES[format] };
}

async function encode(format: ExportFormat, json: () => unknown, csv: () => string, sheets: () => Sheet[]): Promise<Buffer> {
  if (format === 'json') return Buffer.from(`${JSON.stringify(json(), null, 2)}\n`, 'utf8');
  if (format === 'csv') return Buffer.from(csv(), 'utf8');
  return xlsxBuffer(sheets());
}
