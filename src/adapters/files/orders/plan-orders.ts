import type { WriteRequest } from '../../../core/inventory.service.ts';
import { MAX_CENTS, mulDivRound } from '../../../core/money.ts';
import { orderLineSource, orderLineState, splitAmount, type OrderLineSource, type OrderLineState } from '../../../core/order-import.ts';
import type { InventoryStore } from '../../../core/ports.ts';
import { MAX_QUANTITY, MILLI } from '../../../core/quantity.ts';
import { buildCatalogue, compactKey } from '../../../bot/parse/catalogue.ts';
import { suggestProducts } from '../../../bot/parse/suggest.ts';
import { parseDate, parseMoney, parseQuantity } from '../cells.ts';
import { cellText, type Cell } from '../table.ts';
import type { OrderField } from './platforms.ts';
import type { OrderTable } from './read-orders.ts';

/** An order line read from its row. */
interface OrderLine {
  row: number;
  orderNo: string;
  /** The line within its order: the 子订单 number, else the product's code or title (with #2, #3 when repeated). */
  line: string;
  title: string;
  spec: string;
  skuCode: string;
  itemId: string;
  qtyMilli: number;
  state: OrderLineState;
  status: string;
  refundStatus: string;
  /** The line has a 子订单 number of its own (a repeated row is the same line, not a second one). */
  hasSubOrder: boolean;
  at: Date;
  refundedAt: Date | undefined;
  unitPrice: number | undefined;
  lineAmount: number | undefined;
  orderAmount: number | undefined;
  refundAmount: number | undefined;
}

/** One write of the plan: an order line's sale, or its refund. */
export interface OrderWrite {
  row: number;
  orderNo: string;
  refund: boolean;
  /** For a refund: the message id of its sale, which has to be in the ledger first. */
  saleId?: string | undefined;
  source: OrderLineSource;
  text: string;
  req: WriteRequest;
}

/** Order lines whose product is not in the catalogue, by what the file calls it. */
export interface UnmatchedTitle {
  /** The title with its variant, as listed. */
  title: string;
  /** The platform's title alone: what an alias has to be for every variant to match. */
  name: string;
  skuCode: string;
  rows: number[];
  suggestions: string[];
}

/** What importing an order file will do, worked out before anything is written. */
export interface OrderPlan {
  rows: number;
  orders: number;
  writes: OrderWrite[];
  /** Lines not recorded because the order never became a sale, counted by their status. */
  cancelled: Map<string, number>;
  /** Lines whose order status we do not know: not recorded, listed. */
  unknownStatus: { row: number; status: string }[];
  unmatched: UnmatchedTitle[];
  /** Rows that cannot be read (no order number, a bad quantity or date). */
  problems: { row: number; reason: string }[];
  /** Refunds of part of a line's money: the sale is recorded, the return is not (how many came back is unknown). */
  partialRefunds: { row: number; orderNo: string; refund: number; paid: number }[];
}

const text = (cells: Cell[], i: number | undefined): string => (i === undefined ? '' : cleanId(cellText(cells[i])));

/** Back-ends guard long numbers from Excel with a tab, a quote or ="…": 3456…\t, '3456…, ="3456…". */
function cleanId(value: string): string {
  return value.replace(/^="?|"$/g, '').replace(/^'/, '').replace(/[\t\r\n]+/g, ' ').trim();
}

/** An empty cell, or a placeholder the back-ends write for none. */
const blank = (value: string) => value === '' || value === '-' || value === '--' || value === '/' || value === '无';

/**
 * Plans an order file: reads each line, works out its state (sale, refund, cancelled), its amount by
 * the platform's rule and its product (by 商家编码 / code, else by title through names and aliases,
 * exactly — a title that matches nothing is listed with suggestions, never guessed), and the writes:
 * a sale per line, plus a customer return for a refunded line, in the order they happened.
 */
export async function planOrders(file: OrderTable, store: InventoryStore, shopId: number, timeZone: string): Promise<OrderPlan> {
  const col = file.columns;
  const plan: OrderPlan = { rows: file.table.rows.length, orders: 0, writes: [], cancelled: new Map(), unknownStatus: [], unmatched: [], problems: [], partialRefunds: [] };
  const lines: OrderLine[] = [];
  const seenLines = new Map<string, number>();
  const orders = new Set<string>();
  for (const { row, cells } of file.table.rows) {
    const line = readLine(row, cells, col, timeZone, plan.problems);
    if (!line) continue;
    orders.add(line.orderNo);
    // The same product twice in one order (a gift line) stays two lines; a 子订单 number is one line however often it is listed.
    const key = `${line.orderNo}\u0001${line.line}`;
    const n = (seenLines.get(key) ?? 0) + 1;
    seenLines.set(key, n);
    if (n > 1 && !line.hasSubOrder) line.line = `${line.line}#${n}`;
    lines.push(line);
  }
  plan.orders = orders.size;
  allocateOrderAmounts(lines);

  const products = await matcher(store, shopId);
  const unmatched = new Map<string, UnmatchedTitle>();
  for (const line of lines) {
    if (line.state === 'cancelled') {
      plan.cancelled.set(line.status, (plan.cancelled.get(line.status) ?? 0) + 1);
      continue;
    }
    if (line.state === 'unknown') {
      plan.unknownStatus.push({ row: line.row, status: line.status });
      continue;
    }
    const product = products.find(line);
    if (!product) {
      const title = [line.title, line.spec].filter((s) => s !== '').join(' ') || line.skuCode;
      const key = `${title}\u0001${line.skuCode}`;
      const entry = unmatched.get(key) ?? { title, name: line.title || line.skuCode, skuCode: line.skuCode, rows: [], suggestions: products.suggest(line.title || line.skuCode) };
      entry.rows.push(line.row);
      unmatched.set(key, entry);
      continue;
    }
    const amount = line.lineAmount ?? line.orderAmount ?? (line.unitPrice !== undefined ? mulDivRound(line.unitPrice, line.qtyMilli, MILLI) : undefined);
    if (amount === undefined) {
      plan.problems.push({ row: line.row, reason: `订单 ${line.orderNo} 没有金额` });
      continue;
    }
    const quantity = line.qtyMilli / MILLI;
    const label = `${file.layout.label}订单 ${line.orderNo}`;
    plan.writes.push({
      row: line.row,
      orderNo: line.orderNo,
      refund: false,
      source: orderLineSource(file.layout.id, shopId, line.orderNo, line.line),
      text: `${label} ${product}×${quantity}`,
      req: { kind: 'sale', items: [{ product, quantity, total: amount }], occurredAt: line.at, channel: file.channel },
    });
    // A refund above the line's amount (postage refunded with it) returns the line's amount: goods revenue only.
    const refund = line.refundAmount !== undefined && line.refundAmount > 0 ? Math.min(line.refundAmount, amount) : amount;
    if (line.state === 'refunded' && (refund < amount || /部分/.test(line.refundStatus))) {
      plan.partialRefunds.push({ row: line.row, orderNo: line.orderNo, refund, paid: amount });
    } else if (line.state === 'refunded') {
      plan.writes.push({
        row: line.row,
        orderNo: line.orderNo,
        refund: true,
        saleId: orderLineSource(file.layout.id, shopId, line.orderNo, line.line).messageId,
        source: orderLineSource(file.layout.id, shopId, line.orderNo, line.line, true),
        text: `${label} 退款 ${product}×${quantity}`,
        req: {
          kind: 'customerReturn',
          items: [{ product, quantity, total: refund }],
          // A refund is after its sale, even when the file has no refund time.
          occurredAt: line.refundedAt && line.refundedAt > line.at ? line.refundedAt : line.at,
          channel: file.channel,
        },
      });
    }
  }
  plan.unmatched = [...unmatched.values()];
  // In the order things happened (stable: a sale stays before its refund at the same moment).
  plan.writes.sort((a, b) => (a.req.occurredAt?.getTime() ?? 0) - (b.req.occurredAt?.getTime() ?? 0));
  plan.problems.sort((a, b) => a.row - b.row);
  return plan;
}

function readLine(row: number, cells: Cell[], col: Partial<Record<OrderField, number>>, timeZone: string, problems: OrderPlan['problems']): OrderLine | undefined {
  const bad = (reason: string) => void problems.push({ row, reason });
  const orderNo = text(cells, col.orderNo);
  if (blank(orderNo)) return bad('没有订单号');
  const title = text(cells, col.title);
  const skuCode = text(cells, col.skuCode);
  if (blank(title) && blank(skuCode)) return bad(`订单 ${orderNo} 没有商品名称或商家编码`);
  const status = text(cells, col.status);
  const refundStatus = text(cells, col.refundStatus);
  const state = orderLineState(status, refundStatus);
  const qty = parseQuantity(col.quantity === undefined ? undefined : cells[col.quantity]);
  if (!qty.ok || qty.value.milli <= 0 || qty.value.milli % MILLI !== 0 || qty.value.milli > MAX_QUANTITY * MILLI) {
    return bad(`订单 ${orderNo} 的数量「${text(cells, col.quantity)}」不对（要正整数）`);
  }
  const at = firstDate(cells, [col.paidAt, col.createdAt], timeZone);
  if (!at && state !== 'cancelled' && state !== 'unknown') return bad(`订单 ${orderNo} 没有付款时间或下单时间`);
  const money = (i: number | undefined): number | undefined | 'bad' => {
    const t = text(cells, i);
    if (i === undefined || blank(t)) return undefined;
    const r = parseMoney(t.replace(/^[¥￥]/, ''));
    return r.ok && r.value >= 0 && r.value <= MAX_CENTS ? r.value : 'bad';
  };
  const figures = { unitPrice: money(col.unitPrice), lineAmount: money(col.lineAmount), orderAmount: money(col.orderAmount), refundAmount: money(col.refundAmount) };
  for (const [field, value] of Object.entries(figures)) {
    if (value === 'bad') return bad(`订单 ${orderNo} 的金额「${text(cells, col[field as OrderField])}」看不懂`);
  }
  const sub = text(cells, col.subOrderNo);
  const itemId = text(cells, col.itemId);
  return {
    row,
    orderNo,
    line: !blank(sub) ? sub : !blank(skuCode) ? skuCode : !blank(itemId) ? itemId : title,
    title: blank(title) ? '' : title,
    spec: blank(text(cells, col.spec)) ? '' : text(cells, col.spec),
    skuCode: blank(skuCode) ? '' : skuCode,
    itemId: blank(itemId) ? '' : itemId,
    qtyMilli: qty.value.milli,
    state,
    status: status || '（空）',
    refundStatus,
    hasSubOrder: !blank(sub),
    at: at ?? new Date(0),
    refundedAt: firstDate(cells, [col.refundedAt], timeZone),
    unitPrice: figures.unitPrice as number | undefined,
    lineAmount: figures.lineAmount as number | undefined,
    orderAmount: figures.orderAmount as number | undefined,
    refundAmount: figures.refundAmount as number | undefined,
  };
}

function firstDate(cells: Cell[], columns: (number | undefined)[], timeZone: string): Date | undefined {
  for (const i of columns) {
    if (i === undefined) continue;
    const cell = cells[i];
    if (typeof cell === 'string' && blank(cleanId(cell))) continue;
    const r = parseDate(typeof cell === 'string' ? cleanId(cell) : cell, timeZone);
    if (r.ok) return r.value;
  }
  return undefined;
}

/**
 * An amount written once per order (京东's 结算金额, repeated on each of its lines) is split over the
 * order's recorded lines by their 单价 × 数量, so the lines add up to the order to the 分.
 */
function allocateOrderAmounts(lines: OrderLine[]): void {
  const byOrder = new Map<string, OrderLine[]>();
  for (const l of lines) {
    if (l.lineAmount !== undefined) continue;
    const list = byOrder.get(l.orderNo) ?? [];
    list.push(l);
    byOrder.set(l.orderNo, list);
  }
  for (const list of byOrder.values()) {
    // Written on every line, or only on the order's first: either way it is the order's.
    const total = list.find((l) => l.orderAmount !== undefined)?.orderAmount;
    const counted = list.filter((l) => l.state === 'sale' || l.state === 'refunded');
    if (total === undefined || counted.length === 0) continue;
    const shares = splitAmount(total, counted.map((l) => (l.unitPrice === undefined ? 0 : mulDivRound(l.unitPrice, l.qtyMilli, MILLI))));
    counted.forEach((l, i) => {
      l.orderAmount = shares[i] ?? 0;
    });
  }
}

/**
 * Finds a line's product exactly: its 商家编码 (or the platform's item id) as a product's code, else
 * its title (with the variant, then alone) as a product's name or alias, ignoring case, width and
 * spaces. Suggestions for the rest come from the chat's closest-match helper.
 */
async function matcher(store: InventoryStore, shopId: number) {
  const products = await store.products(shopId);
  const aliases = await store.aliases(shopId);
  const bySku = new Map<string, string>();
  const byKey = new Map<string, string>();
  const names = new Map<number, string>();
  for (const p of products) {
    names.set(p.id, p.name);
    if (p.sku !== null) bySku.set(p.sku, p.name);
    byKey.set(compactKey(p.name), p.name);
  }
  const aliasesOf = new Map<number, string[]>();
  for (const a of aliases) {
    const name = names.get(a.productId);
    if (name === undefined) continue;
    if (!byKey.has(compactKey(a.alias))) byKey.set(compactKey(a.alias), name);
    aliasesOf.set(a.productId, [...(aliasesOf.get(a.productId) ?? []), a.alias]);
  }
  let catalogue: ReturnType<typeof buildCatalogue> | undefined;
  return {
    find(line: OrderLine): string | undefined {
      for (const code of [line.skuCode, line.itemId]) {
        const hit = code === '' ? undefined : bySku.get(code);
        if (hit) return hit;
      }
      for (const name of [line.spec === '' ? '' : `${line.title} ${line.spec}`, line.title]) {
        const hit = name === '' ? undefined : byKey.get(compactKey(name));
        if (hit) return hit;
      }
      return undefined;
    },
    suggest(name: string): string[] {
      catalogue ??= buildCatalogue(products.map((p) => ({ name: p.name, aliases: aliasesOf.get(p.id) ?? [], unit: p.unit, units: {}, sku: p.sku ?? undefined })));
      return suggestProducts(name, catalogue, 3);
    },
  };
}
