import { mulDivRound } from './money.ts';
import type { BalanceRecord } from './ports.ts';
import { MILLI } from './quantity.ts';

/**
 * Moving weighted average valuation in integer 分. Stock value per product and location is kept as
 * a total; goods leaving take round(value × qty ÷ on-hand) of it, so the remaining value is always
 * exactly what went in minus what came out.
 */

/** Value of `qtyMilli` units at `unitCost` 分 per unit. */
export function valueAt(unitCost: number, qtyMilli: number): number {
  return mulDivRound(unitCost, qtyMilli, MILLI);
}

/**
 * Cost of `qtyMilli` (> 0) units leaving a balance. Units beyond what is on hand (a presale
 * backorder) are costed at `fallbackUnitCost`, the latest purchase cost.
 */
export function costOut(balance: BalanceRecord, qtyMilli: number, fallbackUnitCost: number): number {
  const onHand = balance.qtyMilli;
  if (onHand > 0 && qtyMilli <= onHand) return mulDivRound(balance.value, qtyMilli, onHand);
  if (onHand > 0) return balance.value + valueAt(fallbackUnitCost, qtyMilli - onHand);
  return valueAt(fallbackUnitCost, qtyMilli);
}

/** Value of `qtyMilli` (> 0) units coming back into a balance at its current average cost. */
export function valueIn(balance: BalanceRecord, qtyMilli: number, fallbackUnitCost: number): number {
  if (balance.qtyMilli > 0 && balance.value >= 0) return mulDivRound(balance.value, qtyMilli, balance.qtyMilli);
  return valueAt(fallbackUnitCost, qtyMilli);
}

/** Average unit cost in 分 (rounded), or null for an empty balance. */
export function averageCost(balance: BalanceRecord): number | null {
  if (balance.qtyMilli <= 0) return null;
  return mulDivRound(balance.value, MILLI, balance.qtyMilli);
}

/**
 * The value an entry moves once the balance it lands on is settled: stock that ends empty is worth
 * nothing, and stock that comes back above zero from a backorder (presale) is worth what came in for
 * the units now on hand, not what the backorder was estimated at. Any other move is kept as given.
 * The difference is booked to the entry's cost, so Σ purchases − Σ costs still equals stock value.
 */
export function settledValueDelta(before: BalanceRecord, qtyDelta: number, valueDelta: number): number {
  const afterQty = before.qtyMilli + qtyDelta;
  if (afterQty === 0) return -before.value;
  if (before.qtyMilli < 0 && afterQty > 0 && qtyDelta > 0) return mulDivRound(valueDelta, afterQty, qtyDelta) - before.value;
  return valueDelta;
}

/**
 * Value taken out by reversing an entry that brought `qtyMilli` (> 0) units in worth `mirrorValue`.
 * While the rest of the stock can carry it, the reversal takes exactly what the entry brought, so
 * undoing a purchase right after it leaves the books as they were. When sales since then took part of
 * that value away, the stock can no longer give it all back: the reversal takes the units at the
 * stock's average cost instead (all of the value when it empties the stock), never more than is there.
 */
export function reversalValueOut(balance: BalanceRecord, qtyMilli: number, mirrorValue: number): number {
  if (balance.qtyMilli === qtyMilli) return balance.value;
  if (balance.qtyMilli > qtyMilli) {
    if (mirrorValue >= 0 && balance.value - mirrorValue >= 0) return mirrorValue;
    return balance.value > 0 ? mulDivRound(balance.value, qtyMilli, balance.qtyMilli) : 0;
  }
  // A backorder (presale): what is on hand goes, the rest is owed at the entry's own unit cost.
  if (balance.qtyMilli > 0) return Math.max(0, balance.value) + mulDivRound(mirrorValue, qtyMilli - balance.qtyMilli, qtyMilli);
  return mirrorValue;
}
