import { WRITE_KIND_LABELS } from '../../core/labels.ts';
import { createHash } from 'node:crypto';
import type { Failure } from '../../core/failures.ts';
import type { WriteRequest } from '../../core/inventory.service.ts';
import type { ProductRecord } from '../../core/ports.ts';
import { formatQty } from '../../core/quantity.ts';
import type { ProductRef } from './import-catalogue.ts';
import type { Table } from './table.ts';
import { FIELD_LABELS, type EntryField, type HeaderMatch, type StockField } from './headers.ts';

/** What an import file holds. */
export type ImportKind = 'stock' | 'entries';

/** A row that cannot be imported, with the row number Excel shows and the reason in Chinese. */
export interface RowProblem {
  row: number;
  reason: string;
}

export type ProductPatch = Partial<Pick<ProductRecord, 'sku' | 'salePrice' | 'reorderLevel' | 'overstockLevel' | 'leadTimeDays'>>;

/** A product the import creates, or an existing one whose settings it updates. */
export interface ProductChange {
  ref: ProductRef;
  create: boolean;
  patch: ProductPatch;
}

/**
 * One write: a single source message to the inventory service. Its `key` identifies the content, so
 * importing the same rows again finds the message already applied and writes nothing.
 */
export interface PlannedWrite {
  /** Data rows of the items, in item order. */
  rows: number[];
  key: string;
  text: string;
  req: WriteRequest;
  /** Document number (单号) the rows share, if the file has one. */
  docNo?: string | undefined;
}

/** Everything an import will do, worked out before anything is written. */
export interface ImportPlan {
  kind: ImportKind;
  file: string;
  table: Pick<Table, 'format' | 'encoding' | 'sheet' | 'headerRow'>;
  columns: { header: string; field: string }[];
  ignoredColumns: string[];
  /** Data rows read (blank rows not counted). */
  rows: number;
  problems: RowProblem[];
  /** Rows that will not be imported: bad ones and the rest of a document that has a bad one. */
  skippedRows: Set<number>;
  products: ProductChange[];
  writes: PlannedWrite[];
  notes: string[];
  /** Set when the file as a whole cannot be imported (no quantity column, unreadable file). */
  fatal?: string | undefined;
}

/** A short stable id for a write's content (what it is, not where in which file it was). */
export function contentKey(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

/** Appends #2, #3 … to keys seen before in the same file, so identical rows stay distinct writes. */
export class KeyCounter {
  private readonly seen = new Map<string, number>();
  next(key: string): string {
    const n = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, n);
    return n === 1 ? key : `${key}#${n}`;
  }
}

/** The refusal of the inventory service as a row reason. */
export function failureReason(failure: Failure): string {
  switch (failure.code) {
    case 'INSUFFICIENT_STOCK':
      return `${failure.product} 库存不足：${failure.location} ${failure.at ? '按这一行的日期最多可出' : '现有'} ${formatQty(failure.onHandMilli)}${failure.unit}，需要 ${formatQty(failure.requestedMilli)}${failure.unit}`;
    case 'STOCK_ALREADY_LEFT':
      return `#${failure.entryNo} 的 ${failure.product} 已有出库，不能撤销`;
    case 'UNKNOWN_PRODUCT':
      return `没有商品「${failure.product}」`;
    case 'MISSING_PRICE':
      return `${failure.product} 没有单价，也没有设置售价`;
    case 'BAD_QUANTITY':
      return `${failure.product}：${{ zero: '数量不能为 0', negative: '数量不能为负数', too_large: '数量太大', fractional: '按件计的商品数量必须是整数', precision: '数量最多三位小数' }[failure.reason]}`;
    case 'BAD_PRICE':
      return `${failure.product}：${{ negative: '价格不能为负数', precision: '价格最多两位小数（到分）', too_large: '金额太大', discount: '优惠比金额还多' }[failure.reason]}`;
    case 'UNKNOWN_LOCATION':
      return `没有仓库「${failure.location}」`;
    default:
      return failure.code;
  }
}

/** How each kind of write is named in import messages: the one table in src/core/labels.ts. */
export const KIND_WORDS = WRITE_KIND_LABELS;

/** An empty plan for a table whose headers were matched: what was recognised, what was ignored. */
export function newPlan<F extends StockField | EntryField>(kind: ImportPlan['kind'], table: Table, file: string, match: HeaderMatch<F>): ImportPlan {
  return {
    kind,
    file,
    table: { format: table.format, encoding: table.encoding, sheet: table.sheet, headerRow: table.headerRow },
    columns: (Object.entries(match.columns) as [F, number][])
      .sort((a, b) => a[1] - b[1])
      .map(([field, i]) => ({ header: table.headers[i] ?? '', field: FIELD_LABELS[field] })),
    ignoredColumns: [...match.ignored, ...match.repeated],
    rows: table.rows.length,
    problems: [],
    skippedRows: new Set(),
    products: [],
    writes: [],
    notes: [],
  };
}
