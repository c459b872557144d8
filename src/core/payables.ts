import { mulDivRound } from './money.ts';
import type { ProductRecord } from './ports.ts';
import { MILLI } from './quantity.ts';

/**
 * 一件代发 and what it owes (应付). A dropship product is shipped by its supplier: each sale records
 * the revenue, a cost at the unit price agreed with the supplier, and the supplier on the entry;
 * stock is not touched. What a shop owes a supplier over a period is the cost of those sales less
 * the cost of dropship returns; undone entries net out because a reversal carries the supplier and
 * the negated cost, dated like its original.
 *
 * Purchases (进货 … 供应商 X) do not count: the ledger does not know whether a purchase was paid on
 * the spot or on credit, and most small shops pay when the goods arrive, so counting every purchase
 * would show debts that do not exist. The dropship supplier, by contrast, bills the shop for what it
 * shipped, which is exactly the dropship cost of sales.
 */

/** The unit cost of a dropship sale or return: the price agreed with the supplier, else the latest purchase cost. */
export function dropshipUnitCost(product: Pick<ProductRecord, 'dropshipCost' | 'lastCost'>): number {
  return product.dropshipCost ?? product.lastCost ?? 0;
}

/** The supplier a dropship entry of this product is owed to (null when the product names none). */
export function dropshipSupplier(product: Pick<ProductRecord, 'dropshipSupplier'>): string | null {
  return product.dropshipSupplier ?? null;
}

/** What one product's dropship entries owe one supplier over a period. */
export interface PayableLine {
  supplier: string;
  productId: number;
  product: string;
  unit: string;
  /** Units shipped by the supplier less units returned (undone entries net out). */
  qtyMilli: number;
  /** 分 owed: the cost of those sales less the cost of returns. */
  owed: number;
}

/** The read port: dropship lines by supplier and product, over [from, to), optionally one supplier. */
export interface PayablesQueries {
  payables(shopId: number, from: Date, to: Date, supplier?: string): Promise<PayableLine[]>;
}

/** One supplier's total, with its lines. */
export interface SupplierPayable {
  supplier: string;
  owed: number;
  lines: PayableLine[];
}

/**
 * Lines grouped by supplier, largest debt first (ties by name), each supplier's lines largest first;
 * lines that net to nothing (a sale and its undo) are left out.
 */
export function payablesBySupplier(lines: readonly PayableLine[]): SupplierPayable[] {
  const bySupplier = new Map<string, SupplierPayable>();
  for (const line of lines) {
    if (line.owed === 0 && line.qtyMilli === 0) continue;
    let group = bySupplier.get(line.supplier);
    if (!group) {
      group = { supplier: line.supplier, owed: 0, lines: [] };
      bySupplier.set(line.supplier, group);
    }
    group.owed += line.owed;
    group.lines.push(line);
  }
  const groups = [...bySupplier.values()];
  for (const g of groups) g.lines.sort((a, b) => b.owed - a.owed || a.product.localeCompare(b.product));
  return groups.sort((a, b) => b.owed - a.owed || a.supplier.localeCompare(b.supplier));
}

/** The suppliers the shop's dropship products name, sorted, for "did you mean" answers. */
export function knownSuppliers(products: readonly Pick<ProductRecord, 'dropshipSupplier'>[]): string[] {
  const names = new Set<string>();
  for (const p of products) if (p.dropshipSupplier) names.add(p.dropshipSupplier);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/**
 * The unit cost a dropship entry was recorded at (what was agreed with its supplier when it was
 * written), from its cost and quantity; null for an entry that owes no supplier or moves nothing.
 */
export function recordedUnitCost(e: { supplier?: string | null | undefined; cost: number; qtyMilli: number }): number | null {
  if (!e.supplier || e.qtyMilli === 0) return null;
  return mulDivRound(Math.abs(e.cost), MILLI, Math.abs(e.qtyMilli));
}
