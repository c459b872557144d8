import { averageCost } from '../../core/valuation.ts';
import { formatYuan } from '../../core/money.ts';
import { fromMilli } from '../../core/quantity.ts';
import { KIND_LABELS } from '../../core/labels.ts';

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
    ['编号', '时间', '类型', '商品', '仓库', '数量', '单价', '金额', '成本', '渠道', '往来单位', '经办人', '撤销的编号'],
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
    ]),
  );
}
