import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WriteKind } from '../../src/core/inventory.service.ts';
import { mulDivRound } from '../../src/core/money.ts';
import type { EntryView } from '../../src/core/ports.ts';
import { createService, createTestDb, source, TestClock } from '../helpers/db.ts';

const PRODUCTS = ['T恤', '短裤', '苹果'];
const LOCATIONS = [undefined, '天猫仓'];

type Op =
  | { type: 'write'; kind: WriteKind; product: string; quantity: number; price?: number; total?: number; location?: string; to?: string; back?: number }
  | { type: 'undo'; pick: number }
  | { type: 'undoInbound'; pick: number; correct?: number }
  | { type: 'undoLast' }
  | { type: 'correct'; pick: number; quantity: number }
  | { type: 'mode'; product: string; mode: 'normal' | 'presale' };

// Small quantities, so a sale often takes exactly what a purchase brought in (the case undo gets wrong).
const quantity = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 40 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 0.5, 2.25, 1e10) });
const price = fc.option(fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constant(12.5)), { nil: undefined });

const plainOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('write' as const), kind: fc.constant('purchase' as const), product: fc.constantFrom(...PRODUCTS), quantity, price: fc.integer({ min: 0, max: 10_000 }), location: fc.constantFrom(...LOCATIONS) }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant('write' as const), kind: fc.constant('sale' as const), product: fc.constantFrom(...PRODUCTS, '不存在'), quantity, price, location: fc.constantFrom(...LOCATIONS) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('write' as const), kind: fc.constant('customerReturn' as const), product: fc.constantFrom(...PRODUCTS), quantity, price }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('write' as const), kind: fc.constant('supplierReturn' as const), product: fc.constantFrom(...PRODUCTS), quantity, price }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('write' as const), kind: fc.constant('stocktake' as const), product: fc.constantFrom(...PRODUCTS), quantity: fc.integer({ min: 0, max: 60 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('write' as const), kind: fc.constant('transfer' as const), product: fc.constantFrom(...PRODUCTS), quantity, location: fc.constantFrom(...LOCATIONS), to: fc.constantFrom('天猫仓', '京东仓') }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('write' as const), kind: fc.constant('purchase' as const), product: fc.constantFrom(...PRODUCTS), quantity, total: fc.integer({ min: 0, max: 100_000 }) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('undo' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ type: 'undoLast' as const }) },
  // Undo or correct an older entry that brought goods in, after stock may have moved.
  { weight: 3, arbitrary: fc.record({ type: fc.constant('undoInbound' as const), pick: fc.nat(), correct: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('correct' as const), pick: fc.nat(), quantity: fc.integer({ min: 1, max: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('mode' as const), product: fc.constantFrom(...PRODUCTS), mode: fc.constantFrom('normal' as const, 'presale' as const) }) },
);

/** Writes are often dated back (whole seconds, so they tie with earlier entries too): `昨天 进货 …`. */
const op: fc.Arbitrary<Op> = fc
  .tuple(plainOp, fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined, freq: 2 }))
  .map(([o, back]) => (o.type === 'write' && back !== undefined ? { ...o, back } : o));

/**
 * The ledger's costs recomputed from scratch, independently of src/core: each product's entries with
 * a location folded in occurrence order (occurredAt, then entry number) by the moving average, a
 * presale sale's owed units costed at the latest purchase price until goods coming in cover them
 * (first owed, first covered) at those goods' cost. Returns each entry's cost and valueDelta.
 */
function recompute(entries: readonly EntryView[]): Map<number, { cost: number; valueDelta: number }> {
  const out = new Map<number, { qty: number; cost: number; valueDelta: number }>();
  const byProduct = new Map<number, EntryView[]>();
  for (const e of entries) if (e.locationId !== null) byProduct.set(e.productId, [...(byProduct.get(e.productId) ?? []), e]);
  for (const list of byProduct.values()) {
    list.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.seq - b.seq);
    const stock = new Map<number, { q: number; v: number; owed: { id: number; q: number; est: number }[] }>();
    let last = 0;
    for (const e of list) {
      const s = stock.get(e.locationId as number) ?? { q: 0, v: 0, owed: [] };
      stock.set(e.locationId as number, s);
      const at = (price: number, q: number) => mulDivRound(price, q, 1000);
      const out1 = (q: number) => (s.q > 0 && q <= s.q ? mulDivRound(s.v, q, s.q) : s.q > 0 ? s.v + at(last, q - s.q) : at(last, q));
      const in1 = (q: number) => (s.q > 0 && s.v >= 0 ? mulDivRound(s.v, q, s.q) : at(last, q));
      let vd: number;
      let cost = 0;
      if (e.kind === 'purchase') vd = e.amount;
      else if (e.kind === 'sale' || e.kind === 'supplier_return') vd = -(cost = out1(-e.qtyMilli));
      else if (e.kind === 'customer_return') cost = -(vd = in1(e.qtyMilli));
      else if (e.kind === 'adjustment') cost = -(vd = e.qtyMilli > 0 ? in1(e.qtyMilli) : e.qtyMilli === 0 ? 0 : s.q + e.qtyMilli === 0 ? -s.v : -out1(-e.qtyMilli));
      else if (e.kind === 'transfer_out') vd = -out1(-e.qtyMilli);
      else if (e.kind === 'transfer_in') vd = -(out.get(e.transferId as number)?.valueDelta ?? NaN);
      else {
        const o = out.get(e.reversesId as number) as { qty: number; cost: number; valueDelta: number };
        if (o.qty > 0) {
          // Takes back what the original brought while the stock can give it, else the average (never more than there).
          let take: number;
          if (s.q === o.qty) take = s.v;
          else if (s.q > o.qty) take = o.valueDelta >= 0 && s.v - o.valueDelta >= 0 ? o.valueDelta : s.v > 0 ? mulDivRound(s.v, o.qty, s.q) : 0;
          else take = s.q > 0 ? Math.max(0, s.v) + mulDivRound(o.valueDelta, o.qty - s.q, o.qty) : o.valueDelta;
          vd = -take;
        } else vd = -o.valueDelta;
        cost = -o.cost - (o.valueDelta + vd);
        s.owed = s.owed.filter((w) => w.id !== e.reversesId);
      }
      if (e.qtyMilli > 0 && s.q < 0 && e.kind !== 'reversal') {
        let left = Math.min(e.qtyMilli, -s.q);
        while (left > 0 && s.owed.length > 0) {
          const w = s.owed[0] as { id: number; q: number; est: number };
          const take = Math.min(left, w.q);
          const est = take === w.q ? w.est : mulDivRound(w.est, take, w.q);
          const diff = mulDivRound(vd, take, e.qtyMilli) - est;
          const sale = out.get(w.id) as { cost: number; valueDelta: number };
          sale.cost += diff;
          sale.valueDelta -= diff;
          s.v -= diff;
          w.q -= take;
          w.est -= est;
          if (w.q === 0) s.owed.shift();
          left -= take;
        }
      }
      // Stock that ends empty is worth nothing; stock back above zero from a backorder is worth what came in for it.
      const after = s.q + e.qtyMilli;
      const settled = after === 0 ? -s.v : s.q < 0 && after > 0 && e.qtyMilli > 0 ? mulDivRound(vd, after, e.qtyMilli) - s.v : vd;
      cost -= settled - vd;
      vd = settled;
      if (e.kind === 'sale' && after < 0) {
        const beyond = -e.qtyMilli - Math.max(0, s.q);
        s.owed.push({ id: e.id, q: beyond, est: at(last, beyond) });
      }
      s.q = after;
      s.v += vd;
      out.set(e.id, { qty: e.qtyMilli, cost, valueDelta: vd });
      if (e.kind === 'purchase' && e.unitPrice !== null) last = e.unitPrice;
    }
  }
  // + 0 turns -0 (a negated zero) into the 0 the database holds.
  return new Map([...out].map(([id, f]) => [id, { cost: f.cost + 0, valueDelta: f.valueDelta + 0 }]));
}

/** Each entry's effect on stock value, derived from amounts and costs rather than valueDelta. */
function valueEffect(e: EntryView, byId: Map<number, EntryView>): number {
  switch (e.kind) {
    case 'purchase':
      // A purchase that settles a backorder books the difference to its presold units' cost.
      return e.amount - e.cost;
    case 'sale':
    case 'supplier_return':
    case 'customer_return':
      return e.locationId === null ? 0 : -e.cost;
    case 'adjustment':
      return -e.cost;
    case 'transfer_out':
    case 'transfer_in':
      return e.valueDelta;
    case 'reversal': {
      const original = byId.get(e.reversesId as number);
      // Beyond the mirror of the original's cost, a reversal's cost is value the stock no longer held.
      return original ? -valueEffect(original, byId) - (e.cost + original.cost) : NaN;
    }
  }
}

describe('ledger invariants over random operation sequences', () => {
  it('balances equal the sum of their entries, and value equals purchases − costs ± adjustments, to the 分', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const t = createTestDb();
        try {
          const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
          const svc = createService(t.store, clock);
          const shop = (await t.store.createShop('店', clock.now())).id;
          const everPresale = new Set<string>();
          for (const o of ops) {
            clock.advance(1000);
            const before = (await t.store.entries(shop)).length;
            let ok: boolean;
            if (o.type === 'write') {
              const occurredAt = o.back === undefined ? undefined : new Date(clock.now().getTime() - o.back * 1000);
              const r = await svc.record(
                shop,
                { kind: o.kind, items: [{ product: o.product, quantity: o.quantity, unitPrice: o.price, total: o.total }], location: o.location, to: o.to, occurredAt },
                source(),
              );
              ok = r.ok;
              if (!r.ok && o.kind === 'sale' && r.failure.code === 'INSUFFICIENT_STOCK') {
                // A refused sale really was beyond what the location held.
                expect(r.failure.requestedMilli).toBeGreaterThan(r.failure.onHandMilli);
              }
            } else if (o.type === 'undo') {
              const n = (await t.store.entries(shop)).length;
              ok = (await svc.undo(shop, { entryNo: n === 0 ? 1 : (o.pick % n) + 1 }, source())).ok;
            } else if (o.type === 'undoInbound') {
              const inbound = (await t.store.entries(shop)).filter((e) => e.qtyMilli > 0 && e.kind !== 'reversal' && e.kind !== 'transfer_in');
              const target = inbound[o.pick % Math.max(1, inbound.length)];
              if (!target) continue;
              ok =
                o.correct === undefined
                  ? (await svc.undo(shop, { entryNo: target.seq }, source())).ok
                  : (await svc.correct(shop, { entryNo: target.seq, field: 'quantity', value: o.correct }, source())).ok;
            } else if (o.type === 'undoLast') {
              ok = (await svc.undo(shop, {}, source())).ok;
            } else if (o.type === 'correct') {
              const n = (await t.store.entries(shop)).length;
              ok = (await svc.correct(shop, { entryNo: n === 0 ? 1 : (o.pick % n) + 1, field: 'quantity', value: o.quantity }, source())).ok;
            } else {
              const p = (await t.store.products(shop)).find((x) => x.name === o.product);
              if (p) await t.store.updateProduct(shop, p.id, { mode: o.mode });
              if (o.mode === 'presale') everPresale.add(o.product);
              continue;
            }
            const entries = await t.store.entries(shop);
            if (!ok) expect(entries.length).toBe(before);
            else expect(entries.length).toBeGreaterThan(before);

            const byId = new Map(entries.map((e) => [e.id, e]));
            const sums = new Map<string, { qty: number; value: number }>();
            for (const e of entries) {
              if (e.locationId === null) continue;
              const key = `${e.productId}/${e.locationId}`;
              const s = sums.get(key) ?? { qty: 0, value: 0 };
              sums.set(key, { qty: s.qty + e.qtyMilli, value: s.value + e.valueDelta });
            }
            const balances = t.db.prepare('SELECT productId, locationId, qtyMilli, value FROM Balance').all() as {
              productId: number;
              locationId: number;
              qtyMilli: number;
              value: number;
            }[];
            for (const b of balances) {
              expect(sums.get(`${b.productId}/${b.locationId}`) ?? { qty: 0, value: 0 }).toEqual({ qty: b.qtyMilli, value: b.value });
            }
            // Every entry's cost and value as a fold in occurrence order would give them.
            const expected = recompute(entries);
            for (const e of entries) {
              if (e.locationId === null) continue;
              expect({ seq: e.seq, cost: e.cost, valueDelta: e.valueDelta }).toEqual({ seq: e.seq, ...expected.get(e.id) });
            }
            const stockValue = balances.reduce((s, b) => s + b.value, 0);
            const fromAmounts = entries.reduce((s, e) => s + valueEffect(e, byId), 0);
            expect(fromAmounts).toBe(stockValue);
            // Entry numbers are 1..n with no gaps, and every value is a whole number of 分.
            expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
            for (const e of entries) for (const v of [e.amount, e.cost, e.valueDelta]) expect(Number.isInteger(v)).toBe(true);
            // Products that were never on presale never go negative.
            const names = new Map((await t.store.products(shop)).map((p) => [p.id, p.name]));
            for (const b of balances) if (!everPresale.has(names.get(b.productId) ?? '')) expect(b.qtyMilli).toBeGreaterThanOrEqual(0);
            // No empty stock holds value, and no stock on hand is worth less than nothing (a negative average cost).
            for (const b of balances) {
              if (b.qtyMilli === 0) expect(b.value).toBe(0);
              if (b.qtyMilli > 0) expect(b.value).toBeGreaterThanOrEqual(0);
            }
          }
        } finally {
          t.cleanup();
        }
      }),
      {
        numRuns: 150,
        examples: [
          // An older purchase undone after a sale took exactly what is left: the stock must end empty and worth nothing.
          [[
            { type: 'write', kind: 'purchase', product: 'T恤', quantity: 10, price: 2000 },
            { type: 'write', kind: 'purchase', product: 'T恤', quantity: 10, price: 1000 },
            { type: 'write', kind: 'sale', product: 'T恤', quantity: 10, price: 5900 },
            { type: 'undoInbound', pick: 0 },
            { type: 'write', kind: 'purchase', product: 'T恤', quantity: 5, price: 1000 },
            { type: 'write', kind: 'sale', product: 'T恤', quantity: 5, price: 5900 },
          ]],
          // The same with a correction of the older purchase's quantity.
          [[
            { type: 'write', kind: 'purchase', product: '短裤', quantity: 4, price: 3000 },
            { type: 'write', kind: 'purchase', product: '短裤', quantity: 6, price: 1000 },
            { type: 'write', kind: 'sale', product: '短裤', quantity: 6, price: 5900 },
            { type: 'undoInbound', pick: 0, correct: 1 },
          ]],
          // A purchase dated before a sale and a transfer already recorded, then the transfer undone.
          [[
            { type: 'write', kind: 'purchase', product: 'T恤', quantity: 10, price: 2000 },
            { type: 'write', kind: 'sale', product: 'T恤', quantity: 8, price: 5900 },
            { type: 'write', kind: 'transfer', product: 'T恤', quantity: 2, to: '天猫仓' },
            { type: 'write', kind: 'purchase', product: 'T恤', quantity: 10, price: 1000, back: 2 },
            { type: 'write', kind: 'sale', product: 'T恤', quantity: 9, price: 5900, back: 3 },
            { type: 'undo', pick: 2 },
          ]],
          // A backorder settled by a cheaper purchase, then the stock sold out.
          [[
            { type: 'write', kind: 'purchase', product: '苹果', quantity: 1, price: 2000 },
            { type: 'mode', product: '苹果', mode: 'presale' },
            { type: 'write', kind: 'sale', product: '苹果', quantity: 6, price: 5900 },
            { type: 'write', kind: 'purchase', product: '苹果', quantity: 10, price: 100 },
            { type: 'write', kind: 'sale', product: '苹果', quantity: 5, price: 5900 },
            { type: 'write', kind: 'purchase', product: '苹果', quantity: 3, price: 100 },
          ]],
        ],
      },
    );
  });
});
