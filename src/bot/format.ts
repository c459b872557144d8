import { formatYuan } from '../core/money.ts';
import { formatQty } from '../core/quantity.ts';

/** "50件", "2.5斤". */
export const qty = (milli: number, unit: string): string => `${formatQty(milli)}${unit}`;

/** "20.00". */
export const yuan = (cents: number): string => formatYuan(cents);

/** "1,234.50" for totals in tables. */
export function yuanGrouped(cents: number): string {
  const [whole = '0', frac = '00'] = formatYuan(cents).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** Margin as "35.2%", or "—" when there was no revenue. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '—';
  return `${((part / whole) * 100).toFixed(1)}%`;
}

