import { expect, it } from 'vitest';
import { benchPostgres, benchPostgresThroughput } from '../../bench/postgres.bench.ts';
import { compiledScript } from '../helpers/compiled-script.ts';
import { describePg, PG_TEST_URL } from '../helpers/pg.ts';

// A smoke test of the PostgreSQL benchmarks on tiny sizes: only the shape and the row counts are
// checked (each path wrote what it was asked to, every figure is there), never the timings, which
// on a shared machine say nothing reliable.
describePg('PostgreSQL benchmarks', () => {
  it('records on every path, core beside its raw pg floor, and reports every latency', async () => {
    const r = await benchPostgres({ url: PG_TEST_URL, entries: 30, warmup: 5, products: 7 });
    if (r.skipped !== undefined) throw new Error(r.skipped);

    expect(r).toMatchObject({ entries: 30, warmup: 5, products: 7 });
    for (const written of [r.floorWritten, r.prismaWritten, r.prismaRawWritten, r.coreWritten, r.recordFloorWritten]) expect(written).toBe(35);
    for (const s of [r.floor, r.prisma, r.prismaRaw, r.core, r.recordFloor]) {
      for (const v of [s.medianMs, s.p99Ms, s.meanMs]) expect(v).toBeGreaterThan(0);
      expect(s.p99Ms).toBeGreaterThanOrEqual(s.medianMs);
    }
    expect(r.coreMedianRatio).toBeCloseTo(r.core.medianMs / r.recordFloor.medianMs);
    expect(r.medianRatio).toBeCloseTo(r.prisma.medianMs / r.floor.medianMs);
  }, 120_000);

  it('runs 2 writing processes, a shop each and then one shop, and counts what they wrote', async () => {
    // Two processes (not 1, 2 and 4 as `npm run bench` does) for a fifth of a second: the smallest run
    // that still has both kinds of step and a ratio measured against something.
    const r = await benchPostgresThroughput({ url: PG_TEST_URL, processes: [2], durationMs: 150, warmupMs: 0, products: 12, rounds: 1, childArgs: [await compiledScript(new URL('../../bench/postgres-child.ts', import.meta.url))] });
    if (r.skipped !== undefined) throw new Error(r.skipped);

    expect(r.cores).toBeGreaterThan(0);
    expect(r.runs.map((x) => [x.processes, x.shops])).toEqual([
      [2, 'own'],
      [2, 'shared'],
    ]);
    // With no one-process step, the single-process rate is taken as the first step's per process.
    const single = (r.runs[0]?.perSecond ?? 0) / 2;
    for (const run of r.runs) expect(run.ratio).toBeCloseTo(run.perSecond / single);
    expect(r.runs[0]?.ratio).toBeCloseTo(2);
    for (const run of r.runs) {
      expect(run.rounds).toBe(1);
      expect(run.failed).toBe(0);
      expect(run.messages).toBeGreaterThan(0);
      // With no warm-up time, 20 warm-up messages per process; each one sale, all counted in the
      // database. (12 products: names that run into one another, 商品1 and 商品11, would make the
      // bot ask instead.)
      expect(run.written).toBe(run.messages + 20 * run.processes);
      expect(run.perSecond).toBeGreaterThan(0);
      expect(run.medianMs).toBeGreaterThan(0);
      expect(run.cpuMsPerMessage).toBeGreaterThan(0);
    }
  }, 180_000);
});
