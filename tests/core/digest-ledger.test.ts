import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDigestStore } from '../../src/adapters/prisma/sqlite-digest.ts';
import { digestWindow, renderDigest } from '../../src/bot/digest.ts';
import { yuanGrouped } from '../../src/bot/format.ts';
import { collectDigest, type Digest, type DigestWindow } from '../../src/core/digest.ts';
import type { InventoryService, WriteRequest } from '../../src/core/inventory.service.ts';
import type { EntryView, ShopRecord } from '../../src/core/ports.ts';
import { createService, createTestDb, source, TestClock, type TestDb } from '../helpers/db.ts';
import { mulberry32 } from '../helpers/seeded-random.ts';

/**
 * A scripted week of a small shop — purchases, sales on several channels, returns both ways,
 * stocktakes, a transfer, undos, a backdated entry, a presale oversold and a dropship sale — with the
 * digest built every evening at 21:00 and every figure in it worked out again from the raw ledger.
 */

const DAY = 86_400_000;
const ZONE = 'Asia/Shanghai';
let t: TestDb;
let clock: TestClock;
let svc: InventoryService;
let shop: ShopRecord;
let queries: SqliteDigestStore;
const digests: { date: string; digest: Digest; ledger: EntryView[]; window: DigestWindow }[] = [];

/** 2026-11-DD at HH:MM in Shanghai (UTC+8). */
const at = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 10, day, hh - 8, mm));

async function write(req: WriteRequest): Promise<number[]> {
  const r = await svc.record(shop.id, req, source(JSON.stringify(req.items)));
  if (!r.ok) return [];
  return r.value.entries.map((e) => e.seq);
}

async function undo(seq: number): Promise<void> {
  const r = await svc.undo(shop.id, { entryNo: seq }, source('撤销'));
  if (!r.ok) throw new Error(`undo #${seq} refused: ${r.failure.code}`);
}

beforeAll(async () => {
  t = createTestDb();
  clock = new TestClock(at(1, 9));
  svc = createService(t.store, clock);
  queries = new SqliteDigestStore(t.db);
  shop = await t.store.createShop('一周店', clock.now());

  // Before the month: stock bought in October, one product never sold afterwards.
  clock.set(new Date(Date.UTC(2026, 9, 10, 2)));
  await write({ kind: 'purchase', items: [{ product: 'T恤', quantity: 60, unitPrice: 2000 }, { product: '旧款', quantity: 12, unitPrice: 3000 }, { product: '帽子', quantity: 40, unitPrice: 800 }] });
  clock.set(new Date(Date.UTC(2026, 9, 20, 2)));
  await write({ kind: 'sale', channel: '淘宝', items: [{ product: 'T恤', quantity: 5, unitPrice: 5900 }] });
  clock.set(at(16, 10));
  await write({ kind: 'purchase', items: [{ product: '短裤', quantity: 30, unitPrice: 1500 }, { product: '预售款', quantity: 2, unitPrice: 5000 }, { product: '代发杯', quantity: 1, unitPrice: 900 }] });
  await write({ kind: 'supplierReturn', items: [{ product: '代发杯', quantity: 1 }] });
  const ids = new Map((await t.store.products(shop.id)).map((p) => [p.name, p.id]));
  await t.store.updateProduct(shop.id, ids.get('T恤') as number, { reorderLevel: 10, salePrice: 5900 });
  await t.store.updateProduct(shop.id, ids.get('短裤') as number, { leadTimeDays: 3, salePrice: 3900 });
  await t.store.updateProduct(shop.id, ids.get('帽子') as number, { overstockLevel: 20, salePrice: 2500 });
  await t.store.updateProduct(shop.id, ids.get('预售款') as number, { mode: 'presale', salePrice: 9900 });
  await t.store.updateProduct(shop.id, ids.get('代发杯') as number, { mode: 'dropship', salePrice: 1990 });

  const next = mulberry32(7);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const channels = ['淘宝', '抖音', undefined];
  for (let day = 23; day <= 29; day++) {
    clock.set(at(day, 9, int(0, 59)));
    if (day % 2 === 1) await write({ kind: 'purchase', items: [{ product: '短裤', quantity: int(5, 15), unitPrice: int(1400, 1600) }] });
    for (let i = 0; i < 6; i++) {
      clock.set(at(day, 10 + i, int(0, 59)));
      const product = ['T恤', '短裤', '帽子', '代发杯'][int(0, 3)] as string;
      await write({ kind: 'sale', channel: channels[int(0, 2)], items: [{ product, quantity: int(1, 3), unitPrice: int(1900, 6000) }] });
    }
    clock.set(at(day, 17));
    if (day === 24) {
      const [seq] = await write({ kind: 'sale', channel: '抖音', items: [{ product: 'T恤', quantity: 2 }] });
      await undo(seq as number);
      await write({ kind: 'customerReturn', channel: '淘宝', items: [{ product: 'T恤', quantity: 1, total: 5900 }] });
      await write({ kind: 'transfer', items: [{ product: '帽子', quantity: 5 }], to: '二仓' });
    }
    if (day === 25) {
      await write({ kind: 'stocktake', items: [{ product: '帽子', quantity: 30 }] });
      await write({ kind: 'sale', items: [{ product: '预售款', quantity: 5, unitPrice: 9900 }] });
      // Recorded today for yesterday: it belongs to the 24th's figures, not the 25th's.
      await write({ kind: 'sale', channel: '淘宝', occurredAt: at(24, 20), items: [{ product: '短裤', quantity: 2, unitPrice: 3900 }] });
    }
    if (day === 26) {
      await write({ kind: 'supplierReturn', items: [{ product: '短裤', quantity: 3 }] });
      await write({ kind: 'purchase', items: [{ product: 'T恤', quantity: 10, unitPrice: 2100 }] });
    }
    if (day === 27) {
      const [seq] = await write({ kind: 'customerReturn', items: [{ product: '短裤', quantity: 1, total: 3900 }] });
      await undo(seq as number);
      await write({ kind: 'sale', channel: '抖音', items: [{ product: '帽子', quantity: 1, unitPrice: 2500 }] });
    }
    clock.set(at(day, 21));
    const date = `2026-11-${day}`;
    const window = digestWindow(clock.now(), ZONE, date);
    digests.push({ date, window, digest: await collectDigest(queries, shop, window), ledger: await t.store.entries(shop.id) });
  }
});
afterAll(() => t.cleanup());

/** Figures worked out from the entries alone, the way an accountant would with the export. */
function fromLedger(ledger: EntryView[], window: { dayFrom: Date; dayTo: Date; monthFrom: Date; asOf: Date }) {
  const byId = new Map(ledger.map((e) => [e.id, e]));
  const kindOf = (e: EntryView) => (e.kind === 'reversal' ? (byId.get(e.reversesId as number) as EntryView).kind : e.kind);
  const within = (e: EntryView, from: Date, to: Date) => e.occurredAt >= from && e.occurredAt < to;
  const sum = (rows: EntryView[], f: (e: EntryView) => number) => rows.reduce((s, e) => s + f(e), 0);
  const trading = (e: EntryView) => ['sale', 'customer_return'].includes(kindOf(e));
  const saleCount = (e: EntryView) => (e.kind === 'sale' ? 1 : e.kind === 'reversal' && kindOf(e) === 'sale' ? -1 : 0);

  const day = ledger.filter((e) => within(e, window.dayFrom, window.dayTo));
  const movements = new Map<string, Record<string, number>>();
  for (const e of day) {
    const k = kindOf(e);
    if (k.startsWith('transfer')) continue;
    const m = movements.get(e.product) ?? { purchasedMilli: 0, soldMilli: 0, customerReturnMilli: 0, supplierReturnMilli: 0, adjustedMilli: 0 };
    if (k === 'purchase') m.purchasedMilli = (m.purchasedMilli ?? 0) + e.qtyMilli;
    if (k === 'sale') m.soldMilli = (m.soldMilli ?? 0) - e.qtyMilli;
    if (k === 'customer_return') m.customerReturnMilli = (m.customerReturnMilli ?? 0) + e.qtyMilli;
    if (k === 'supplier_return') m.supplierReturnMilli = (m.supplierReturnMilli ?? 0) - e.qtyMilli;
    if (k === 'adjustment') m.adjustedMilli = (m.adjustedMilli ?? 0) + e.qtyMilli;
    movements.set(e.product, m);
  }
  for (const [name, m] of movements) if (Object.values(m).every((v) => v === 0)) movements.delete(name);

  const channels = new Map<string | null, { salesCount: number; revenue: number; cost: number }>();
  for (const e of day.filter(trading)) {
    const c = channels.get(e.channel) ?? { salesCount: 0, revenue: 0, cost: 0 };
    channels.set(e.channel, { salesCount: c.salesCount + saleCount(e), revenue: c.revenue + e.amount, cost: c.cost + e.cost });
  }

  const stock = new Map<string, { qtyMilli: number; value: number }>();
  for (const e of ledger) {
    const s = stock.get(e.product) ?? { qtyMilli: 0, value: 0 };
    // A dropship sale records revenue and cost but moves no stock (no location).
    stock.set(e.product, { qtyMilli: s.qtyMilli + (e.locationId === null ? 0 : e.qtyMilli), value: s.value + e.valueDelta });
  }

  const month = ledger.filter((e) => within(e, window.monthFrom, window.dayTo) && trading(e));
  const windowFrom = new Date(window.asOf.getTime() - 14 * DAY);
  const noSaleFrom = new Date(window.asOf.getTime() - 30 * DAY);
  const rate = (product: string) => -sum(ledger.filter((e) => e.product === product && trading(e) && within(e, windowFrom, window.asOf)), (e) => e.qtyMilli);
  const recentSales = (product: string) => sum(ledger.filter((e) => e.product === product && within(e, noSaleFrom, window.asOf)), saleCount);
  return {
    movements,
    channels,
    stock,
    month: { revenue: sum(month, (e) => e.amount), cost: sum(month, (e) => e.cost), salesCount: sum(month, saleCount) },
    rate,
    recentSales,
  };
}

describe('a scripted week, every digest figure against the ledger', () => {
  it('built seven evening digests with trade on every day', () => {
    expect(digests.map((d) => d.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    for (const { digest } of digests) expect(digest.quiet).toBe(false);
  });

  for (let i = 0; i < 7; i++) {
    it(`2026-11-${23 + i}`, async () => {
      const { digest: d, ledger, window } = digests[i] as (typeof digests)[number];
      const l = fromLedger(ledger, window);
      const products = new Map((await queries.products(shop.id)).map((p) => [p.name, p]));

      // Today by product and by channel.
      expect(new Map(d.movements.map(({ product, purchasedMilli, soldMilli, customerReturnMilli, supplierReturnMilli, adjustedMilli }) => [product, { purchasedMilli, soldMilli, customerReturnMilli, supplierReturnMilli, adjustedMilli }]))).toEqual(l.movements);
      const channels = new Map([...l.channels].filter(([, c]) => c.salesCount !== 0 || c.revenue !== 0).map(([k, c]) => [k, { salesCount: c.salesCount, revenue: c.revenue }]));
      expect(new Map(d.channels.map((c) => [c.channel, { salesCount: c.salesCount, revenue: c.revenue }]))).toEqual(channels);
      const dayRevenue = [...l.channels.values()].reduce((s, c) => s + c.revenue, 0);
      const dayCost = [...l.channels.values()].reduce((s, c) => s + c.cost, 0);
      expect(d.sales).toEqual({ salesCount: [...l.channels.values()].reduce((s, c) => s + c.salesCount, 0), revenue: dayRevenue });

      // Stock.
      const stocked = [...l.stock.values()].filter((s) => s.qtyMilli > 0);
      expect(d.stock.skus).toBe(stocked.length);
      expect(d.stock.unitsMilli).toBe(stocked.reduce((s, r) => s + r.qtyMilli, 0));
      expect(d.stock.value).toBe([...l.stock.values()].reduce((s, r) => s + r.value, 0));

      // Money, day and month so far.
      expect(d.profit.day).toMatchObject({ revenue: dayRevenue, cost: dayCost, grossProfit: dayRevenue - dayCost });
      expect(d.profit.month).toMatchObject({ revenue: l.month.revenue, cost: l.month.cost, grossProfit: l.month.revenue - l.month.cost });

      // Every product judged by the stated rules on ledger figures.
      for (const [name, p] of products) {
        if (p.mode === 'dropship') continue;
        const q = l.stock.get(name)?.qtyMilli ?? 0;
        const sold = Math.max(0, l.rate(name));
        const lead = p.leadTimeDays ?? 7;
        // The rate is over the 14-day window, or over the days the product has existed when fewer.
        const ageDays = Math.max(1, Math.ceil((d.asOf.getTime() - p.createdAt.getTime()) / DAY));
        const days = Math.min(14, ageDays);
        const short = (p.reorderLevel !== null && q <= p.reorderLevel * 1000) || (sold > 0 && q / (sold / days) < lead);
        const line = d.shortages.find((s) => s.product === name);
        expect(Boolean(line), `${name} short`).toBe(short);
        if (line) {
          const want = Math.max(Math.ceil((sold / days) * (lead + 7) / 1000) * 1000, (p.reorderLevel ?? 0) * 1000);
          expect(line.suggestMilli, `${name} suggestion`).toBe(Math.max(0, Math.ceil((want - q) / 1000) * 1000));
          expect(line.qtyMilli).toBe(q);
          continue;
        }
        const over =
          (p.overstockLevel !== null && q > p.overstockLevel * 1000) ||
          (ageDays >= 3 && sold > 0 && q / (sold / days) > 90) ||
          (q > 0 && l.recentSales(name) <= 0 && p.createdAt <= new Date(d.asOf.getTime() - 30 * DAY));
        expect(d.overstock.some((o) => o.product === name), `${name} overstock`).toBe(over);
      }
      const presale = products.get('预售款');
      const owed = -(l.stock.get('预售款')?.qtyMilli ?? 0);
      expect(d.backorders).toEqual(owed > 0 && presale ? [expect.objectContaining({ product: '预售款', owedMilli: owed })] : []);

      // The owner's copy shows the day's revenue and gross profit as the ledger has them.
      const text = renderDigest(d, { seeCost: true });
      expect(text).toContain(`销售额 ${yuanGrouped(dayRevenue)} 元`);
      expect(text).toContain(`毛利 ${yuanGrouped(dayRevenue - dayCost)} 元`);
      expect(text).toContain(`库存金额 ${yuanGrouped(d.stock.value)} 元`);
    });
  }

  it('counts a backdated entry on the day it happened, and undone entries not at all', async () => {
    const d24 = digests[1]?.digest as Digest;
    const d25 = digests[2]?.digest as Digest;
    expect(d25.movements.find((m) => m.product === '短裤')?.soldMilli ?? 0).toBe(
      fromLedger(digests[2]?.ledger as EntryView[], digests[2]?.window as DigestWindow).movements.get('短裤')?.soldMilli ?? 0,
    );
    // The 24th's digest was built before the backdated sale was recorded on the 25th.
    expect(d24.channels.find((c) => c.channel === '淘宝')?.revenue).toBe(fromLedger(digests[1]?.ledger as EntryView[], digests[1]?.window as DigestWindow).channels.get('淘宝')?.revenue);
    const late24 = await collectDigest(queries, shop, digestWindow(clock.now(), ZONE, '2026-11-24'));
    expect(late24.movements.find((m) => m.product === '短裤')?.soldMilli).toBe((d24.movements.find((m) => m.product === '短裤')?.soldMilli ?? 0) + 2000);
    expect(d24.movements.find((m) => m.product === 'T恤')?.customerReturnMilli).toBe(1000);
  });

  it('flags the October product nobody bought since as 滞销 and the oversold presale as 待发', () => {
    const last = digests[6]?.digest as Digest;
    expect(last.overstock.find((o) => o.product === '旧款')?.reasons).toEqual(['noSale']);
    expect(last.backorders.map((b) => b.product)).toEqual(['预售款']);
  });
});
