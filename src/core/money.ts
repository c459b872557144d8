/**
 * Money is integer 分 (cents) everywhere; these helpers keep arithmetic exact.
 */

/** round(a × b ÷ c), half away from zero, computed exactly with BigInt so large values never lose 分. */
export function mulDivRound(a: number, b: number, c: number): number {
  if (c === 0) throw new RangeError('mulDivRound: division by zero');
  const num = BigInt(a) * BigInt(b);
  const den = BigInt(c);
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return Number(neg ? -q : q);
}

/** 1570 → "15.70"; -5 → "-0.05". */
export function formatYuan(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const yuan = Math.trunc(abs / 100);
  const fen = abs % 100;
  return `${neg ? '-' : ''}${yuan}.${fen.toString().padStart(2, '0')}`;
}

export { MAX_CENTS } from './limits.ts';
