import type { WriteItem } from '../../core/inventory.service.ts';
import { MAX_CENTS } from '../../core/money.ts';
import { MAX_QUANTITY, MILLI } from '../../core/quantity.ts';
import { mulDivRound } from '../../core/money.ts';
import { MAX_NAME_CHARS, maxYear, MIN_YEAR, nameTooLong, parseCount, parseMoney, parseQuantity, type CellResult } from './cells.ts';
import { FIELD_LABELS, matchHeaders, STOCK_FIELDS, type StockField } from './headers.ts';
import { ImportCatalogue, type ProductRef } from './import-catalogue.ts';
import { contentKey, newPlan, type ImportPlan, type PlannedWrite, type ProductChange, type ProductPatch } from './import-plan.ts';
import { cellText, type Cell, type Table } from './table.ts';
import { isCountUnit, normalizeUnit } from './units.ts';

/** Who the opening-stock purchases are recorded against, so they stand apart from real purchases. */
export const OPENING_COUNTERPARTY = '期初库存';

/** One opening-stock row after validation. */
interface StockLine {
  row: number;
  name: string;
  sku: string | null;
  unit: string | undefined;
  qtyMilli: number;
  unitCost: number | undefined;
  totalCost: number | undefined;
  location: string | undefined;
  patch: ProductPatch;
}

/**
 * Plans an opening-stock import: validates every row, resolves products (by SKU, else by name),
 * and turns each row with a quantity into a purchase dated `asOf` from 「期初库存」.
 */
export function planStock(table: Table, file: string, catalogue: ImportCatalogue, asOf: Date): ImportPlan {
  const match = matchHeaders(table.headers, STOCK_FIELDS);
  const col = match.columns;
  const plan = newPlan('stock', table, file, match);
  if (col.product === undefined && col.sku === undefined) {
    plan.fatal = '找不到商品列。表头要有「商品」「品名」「名称」或「编码」「SKU」之一。';
    return plan;
  }
  if (col.quantity === undefined) {
    plan.fatal = '找不到数量列。表头要有「数量」「库存」「期初数量」或「qty」之一。';
    return plan;
  }
  const bad = (row: number, reason: string) => {
    plan.problems.push({ row, reason });
    plan.skippedRows.add(row);
  };

  const lines: StockLine[] = [];
  for (const { row, cells } of table.rows) {
    const line = parseLine(row, cells, col, bad);
    if (line) lines.push(line);
  }

  const changes = new Map<ProductRef, ProductChange>();
  const firstRowOf = new Map<ProductRef, StockLine>();
  const seenAt = new Map<string, StockLine>();
  let renamed = 0;
  let identical = 0;
  for (const line of lines) {
    const resolved = resolve(line, catalogue, bad);
    if (!resolved) continue;
    const ref = resolved.ref;
    const first = firstRowOf.get(ref);
    if (first) {
      const conflict = productConflict(first, line);
      if (conflict) {
        bad(line.row, `${describe(ref)}：与第 ${first.row} 行的${conflict}`);
        continue;
      }
    }
    const at = `${ref.sku !== null ? `sku:${ref.sku}` : `name:${ref.name}`}|${line.location ?? ''}`;
    const earlier = seenAt.get(at);
    if (earlier) {
      if (earlier.qtyMilli === line.qtyMilli && earlier.unitCost === line.unitCost && earlier.totalCost === line.totalCost) {
        identical += 1;
        plan.skippedRows.add(line.row);
        continue;
      }
      bad(line.row, `${describe(ref)}：在${line.location ? `「${line.location}」` : '默认仓'}重复，与第 ${earlier.row} 行数据不同`);
      continue;
    }

    let qtyMilli = line.qtyMilli;
    if (line.unit !== undefined && line.unit !== ref.unit) {
      const factor = catalogue.conversion(ref, line.unit);
      if (factor === undefined) {
        bad(line.row, `单位「${line.unit}」与商品「${ref.name}」的单位「${ref.unit}」不同${ref.id === undefined ? '' : '，也没有设置换算'}`);
        continue;
      }
      qtyMilli = mulDivRound(qtyMilli, factor, MILLI);
    }
    if (isCountUnit(ref.unit) && qtyMilli % MILLI !== 0) {
      bad(line.row, `「${ref.name}」按${ref.unit}计，数量必须是整数`);
      continue;
    }
    if (!first) firstRowOf.set(ref, line);
    seenAt.set(at, line);
    if (resolved.renamed) renamed += 1;

    const isNew = ref.id === undefined;
    const change = changes.get(ref) ?? { ref, create: isNew, patch: isNew && ref.sku !== null ? { sku: ref.sku } : {} };
    changes.set(ref, change);
    Object.assign(change.patch, line.patch);
    if (line.sku !== null && ref.sku === null) {
      change.patch.sku = line.sku;
      catalogue.assignSku(ref, line.sku);
    }

    if (qtyMilli > 0) plan.writes.push(openingWrite(line, ref, qtyMilli, asOf));
  }
  // Only settings that change something are written.
  plan.products = [...changes.values()].filter((c) => c.create || Object.keys(c.patch).length > 0);
  if (renamed > 0) plan.notes.push(`${renamed} 种商品与已有商品同名但编码不同，名称后加上了编码`);
  if (identical > 0) plan.notes.push(`${identical} 行与前面的行完全相同，只计一次`);
  plan.problems.sort((a, b) => a.row - b.row);
  return plan;
}

function openingWrite(line: StockLine, ref: ProductRef, qtyMilli: number, asOf: Date): PlannedWrite {
  const item: WriteItem = { product: ref.name, quantity: qtyMilli / MILLI, unit: ref.unit };
  if (line.totalCost !== undefined) item.total = line.totalCost;
  else item.unitPrice = line.unitCost ?? 0;
  return {
    rows: [line.row],
    key: contentKey(`stock\u0001${ref.sku ?? ref.name}\u0001${line.location ?? ''}\u0001${qtyMilli}\u0001${line.unitCost ?? ''}\u0001${line.totalCost ?? ''}`),
    text: `期初库存 ${ref.name} ${qtyMilli / MILLI}${ref.unit}`,
    req: { kind: 'purchase', items: [item], location: line.location, occurredAt: asOf, counterparty: OPENING_COUNTERPARTY },
  };
}

function parseLine(row: number, cells: Cell[], col: Partial<Record<StockField, number>>, bad: (row: number, reason: string) => void): StockLine | undefined {
  const get = (f: StockField): Cell | undefined => (col[f] === undefined ? undefined : cells[col[f] as number]);
  const name = cellText(get('product')).replace(/\s+/g, ' ');
  const skuText = cellText(get('sku'));
  if (name === '' && skuText === '') return void bad(row, '缺少商品名称');
  if (nameTooLong(name)) return void bad(row, `商品名称太长（最多 ${MAX_NAME_CHARS} 个字）：${[...name].slice(0, 20).join('')}…`);
  const quantity = parseQuantity(get('quantity'));
  if (!quantity.ok) return void bad(row, cellProblem('数量', get('quantity'), quantity.reason, 3));
  const qtyMilli = quantity.value.milli;
  if (qtyMilli < 0) return void bad(row, `数量不能为负数（${cellText(get('quantity'))}）`);
  if (qtyMilli > MAX_QUANTITY * MILLI) return void bad(row, '数量太大（最多 10 亿）');
  const unitText = cellText(get('unit')) || quantity.value.unit || '';
  let unit: string | undefined;
  if (unitText !== '') {
    unit = normalizeUnit(unitText);
    if (unit === undefined) return void bad(row, `不认识的单位「${unitText}」`);
    if (quantity.value.unit !== undefined && cellText(get('unit')) !== '' && normalizeUnit(quantity.value.unit) !== unit) {
      return void bad(row, `数量里的单位「${quantity.value.unit}」与单位列「${unitText}」不同`);
    }
  }
  const money = (f: StockField): { value?: number; error?: string } => {
    const cell = get(f);
    if (cellText(cell) === '') return {};
    const r = parseMoney(cell);
    if (!r.ok) return { error: cellProblem(FIELD_LABELS[f], cell, r.reason, 2) };
    if (r.value < 0) return { error: `${FIELD_LABELS[f]}不能为负数（${cellText(cell)}）` };
    if (r.value > MAX_CENTS) return { error: `${FIELD_LABELS[f]}太大` };
    return { value: r.value };
  };
  const unitCost = money('unitCost');
  if (unitCost.error) return void bad(row, unitCost.error);
  const totalCost = money('totalCost');
  if (totalCost.error) return void bad(row, totalCost.error);
  if (qtyMilli > 0 && unitCost.value === undefined && totalCost.value === undefined) {
    return void bad(row, '缺少成本（期初库存要有进价才能算利润；不知道可以先填 0）');
  }
  const salePrice = money('salePrice');
  if (salePrice.error) return void bad(row, salePrice.error);
  const patch: ProductPatch = {};
  if (salePrice.value !== undefined) patch.salePrice = salePrice.value;
  for (const [field, key] of [['reorderLevel', 'reorderLevel'], ['overstockLevel', 'overstockLevel'], ['leadTime', 'leadTimeDays']] as const) {
    const cell = get(field);
    if (cellText(cell) === '') continue;
    const n = parseCount(cell);
    if (!n.ok) return void bad(row, cellProblem(FIELD_LABELS[field], cell, n.reason, 0));
    if (n.value < 0) return void bad(row, `${FIELD_LABELS[field]}不能为负数（${cellText(cell)}）`);
    patch[key] = n.value;
  }
  const location = cellText(get('location')) || undefined;
  return { row, name, sku: skuText === '' ? null : skuText, unit, qtyMilli, unitCost: unitCost.value, totalCost: totalCost.value, location, patch };
}

/** A cell that did not parse, said the way a person would fix it. */
export function cellProblem(label: string, cell: Cell | undefined, reason: Extract<CellResult<unknown>, { ok: false }>['reason'], decimals: number): string {
  const text = cellText(cell);
  switch (reason) {
    case 'empty':
      return `缺少${label}`;
    case 'precision':
      return decimals === 0 ? `${label}必须是整数（${text}）` : `${label}最多 ${decimals} 位小数（${text}）`;
    case 'bad_date':
      return `${label}「${text}」看不懂（例：2026-11-01 或 2026-11-01 10:30）`;
    case 'date_range':
      return `${label}「${text}」不在 ${MIN_YEAR} 年到 ${maxYear()} 年之间，请检查年份（例：2026-11-01）`;
    case 'not_number':
      return `${label}「${text}」不是数字`;
  }
}

/** Finds or plans the product of a row (by SKU, else by name); undefined, with the row marked bad, on a conflict. */
function resolve(line: StockLine, catalogue: ImportCatalogue, bad: (row: number, reason: string) => void): { ref: ProductRef; renamed: boolean } | undefined {
  if (line.sku !== null) {
    const bySku = catalogue.bySkuCode(line.sku);
    if (bySku) return { ref: bySku, renamed: false };
  }
  const byName = line.name === '' ? undefined : (catalogue.byProductName(line.name) ?? (line.sku === null ? catalogue.bySkuCode(line.name) : undefined));
  if (byName && (line.sku === null || byName.sku === null)) return { ref: byName, renamed: false };
  // Same name, different SKU: a variant; it gets its SKU in its name so both stay addressable.
  const base = line.name || (line.sku as string);
  const renamed = byName !== undefined || !catalogue.nameFree(base);
  const name = renamed ? `${base}（${line.sku}）` : base;
  if (!catalogue.nameFree(name)) {
    bad(line.row, `商品名「${name}」已被别的商品占用`);
    return undefined;
  }
  const ref = catalogue.plan({ name, sku: line.sku, unit: line.unit ?? '件', salePrice: line.patch.salePrice ?? null, row: line.row });
  return { ref, renamed };
}

function describe(ref: ProductRef): string {
  return ref.sku !== null ? `编码 ${ref.sku}` : `商品「${ref.name}」`;
}

function productConflict(first: StockLine, line: StockLine): string | undefined {
  if (line.name !== '' && first.name !== '' && line.name !== first.name) return `名称不同（「${first.name}」/「${line.name}」）`;
  for (const key of ['salePrice', 'reorderLevel', 'overstockLevel', 'leadTimeDays'] as const) {
    const a = first.patch[key];
    const b = line.patch[key];
    if (a !== undefined && b !== undefined && a !== b) return `${{ salePrice: '售价', reorderLevel: '预警', overstockLevel: '积压', leadTimeDays: '补货周期' }[key]}不同`;
  }
  return undefined;
}
