import { readTable, TableError, type Table } from '../table.ts';
import { headerKeys, layoutColumns, layoutsBySignature, looksLikeOrderHeader, platformOfWords, PLATFORM_NAMES, type OrderField, type OrderLayout } from './platforms.ts';

/** An order export read and recognised: its table, its platform and where each field is. */
export interface OrderTable {
  table: Table;
  layout: OrderLayout;
  /** The channel recorded (天猫 when the file or the user said so, else the layout's). */
  channel: string;
  columns: Partial<Record<OrderField, number>>;
  /** How the platform was known: the header row, or a name the user or the file gave. */
  detectedBy: 'header' | 'name';
}

/**
 * Reads an order export (.xlsx, or .csv in UTF-8 with or without BOM, or GBK) and finds its platform:
 * by the header row; a platform named by the user (`--platform`, the words sent with the file) or in
 * the file name decides between layouts the header fits, or recognises a guessed layout. A file that
 * fits none, or two without a name to choose, is refused with what to do.
 */
export async function readOrderFile(bytes: Uint8Array, filename: string, platform?: string): Promise<OrderTable | { fatal: string; table?: Table | undefined }> {
  let table: Table;
  try {
    table = await readTable(bytes, filename, looksLikeOrderHeader);
  } catch (error) {
    if (error instanceof TableError) return { fatal: error.message };
    throw error;
  }
  if (table.headers.length === 0) return { fatal: '表格是空的。', table };
  if (isTaobaoOrderSheet(table.headers)) {
    return { fatal: '这是淘宝/天猫的订单表（每个订单一行，没有每件商品的明细）。请在千牛「已卖出的宝贝」导出时选宝贝（子订单）明细，再发那个文件。', table };
  }
  const named = platform !== undefined ? platformOfWords(platform) : undefined;
  if (platform !== undefined && !named) return { fatal: `不认识平台「${platform}」。可以写：${PLATFORM_NAMES}。`, table };
  const bySignature = layoutsBySignature(table.headers);
  const byFile = platformOfWords(filename.replace(/\.(xlsx|xlsm|csv)$/i, '')) ?? fileNameHint(filename);
  let chosen: { layout: OrderLayout; channel: string; detectedBy: OrderTable['detectedBy'] } | undefined;
  if (named) chosen = { ...named, detectedBy: 'name' };
  else if (bySignature.length === 1) {
    const layout = bySignature[0] as OrderLayout;
    chosen = { layout, channel: byFile?.layout.id === layout.id ? byFile.channel : layout.channel, detectedBy: 'header' };
  } else if (bySignature.length > 1) {
    const pick = byFile && bySignature.find((l) => l.id === byFile.layout.id);
    if (!pick) return { fatal: `表头既像${bySignature.map((l) => l.label).join('，又像')}的订单导出，分不清。请在文件名里写上平台（例如「淘宝订单.csv」），或用 --platform 指定。`, table };
    chosen = { layout: pick, channel: (byFile as { channel: string }).channel, detectedBy: 'header' };
  } else if (byFile) chosen = { ...byFile, detectedBy: 'name' };
  if (!chosen) {
    return {
      fatal: `认不出这是哪个平台的订单导出（表头：${table.headers.slice(0, 8).join('、')}${table.headers.length > 8 ? '…' : ''}）。支持：${PLATFORM_NAMES}。如果是这些平台导出的，请在文件名里写上平台，或用 --platform 指定。`,
      table,
    };
  }
  const columns = layoutColumns(chosen.layout, table.headers);
  const missing = missingColumns(columns);
  if (missing) return { fatal: `这是${chosen.layout.label}的订单表，但${missing}。请导出完整的订单明细（含订单号、商品、数量、状态、付款时间）。`, table };
  return { table, layout: chosen.layout, channel: chosen.channel, columns, detectedBy: chosen.detectedBy };
}

/** 千牛's order-level sheet (订单报表): one row per order, titles joined, no line to record. */
function isTaobaoOrderSheet(headers: readonly string[]): boolean {
  const keys = new Set(headerKeys(headers));
  return keys.has('订单编号') && keys.has('买家应付邮费') && !keys.has('子订单编号') && !keys.has('购买数量');
}

/** 千牛 names its exports ExportOrderList…/ExportOrderDetailList…; that says 淘宝 when the header does not. */
function fileNameHint(filename: string): ReturnType<typeof platformOfWords> {
  return /^ExportOrder(Detail)?List/i.test(filename) ? platformOfWords('淘宝') : undefined;
}

function missingColumns(c: Partial<Record<OrderField, number>>): string | undefined {
  if (c.orderNo === undefined) return '找不到订单号列';
  if (c.title === undefined && c.skuCode === undefined) return '找不到商品名称或商家编码列';
  if (c.quantity === undefined) return '找不到数量列';
  if (c.status === undefined) return '找不到订单状态列（要靠它跳过已关闭、未付款的订单）';
  if (c.paidAt === undefined && c.createdAt === undefined) return '找不到付款时间或下单时间列';
  if (c.lineAmount === undefined && c.orderAmount === undefined && c.unitPrice === undefined) return '找不到金额列（实付金额或单价）';
  return undefined;
}

/**
 * Whether a file sent without saying what it is looks like an order export: its header row is one
 * of the back-ends' (or has an order number and a quantity, in a file named after a platform).
 */
export async function looksLikeOrderFile(bytes: Uint8Array, filename: string): Promise<boolean> {
  let table: Table;
  try {
    table = await readTable(bytes, filename, looksLikeOrderHeader);
  } catch (error) {
    if (error instanceof TableError) return false;
    throw error;
  }
  if (layoutsBySignature(table.headers).length > 0 || isTaobaoOrderSheet(table.headers)) return true;
  const named = platformOfWords(filename.replace(/\.(xlsx|xlsm|csv)$/i, '')) ?? fileNameHint(filename);
  return named !== undefined && looksLikeOrderHeader(table.headers);
}
