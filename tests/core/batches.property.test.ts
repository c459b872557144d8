import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WriteItem, WriteKind } from '../../src/core/inventory.service.ts';
import { createService, createTestDb, source, TestClock } from '../helpers/db.ts';

/**
 * Batches under random writes, undos and corrections on a real database: a batch never goes below
 * zero and always equals the sum of its moves, the batches at a place never hold more than its stock,
 * and undoing a write right after it puts every batch back exactly as it was.
 */

const PRODUCTS = ['牛奶', '酸奶'];
const CODES = [undefined, 'A1', 'A2', 'B7'];
const EXPIRY = [undefined, new Date('2026-11-20T16:00:00Z'), new Date('2026-12-20T16:00:00Z'), new Date('2027-04-30T16:00:00Z')];
const LOCATIONS = [undefined, '门店'];

type Op =
  | { type: 'write'; kind: WriteKind; product: string; quantity: number; batch?: string | undefined; expiry: number; location?: string | undefined; to?: string; thenUndo: boolean }
  | { type: 'undo'; pick: number }
  | { type: 'correct'; pick: number; quantity: number };

const qty = fc.integer({ min: 1, max: 15 });
const write = (kind: WriteKind, extra: Record<string, fc.Arbitrary<unknown>> = {}) =>
  fc.record({
    type: fc.constant('write' as const),
    kind: fc.constant(kind),
    product: fc.constantFrom(...PRODUCTS),
    quantity: kind === 'stocktake' ? fc.integer({ min: 0, max: 30 }) : qty,
    batch: fc.constantFrom(...CODES),
    expiry: fc.nat({ max: EXPIRY.length - 1 }),
    location: fc.constantFrom(...LOCATIONS),
    thenUndo: fc.boolean(),
    ...extra,
  }) as fc.Arbitrary<Op>;

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: write('purchase') },
  { weight: 6, arbitrary: write('sale') },
  { weight: 2, arbitrary: write('customerReturn') },
  { weight: 2, arbitrary: write('supplierReturn') },
  { weight: 2, arbitrary: write('stocktake') },
  { weight: 2, arbitrary: write('transfer', { to: fc.constantFrom('门店', '京东仓') }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('undo' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('correct' as const), pick: fc.nat(), quantity: qty }) },
);

describe('batches under random writes, undos and corrections', () => {
  it('stay exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
        const t = createTestDb();
        try {
          const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
          const svc = createService(t.store, clock);
          const shop = await t.store.createShop('店', clock.now());
          const batchState = () => JSON.stringify(t.db.prepare('SELECT id, qtyMilli FROM Batch ORDER BY id').all());
          for (const o of ops) {
            clock.advance(60_000);
            if (o.type === 'write') {
              const item: WriteItem = { product: o.product, quantity: o.quantity, unitPrice: 500 };
              if (o.batch !== undefined) item.batch = o.batch;
              const incoming = o.kind === 'purchase' || o.kind === 'customerReturn' || o.kind === 'stocktake';
              const expiresAt = EXPIRY[o.expiry];
              if (incoming && expiresAt !== undefined) item.expiresAt = expiresAt;
              const before = batchState();
              const written = await svc.record(shop.id, { kind: o.kind, items: [item], location: o.location, to: o.to }, source('w', 'console:alice'));
              if (written.ok && o.thenUndo && !written.value.duplicate) {
                const undone = await svc.undo(shop.id, {}, source('撤销', 'console:alice'));
                expect(undone.ok).toBe(true);
                // Batches created by the write stay, empty: compare quantities of those that existed, and zero for the new ones.
                const now = JSON.parse(batchState()) as { id: number; qtyMilli: number }[];
                const was = new Map((JSON.parse(before) as { id: number; qtyMilli: number }[]).map((b) => [b.id, b.qtyMilli]));
                for (const b of now) expect(b.qtyMilli).toBe(was.get(b.id) ?? 0);
              }
            } else if (o.type === 'undo') {
              const entries = (await t.store.entries(shop.id)).filter((e) => e.kind !== 'reversal');
              const target = entries[o.pick % Math.max(1, entries.length)];
              if (target) await svc.undo(shop.id, { entryNo: target.seq }, source('撤销', 'console:alice'));
            } else {
              const entries = (await t.store.entries(shop.id)).filter((e) => e.kind === 'purchase' || e.kind === 'sale');
              const target = entries[o.pick % Math.max(1, entries.length)];
              if (target) await svc.correct(shop.id, { entryNo: target.seq, field: 'quantity', value: o.quantity }, source('改', 'console:alice'));
            }
            const drift = t.db
              .prepare('SELECT b.id FROM Batch b WHERE b.qtyMilli < 0 OR b.qtyMilli <> (SELECT COALESCE(SUM(m.qtyMilli), 0) FROM BatchMove m WHERE m.batchId = b.id)')
              .all();
            expect(drift).toEqual([]);
            const over = t.db
              .prepare(`SELECT bl.productId, bl.locationId FROM Balance bl
                WHERE (SELECT COALESCE(SUM(b.qtyMilli), 0) FROM Batch b WHERE b.productId = bl.productId AND b.locationId = bl.locationId) > MAX(bl.qtyMilli, 0)`)
              .all();
            expect(over).toEqual([]);
          }
        } finally {
          t.cleanup();
        }
      }),
      { numRuns: 60 },
    );
  });
});
