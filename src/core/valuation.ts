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
