import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessService, type ChatPlace, type Speaker } from '../../src/core/access.service.ts';
import { CatalogueService } from '../../src/core/catalogue.service.ts';
import type { Result } from '../../src/core/failures.ts';
import { InventoryService, type WriteRequest } from '../../src/core/inventory.service.ts';
import type { Clock, InventoryStore, SourceInput } from '../../src/core/ports.ts';
import type { EntryExportRow } from '../../src/core/export-rows.ts';
import type { Stores } from '../../src/stores.ts';

/**
 * The contract every database's stores keep: one suite, written against the ports (and the use cases
 * that drive them), run unchanged on SQLite (sqlite.contract.test.ts) and on PostgreSQL
 * (postgres.contract.test.ts). Wherever the product relies on the two behaving alike, the same
 * exact assertions run on both, so a store that drifts fails here rather than in front of a shop.
 *
 * The database is opened once per file; each test opens a shop of its own (and uses chat, lease and
 * message ids of its own), so the tests share the database but no rows (emptying PostgreSQL's tables
 * between tests cost as much as the tests or more). Tests run one at a time: the digest runs' tests
 * call interruptStale, expire and finishRuns, which act on every shop, and assert exact counts.
 */
export interface ContractStores {
  stores: Stores;
  cleanup(): Promise<void>;
}

/** Noon in Shanghai on Friday 2026-11-20: the conversation's "now" unless a test moves the clock. */
const NOW = new Date('2026-11-20T04:00:00.000Z');
/** 10:00 in Shanghai on day `d` of November 2026. */
const nov = (d: number, hour = 2) => new Date(Date.UTC(2026, 10, d, hour, 0, 0));

class MovableClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date): void {
    this.at = new Date(at);
  }
}

let unique = 0;
/** A name no other test of this run (or an earlier run on the same database) uses. */
function uid(prefix: string): string {
  unique += 1;
  return `${prefix}-${process.pid}-${unique}-${Math.random().toString(36).slice(2, 7)}`;
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.failure)}`);
  return result.value;
}

export function storeContract(name: string, open: () => Promise<ContractStores>): void {
  describe(`store contract: ${name}`, () => {
    let opened: ContractStores;
    let stores: Stores;

    beforeAll(async () => {
      opened = await open();
      stores = opened.stores;
    });
    afterAll(async () => {
      await opened.cleanup();
    });

    /** A shop of the test's own, with the use cases on it and a chat to write from. */
    async function shop(at = NOW) {
      const clock = new MovableClock(at);
      const record = await stores.store.createShop(uid('店'), clock.now());
      const service = new InventoryService(stores.store, clock);
      const chatId = uid('chat');
      let n = 0;
      const src = (text = 'msg', actor = 'test:alice', extra: Partial<SourceInput> = {}): SourceInput => {
        n += 1;
        return { platform: 'test', chatId, messageId: `m${n}`, text, actorId: actor, actorName: actor.split(':')[1], ...extra };
      };
      const write = async (req: WriteRequest, source = src()) => value(await service.record(record.id, req, source));
      return { shop: record, clock, service, chatId, src, write };
    }

    const stockOf = async (s: InventoryStore, shopId: number) =>
      (await s.stock(shopId)).map((r) => ({ product: r.product, location: r.location, qtyMilli: r.qtyMilli, value: r.value }));

    const entryFigures = async (shopId: number) =>
      (await stores.store.entries(shopId)).map((e) => ({ seq: e.seq, kind: e.kind, product: e.product, location: e.location, qtyMilli: e.qtyMilli, amount: e.amount, cost: e.cost, valueDelta: e.valueDelta }));

    describe('ledger writes', () => {
      it('purchase, sale, returns, transfer and stocktake keep balances and moving-average cost to the 分', async () => {
        const { shop: s, write } = await shop();
        let out = await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 10, unit: '瓶', unitPrice: 1000 }] });
        expect(out.createdProducts).toEqual(['可乐']);
        expect(out.after).toEqual([{ entrySeq: 1, qtyMilli: 10_000, value: 10_000 }]);
        out = await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 5, unitPrice: 1300 }] });
        expect(out.after).toEqual([{ entrySeq: 2, qtyMilli: 15_000, value: 23_000 - 6_500 }]);
        // 4 of 15 units worth 16500: round(16500 × 4 ÷ 15) = 4400.
        out = await write({ kind: 'sale', items: [{ product: '可乐', quantity: 4, unitPrice: 2000 }], channel: '门店' });
        expect(out.entries.map((e) => [e.kind, e.qtyMilli, e.amount, e.cost])).toEqual([['sale', -4_000, 8_000, 4_400]]);
        expect(out.after).toEqual([{ entrySeq: 3, qtyMilli: 11_000, value: 12_100 }]);
        // A customer's return comes back at the average (12100 ÷ 11 = 1100), refunding 2000.
        out = await write({ kind: 'customerReturn', items: [{ product: '可乐', quantity: 1, unitPrice: 2000 }] });
        expect(out.entries.map((e) => [e.kind, e.qtyMilli, e.amount, e.cost])).toEqual([['customer_return', 1_000, -2_000, -1_100]]);
        expect(out.after).toEqual([{ entrySeq: 4, qtyMilli: 12_000, value: 13_200 }]);
        // A return to the supplier leaves at the average, refunded at that value when no price is written.
        out = await write({ kind: 'supplierReturn', items: [{ product: '可乐', quantity: 2 }] });
        expect(out.entries.map((e) => [e.kind, e.qtyMilli, e.amount, e.cost])).toEqual([['supplier_return', -2_000, -2_200, 2_200]]);
        expect(out.after).toEqual([{ entrySeq: 5, qtyMilli: 10_000, value: 11_000 }]);
        out = await write({ kind: 'transfer', items: [{ product: '可乐', quantity: 3 }], to: '二店' });
        expect(out.createdLocations).toEqual(['二店']);
        expect(out.entries.map((e) => [e.seq, e.kind, e.location, e.qtyMilli, e.valueDelta])).toEqual([
          [6, 'transfer_out', '默认仓', -3_000, -3_300],
          [7, 'transfer_in', '二店', 3_000, 3_300],
        ]);
        expect(out.entries[1]?.transferId).toBe(out.entries[0]?.id);
        // Counted 6 where 7 were: one unit lost at round(7700 ÷ 7) = 1100.
        out = await write({ kind: 'stocktake', items: [{ product: '可乐', quantity: 6 }] });
        expect(out.entries.map((e) => [e.kind, e.qtyMilli, e.cost, e.valueDelta])).toEqual([['adjustment', -1_000, 1_100, -1_100]]);
        expect(await stockOf(stores.store, s.id)).toEqual([
          { product: '可乐', location: '默认仓', qtyMilli: 6_000, value: 6_600 },
          { product: '可乐', location: '二店', qtyMilli: 3_000, value: 3_300 },
        ]);
        const product = (await stores.store.products(s.id))[0];
        expect([product?.name, product?.unit, product?.lastCost]).toEqual(['可乐', '瓶', 1300]);
      });

      it('rounds each cost half away from zero and leaves the exact remainder in stock', async () => {
        const { shop: s, write } = await shop();
        await write({ kind: 'purchase', items: [{ product: '饼干', quantity: 3, total: 1000 }] });
        const first = await write({ kind: 'sale', items: [{ product: '饼干', quantity: 1, unitPrice: 500 }] });
        const second = await write({ kind: 'sale', items: [{ product: '饼干', quantity: 1, unitPrice: 500 }] });
        // 1000 ÷ 3 = 333.3 → 333; then 667 ÷ 2 = 333.5 → 334; 333 stay with the last unit.
        expect([first.entries[0]?.cost, second.entries[0]?.cost]).toEqual([333, 334]);
        expect(await stockOf(stores.store, s.id)).toEqual([{ product: '饼干', location: '默认仓', qtyMilli: 1_000, value: 333 }]);
        expect((await stores.store.entries(s.id))[0]?.unitPrice).toBe(333);
      });

      it('a redelivered message writes nothing and answers as a duplicate with its entries', async () => {
        const { shop: s, write, src } = await shop();
        const source = src('进货 可乐 10 单价 10');
        const first = await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 10, unitPrice: 1000 }] }, source);
        const again = await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 10, unitPrice: 1000 }] }, { ...source });
        expect(first.duplicate).toBe(false);
        expect(again.duplicate).toBe(true);
        expect(again.entries.map((e) => [e.seq, e.qtyMilli, e.amount])).toEqual([[1, 10_000, 10_000]]);
        expect((await stores.store.entries(s.id)).length).toBe(1);
        expect(await stockOf(stores.store, s.id)).toEqual([{ product: '可乐', location: '默认仓', qtyMilli: 10_000, value: 10_000 }]);
        // The same message id from another chat is another message.
        const other = await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 1, unitPrice: 1000 }] }, { ...source, chatId: `${source.chatId}-b` });
        expect([other.duplicate, other.entries[0]?.seq]).toEqual([false, 2]);
      });

      it('a refused sale (beyond stock) writes nothing, not even its other lines', async () => {
        const { shop: s, service, src, write } = await shop();
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 2, unitPrice: 1000 }, { product: '雪碧', quantity: 5, unitPrice: 800 }] });
        const source = src('出货 雪碧 1 可乐 3');
        const refused = await service.record(s.id, { kind: 'sale', items: [{ product: '雪碧', quantity: 1, unitPrice: 1500 }, { product: '可乐', quantity: 3, unitPrice: 2000 }] }, source);
        expect(refused).toEqual({
          ok: false,
          failure: { code: 'INSUFFICIENT_STOCK', product: '可乐', unit: '件', location: '默认仓', onHandMilli: 2_000, requestedMilli: 3_000 },
        });
        expect((await stores.store.entries(s.id)).map((e) => e.seq)).toEqual([1, 2]);
        expect(await stockOf(stores.store, s.id)).toEqual([
          { product: '可乐', location: '默认仓', qtyMilli: 2_000, value: 2_000 },
          { product: '雪碧', location: '默认仓', qtyMilli: 5_000, value: 4_000 },
        ]);
        // The refused message was not kept either: sent again once there is stock, it is written.
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 1, unitPrice: 1000 }] });
        const retried = value(await service.record(s.id, { kind: 'sale', items: [{ product: '雪碧', quantity: 1, unitPrice: 1500 }, { product: '可乐', quantity: 3, unitPrice: 2000 }] }, source));
        expect([retried.duplicate, retried.entries.map((e) => e.seq)]).toEqual([false, [4, 5]]);
      });

      it('undo reverses a message, a repeated undo is a duplicate, and a correction replaces an entry', async () => {
        const { shop: s, service, src, write } = await shop();
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 10, unitPrice: 1000 }] });
        const sale = await write({ kind: 'sale', items: [{ product: '可乐', quantity: 3, unitPrice: 2000 }] });
        const undoSource = src('撤销');
        const undone = value(await service.undo(s.id, { messageOfEntry: sale.entries[0]?.seq }, undoSource));
        expect([undone.duplicate, undone.undone.map((e) => e.seq), undone.reversals.map((e) => [e.seq, e.kind, e.qtyMilli, e.amount, e.cost])]).toEqual([
          false,
          [2],
          [[3, 'reversal', 3_000, -6_000, -3_000]],
        ]);
        expect(undone.after).toEqual([{ entrySeq: 3, qtyMilli: 10_000, value: 10_000 }]);
        const again = value(await service.undo(s.id, { messageOfEntry: sale.entries[0]?.seq }, { ...undoSource }));
        expect([again.duplicate, again.undone.map((e) => e.seq), again.reversals.map((e) => e.seq)]).toEqual([true, [2], [3]]);
        expect(await service.undo(s.id, { entryNo: 2 }, src('撤销 #2'))).toEqual({ ok: false, failure: { code: 'ALREADY_REVERSED', entryNo: 2, reversalNo: 3 } });
        // 改 #1 单价 12: the purchase is reversed and written again at 1200.
        const fixed = value(await service.correct(s.id, { entryNo: 1, field: 'unitPrice', value: 1200 }, src('改 #1 单价 12')));
        expect([fixed.original.seq, fixed.reversal.seq, fixed.reversal.qtyMilli, fixed.replacement.seq, fixed.replacement.unitPrice, fixed.replacement.amount]).toEqual([1, 4, -10_000, 5, 1200, 12_000]);
        expect(fixed.replacement.replacesId).toBe(fixed.original.id);
        expect(await stockOf(stores.store, s.id)).toEqual([{ product: '可乐', location: '默认仓', qtyMilli: 10_000, value: 12_000 }]);
        expect(await stores.store.recentUnitPrices((await stores.store.products(s.id))[0]?.id ?? -1, 'purchase', 5)).toEqual([1200]);
      });

      it('undo refuses goods that already left, and the last undoable message is the actor’s own', async () => {
        const { shop: s, service, src, write } = await shop();
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 5, unitPrice: 1000 }] }, src('进货', 'test:alice'));
        await write({ kind: 'sale', items: [{ product: '可乐', quantity: 4, unitPrice: 2000 }] }, src('出货', 'test:bob'));
        expect(await service.undo(s.id, { entryNo: 1 }, src('撤销 #1'))).toEqual({
          ok: false,
          failure: { code: 'STOCK_ALREADY_LEFT', entryNo: 1, product: '可乐', unit: '件', location: '默认仓', onHandMilli: 1_000, enteredMilli: 5_000 },
        });
        const last = await stores.store.read(async (uow) => [await uow.lastUndoableMessage(s.id, 'test:alice'), await uow.lastUndoableMessage(s.id, 'test:bob'), await uow.lastUndoableMessage(s.id, 'test:carol')]);
        const messageOf = async (seq: number) => (await stores.store.read((uow) => uow.entryBySeq(s.id, seq)))?.messageId;
        expect(last).toEqual([await messageOf(1), await messageOf(2), undefined]);
      });

      it('a backdated purchase reposts the costs of later entries', async () => {
        const { shop: s, write } = await shop();
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 10, unitPrice: 1000 }], occurredAt: nov(10) });
        await write({ kind: 'sale', items: [{ product: '可乐', quantity: 5, unitPrice: 3000 }], occurredAt: nov(14) });
        expect((await entryFigures(s.id))[1]?.cost).toBe(5_000);
        // Written now, dated the 12th: the sale of the 14th took 5 of 20 units worth 30000.
        const late = await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 10, unitPrice: 2000 }], occurredAt: nov(12) });
        expect(late.entries[0]?.seq).toBe(3);
        expect(await stores.store.queuedReposts(s.id)).toEqual([]);
        expect((await entryFigures(s.id)).map((e) => [e.seq, e.kind, e.cost, e.valueDelta])).toEqual([
          [1, 'purchase', 0, 10_000],
          [2, 'sale', 7_500, -7_500],
          [3, 'purchase', 0, 20_000],
        ]);
        expect(await stockOf(stores.store, s.id)).toEqual([{ product: '可乐', location: '默认仓', qtyMilli: 15_000, value: 22_500 }]);
        // The latest cost is the latest purchase by date, not the latest written.
        expect((await stores.store.products(s.id))[0]?.lastCost).toBe(2000);
        // What an entry dated the 13th may still take out: 20 on hand then, but the sale of the 14th leaves 15.
        const cola = await stores.store.read((uow) => uow.findProduct(s.id, '可乐'));
        const asOf = async (at: Date) => stores.store.read(async (uow) => uow.stockAsOf(cola?.id ?? -1, (await uow.defaultLocation(s.id)).id, at));
        expect(await asOf(nov(13))).toEqual({ qtyMilli: 20_000, value: 30_000, lowestLaterMilli: 15_000 });
        expect(await asOf(nov(15))).toBeUndefined();
      });

      it('a queued repost keeps the earlier start, is taken off once, and runQueuedReposts costs it again', async () => {
        const { shop: s, service, write } = await shop();
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 10, unitPrice: 1000 }], occurredAt: nov(10) });
        await write({ kind: 'sale', items: [{ product: '可乐', quantity: 5, unitPrice: 3000 }], occurredAt: nov(14) });
        const cola = await stores.store.read((uow) => uow.findProduct(s.id, '可乐'));
        const pid = cola?.id ?? -1;
        await stores.store.transaction(async (uow) => {
          await uow.queueRepost(s.id, pid, { occurredAt: nov(13), seq: 2 });
          await uow.queueRepost(s.id, pid, { occurredAt: nov(11), seq: 1 });
          await uow.queueRepost(s.id, pid, { occurredAt: nov(12), seq: 1 });
        });
        expect(await stores.store.queuedReposts(s.id)).toEqual([{ shopId: s.id, productId: pid, from: { occurredAt: nov(11), seq: 1 } }]);
        expect(await stores.store.transaction((uow) => uow.dequeueRepost(pid))).toEqual({ occurredAt: nov(11), seq: 1 });
        expect(await stores.store.transaction((uow) => uow.dequeueRepost(pid))).toBeUndefined();
        // applyRepost writes what it is given: a wrong cost and stock, which the queued repost puts right.
        const sale = await stores.store.read((uow) => uow.entryBySeq(s.id, 2));
        await stores.store.transaction(async (uow) => {
          const loc = await uow.defaultLocation(s.id);
          await uow.applyRepost({ productId: pid, changed: [{ id: sale?.id ?? -1, cost: 1, valueDelta: -1 }], closing: new Map([[loc.id, { qtyMilli: 5_000, value: 9_999 }]]), lastCost: 777, rows: 2 });
        });
        expect((await entryFigures(s.id)).map((e) => e.cost)).toEqual([0, 1]);
        expect(await stockOf(stores.store, s.id)).toEqual([{ product: '可乐', location: '默认仓', qtyMilli: 5_000, value: 9_999 }]);
        expect((await stores.store.products(s.id))[0]?.lastCost).toBe(777);
        await stores.store.transaction((uow) => uow.queueRepost(s.id, pid, { occurredAt: nov(10), seq: 1 }));
        expect(await service.runQueuedReposts()).toBe(1);
        expect((await stores.store.products(s.id))[0]?.lastCost).toBe(1000);
        expect(await stores.store.queuedReposts(s.id)).toEqual([]);
        expect((await entryFigures(s.id)).map((e) => e.cost)).toEqual([0, 5_000]);
        expect(await stockOf(stores.store, s.id)).toEqual([{ product: '可乐', location: '默认仓', qtyMilli: 5_000, value: 5_000 }]);
      });

      it('batches: goods leave first-expiring first, a named batch is drawn alone, and moves are recorded per entry', async () => {
        const { shop: s, write } = await shop();
        const late = new Date('2026-12-31T16:00:00.000Z');
        const soon = new Date('2026-12-09T16:00:00.000Z');
        await write({ kind: 'purchase', items: [{ product: '牛奶', quantity: 10, unitPrice: 500, batch: 'B2', expiresAt: late }] });
        await write({ kind: 'purchase', items: [{ product: '牛奶', quantity: 6, unitPrice: 500, batch: 'A1', expiresAt: soon }] });
        const sale = await write({ kind: 'sale', items: [{ product: '牛奶', quantity: 8, unitPrice: 900 }] });
        expect(sale.batches).toEqual([
          { entrySeq: 3, code: 'A1', expiresAt: soon, qtyMilli: -6_000 },
          { entrySeq: 3, code: 'B2', expiresAt: late, qtyMilli: -2_000 },
        ]);
        const named = await write({ kind: 'sale', items: [{ product: '牛奶', quantity: 1, unitPrice: 900, batch: 'B2' }] });
        expect(named.batches.map((b) => [b.code, b.qtyMilli])).toEqual([['B2', -1_000]]);
        const milk = await stores.store.read((uow) => uow.findProduct(s.id, '牛奶'));
        const left = await stores.store.batches(s.id, milk?.id ?? -1);
        expect(left.map((b) => [b.code, b.location, b.qtyMilli, b.expiresAt])).toEqual([['B2', '默认仓', 7_000, late]]);
        const saleEntry = await stores.store.read((uow) => uow.entryBySeq(s.id, 3));
        const moves = await stores.store.read((uow) => uow.batchMovesOf(saleEntry?.id ?? -1));
        const codes = await stores.store.read(async (uow) => Promise.all(moves.map(async (m) => [(await uow.batchById(m.batchId)).code, m.qtyMilli])));
        expect(codes).toEqual([['A1', -6_000], ['B2', -2_000]]);
        // Undoing the sale gives each batch back exactly what it gave.
        await write({ kind: 'sale', items: [{ product: '牛奶', quantity: 1, unitPrice: 900 }] });
        const loc = await stores.store.read((uow) => uow.defaultLocation(s.id));
        const all = await stores.store.read((uow) => uow.batchesAt(milk?.id ?? -1, loc.id));
        expect(all.map((b) => [b.code, b.qtyMilli])).toEqual([['B2', 6_000], ['A1', 0]]);
      });

      it('a transfer carries its batches to the other location', async () => {
        const { shop: s, write } = await shop();
        const exp = new Date('2027-01-15T16:00:00.000Z');
        await write({ kind: 'purchase', items: [{ product: '牛奶', quantity: 4, unitPrice: 500, batch: 'C3', expiresAt: exp }] });
        await write({ kind: 'transfer', items: [{ product: '牛奶', quantity: 3 }], to: '二店' });
        const milk = await stores.store.read((uow) => uow.findProduct(s.id, '牛奶'));
        const left = await stores.store.batches(s.id, milk?.id ?? -1);
        expect(left.map((b) => [b.location, b.code, b.qtyMilli, b.expiresAt]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(
          [['二店', 'C3', 3_000, exp], ['默认仓', 'C3', 1_000, exp]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        );
      });
    });

    describe('transactions', () => {
      it('recordBatch applies the good messages and leaves nothing of a refused one', async () => {
        const { shop: s, service, src } = await shop();
        const results = await service.recordBatch(s.id, [
          { req: { kind: 'purchase', items: [{ product: '可乐', quantity: 5, unitPrice: 1000 }] }, source: src('a') },
          { req: { kind: 'sale', items: [{ product: '可乐', quantity: 1, unitPrice: 2000 }, { product: '可乐', quantity: 9, unitPrice: 2000 }] }, source: src('b') },
          { req: { kind: 'sale', items: [{ product: '可乐', quantity: 2, unitPrice: 2000 }] }, source: src('c') },
        ]);
        expect(results.map((r) => (r.ok ? 'ok' : r.failure.code))).toEqual(['ok', 'INSUFFICIENT_STOCK', 'ok']);
        expect((await entryFigures(s.id)).map((e) => [e.seq, e.kind, e.qtyMilli, e.cost])).toEqual([
          [1, 'purchase', 5_000, 0],
          [2, 'sale', -2_000, 2_000],
        ]);
        expect(await stockOf(stores.store, s.id)).toEqual([{ product: '可乐', location: '默认仓', qtyMilli: 3_000, value: 3_000 }]);
      });

      it('recordBatch of good messages writes them all, in order, each once', async () => {
        const { shop: s, service, src } = await shop();
        const items = [
          { req: { kind: 'purchase', items: [{ product: '可乐', quantity: 3, total: 1000 }] } as WriteRequest, source: src('a') },
          { req: { kind: 'sale', items: [{ product: '可乐', quantity: 1, unitPrice: 500 }] } as WriteRequest, source: src('b') },
        ];
        const first = (await service.recordBatch(s.id, items)).map((r) => value(r));
        const again = (await service.recordBatch(s.id, items)).map((r) => value(r));
        expect(first.map((o) => [o.duplicate, o.after])).toEqual([
          [false, [{ entrySeq: 1, qtyMilli: 3_000, value: 1_000 }]],
          [false, [{ entrySeq: 2, qtyMilli: 2_000, value: 667 }]],
        ]);
        expect(again.map((o) => o.duplicate)).toEqual([true, true]);
        expect(await stockOf(stores.store, s.id)).toEqual([{ product: '可乐', location: '默认仓', qtyMilli: 2_000, value: 667 }]);
      });

      it('batch() rolls every message back when its work throws', async () => {
        const { shop: s, service, src } = await shop();
        await expect(
          stores.store.batch(async () => {
            value(await service.record(s.id, { kind: 'purchase', items: [{ product: '可乐', quantity: 5, unitPrice: 1000 }] }, src()));
            value(await service.record(s.id, { kind: 'sale', items: [{ product: '可乐', quantity: 1, unitPrice: 2000 }] }, src()));
            throw new Error('import stopped');
          }),
        ).rejects.toThrow('import stopped');
        expect(await stores.store.entries(s.id)).toEqual([]);
        expect(await stores.store.products(s.id)).toEqual([]);
        expect(await stockOf(stores.store, s.id)).toEqual([]);
      });

      it('a transaction that throws leaves nothing; read() sees what was committed and refuses to write', async () => {
        const { shop: s, write } = await shop();
        await expect(
          stores.store.transaction(async (uow) => {
            await uow.createLocation(s.id, '临时');
            throw new Error('nope');
          }),
        ).rejects.toThrow('nope');
        expect(await stores.store.read((uow) => uow.findLocation(s.id, '临时'))).toBeUndefined();
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 4, unitPrice: 250 }] });
        const seen = await stores.store.read(async (uow) => {
          const p = await uow.findProduct(s.id, '可乐');
          return { balance: await uow.balance(p?.id ?? -1, (await uow.defaultLocation(s.id)).id), entry: (await uow.entryBySeq(s.id, 1))?.amount };
        });
        expect(seen).toEqual({ balance: { qtyMilli: 4_000, value: 1_000 }, entry: 1_000 });
        await expect(stores.store.read((uow) => uow.createLocation(s.id, '只读'))).rejects.toThrow();
        expect(await stores.store.read((uow) => uow.findLocation(s.id, '只读'))).toBeUndefined();
      });

      it('withScratchCopy runs the real rules on a copy and leaves nothing behind', async () => {
        const { shop: s, clock, write } = await shop();
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 4, unitPrice: 1000 }] });
        const dry = await stores.store.withScratchCopy(async (scratch) => {
          const svc = new InventoryService(scratch, clock);
          const source = { platform: 'test', chatId: 'scratch', messageId: uid('m'), text: 'x', actorId: 'test:alice' };
          const out = value(await svc.record(s.id, { kind: 'sale', items: [{ product: '可乐', quantity: 1, unitPrice: 2000 }, { product: '可乐', quantity: 1, unitPrice: 2000 }] }, source));
          value(await svc.record(s.id, { kind: 'purchase', items: [{ product: '新品', quantity: 1, unitPrice: 100 }] }, { ...source, messageId: uid('m') }));
          return { after: out.after, stock: await stockOf(scratch, s.id) };
        });
        expect(dry).toEqual({
          after: [{ entrySeq: 2, qtyMilli: 3_000, value: 3_000 }, { entrySeq: 3, qtyMilli: 2_000, value: 2_000 }],
          stock: [
            { product: '可乐', location: '默认仓', qtyMilli: 2_000, value: 2_000 },
            { product: '新品', location: '默认仓', qtyMilli: 1_000, value: 100 },
          ],
        });
        expect((await stores.store.entries(s.id)).map((e) => e.seq)).toEqual([1]);
        expect((await stores.store.products(s.id)).map((p) => p.name)).toEqual(['可乐']);
        expect(await stockOf(stores.store, s.id)).toEqual([{ product: '可乐', location: '默认仓', qtyMilli: 4_000, value: 4_000 }]);
        // The next write takes the next number as if the dry run never happened.
        expect((await write({ kind: 'sale', items: [{ product: '可乐', quantity: 1, unitPrice: 2000 }] })).entries[0]?.seq).toBe(2);
      });

      it('import batches: rows carry their batch, importMessages lists them newest first, staleImports finds stopped ones', async () => {
        const { shop: s, service, src } = await shop();
        const t0 = new Date('2026-11-20T04:00:00.000Z');
        const batchId = await stores.store.beginImport(s.id, '期初库存.xlsx', 'test:alice', t0);
        const other = await stores.store.beginImport(s.id, '流水.xlsx', 'test:alice', t0);
        value(await service.record(s.id, { kind: 'purchase', items: [{ product: '可乐', quantity: 2, unitPrice: 100 }, { product: '雪碧', quantity: 2, unitPrice: 100 }] }, src('row 1', 'test:alice', { importBatchId: batchId })));
        value(await service.record(s.id, { kind: 'purchase', items: [{ product: '可乐', quantity: 1, unitPrice: 100 }] }, src('row 2', 'test:alice', { importBatchId: batchId })));
        value(await service.record(s.id, { kind: 'purchase', items: [{ product: '芬达', quantity: 1, unitPrice: 100 }] }, src('other', 'test:alice', { importBatchId: other })));
        value(await service.record(s.id, { kind: 'purchase', items: [{ product: '芬达', quantity: 1, unitPrice: 100 }] }, src('chat')));
        expect(await stores.store.importMessages(batchId)).toEqual([3, 1]);
        expect(await stores.store.importMessages(other)).toEqual([4]);
        await stores.store.heartbeatImport(batchId, new Date(t0.getTime() + 60_000));
        expect(await stores.store.staleImports(s.id, new Date(t0.getTime() + 30_000))).toEqual([other]);
        expect(await stores.store.staleImports(s.id, new Date(t0.getTime() + 120_000))).toEqual([batchId, other]);
        // Undoing a message takes it out of the list; a finished import is not stale.
        value(await service.undo(s.id, { messageOfEntry: 3 }, src('撤销')));
        expect(await stores.store.importMessages(batchId)).toEqual([1]);
        await stores.store.finishImport(other, 'done', t0);
        await stores.store.finishImport(batchId, 'undone', t0);
        expect(await stores.store.staleImports(s.id, new Date(t0.getTime() + 120_000))).toEqual([]);
      });
    });

    describe('catalogue', () => {
      it('catalogueVersion moves on product, alias and unit changes, and aliases find the product', async () => {
        const { shop: s, write } = await shop();
        const catalogue = new CatalogueService(stores.store);
        const v0 = await stores.store.catalogueVersion(s.id);
        await write({ kind: 'purchase', items: [{ product: '雪碧', quantity: 24, unit: '瓶', unitPrice: 300 }] });
        const v1 = await stores.store.catalogueVersion(s.id);
        expect(v1).not.toBe(v0);
        const aliased = await catalogue.addAliases(s.id, '雪碧', ['sprite']);
        expect(aliased.ok && aliased.value.all).toEqual(['sprite']);
        const v2 = await stores.store.catalogueVersion(s.id);
        expect(v2).not.toBe(v1);
        expect((await stores.store.read((uow) => uow.findProduct(s.id, 'sprite')))?.name).toBe('雪碧');
        const product = (await stores.store.products(s.id))[0];
        expect(await stores.store.addAlias(s.id, product?.id ?? -1, 'sprite')).toBe(false);
        expect(await stores.store.catalogueVersion(s.id)).toBe(v2);
        await stores.store.setUnit(product?.id ?? -1, '箱', 24_000);
        const v3 = await stores.store.catalogueVersion(s.id);
        expect(v3).not.toBe(v2);
        expect(await stores.store.units(s.id)).toEqual([{ productId: product?.id, unit: '箱', factorMilli: 24_000 }]);
        await stores.store.updateProduct(s.id, product?.id ?? -1, { unit: '罐' });
        expect(await stores.store.catalogueVersion(s.id)).not.toBe(v3);
        // Another shop's catalogue is its own.
        const other = await shop();
        const before = await stores.store.catalogueVersion(other.shop.id);
        await stores.store.addAlias(s.id, product?.id ?? -1, '七喜');
        expect(await stores.store.catalogueVersion(other.shop.id)).toBe(before);
        expect((await stores.store.aliases(s.id)).map((a) => a.alias).sort()).toEqual(['sprite', '七喜']);
      });

      it('product settings are kept as set', async () => {
        const { shop: s, write } = await shop();
        const catalogue = new CatalogueService(stores.store);
        await write({ kind: 'purchase', items: [{ product: 'T恤', quantity: 5, unitPrice: 3000 }] });
        expect((await catalogue.setProduct(s.id, 'T恤', { key: 'reorderLevel', value: 3 })).ok).toBe(true);
        expect((await catalogue.setProduct(s.id, 'T恤', { key: 'salePrice', value: 5900 })).ok).toBe(true);
        expect((await catalogue.setProduct(s.id, 'T恤', { key: 'sku', value: 'TS-01' })).ok).toBe(true);
        const created = await catalogue.setProduct(s.id, '代发鞋', { key: 'mode', value: 'dropship', supplier: '鞋厂', cost: 8000 }, NOW);
        expect(created.ok && created.value.created).toBe(true);
        const byName = Object.fromEntries((await stores.store.products(s.id)).map((p) => [p.name, p]));
        expect(byName['T恤']).toMatchObject({ sku: 'TS-01', salePrice: 5900, reorderLevel: 3, lastCost: 3000, mode: 'normal' });
        expect(byName['代发鞋']).toMatchObject({ mode: 'dropship', dropshipSupplier: '鞋厂', dropshipCost: 8000, unit: '件' });
        expect(await stores.store.hasEntries(byName['T恤']?.id ?? -1)).toBe(true);
        expect(await stores.store.hasEntries(byName['代发鞋']?.id ?? -1)).toBe(false);
      });
    });

    describe('access', () => {
      const boss: Speaker = { platform: 'test', userId: 'boss', userName: '老板', userHandle: 'boss' };
      const place = (chatType: 'private' | 'group', title?: string): ChatPlace => ({ platform: 'test', chatId: uid('chat'), chatType, title });
      const accessFor = (codes: string[]) =>
        new AccessService(stores.access, stores.store, new MovableClock(NOW), { owners: ['test:boss'], codeGenerator: () => codes.shift() ?? 'NOCODE' });

      it('opening a shop binds the chat and makes the speaker its owner; unbinding keeps the books', async () => {
        const access = accessFor([]);
        const dm = place('private');
        const opened = await access.openShop(boss, dm, uid('老板的店'));
        if (!opened.ok) throw new Error(opened.refusal.code);
        const shopId = opened.value.shop.id;
        expect(opened.value.audience).toBe('owner');
        expect(await stores.access.bindingOf('test', dm.chatId)).toEqual({ shopId, platform: 'test', chatId: dm.chatId, audience: 'owner', title: null });
        expect((await access.chatShop('test', dm.chatId))?.shop?.id).toBe(shopId);
        const people = await stores.access.people(shopId);
        expect(people.map((p) => [p.displayName, p.role, p.identities.map((i) => [i.platform, i.platformUserId, i.handle])])).toEqual([['老板', 'owner', [['test', 'boss', 'boss']]]]);
        expect(await stores.access.ownedShops('test', 'boss')).toContain(shopId);
        const taken = await access.openShop(boss, place('private'), opened.value.shop.name);
        expect(taken).toEqual({ ok: false, refusal: { code: 'SHOP_NAME_TAKEN', name: opened.value.shop.name } });
        expect(await stores.access.unbind('test', dm.chatId)).toBe(true);
        expect(await stores.access.unbind('test', dm.chatId)).toBe(false);
        expect(await stores.access.bindingOf('test', dm.chatId)).toBeUndefined();
        expect((await stores.store.shopById(shopId))?.name).toBe(opened.value.shop.name);
        expect(await stores.access.bindings(shopId)).toEqual([]);
      });

      it('a binding code is redeemed once; group members get the member role; the last owner is kept', async () => {
        const code = uid('C').toUpperCase();
        const access = accessFor([code]);
        const dm = place('private');
        const opened = await access.openShop(boss, dm, uid('店'));
        if (!opened.ok) throw new Error(opened.refusal.code);
        const shop = opened.value.shop;
        const owner = await stores.access.personByIdentity(shop.id, 'test', 'boss');
        const issued = await access.issueCode(shop, owner, 'chat', 'private');
        expect(issued.ok && issued.value.code).toBe(code);
        expect(await stores.access.findCode(code, NOW)).toEqual({ shopId: shop.id, personId: owner?.id, purpose: 'chat' });
        expect(await stores.access.findCode(code, new Date(NOW.getTime() + 11 * 60_000))).toBeUndefined();
        const group = place('group', '店员群');
        const staff: Speaker = { platform: 'test', userId: uid('u'), userName: '小王' };
        const bound = await access.redeem(staff, group, code, undefined);
        expect(bound.ok && [bound.value.kind, bound.value.audience]).toEqual(['bound', 'staff']);
        expect(await stores.access.bindingOf('test', group.chatId)).toEqual({ shopId: shop.id, platform: 'test', chatId: group.chatId, audience: 'staff', title: '店员群' });
        // Once only: another chat cannot use it again.
        expect(await access.redeem(staff, place('group', '别的群'), code, undefined)).toEqual({ ok: false, refusal: { code: 'CODE_INVALID', purpose: 'chat' } });
        expect(await stores.access.redeemCode(code, NOW)).toBeUndefined();

        const member = await access.identify(shop.id, staff, 'group');
        expect(member?.role).toBe('member');
        // Unnamed group members see, and may write once the owner says so.
        expect(await access.roleOf(shop.id, member, 'staff', 'group')).toBe('viewer');
        await access.setMemberRole(shop.id, 'staff');
        expect(await access.roleOf(shop.id, member, 'staff', 'group')).toBe('staff');
        expect(await access.roleOf(shop.id, member, 'owner', 'private')).toBe('viewer');
        await access.setMemberRole(shop.id, 'viewer');
        expect(await access.roleOf(shop.id, member, 'staff', 'group')).toBe('viewer');
        expect((await access.changeRole(shop.id, '小王', 'owner')).ok).toBe(true);
        // Two owners: one may go; the last one may not.
        expect((await access.changeRole(shop.id, '@boss', 'staff')).ok).toBe(true);
        expect(await access.changeRole(shop.id, '小王', 'removed')).toEqual({ ok: false, refusal: { code: 'LAST_OWNER' } });
        const people = await access.members(shop.id);
        expect(people.memberRole).toBe('viewer');
        expect(people.people.map((p) => [p.displayName, p.role]).sort()).toEqual([['小王', 'owner'], ['老板', 'staff']]);
        expect(await stores.access.setRoleKeepingAnOwner(shop.id, member?.id ?? -1, 'viewer')).toBe(false);
      });

      it('a link code adds the asker’s account from another platform, once', async () => {
        const code = uid('L').toUpperCase();
        const access = accessFor([code]);
        const opened = await access.openShop(boss, place('private'), uid('店'));
        if (!opened.ok) throw new Error(opened.refusal.code);
        const shop = opened.value.shop;
        const owner = await stores.access.personByIdentity(shop.id, 'test', 'boss');
        expect((await access.issueCode(shop, owner, 'link', 'private')).ok).toBe(true);
        const other: Speaker = { platform: 'other', userId: uid('wx') };
        const dm: ChatPlace = { platform: 'other', chatId: uid('dm'), chatType: 'private' };
        const linked = await access.redeem(other, dm, code, undefined);
        expect(linked.ok && [linked.value.kind, linked.value.audience]).toEqual(['linked', 'owner']);
        expect((await stores.access.personByIdentity(shop.id, 'other', other.userId))?.id).toBe(owner?.id);
        expect((await access.actorIds(shop.id, owner, boss)).sort()).toEqual([`other:${other.userId}`, 'test:boss', 'test:boss'].sort());
        expect(await access.redeem(other, { ...dm, chatId: uid('dm') }, code, undefined)).toEqual({ ok: false, refusal: { code: 'CODE_INVALID', purpose: 'chat' } });
      });

      it('the audit shows who wrote each entry, from which chat', async () => {
        const { shop: s, write, src, chatId } = await shop();
        await stores.access.bind({ shopId: s.id, platform: 'test', chatId, audience: 'staff', title: '门店群' }, NOW);
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 2, unitPrice: 100 }] }, src('进货 可乐 2 单价 1', 'test:alice'));
        await write({ kind: 'sale', items: [{ product: '可乐', quantity: 1, unitPrice: 300, note: '单号 778899' }], channel: '抖音' }, src('出货 可乐 1', 'test:bob'));
        const rows = await stores.access.audit(s.id, { limit: 10 });
        expect(rows.map((r) => [r.seq, r.kind, r.product, r.qtyMilli, r.unitPrice, r.channel, r.actorId, r.actorName, r.chatTitle, r.text, r.note, r.reversedBySeq])).toEqual([
          [2, 'sale', '可乐', -1_000, 300, '抖音', 'test:bob', 'bob', '门店群', '出货 可乐 1', '单号 778899', null],
          [1, 'purchase', '可乐', 2_000, 100, null, 'test:alice', 'alice', '门店群', '进货 可乐 2 单价 1', null, null],
        ]);
        expect((await stores.access.audit(s.id, { seq: 1, limit: 10 })).map((r) => r.seq)).toEqual([1]);
      });
    });

    describe('digest runs', () => {
      async function claimed(localDate: string, scheduledAt: Date, chats: number) {
        const { shop: s } = await shop();
        const targets = [];
        for (let i = 0; i < chats; i++) {
          const chatId = uid('chat');
          await stores.access.bind({ shopId: s.id, platform: 'test', chatId, audience: i === 0 ? 'owner' : 'staff', title: null }, scheduledAt);
          targets.push({ platform: 'test', chatId, audience: (i === 0 ? 'owner' : 'staff') as 'owner' | 'staff' });
        }
        return { s, targets };
      }

      it('a shop’s digest is claimed once per day', async () => {
        const at = new Date('2026-06-10T13:00:00.000Z');
        const { s, targets } = await claimed('2026-06-10', at, 2);
        expect((await stores.digest.activeChats(s.id)).map((c) => c.chatId).sort()).toEqual(targets.map((t) => t.chatId).sort());
        const claim = (by: string) => ({ shopId: s.id, localDate: '2026-06-10', scheduledAt: at, late: false, claimedBy: by, now: at, deliveries: targets.map((t) => ({ ...t, text: `日报 ${t.audience}` })) });
        expect(await stores.digest.hasRun(s.id, '2026-06-10')).toBe(false);
        const [a, b] = await Promise.all([stores.digest.claim(claim('a')), stores.digest.claim(claim('b'))]);
        expect([a, b].filter((x) => x !== undefined)).toHaveLength(1);
        expect(await stores.digest.claim(claim('c'))).toBeUndefined();
        expect(await stores.digest.hasRun(s.id, '2026-06-10')).toBe(true);
        const run = await stores.digest.run(s.id, '2026-06-10');
        expect([run?.id, run?.claimedBy, run?.late, run?.finishedAt, run?.deliveries.map((d) => [d.chatId, d.status, d.attempts, d.text]).sort()]).toEqual([
          a ?? b,
          a === undefined ? 'b' : 'a',
          false,
          null,
          targets.map((t) => [t.chatId, 'pending', 0, `日报 ${t.audience}`]).sort(),
        ]);
        // The next day is another claim.
        expect(await stores.digest.claim({ ...claim('a'), localDate: '2026-06-11' })).toBeTypeOf('number');
      });

      it('a delivery is leased pending → sending once, then sent, retried, blocked or failed', async () => {
        const at = new Date('2025-03-01T13:00:00.000Z');
        const { s, targets } = await claimed('2025-03-01', at, 3);
        const runId = await stores.digest.claim({ shopId: s.id, localDate: '2025-03-01', scheduledAt: at, late: true, claimedBy: 'a', now: at, deliveries: targets.map((t) => ({ ...t, text: 'hi', image: new Uint8Array([1, 2, 3]) })) });
        const due = await stores.digest.duePending(at, new Date(at.getTime() - 1));
        expect(due.map((d) => [d.runId, d.shopId, d.chatId, d.localDate, d.attempts, d.scheduledAt, [...(d.image ?? [])]]).sort()).toEqual(
          targets.map((t) => [runId, s.id, t.chatId, '2025-03-01', 0, at, [1, 2, 3]]).sort(),
        );
        // Only runs scheduled at or after `scheduledAfter`.
        expect(await stores.digest.duePending(at, new Date(at.getTime() + 1))).toEqual([]);
        const [d0, d1, d2] = targets.map((t) => due.find((d) => d.chatId === t.chatId)?.id ?? -1);
        const t1 = new Date(at.getTime() + 1_000);
        const leased = await Promise.all([stores.digest.lease(d0 as number, 'a', t1), stores.digest.lease(d0 as number, 'b', t1)]);
        expect(leased.filter(Boolean)).toHaveLength(1);
        await stores.digest.markSent(d0 as number, leased[0] ? 'a' : 'b', t1);
        expect(await stores.digest.lease(d1 as number, 'a', t1)).toBe(true);
        await stores.digest.markRetry(d1 as number, 'a', 'timeout', new Date(at.getTime() + 60_000));
        expect((await stores.digest.duePending(t1, new Date(at.getTime() - 1))).map((d) => d.id)).toEqual([d2]);
        expect((await stores.digest.duePending(new Date(at.getTime() + 60_000), new Date(at.getTime() - 1))).map((d) => [d.id, d.attempts]).sort()).toEqual([[d1, 1], [d2, 0]].sort());
        expect(await stores.digest.lease(d2 as number, 'a', t1)).toBe(true);
        await stores.digest.markBlocked(d2 as number, 'a', 'Forbidden', t1);
        expect((await stores.digest.activeChats(s.id)).map((c) => c.chatId).sort()).toEqual([targets[0]?.chatId, targets[1]?.chatId].sort());
        expect(await stores.digest.finishRuns(t1)).toBe(0);
        // d1 is left pending past its day: it fails; then the run is finished.
        expect(await stores.digest.expire(new Date('2025-03-02T00:00:00.000Z'), t1)).toBe(1);
        expect(await stores.digest.finishRuns(t1)).toBe(1);
        const run = await stores.digest.run(s.id, '2025-03-01');
        expect([run?.late, run?.finishedAt, Object.fromEntries((run?.deliveries ?? []).map((d) => [d.id, [d.status, d.attempts]]))]).toEqual([
          true,
          t1,
          { [d0 as number]: ['sent', 1], [d1 as number]: ['failed', 1], [d2 as number]: ['blocked', 1] },
        ]);
        expect(run?.deliveries.find((d) => d.id === d0)?.deliveredAt).toEqual(t1);
      });

      it('a delivery left sending is interrupted, not sent twice', async () => {
        const at = new Date('2024-05-05T13:00:00.000Z');
        const { s, targets } = await claimed('2024-05-05', at, 1);
        await stores.digest.claim({ shopId: s.id, localDate: '2024-05-05', scheduledAt: at, late: false, claimedBy: 'a', now: at, deliveries: targets.map((t) => ({ ...t, text: 'x' })) });
        const [d] = await stores.digest.duePending(at, new Date(at.getTime() - 1));
        expect(await stores.digest.lease(d?.id ?? -1, 'a', at)).toBe(true);
        expect(await stores.digest.lease(d?.id ?? -1, 'b', at)).toBe(false);
        expect(await stores.digest.interruptStale(at)).toBe(0);
        expect(await stores.digest.interruptStale(new Date('2024-05-05T14:00:00.000Z'))).toBe(1);
        expect((await stores.digest.run(s.id, '2024-05-05'))?.deliveries.map((x) => x.status)).toEqual(['interrupted']);
        expect(await stores.digest.duePending(new Date('2024-05-06T00:00:00.000Z'), new Date(at.getTime() - 1))).toEqual([]);
      });
    });

    describe('reports', () => {
      /** One conversation: two channels, a return, an undone sale, a dropship sale and a batch near expiry. */
      async function conversation() {
        const ctx = await shop(nov(20));
        const { shop: s, service, write, src, clock } = ctx;
        clock.set(nov(2));
        await write({ kind: 'purchase', items: [{ product: '可乐', quantity: 20, unitPrice: 1000 }, { product: '牛奶', quantity: 5, unitPrice: 400, batch: 'M1', expiresAt: nov(25, 16) }], occurredAt: nov(2) });
        await write({ kind: 'sale', items: [{ product: '可乐', quantity: 3, unitPrice: 2000 }], channel: '抖音', occurredAt: nov(5) });
        await write({ kind: 'sale', items: [{ product: '可乐', quantity: 2, unitPrice: 1800 }, { product: '牛奶', quantity: 1, unitPrice: 700 }], occurredAt: nov(6) });
        await write({ kind: 'customerReturn', items: [{ product: '可乐', quantity: 1, unitPrice: 2000 }], channel: '抖音', occurredAt: nov(7) });
        const undone = await write({ kind: 'sale', items: [{ product: '可乐', quantity: 4, unitPrice: 2000 }], channel: '抖音', occurredAt: nov(8) });
        value(await service.undo(s.id, { messageOfEntry: undone.entries[0]?.seq }, src('撤销')));
        const dropship = await new CatalogueService(stores.store).setProduct(s.id, '代发鞋', { key: 'mode', value: 'dropship', supplier: '鞋厂', cost: 8000 }, nov(2));
        expect(dropship.ok).toBe(true);
        await write({ kind: 'sale', items: [{ product: '代发鞋', quantity: 2, unitPrice: 15000 }], channel: '淘宝', occurredAt: nov(9) });
        // After the period: counted by nothing below.
        await write({ kind: 'sale', items: [{ product: '可乐', quantity: 1, unitPrice: 2000 }], channel: '抖音', occurredAt: nov(21) });
        const ids = Object.fromEntries((await stores.store.products(s.id)).map((p) => [p.name, p.id])) as Record<string, number>;
        return { ...ctx, ids };
      }
      const from = nov(1, 0);
      const to = nov(20, 0);
      // Written once and only read by the tests below.
      let conv: Awaited<ReturnType<typeof conversation>>;
      beforeAll(async () => {
        conv = await conversation();
      });

      it('sales totals, by product and by channel', async () => {
        const { shop: s, ids } = conv;
        // Sales: 可乐 3×2000 (cost 3000) + 2×1800 (2000), 牛奶 1×700 (400), 鞋 2×15000 (16000); return 可乐 1 (refund 2000, cost 1000).
        expect(await stores.reports.salesTotals(s.id, from, to)).toEqual({ soldMilli: 7_000, returnedMilli: 1_000, revenue: 6_000 + 3_600 + 700 + 30_000 - 2_000, refunds: 2_000, cost: 3_000 + 2_000 + 400 + 16_000 - 1_000, sales: 4 });
        const byProduct = await stores.reports.salesByProduct(s.id, from, to);
        expect(byProduct.map((r) => [r.product, r.soldMilli, r.returnedMilli, r.revenue, r.cost, r.sales]).sort()).toEqual(
          [
            ['可乐', 4_000, 1_000, 7_600, 4_000, 2],
            ['牛奶', 1_000, 0, 700, 400, 1],
            ['代发鞋', 2_000, 0, 30_000, 16_000, 1],
          ].sort(),
        );
        const byChannel = await stores.reports.salesByChannel(s.id, from, to);
        expect(byChannel.map((r) => [r.channel, r.soldMilli, r.returnedMilli, r.revenue, r.cost, r.sales, r.products]).sort()).toEqual(
          [
            ['抖音', 2_000, 1_000, 4_000, 2_000, 1, 1],
            [null, 3_000, 0, 4_300, 2_400, 2, 2],
            ['淘宝', 2_000, 0, 30_000, 16_000, 1, 1],
          ].sort(),
        );
        expect((await stores.reports.lastSales(s.id, to)).map((l) => [l.productId, l.at]).sort()).toEqual(
          [[ids['可乐'], nov(6)], [ids['牛奶'], nov(6)], [ids['代发鞋'], nov(9)]].sort(),
        );
        expect(await stores.reports.payables(s.id, from, to)).toEqual([{ supplier: '鞋厂', productId: ids['代发鞋'], product: '代发鞋', unit: '件', qtyMilli: 2_000, owed: 16_000 }]);
        expect(await stores.reports.payables(s.id, from, to, '别家')).toEqual([]);
      });

      it('the digest’s reads: movements, channels, buckets, product stock and sales, expiring batches, settings', async () => {
        const { shop: s, ids } = conv;
        const movements = await stores.digest.movements(s.id, from, to);
        expect(movements.map((m) => [m.productId, m.purchasedMilli, m.soldMilli, m.customerReturnMilli, m.supplierReturnMilli, m.adjustedMilli]).sort()).toEqual(
          [
            [ids['可乐'], 20_000, 5_000, 1_000, 0, 0],
            [ids['牛奶'], 5_000, 1_000, 0, 0, 0],
            [ids['代发鞋'], 0, 2_000, 0, 0, 0],
          ].sort(),
        );
        expect((await stores.digest.channelSales(s.id, from, to)).map((c) => [c.channel, c.salesCount, c.revenue, c.cost]).sort()).toEqual(
          [['抖音', 1, 4_000, 2_000], [null, 2, 4_300, 2_400], ['淘宝', 1, 30_000, 16_000]].sort(),
        );
        const buckets = await stores.digest.channelSalesByBucket(s.id, [nov(1, 0), nov(6, 0), to]);
        expect(buckets.map((b) => [b.bucket, b.channel, b.salesCount, b.revenue, b.cost]).sort()).toEqual(
          [[0, '抖音', 1, 6_000, 3_000], [1, '抖音', 0, -2_000, -1_000], [1, null, 2, 4_300, 2_400], [1, '淘宝', 1, 30_000, 16_000]].sort(),
        );
        const products = await stores.digest.products(s.id);
        expect(products.map((p) => [p.name, p.unit, p.mode, p.qtyMilli, p.value]).sort()).toEqual(
          [['可乐', '件', 'normal', 15_000, 15_000], ['牛奶', '件', 'normal', 4_000, 1_600], ['代发鞋', '件', 'dropship', 0, 0]].sort(),
        );
        expect((await stores.digest.products(s.id, [ids['牛奶'] as number])).map((p) => p.name)).toEqual(['牛奶']);
        const sales = await stores.digest.productSales(s.id, { windowFrom: from, noSaleFrom: nov(6, 0), rateTo: to, monthFrom: from, monthTo: to });
        expect(sales.map((r) => [r.productId, r.windowSoldMilli, r.recentSales, r.monthRevenue, r.monthCost, r.monthSalesCount]).sort()).toEqual(
          [
            [ids['可乐'], 4_000, 1, 7_600, 4_000, 2],
            [ids['牛奶'], 1_000, 1, 700, 400, 1],
            [ids['代发鞋'], 2_000, 1, 30_000, 16_000, 1],
          ].sort(),
        );
        expect(await stores.digest.expiringBatches(s.id, nov(30))).toEqual([{ productId: ids['牛奶'], code: 'M1', expiresAt: nov(25, 16), qtyMilli: 4_000 }]);
        expect(await stores.digest.expiringBatches(s.id, nov(25, 16))).toEqual([]);
        const own = (await shop()).shop.id;
        expect(await stores.digest.settings(own)).toEqual({ salesWindowDays: 14, leadTimeDays: 7, safetyDays: 7, overstockCoverDays: 90, noSaleDays: 30, expiryWarnDays: 30, lowStockAlert: false, digestPicture: false });
        await stores.digest.updateSettings(own, { noSaleDays: 45, lowStockAlert: true });
        expect(await stores.digest.settings(own)).toEqual({ salesWindowDays: 14, leadTimeDays: 7, safetyDays: 7, overstockCoverDays: 90, noSaleDays: 45, expiryWarnDays: 30, lowStockAlert: true, digestPicture: false });
        const seqs = (await stores.store.entries(s.id)).filter((e) => e.kind === 'sale').map((e) => e.seq);
        expect((await stores.digest.saleEntries(s.id, seqs)).map((e) => [e.productId, e.qtyMilli]).sort()).toEqual(
          [[ids['可乐'], -3_000], [ids['可乐'], -2_000], [ids['牛奶'], -1_000], [ids['可乐'], -4_000], [ids['代发鞋'], -2_000], [ids['可乐'], -1_000]].sort(),
        );
      });

      it('the web ledger pages and filters entries, with their messages', async () => {
        const { shop: s, ids } = conv;
        const all = await stores.ledger.ledgerPage(s.id, {}, { offset: 0, limit: 3 });
        expect(all.total).toBe(10);
        expect(all.rows.map((r) => [r.seq, r.kind, r.product])).toEqual([[10, 'sale', '可乐'], [9, 'sale', '代发鞋'], [8, 'reversal', '可乐']]);
        const sales = await stores.ledger.ledgerPage(s.id, { kind: 'sale', productId: ids['可乐'], from, to }, { offset: 1, limit: 10 });
        expect([sales.total, sales.rows.map((r) => [r.seq, r.reversedBySeq, r.messageText, r.platform])]).toEqual([3, [[4, null, 'msg', 'test'], [3, null, 'msg', 'test']]]);
        expect((await stores.ledger.ledgerPage(s.id, { text: '撤销' }, { offset: 0, limit: 10 })).rows.map((r) => [r.seq, r.reversesSeq])).toEqual([[8, 7]]);
        expect(await stores.ledger.actors(s.id)).toEqual([{ actorId: 'test:alice', actorName: 'alice' }]);
      });

      it('the export reader streams the same rows it lists', async () => {
        const { shop: s } = conv;
        expect((await stores.reader.shops()).find((x) => x.id === s.id)).toEqual({ id: s.id, name: s.name, timeZone: s.timeZone });
        expect(await stores.reader.stockRows(s.id)).toEqual([
          { product: '可乐', sku: null, unit: '件', location: '默认仓', qtyMilli: 15_000, value: 15_000 },
          { product: '牛奶', sku: null, unit: '件', location: '默认仓', qtyMilli: 4_000, value: 1_600 },
        ]);
        const listed = await stores.reader.entryRows(s.id, from, to);
        const streamed: EntryExportRow[] = [];
        for await (const row of stores.reader.eachEntryRow(s.id, from, to)) streamed.push(row);
        const shape = (r: EntryExportRow) => [r.seq, r.kind, r.product, r.location, r.qtyMilli, r.unitPrice, r.amount, r.cost, r.channel, r.actor, r.reverses, r.supplier ?? null, JSON.parse(r.batches || '[]') as unknown];
        expect(listed.map(shape)).toEqual(streamed.map(shape));
        expect(listed.map(shape)).toEqual([
          [1, 'purchase', '可乐', '默认仓', 20_000, 1000, 20_000, 0, null, 'alice', null, null, []],
          [2, 'purchase', '牛奶', '默认仓', 5_000, 400, 2_000, 0, null, 'alice', null, null, [{ code: 'M1', expiresAt: nov(25, 16).getTime(), qtyMilli: 5_000 }]],
          [3, 'sale', '可乐', '默认仓', -3_000, 2000, 6_000, 3_000, '抖音', 'alice', null, null, []],
          [4, 'sale', '可乐', '默认仓', -2_000, 1800, 3_600, 2_000, null, 'alice', null, null, []],
          [5, 'sale', '牛奶', '默认仓', -1_000, 700, 700, 400, null, 'alice', null, null, [{ code: 'M1', expiresAt: nov(25, 16).getTime(), qtyMilli: -1_000 }]],
          [6, 'customer_return', '可乐', '默认仓', 1_000, 2000, -2_000, -1_000, '抖音', 'alice', null, null, []],
          [7, 'sale', '可乐', '默认仓', -4_000, 2000, 8_000, 4_000, '抖音', 'alice', null, null, []],
          [8, 'reversal', '可乐', '默认仓', 4_000, 2000, -8_000, -4_000, '抖音', 'alice', 7, null, []],
          [9, 'sale', '代发鞋', null, -2_000, 15000, 30_000, 16_000, '淘宝', 'alice', null, '鞋厂', []],
        ]);
      });
    });

    describe('chat-side stores', () => {
      it('a pending import is put per chat, replaced by a newer one, and taken once', async () => {
        const { shop: s } = await shop();
        const chatId = uid('chat');
        const pending = { shopId: s.id, platform: 'test', chatId, userId: 'alice', kind: 'stock' as const, filename: '库存.xlsx', bytes: new Uint8Array([1, 2, 3]), expiresAt: new Date(NOW.getTime() + 600_000) };
        await stores.pendingImports.put(pending, NOW);
        await stores.pendingImports.put({ ...pending, kind: 'orders', orderPlatform: '淘宝', filename: '订单.xlsx', bytes: new Uint8Array([9]) }, NOW);
        expect(await stores.pendingImports.take('test', chatId, 'bob', NOW)).toBeUndefined();
        const [a, b] = await Promise.all([stores.pendingImports.take('test', chatId, 'alice', NOW), stores.pendingImports.take('test', chatId, 'alice', NOW)]);
        const got = a ?? b;
        expect([a, b].filter((x) => x !== undefined)).toHaveLength(1);
        expect({ ...got, bytes: [...(got?.bytes ?? [])] }).toEqual({ ...pending, kind: 'orders', orderPlatform: '淘宝', filename: '订单.xlsx', bytes: [9] });
        expect(await stores.pendingImports.take('test', chatId, 'alice', NOW)).toBeUndefined();
        // Expired ones are never handed out.
        await stores.pendingImports.put(pending, NOW);
        expect(await stores.pendingImports.take('test', chatId, 'alice', pending.expiresAt)).toBeUndefined();
      });

      it('handled messages are remembered per platform', async () => {
        const id = uid('msg');
        expect(await stores.handled.wasHandled('wechat', id)).toBe(false);
        await stores.handled.markHandled('wechat', id, NOW);
        await stores.handled.markHandled('wechat', id, NOW);
        expect(await stores.handled.wasHandled('wechat', id)).toBe(true);
        expect(await stores.handled.wasHandled('telegram', id)).toBe(false);
      });

      it('a web sign-in link is spent once and only before it expires; sessions end', async () => {
        const { shop: s } = await shop();
        const first = await stores.webAuth.storedSecret(() => uid('secret'), NOW);
        expect(await stores.webAuth.storedSecret(() => 'another', NOW)).toBe(first);
        const expiresAt = new Date(NOW.getTime() + 15 * 60_000);
        const id = await stores.webAuth.insertToken({ shopId: s.id, actorId: 'test:boss', actorName: '老板', view: 'owner', nonceHash: uid('hash'), expiresAt }, NOW);
        expect(await stores.webAuth.token(id)).toMatchObject({ id, shopId: s.id, actorId: 'test:boss', actorName: '老板', view: 'owner', expiresAt, usedAt: null });
        const spent = await Promise.all([stores.webAuth.spendToken(id, NOW), stores.webAuth.spendToken(id, NOW)]);
        expect(spent.filter(Boolean)).toHaveLength(1);
        expect((await stores.webAuth.token(id))?.usedAt).toEqual(NOW);
        const late = await stores.webAuth.insertToken({ shopId: s.id, actorId: 'test:boss', actorName: null, view: 'staff', nonceHash: uid('hash'), expiresAt }, NOW);
        expect(await stores.webAuth.spendToken(late, expiresAt)).toBe(false);
        expect(await stores.webAuth.token(-1)).toBeUndefined();
        const session = { idHash: uid('sess'), shopId: s.id, actorId: 'test:boss', actorName: '老板', view: 'owner' as const, csrf: 'csrf-token', expiresAt };
        await stores.webAuth.insertSession(session, NOW);
        expect(await stores.webAuth.session(session.idHash, NOW)).toEqual(session);
        expect(await stores.webAuth.session(session.idHash, expiresAt)).toBeUndefined();
        await stores.webAuth.endSession(session.idHash, NOW);
        expect(await stores.webAuth.session(session.idHash, NOW)).toBeUndefined();
      });

      it('a login lease has one holder until released or expired', async () => {
        const name = uid('wechat');
        const ttl = 30_000;
        const tries = await Promise.all([stores.loginLeases.acquire(name, 'p1', NOW, ttl), stores.loginLeases.acquire(name, 'p2', NOW, ttl)]);
        expect(tries.filter(Boolean)).toHaveLength(1);
        const [holder, other] = tries[0] ? ['p1', 'p2'] : ['p2', 'p1'];
        expect(await stores.loginLeases.holderOf(name, NOW)).toEqual({ holder, expiresAt: new Date(NOW.getTime() + ttl) });
        const later = new Date(NOW.getTime() + 10_000);
        expect(await stores.loginLeases.acquire(name, holder as string, later, ttl)).toBe(true);
        expect(await stores.loginLeases.holderOf(name, later)).toEqual({ holder, expiresAt: new Date(later.getTime() + ttl) });
        await stores.loginLeases.release(name, other as string);
        expect(await stores.loginLeases.acquire(name, other as string, later, ttl)).toBe(false);
        // Expired: anyone may take it.
        const expired = new Date(later.getTime() + ttl);
        expect(await stores.loginLeases.holderOf(name, expired)).toBeUndefined();
        expect(await stores.loginLeases.acquire(name, other as string, expired, ttl)).toBe(true);
        await stores.loginLeases.release(name, other as string);
        expect(await stores.loginLeases.holderOf(name, expired)).toBeUndefined();
        expect(await stores.loginLeases.acquire(name, holder as string, expired, ttl)).toBe(true);
      });
    });

    it('shops are found by name and id, with their own settings', async () => {
      const count = await stores.access.shopCount();
      const { shop: s } = await shop();
      expect(await stores.access.shopCount()).toBe(count + 1);
      expect(await stores.store.shopByName(s.name)).toEqual(s);
      expect(await stores.store.shopById(s.id)).toEqual(s);
      expect((await stores.store.listShops()).some((x) => x.id === s.id)).toBe(true);
      await new CatalogueService(stores.store).setShop(s.id, { digestTime: '21:30', timeZone: 'Asia/Urumqi' });
      expect(await stores.store.shopById(s.id)).toEqual({ ...s, digestTime: '21:30', timeZone: 'Asia/Urumqi' });
    });
  });
}

