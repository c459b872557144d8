import { describe, expect, it } from 'vitest';
import { benchLedger } from '../../bench/ledger.bench.ts';

// A smoke test of the benchmark itself: small sizes, and only the shape and the row counts are
// checked, since timings on a shared CI machine say nothing reliable.
describe('benchLedger', () => {
  it('writes exactly the requested entries on both paths and reports every figure', async () => {
    const r = await benchLedger({ entries: 300, products: 20, stockProducts: 500, stockRuns: 3 });

    expect(r).toMatchObject({ entries: 300, products: 20, coreEntriesWritten: 300, floorEntriesWritten: 300 });
    expect(r.purchases + r.sales).toBe(300);
    expect(r.sales).toBeGreaterThan(0);
    for (const s of [r.core, r.floor]) {
      for (const v of [s.medianMs, s.p99Ms, s.meanMs, s.maxMs, s.totalMs]) expect(v).toBeGreaterThan(0);
      expect(s.p99Ms).toBeGreaterThanOrEqual(s.medianMs);
      expect(s.maxMs).toBeGreaterThanOrEqual(s.p99Ms);
    }
    expect(r.medianRatio).toBeCloseTo(r.core.medianMs / r.floor.medianMs);
    expect(r.stock).toMatchObject({ products: 500, rows: 500, runs: 3 });
    expect(r.stock.coreMedianMs).toBeGreaterThan(0);
    expect(r.stock.floorMedianMs).toBeGreaterThan(0);
  });
});
