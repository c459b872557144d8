import { describe, expect, it } from 'vitest';
import { benchRepost } from '../../bench/repost.bench.ts';

// A smoke test of the benchmark itself at a small size: the shape, and that the floor left the same
// sale costs as the core (a floor doing less work would measure nothing); timings are not checked.
describe('benchRepost', () => {
  it('reposts the same rows on both paths and reports both timings', async () => {
    const r = await benchRepost({ entries: 400, runs: 3 });
    expect(r).toMatchObject({ entries: 400, runs: 3, rowsFolded: 403, sameSaleCosts: true });
    expect(r.coreMedianMs).toBeGreaterThan(0);
    expect(r.floorMedianMs).toBeGreaterThan(0);
  });
});
