import { Refusal, type Failure } from './failures.ts';
import { MAX_CENTS, mulDivRound } from './money.ts';
import { MILLI } from './quantity.ts';
import { valueAt } from './valuation.ts';

/**
 * A line's amount from what was written: a unit price (or the product's 售价), a rate (8折), an
 * amount off (优惠5元) and freight (运费10元, landed cost on a purchase). The amount is what the
 * ledger keeps; the unit price shown and stored is the one written, or — when the line carries a
 * written total, a discount or freight — the amount per unit.
 */

/** The money parts of one line, all in 分. */
export interface LineMoney {
  unitPrice?: number | undefined;
  total?: number | undefined;
  /** Percent charged: 8折 → 80. */
  rate?: number | undefined;
  discount?: number | undefined;
  freight?: number | undefined;
}

/** A line's price as recorded, and the parts the confirmation shows. */
export interface LinePrice {
  unitPrice: number;
  amount: number;
  /** The price per unit before the line's discount and freight (after the rate). */
  listPrice: number | undefined;
}

/** Why a line has no acceptable price: none at all, a discount larger than the line, or too much. */
export interface PriceProblem {
  problem: 'missing' | 'discount' | 'too_large';
}

/** The problem as the core's refusal. */
export function priceFailure(p: PriceProblem, product: string): Failure {
  return p.problem === 'missing' ? { code: 'MISSING_PRICE', product } : { code: 'BAD_PRICE', product, reason: p.problem };
}

/** The written parts that make the amount differ from quantity × unit price. */
function hasExtras(m: LineMoney): boolean {
  return (m.discount ?? 0) > 0 || (m.freight ?? 0) > 0;
}

/**
 * The price of a line of `qtyMilli` units; `fallback` is the product's set price (售价 on a sale),
 * used when none was written. Undefined when there is no price at all; a failure when the
 * discount exceeds the line or the amount is too large.
 */
export function linePrice(m: LineMoney, qtyMilli: number, fallback: number | undefined): LinePrice | PriceProblem | undefined {
  let listPrice: number | undefined;
  let amount: number;
  if (m.total !== undefined) {
    amount = m.rate === undefined ? m.total : mulDivRound(m.total, m.rate, 100);
  } else {
    const written = m.unitPrice ?? fallback;
    if (written === undefined) return hasExtras(m) || m.rate !== undefined ? { problem: 'missing' } : undefined;
    listPrice = m.rate === undefined ? written : mulDivRound(written, m.rate, 100);
    amount = valueAt(listPrice, qtyMilli);
  }
  amount += (m.freight ?? 0) - (m.discount ?? 0);
  if (amount < 0) return { problem: 'discount' };
  if (amount > MAX_CENTS) return { problem: 'too_large' };
  const exact = listPrice !== undefined && !hasExtras(m);
  const unitPrice = exact ? (listPrice as number) : qtyMilli === 0 ? 0 : mulDivRound(amount, MILLI, qtyMilli);
  return { unitPrice, amount, listPrice };
}

/** The line's price, or undefined when none was written (nor set); a bad one is refused (thrown). */
export function optionalPrice(m: LineMoney, qtyMilli: number, fallback: number | undefined, product: string): { unitPrice: number; amount: number } | undefined {
  const p = linePrice(m, qtyMilli, fallback);
  if (p !== undefined && 'problem' in p) throw new Refusal(priceFailure(p, product));
  return p;
}

/** The line's price; a line without one is refused with MISSING_PRICE (thrown). */
export function requiredPrice(m: LineMoney, qtyMilli: number, fallback: number | undefined, product: string): { unitPrice: number; amount: number } {
  const given = optionalPrice(m, qtyMilli, fallback, product);
  if (given) return given;
  throw new Refusal({ code: 'MISSING_PRICE', product });
}

/**
 * Spreads freight written anywhere in a purchase over its lines, by each line's value (by
 * quantity when no line has a value), so the landed cost is exact to the 分: the shares add up to
 * the freight.
 */
export function spreadFreight<T extends LineMoney & { quantity: number }>(items: readonly T[]): T[] {
  const freight = items.reduce((s, i) => s + (i.freight ?? 0), 0);
  if (freight === 0 || items.length === 0) return [...items];
  const weights = items.map((i) => {
    if (i.total !== undefined) return i.total;
    if (i.unitPrice !== undefined) return valueAt(i.unitPrice, Math.round(i.quantity * MILLI));
    return 0;
  });
  const byValue = weights.some((w) => w > 0);
  const basis = byValue ? weights : items.map((i) => Math.round(i.quantity * MILLI));
  const sum = basis.reduce((s, w) => s + w, 0);
  // Largest remainder in BigInt (freight × value can pass 2^53): floor shares, then the leftover
  // 分 go to the largest remainders.
  const total = BigInt(sum);
  const f = BigInt(freight);
  const shares = basis.map((w) => (sum === 0 ? 0 : Number((f * BigInt(w)) / total)));
  let left = freight - shares.reduce((s, x) => s + x, 0);
  const order = basis
    .map((w, i) => ({ i, rem: sum === 0 ? 0n : (f * BigInt(w)) % total }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left--;
  }
  return items.map((item, i) => ({ ...item, freight: shares[i] ?? 0 }));
}
