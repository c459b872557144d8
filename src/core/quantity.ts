/**
 * Quantities are stored as integer thousandths of a unit so that weight units (斤, kg) stay exact
 * while counts remain integers.
 */

export const MILLI = 1000;

export { MAX_QUANTITY } from './limits.ts';

/** Counted units live with the rest of the unit vocabulary. */
export { COUNT_UNITS } from './units.ts';

/** 12.5 → 12500, or undefined when the quantity has more than three decimals. */
export function toMilli(quantity: number): number | undefined {
  const milli = Math.round(quantity * MILLI);
  return Math.abs(milli - quantity * MILLI) < 1e-6 ? milli : undefined;
}

/** 12500 → "12.5"; 3000 → "3". */
export function formatQty(milli: number): string {
  const neg = milli < 0;
  const abs = Math.abs(milli);
  const whole = Math.trunc(abs / MILLI);
  const frac = abs % MILLI;
  const fracText = frac === 0 ? '' : `.${frac.toString().padStart(3, '0').replace(/0+$/, '')}`;
  return `${neg ? '-' : ''}${whole}${fracText}`;
}

/** Quantity as a plain number of units (for JSON and arithmetic outside the ledger). */
export function fromMilli(milli: number): number {
  return milli / MILLI;
}
