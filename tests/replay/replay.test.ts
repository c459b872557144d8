import { describe, expect, it } from 'vitest';
import { FIXTURE_FILE, replay } from '../../scripts/replay.ts';

// The first 20,000 lines of the real data set ship with the tests (tests/fixtures/README.md), so this
// runs on a clone with nothing beside it; `npm run replay` replays the whole file.

describe('the real-data replay (first 20,000 invoice lines)', () => {
  it('imports them like `jxc import entries` and reconciles with the CSV to the penny', async () => {
    // The raw-insert floor is a benchmark figure (`npm run replay`), not part of what is checked here.
    const result = await replay({ file: FIXTURE_FILE, floor: false });
    expect(result.reconciliation.mismatches).toEqual([]);
    expect(result.reconciliation.ok).toBe(true);
    // Figures from a third, separate computation over the same lines (Python's decimal module).
    expect(result.lines).toBe(20_000);
    expect(result.skippedLines).toBe(89);
    expect(result.goodsLines).toBe(19_911);
    expect(result.entryRows).toBe(19_911);
    expect(result.reconciliation).toMatchObject({
      salesLines: 19_618,
      salesAmount: 37_369_686,
      returnLines: 293,
      returnsAmount: 586_815,
      skus: 2400,
      allLinesMills: 339_603_980,
    });
    expect(result.opening.createdProducts).toHaveLength(2400);
    expect([...result.skippedCodes.keys()]).toEqual(expect.arrayContaining(['POST', 'M', 'D', 'C2']));
    expect(result.entries.problems).toEqual([]);
  }, 180_000);
});
