import { localParts, startOfLocalDay } from './zoned-time.ts';

/**
 * Batches and expiry, the pure rules: which batches a quantity leaving the stock is taken from
 * (first-expiring first), how many days a batch has left, when it counts as 临期, and how a shelf
 * life counts from a production date. Batches carry quantity only; valuation stays the moving
 * average per product and location (valuation.ts).
 *
 * Stock at a location beyond what its batches hold is "unbatched": goods bought before the shop
 * wrote batches, or bought without one. It is the oldest stock the shop has, and has no date to
 * warn about, so it is drawn first; the dated batches then go first-expiring first.
 */

/** A batch as the allocation sees it. */
export interface BatchStock {
  id: number;
  code: string | null;
  /** Start of the last good day in the shop's time zone; null when unknown (drawn after dated ones). */
  expiresAt: Date | null;
  qtyMilli: number;
}

/**
 * How a draw treats batches already past their date. A sale or a transfer does not hand out expired
 * goods while fresh ones cover the quantity (the shop would not sell them; expired ones are drawn
 * only when named or when nothing else is left). A return to the supplier or a 盘亏 is usually the
 * expired goods themselves, so those take strictly the earliest date first.
 */
export type DrawPolicy = 'freshFirst' | 'expiryFirst';

/** What a quantity leaving the stock takes from each batch; `unbatchedMilli` comes from no batch. */
export interface Allocation {
  draws: { batchId: number; qtyMilli: number }[];
  unbatchedMilli: number;
}

const DAY_MS = 86_400_000;

/** Stock at the location that no batch holds (negative when a 预售 product owes goods). */
export function unbatchedMilli(onHandMilli: number, batches: readonly BatchStock[]): number {
  let inBatches = 0;
  for (const b of batches) if (b.qtyMilli > 0) inBatches += b.qtyMilli;
  return onHandMilli - inBatches;
}

/**
 * True once the batch's last good day is over at `now`. `expiresAt` is the start of that day in the
 * shop's time zone, so the day ends 24 hours later wherever the shop is (a DST change day aside).
 */
export function isExpired(batch: Pick<BatchStock, 'expiresAt'>, now: Date): boolean {
  return batch.expiresAt !== null && batch.expiresAt.getTime() + DAY_MS <= now.getTime();
}

/** Dated batches first, earliest date first; undated ones after, oldest first. */
function byExpiry(a: BatchStock, b: BatchStock): number {
  if (a.expiresAt === null || b.expiresAt === null) {
    if (a.expiresAt !== b.expiresAt) return a.expiresAt === null ? 1 : -1;
  } else if (a.expiresAt.getTime() !== b.expiresAt.getTime()) return a.expiresAt.getTime() - b.expiresAt.getTime();
  return a.id - b.id;
}

/**
 * Splits `qtyMilli` leaving a location over its batches: the unbatched stock first, then the batches
 * first-expiring first (see DrawPolicy for expired ones). What no batch covers is unbatched, which a
 * 预售 product may take below zero; refusing more than is on hand is the ledger's rule, not this one.
 */
export function allocate(batches: readonly BatchStock[], onHandMilli: number, qtyMilli: number, policy: DrawPolicy, now: Date): Allocation {
  const draws: Allocation['draws'] = [];
  let left = qtyMilli;
  const loose = Math.max(0, Math.min(left, unbatchedMilli(onHandMilli, batches)));
  left -= loose;
  let fromNone = loose;
  if (left > 0) {
    const ordered = batches.filter((b) => b.qtyMilli > 0).sort(byExpiry);
    if (policy === 'freshFirst') {
      const fresh = ordered.filter((b) => !isExpired(b, now));
      const expired = ordered.filter((b) => isExpired(b, now));
      ordered.splice(0, ordered.length, ...fresh, ...expired);
    }
    for (const b of ordered) {
      if (left === 0) break;
      const take = Math.min(left, b.qtyMilli);
      draws.push({ batchId: b.id, qtyMilli: take });
      left -= take;
    }
  }
  fromNone += left;
  return { draws, unbatchedMilli: fromNone };
}

/** The batch a code names, ignoring case and surrounding spaces (`a1101` is batch A1101). */
export function findByCode<B extends Pick<BatchStock, 'code'>>(batches: readonly B[], code: string): B | undefined {
  const want = code.trim().toUpperCase();
  return batches.find((b) => b.code !== null && b.code.toUpperCase() === want);
}

/** Whole calendar days from the shop's today to the batch's last good day (0: today, −1: expired yesterday). */
export function daysLeft(expiresAt: Date, now: Date, timeZone: string): number {
  const a = localParts(expiresAt, timeZone);
  const b = localParts(now, timeZone);
  return Math.round((Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day)) / DAY_MS);
}

/** How a batch stands on a day: expired, 临期 (within the shop's warning days, today included), or fine. */
export type ExpiryState = { kind: 'expired'; daysAgo: number } | { kind: 'soon'; days: number } | { kind: 'ok'; days: number };

/** The one rule for 临期: `warnDays` or fewer days left, including the last good day itself. */
export function expiryState(expiresAt: Date, now: Date, timeZone: string, warnDays: number): ExpiryState {
  const days = daysLeft(expiresAt, now, timeZone);
  if (days < 0) return { kind: 'expired', daysAgo: -days };
  if (days <= warnDays) return { kind: 'soon', days };
  return { kind: 'ok', days };
}

/**
 * The instant before which a batch's expiry makes it 临期 on `now`'s day: the start of the day
 * `warnDays + 1` days ahead, in the shop's time zone (the same rule as expiryState, for queries).
 */
export function warnHorizon(now: Date, timeZone: string, warnDays: number): Date {
  const p = localParts(now, timeZone);
  return startOfLocalDay(timeZone, p.year, p.month, p.day + warnDays + 1);
}

/** A shelf life as written (`保质期 6个月`, `180天`, `1年`). */
export interface ShelfLife {
  amount: number;
  unit: 'day' | 'month' | 'year';
}

/**
 * The expiry date of goods made on `produced` that keep for `life`: the same day of the month that
 * many months on (clamped to the month's end: made 8月31日, 6个月 → 2月28日), or that many days on.
 * Dates are calendar dates { year, month (1–12), day }.
 */
export function expiryFromShelfLife(produced: { year: number; month: number; day: number }, life: ShelfLife): { year: number; month: number; day: number } {
  if (life.unit === 'day') {
    const d = new Date(Date.UTC(produced.year, produced.month - 1, produced.day + life.amount));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
  const months = life.unit === 'year' ? life.amount * 12 : life.amount;
  const index = produced.year * 12 + (produced.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(produced.day, last) };
}
