// InventoryService.recordBatch (src/core/inventory.service.ts), the write path of imports, on the
// real SQLite store: it must leave exactly the ledger that record() one message at a time leaves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InventoryService, type WriteRequest } from '../../../src/core/inventory.service.ts';
import { createTestDb, TestClock } from '../../helpers/db.ts';

const PRODUCTS = ['A', 'B', 'C'];

const item = fc.record({
  product: fc.constantFrom(...PRODUCTS),
  quantity: fc.integer({ min: 1, max: 20 }),
  unitPrice: fc.integer({ min: 0, max: 5000 }),
});
const request: fc.Arbitrary<WriteRequest> = fc.record({
  kind: fc.constantFrom('purchase' as const, 'purchase' as const, 'sale' as const, 'customerReturn' as const, 'supplierReturn' as const),
  items: fc.array(item, { minLength: 1, maxLength: 3 }),
  location: fc.constantFrom(undefined, '二号仓'),
});

async function ledger(requests: WriteRequest[], batched: boolean, batchSize: number) {
  const t = createTestDb();
  try {
    const clock = new TestClock(new Date('2026-11-27T02:00:00Z'));
    const service = new InventoryService(t.store, clock);
    const shop = await t.store.createShop('店', clock.now());
    const sources = requests.map((req, i) => ({ req, source: { platform: 'test', chatId: 'c', messageId: `m${i % 7 === 6 ? i - 1 : i}`, text: 't', actorId: 'a' } }));
    const results = [];
    if (batched) for (let i = 0; i < sources.length; i += batchSize) results.push(...await service.recordBatch(shop.id, sources.slice(i, i + batchSize)));
    else for (const s of sources) results.push(await service.record(shop.id, s.req, s.source));
    return {
      results: results.map((r) => (r.ok ? { duplicate: r.value.duplicate, seqs: r.value.entries.map((e) => e.seq), after: r.value.after } : r.failure)),
      entries: (await t.store.entries(shop.id)).map(({ id: _id, recordedAt: _r, ...e }) => e),
      stock: await t.store.stock(shop.id),
      products: await t.store.products(shop.id),
    };
  } finally {
    t.cleanup();
  }
}

describe('recording many messages in one transaction', () => {
  it('leaves the same ledger, answers and refusals as recording them one by one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 8 }), async (requests, batchSize) => {
        expect(await ledger(requests, true, batchSize)).toEqual(await ledger(requests, false, batchSize));
      }),
      { numRuns: 40 },
    );
  });

  it('rolls back a refused message entirely while the rest of its batch is written', async () => {
    const t = createTestDb();
    try {
      const clock = new TestClock(new Date('2026-11-27T02:00:00Z'));
      const service = new InventoryService(t.store, clock);
      const shop = await t.store.createShop('店', clock.now());
      const src = (id: string) => ({ platform: 'test', chatId: 'c', messageId: id, text: 't', actorId: 'a' });
      const results = await service.recordBatch(shop.id, [
        { req: { kind: 'purchase', items: [{ product: 'A', quantity: 5, unitPrice: 100 }] }, source: src('1') },
        // The first item would fit; the second does not: neither may stay.
        { req: { kind: 'sale', items: [{ product: 'A', quantity: 2, unitPrice: 300 }, { product: 'A', quantity: 9, unitPrice: 300 }] }, source: src('2') },
        { req: { kind: 'sale', items: [{ product: 'A', quantity: 1, unitPrice: 300 }] }, source: src('3') },
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      expect((await t.store.stock(shop.id)).map((r) => r.qtyMilli)).toEqual([4000]);
      expect((await t.store.entries(shop.id)).map((e) => [e.seq, e.kind])).toEqual([
        [1, 'purchase'],
        [2, 'sale'],
      ]);
      // The refused message was not kept, so it can be sent again once it fits.
      expect((await service.record(shop.id, { kind: 'purchase', items: [{ product: 'A', quantity: 10, unitPrice: 100 }] }, src('4'))).ok).toBe(true);
      expect((await service.recordBatch(shop.id, [{ req: { kind: 'sale', items: [{ product: 'A', quantity: 2, unitPrice: 300 }, { product: 'A', quantity: 9, unitPrice: 300 }] }, source: src('2') }]))[0]?.ok).toBe(true);
    } finally {
      t.cleanup();
    }
  });
});
