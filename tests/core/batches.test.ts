import { describe, expect, it } from 'vitest';
import { allocate, daysLeft, expiryFromShelfLife, expiryState, isExpired, unbatchedMilli, warnHorizon, type BatchStock } from '../../src/core/batches.ts';
import { startOfLocalDay } from '../../src/core/zoned-time.ts';

const ZONE = 'Asia/Shanghai';
/** 2026-11-27 12:00 in Shanghai. */
const NOW = new Date('2026-11-27T04:00:00Z');
const day = (y: number, m: number, d: number): Date => startOfLocalDay(ZONE, y, m, d);
const batch = (id: number, qty: number, expires: Date | null, code: string | null = `B${id}`): BatchStock => ({ id, code, expiresAt: expires, qtyMilli: qty * 1000 });

describe('allocate: first-expiring first', () => {
  const later = batch(1, 100, day(2027, 5, 1));
  const sooner = batch(2, 50, day(2026, 12, 20));

  it('takes the batch that expires first, then the next', () => {
    expect(allocate([later, sooner], 150_000, 60_000, 'freshFirst', NOW)).toEqual({
      draws: [
        { batchId: 2, qtyMilli: 50_000 },
        { batchId: 1, qtyMilli: 10_000 },
      ],
      unbatchedMilli: 0,
    });
  });

  it('takes stock no batch holds before any batch', () => {
    expect(allocate([later, sooner], 160_000, 12_000, 'freshFirst', NOW)).toEqual({
      draws: [{ batchId: 2, qtyMilli: 2000 }],
      unbatchedMilli: 10_000,
    });
  });

  it('puts undated batches after dated ones, oldest first, and skips used-up ones', () => {
    const undatedOld = batch(3, 5, null);
    const undatedNew = batch(4, 5, null);
    const empty = batch(5, 0, day(2026, 11, 30));
    const got = allocate([undatedNew, undatedOld, empty, later], 110_000, 108_000, 'expiryFirst', NOW);
    expect(got.draws).toEqual([
      { batchId: 1, qtyMilli: 100_000 },
      { batchId: 3, qtyMilli: 5000 },
      { batchId: 4, qtyMilli: 3000 },
    ]);
  });

  it('keeps expired batches for last on a sale, but takes them first on a return to the supplier', () => {
    const expired = batch(6, 5, day(2026, 11, 24));
    expect(allocate([expired, sooner], 55_000, 7000, 'freshFirst', NOW).draws).toEqual([{ batchId: 2, qtyMilli: 7000 }]);
    expect(allocate([expired, sooner], 55_000, 52_000, 'freshFirst', NOW).draws).toEqual([
      { batchId: 2, qtyMilli: 50_000 },
      { batchId: 6, qtyMilli: 2000 },
    ]);
    expect(allocate([expired, sooner], 55_000, 7000, 'expiryFirst', NOW).draws).toEqual([
      { batchId: 6, qtyMilli: 5000 },
      { batchId: 2, qtyMilli: 2000 },
    ]);
  });

  it('leaves what no batch covers unbatched (a 预售 product going below zero)', () => {
    expect(allocate([sooner], 50_000, 60_000, 'freshFirst', NOW)).toEqual({ draws: [{ batchId: 2, qtyMilli: 50_000 }], unbatchedMilli: 10_000 });
    expect(unbatchedMilli(-5000, [sooner])).toBe(-55_000);
  });

  it('draws exactly the quantity asked, never more than a batch holds', () => {
    const all = [batch(1, 3, day(2027, 1, 1)), batch(2, 4, day(2026, 12, 1)), batch(3, 2, null), batch(4, 6, day(2026, 12, 1))];
    for (let q = 1; q <= 18; q++) {
      const got = allocate(all, 18_000, q * 1000, 'freshFirst', NOW);
      const drawn = got.draws.reduce((s, d) => s + d.qtyMilli, 0);
      expect(drawn + got.unbatchedMilli).toBe(q * 1000);
      for (const d of got.draws) expect(d.qtyMilli).toBeLessThanOrEqual(all.find((b) => b.id === d.batchId)?.qtyMilli ?? 0);
      // The earliest date is used up before a later one is touched.
      if (got.draws.length > 1) expect(got.draws.slice(0, -1).every((d) => d.qtyMilli === all.find((b) => b.id === d.batchId)?.qtyMilli)).toBe(true);
    }
  });
});

describe('expiry days in the shop’s zone', () => {
  it('counts whole local days, today included in the window', () => {
    expect(daysLeft(day(2026, 11, 27), NOW, ZONE)).toBe(0);
    expect(daysLeft(day(2026, 12, 27), NOW, ZONE)).toBe(30);
    // 23:30 in Shanghai is still the 27th although UTC says otherwise.
    expect(daysLeft(day(2026, 11, 28), new Date('2026-11-27T15:30:00Z'), ZONE)).toBe(1);
    expect(expiryState(day(2026, 12, 26), NOW, ZONE, 30)).toEqual({ kind: 'soon', days: 29 });
    expect(expiryState(day(2026, 12, 27), NOW, ZONE, 30)).toEqual({ kind: 'soon', days: 30 });
    expect(expiryState(day(2026, 12, 28), NOW, ZONE, 30)).toEqual({ kind: 'ok', days: 31 });
    expect(expiryState(day(2026, 11, 26), NOW, ZONE, 30)).toEqual({ kind: 'expired', daysAgo: 1 });
  });

  it('puts the query horizon right after the last day of the window', () => {
    const horizon = warnHorizon(NOW, ZONE, 30);
    expect(horizon).toEqual(day(2026, 12, 28));
    expect(day(2026, 12, 27) < horizon).toBe(true);
    expect(day(2026, 12, 28) < horizon).toBe(false);
  });

  it('counts a batch expired only once its last good day is over', () => {
    const b = { expiresAt: day(2026, 11, 27) };
    expect(isExpired(b, new Date('2026-11-27T15:59:59Z'))).toBe(false);
    expect(isExpired(b, new Date('2026-11-27T16:00:00Z'))).toBe(true);
    expect(isExpired({ expiresAt: null }, NOW)).toBe(false);
  });
});

describe('shelf life from the production date', () => {
  it('adds months on the same day, clamped to the month’s end, and days or years', () => {
    expect(expiryFromShelfLife({ year: 2026, month: 11, day: 1 }, { amount: 6, unit: 'month' })).toEqual({ year: 2027, month: 5, day: 1 });
    expect(expiryFromShelfLife({ year: 2026, month: 8, day: 31 }, { amount: 6, unit: 'month' })).toEqual({ year: 2027, month: 2, day: 28 });
    expect(expiryFromShelfLife({ year: 2026, month: 11, day: 1 }, { amount: 180, unit: 'day' })).toEqual({ year: 2027, month: 4, day: 30 });
    expect(expiryFromShelfLife({ year: 2026, month: 2, day: 28 }, { amount: 1, unit: 'year' })).toEqual({ year: 2027, month: 2, day: 28 });
    expect(expiryFromShelfLife({ year: 2026, month: 11, day: 1 }, { amount: 18, unit: 'month' })).toEqual({ year: 2028, month: 5, day: 1 });
  });
});
