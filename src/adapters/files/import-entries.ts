import type { WriteItem, WriteKind } from '../../core/inventory.service.ts';
import { MAX_CENTS, mulDivRound } from '../../core/money.ts';
import { MAX_QUANTITY, MILLI } from '../../core/quantity.ts';
import { MAX_NAME_CHARS, nameTooLong, parseDate, parseMoney, parseQuantity } from './cells.ts';
import { ENTRY_FIELDS, matchHeaders, type EntryField } from './headers.ts';
import type { ImportCatalogue, ProductRef } from './import-catalogue.ts';
import { contentKey, KeyCounter, KIND_WORDS, newPlan, type ImportPlan, type PlannedWrite, type ProductChange } from './import-plan.ts';
import { cellProblem } from './import-stock.ts';
import { cellText, type Cell, type Table } from './table.ts';
import { isCountUnit, normalizeUnit } from './units.ts';

type LedgerKind = Extract<WriteKind, 'purchase' | 'sale' | 'customerReturn' | 'supplierReturn'>;

/** Words for an entry's type, as other systems and our own export write them. */
const KINDS: Readonly<Record<string, LedgerKind>> = {
  进货: 'purchase', 入库: 'purchase', 采购: 'purchase', 采购入库: 'purchase', 买入: 'purchase', 到货: 'purchase', 补货: 'purchase', purchase: 'purchase', buy: 'purchase', in: 'purchase',
  出货: 'sale', 出库: 'sale', 销售: 'sale', 销售出库: 'sale', 卖出: 'sale', 发货: 'sale', sale: 'sale', sales: 'sale', sold: 'sale', sell: 'sale', out: 'sale',
  客退: 'customerReturn', 退货: 'customerReturn', 销售退货: 'customerReturn', 客户退货: 'customerReturn', return: 'customerReturn', refund: 'customerReturn', customerreturn: 'customerReturn', customer_return: 'customerReturn',
  退供: 'supplierReturn', 退厂: 'supplierReturn', 采购退货: 'supplierReturn', 退回供应商: 'supplierReturn', supplierreturn: 'supplierReturn', supplier_return: 'supplierReturn',
};

/** Kinds that take goods out; our export writes their quantities as negative numbers. */
const OUTGOING: ReadonlySet<LedgerKind> = new Set(['sale', 'supplierReturn']);

/** A row whose cells are valid; its product is not looked up yet. */
interface ParsedLine {
  row: number;
  kind: LedgerKind;
  occurredAt: Date;
  name: string;
  sku: string;
  unit: string | undefined;
  /** The quantity as written (signed, in the row's unit). */
  writtenMilli: number;
  qtyMilli: number;
  unitPrice: number | undefined;
  amount: number | undefined;
  channel: string | undefined;
  counterparty: string | undefined;
  location: string | undefined;
  docNo: string | undefined;
  /** Set once the product is found (declared up front so every line has one shape). */
  ref?: ProductRef | undefined;
}

/** A row ready to write: its product found, its quantity in the product's unit. */
interface EntryLine extends ParsedLine {
  ref: ProductRef;
}

/**
 * Plans a ledger import (purchases, sales and returns with dates, e.g. history from another system).
 * Without a type column a positive quantity is a sale and a negative one a customer return, which is
 * how invoice-line exports read. Lines sharing a document number (单号) and date form one document,
 * recorded all or none like a chat message with several items. Documents are applied in date order.
 */
export function planEntries(table: Table, file: string, catalogue: ImportCatalogue, timeZone: string): ImportPlan {
  const match = matchHeaders(table.headers, ENTRY_FIELDS);
  const col = match.columns;
  const plan = newPlan('entries', table, file, match);
  if (col.product === undefined && col.sku === undefined) {
    plan.fatal = '找不到商品列。表头要有「商品」「品名」或「编码」「SKU」之一。';
    return plan;
  }
  if (col.quantity === undefined) {
    plan.fatal = '找不到数量列。表头要有「数量」或「qty」。';
    return plan;
  }
  if (col.date === undefined) {
    plan.fatal = '找不到日期列。流水要有「日期」或「时间」列。';
    return plan;
  }
  const badAt = new Map<number, string>();
  const bad = (row: number, reason: string) => {
    badAt.set(row, reason);
  };

  const changes = new Map<ProductRef, ProductChange>();
  const parsed: ParsedLine[] = [];
  for (const { row, cells } of table.rows) {
    const line = parseLine(row, cells, col, timeZone, bad);
    if (line) parsed.push(line);
  }
  // Purchases first, so a sale listed before the purchase that brings the product in still finds it.
  for (const pass of [true, false]) {
    for (const line of parsed) if ((line.kind === 'purchase') === pass) resolveLine(line, catalogue, changes, bad);
  }
  const lines = parsed.filter((l): l is EntryLine => l.ref !== undefined);
  plan.products = [...changes.values()];

  // Documents: lines with the same 单号, type, date and parties, else one per line.
  const docs = new Map<string, EntryLine[]>();
  const badDocs = new Set<string>();
  const docOf = (line: { row: number; docNo?: string | undefined }, rest: string) => (line.docNo === undefined ? `row:${line.row}` : `doc:${line.docNo}|${rest}`);
  for (const line of lines) {
    const id = docOf(line, `${line.kind}|${line.occurredAt.getTime()}|${line.channel ?? ''}|${line.counterparty ?? ''}|${line.location ?? ''}`);
    const doc = docs.get(id);
    if (doc) doc.push(line);
    else docs.set(id, [line]);
  }
  // A bad line spoils its document: every line of a document is written, or none.
  if (col.docNo !== undefined && badAt.size > 0) {
    const docNoOf = new Map<number, string>();
    for (const { row, cells } of table.rows) {
      if (badAt.has(row)) docNoOf.set(row, cellText(cells[col.docNo]));
    }
    const spoiled = new Set([...docNoOf.values()].filter((d) => d !== ''));
    for (const [id, doc] of docs) {
      const docNo = doc[0]?.docNo;
      if (docNo !== undefined && spoiled.has(docNo)) badDocs.add(id);
    }
  }
  for (const [row, reason] of badAt) {
    plan.problems.push({ row, reason });
    plan.skippedRows.add(row);
  }
  const keys = new KeyCounter();
  const ordered = [...docs.entries()].filter(([id, doc]) => {
    if (!badDocs.has(id)) return true;
    for (const line of doc) plan.skippedRows.add(line.row);
    const first = doc[0] as EntryLine;
    plan.notes.push(`单号 ${first.docNo} 有错误行，同一单的第 ${doc.map((l) => l.row).join('、')} 行也没有导入`);
    return false;
  });
  // Stable sort: same-time documents keep their order in the file.
  ordered.sort((a, b) => (a[1][0] as EntryLine).occurredAt.getTime() - (b[1][0] as EntryLine).occurredAt.getTime());
  for (const [, doc] of ordered) plan.writes.push(toWrite(doc, keys));
  plan.problems.sort((a, b) => a.row - b.row);
  return plan;
}

function toWrite(doc: EntryLine[], keys: KeyCounter): PlannedWrite {
  const first = doc[0] as EntryLine;
  // Plain literals, not spreads: this runs once per line of files with hundreds of thousands.
  const items: WriteItem[] = doc.map((l) => {
    const item: WriteItem = { product: l.ref.name, quantity: l.qtyMilli / MILLI, unit: l.ref.unit };
    if (l.amount !== undefined) item.total = l.amount;
    else if (l.unitPrice !== undefined) item.unitPrice = l.unitPrice;
    return item;
  });
  let content = `entries\u0001${first.kind}\u0001${first.occurredAt.getTime()}\u0001${first.docNo ?? ''}\u0001${first.channel ?? ''}\u0001${first.counterparty ?? ''}\u0001${first.location ?? ''}`;
  for (const l of doc) content += `\u0002${l.ref.sku ?? l.ref.name}\u0001${l.qtyMilli}\u0001${l.unitPrice ?? ''}\u0001${l.amount ?? ''}`;
  const key = contentKey(content);
  const rows = doc.map((l) => l.row);
  return {
    rows,
    key: keys.next(key),
    text: `${KIND_WORDS[first.kind]}${first.docNo ? ` 单号 ${first.docNo}` : ''} 第 ${rows.length > 1 ? `${rows[0]}–${rows[rows.length - 1]}` : rows[0]} 行`,
    docNo: first.docNo,
    req: { kind: first.kind, items, occurredAt: first.occurredAt, channel: first.channel, counterparty: first.counterparty, location: first.location },
  };
}

function cellAt(cells: Cell[], i: number | undefined): Cell | undefined {
  return i === undefined ? undefined : cells[i];
}

function cleanName(name: string): string {
  return /\s\s|[\t\n\r]/.test(name) ? name.replace(/\s+/g, ' ') : name;
}

function parseLine(row: number, cells: Cell[], col: Partial<Record<EntryField, number>>, timeZone: string, bad: (row: number, reason: string) => void): ParsedLine | undefined {
  const name = cleanName(cellText(cellAt(cells, col.product)));
  const sku = cellText(cellAt(cells, col.sku));
  if (name === '' && sku === '') return void bad(row, '缺少商品名称');
  if (nameTooLong(name)) return void bad(row, `商品名称太长（最多 ${MAX_NAME_CHARS} 个字）：${[...name].slice(0, 20).join('')}…`);
  const date = parseDate(cellAt(cells, col.date), timeZone);
  if (!date.ok) return void bad(row, cellProblem('日期', cellAt(cells, col.date), date.reason, 0));
  const quantity = parseQuantity(cellAt(cells, col.quantity));
  if (!quantity.ok) return void bad(row, cellProblem('数量', cellAt(cells, col.quantity), quantity.reason, 3));
  let qtyMilli = quantity.value.milli;
  if (qtyMilli === 0) return void bad(row, '数量不能为 0');
  if (Math.abs(qtyMilli) > MAX_QUANTITY * MILLI) return void bad(row, '数量太大（最多 10 亿）');

  let kind: LedgerKind;
  if (col.kind === undefined) kind = qtyMilli > 0 ? 'sale' : 'customerReturn';
  else {
    const word = cellText(cellAt(cells, col.kind));
    if (word === '') return void bad(row, '缺少类型（进货、出货、客退或退供）');
    const found = KINDS[word.normalize('NFKC').toLowerCase().replace(/\s+/g, '')];
    if (found === undefined) return void bad(row, `类型「${word}」不能导入（可以是 进货、出货、客退、退供）`);
    kind = found;
    if (qtyMilli < 0 && !OUTGOING.has(kind)) return void bad(row, `${KIND_WORDS[kind]}数量不能为负数（${cellText(cellAt(cells, col.quantity))}）`);
  }
  qtyMilli = Math.abs(qtyMilli);

  const unitText = cellText(cellAt(cells, col.unit)) || quantity.value.unit || '';
  let unit: string | undefined;
  if (unitText !== '') {
    unit = normalizeUnit(unitText);
    if (unit === undefined) return void bad(row, `不认识的单位「${unitText}」`);
  }
  const price = cellAt(cells, col.unitPrice);
  let unitPrice: number | undefined;
  if (cellText(price) !== '') {
    const r = parseMoney(price);
    if (!r.ok) return void bad(row, cellProblem('单价', price, r.reason, 2));
    if (r.value < 0) return void bad(row, `单价不能为负数（${cellText(price)}）`);
    if (r.value > MAX_CENTS) return void bad(row, '单价太大');
    unitPrice = r.value;
  }
  const total = cellAt(cells, col.amount);
  let amount: number | undefined;
  if (cellText(total) !== '') {
    const r = parseMoney(total);
    if (!r.ok) return void bad(row, cellProblem('金额', total, r.reason, 2));
    // Refunds are often written as negative amounts; the type says which way money went.
    amount = Math.abs(r.value);
    if (amount > MAX_CENTS) return void bad(row, '金额太大');
  }
  if (kind === 'purchase' && unitPrice === undefined && amount === undefined) return void bad(row, '进货缺少单价或金额');

  return {
    row,
    kind,
    occurredAt: date.value,
    name,
    sku,
    unit,
    writtenMilli: quantity.value.milli,
    qtyMilli,
    unitPrice,
    amount,
    channel: cellText(cellAt(cells, col.channel)) || undefined,
    counterparty: cellText(cellAt(cells, col.counterparty)) || undefined,
    location: cellText(cellAt(cells, col.location)) || undefined,
    docNo: cellText(cellAt(cells, col.docNo)) || undefined,
    ref: undefined,
  };
}

/** Finds (or, for a purchase, plans) the row's product and converts its quantity to the product's unit. */
function resolveLine(line: ParsedLine, catalogue: ImportCatalogue, changes: Map<ProductRef, ProductChange>, bad: (row: number, reason: string) => void): EntryLine | undefined {
  const { row, kind, name, sku, unit } = line;
  let { qtyMilli, unitPrice, amount } = line;
  let ref = sku !== '' ? catalogue.bySkuCode(sku) : undefined;
  if (!ref && name !== '') {
    // A code typed into the product column finds its product too.
    const byName = catalogue.byProductName(name) ?? (sku === '' ? catalogue.bySkuCode(name) : undefined);
    if (byName && (sku === '' || byName.sku === null || byName.sku === sku)) ref = byName;
  }
  if (!ref) {
    if (kind !== 'purchase') {
      return void bad(row, `没有商品「${name || sku}」${sku !== '' && name !== '' ? `（编码 ${sku}）` : ''}：${KIND_WORDS[kind]}前要先有这个商品（先导入期初库存或进货）`);
    }
    const base = name || sku;
    const taken = catalogue.byProductName(base) !== undefined || !catalogue.nameFree(base);
    const newName = taken ? `${base}（${sku}）` : base;
    if (!catalogue.nameFree(newName)) return void bad(row, `商品名「${newName}」已被别的商品占用`);
    ref = catalogue.plan({ name: newName, sku: sku === '' ? null : sku, unit: unit ?? '件', salePrice: null, row });
    changes.set(ref, { ref, create: true, patch: ref.sku === null ? {} : { sku: ref.sku } });
  } else if (sku !== '' && ref.sku === null) {
    catalogue.assignSku(ref, sku);
    const change = changes.get(ref) ?? { ref, create: false, patch: {} };
    change.patch.sku = sku;
    changes.set(ref, change);
  }
  if (unit !== undefined && unit !== ref.unit) {
    const factor = catalogue.conversion(ref, unit);
    if (factor === undefined) return void bad(row, `单位「${unit}」与商品「${ref.name}」的单位「${ref.unit}」不同，也没有设置换算`);
    qtyMilli = mulDivRound(qtyMilli, factor, MILLI);
    if (unitPrice !== undefined && amount === undefined) {
      // A price per 箱 becomes the total, so nothing is lost converting it to a price per 瓶.
      amount = mulDivRound(unitPrice, Math.abs(line.writtenMilli), MILLI);
      unitPrice = undefined;
    }
  }
  if (isCountUnit(ref.unit) && qtyMilli % MILLI !== 0) return void bad(row, `「${ref.name}」按${ref.unit}计，数量必须是整数`);
  const entry = line as EntryLine;
  entry.ref = ref;
  entry.qtyMilli = qtyMilli;
  entry.unitPrice = unitPrice;
  entry.amount = amount;
  return entry;
}
