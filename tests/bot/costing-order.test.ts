import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEngine } from '../../src/bot/engine.ts';
import { REPOSTING_NOTE } from '../../src/bot/replies.ts';
import type { ShopRecord } from '../../src/core/ports.ts';
import { repost } from '../../src/core/repost.ts';
import { engineShop, source, type TestClock, type TestDb } from '../helpers/db.ts';

/**
 * Costing in the order things happened, as whole conversations on a real SQLite file: a purchase
 * typed the morning after the day's sales, a customer return entered days late, and a presale product
 * sold from zero stock through the purchases that fill its orders.
 */

let t: TestDb;
let clock: TestClock;
let engine: ChatEngine;
let shop: ShopRecord;
let n = 0;

beforeEach(async () => {
  ({ t, clock, engine, shop } = await engineShop());
});
afterEach(() => t.cleanup());

async function say(text: string): Promise<string> {
  n += 1;
  clock.advance(60_000);
  const reply = await engine.handle({ platform: 'test', chatId: 'c', chatType: 'group', messageId: String(n), userId: 'boss', text }, shop, 'owner');
  return reply?.text ?? '';
}

async function entries(product: string) {
  return (await t.store.entries(shop.id)).filter((e) => e.product === product);
}

/** Σ valueDelta of the product's entries, which must be its stock value; and that value. */
async function invariant(product: string): Promise<{ sum: number; value: number; purchasesLessCosts: number }> {
  const list = await entries(product);
  const value = (await t.store.stock(shop.id)).filter((r) => r.product === product).reduce((s, r) => s + r.value, 0);
  // A reversal counts as the kind it reverses: an undone purchase takes its amount back out.
  const kindOf = new Map(list.map((e) => [e.id, e.kind]));
  const purchase = (e: (typeof list)[number]) => e.kind === 'purchase' || (e.kind === 'reversal' && kindOf.get(e.reversesId ?? 0) === 'purchase');
  const purchasesLessCosts = list.reduce((s, e) => s + (purchase(e) ? e.amount - e.cost : -e.cost), 0);
  return { sum: list.reduce((s, e) => s + e.valueDelta, 0), value, purchasesLessCosts };
}

/** Nothing left to recompute: a fold of the product's whole history changes no entry. */
async function foldChangesNothing(product: string): Promise<void> {
  const p = (await t.store.products(shop.id)).find((x) => x.name === product);
  const out = await t.store.read(async (uow) => repost(await uow.repostRows(p?.id ?? 0, { occurredAt: new Date(0), seq: 0 })));
  expect(out.changed).toEqual([]);
}

describe('a purchase typed after the sales it came before', () => {
  it('`昨天 进货 …` after today’s sales changes today’s cost of sales and profit', async () => {
    await say('进货 T恤 10 件 单价 30');
    await say('卖了 T恤 10件 59元');
    expect(await say('利润 今天')).toContain('毛利 290.00 元（成本 300.00');

    // The delivery of yesterday, typed only now: today's sale took from 20 pieces at 20.00 on average.
    const reply = await say('昨天 进货 T恤 10 件 单价 10');
    expect(reply).toContain('进货 T恤 10件 × 10.00 = 100.00');
    expect(reply).toContain('库存 10件');
    expect(await say('利润 今天')).toContain('毛利 390.00 元（成本 200.00');
    const sale = (await entries('T恤')).find((e) => e.kind === 'sale');
    expect(sale).toMatchObject({ cost: 20000, valueDelta: -20000, amount: 59000, unitPrice: 5900 });
    expect(await say('查 T恤')).toContain('T恤：10件，均价 20.00，金额 200.00');
    expect(await invariant('T恤')).toEqual({ sum: 20000, value: 20000, purchasesLessCosts: 20000 });
    await foldChangesNothing('T恤');
  });

  it('refuses a sale dated before the stock it would take, saying what could leave then', async () => {
    await say('进货 袜子 10 双 单价 5');
    expect(await say('昨天 卖了 袜子 3双 12元')).toContain('❌ 袜子 库存不足：按记录的日期，默认仓 当时（算上之后的出入库）最多可出 0双，需要 3双');
    await say('昨天 进货 袜子 10 双 单价 4');
    await say('卖了 袜子 18双 12元');
    // Yesterday 10 were on hand, but today's sale needs all but 2 of the 20.
    expect(await say('昨天 卖了 袜子 5双 12元')).toContain('最多可出 2双，需要 5双');
    expect(await entries('袜子')).toHaveLength(3);
    expect(await say('昨天 卖了 袜子 2双 12元')).toContain('✅');
    expect(await say('查 袜子')).toContain('袜子：0双');
    expect(await invariant('袜子')).toEqual({ sum: 0, value: 0, purchasesLessCosts: 0 });
  });

  it('undoing yesterday’s purchase costs today’s sales again without it', async () => {
    await say('昨天 进货 帽子 10 顶 单价 10');
    await say('进货 帽子 10 顶 单价 30');
    await say('卖了 帽子 5顶 50元');
    expect((await entries('帽子')).find((e) => e.kind === 'sale')?.cost).toBe(10000);
    expect(await say('撤销 #1')).toContain('已撤销 #1');
    // Only today's purchase was there when the sale happened.
    expect((await entries('帽子')).find((e) => e.kind === 'sale')).toMatchObject({ cost: 15000, valueDelta: -15000 });
    expect(await invariant('帽子')).toEqual({ sum: 15000, value: 15000, purchasesLessCosts: 15000 });
    await foldChangesNothing('帽子');
  });
});

describe('a customer return entered late', () => {
  it('comes back at the average of its date and changes the cost of what was sold after it', async () => {
    clock.set('2026-11-20T02:00:00Z');
    await say('进货 衬衫 10 件 单价 10');
    await say('卖了 衬衫 5件 50元');
    clock.set('2026-11-25T02:00:00Z');
    await say('进货 衬衫 5 件 单价 30');
    clock.set('2026-11-27T02:00:00Z');
    await say('卖了 衬衫 10件 50元');
    expect((await entries('衬衫')).at(-1)?.cost).toBe(20000);

    // A return of the 21st, typed today: 2 pieces back at 10.00, so the 27th's sale took 10 of 12
    // pieces worth 220.00.
    expect(await say('11月21日 退货 衬衫 2件 退款 100')).toContain('✅');
    const list = await entries('衬衫');
    expect(list.find((e) => e.kind === 'customer_return')).toMatchObject({ cost: -2000, valueDelta: 2000, amount: -10000 });
    expect(list.filter((e) => e.kind === 'sale').map((e) => e.cost)).toEqual([5000, 18333]);
    expect(await say('查 衬衫')).toContain('衬衫：2件，均价 18.34，金额 36.67');
    expect(await invariant('衬衫')).toEqual({ sum: 3667, value: 3667, purchasesLessCosts: 3667 });
    await foldChangesNothing('衬衫');
  });
});

describe('presale from zero stock through the purchases that fill its orders', () => {
  it('says how much of each purchase covers 待发 and settles the sale’s cost at what the goods cost', async () => {
    await say('进货 手办 3 个 单价 80');
    await say('卖了 手办 3个 199');
    await say('设置 手办 预售');
    expect(await say('卖了 手办 37个 199')).toContain('库存 -37个（待发 37个）');
    // Nothing on hand: costed at the latest purchase price until goods arrive.
    expect((await entries('手办')).at(-1)).toMatchObject({ cost: 37 * 8000, valueDelta: -37 * 8000 });

    const first = await say('进货 手办 20 个 单价 100');
    expect(first).toContain('✅ #4 进货 手办 20个 × 100.00 = 2,000.00 → 库存 -17个（待发 17个），其中 20个 用于待发订单');
    const second = await say('进货 手办 30 个 单价 110');
    expect(second).toContain('→ 库存 13个，其中 17个 用于待发订单');
    // 20 at 100.00 and 17 at 110.00: the presale sale's cost is what filled it.
    expect((await entries('手办')).find((e) => e.seq === 3)).toMatchObject({ cost: 20 * 10000 + 17 * 11000, valueDelta: -(20 * 10000 + 17 * 11000) });
    expect(await say('利润 今天')).toContain('成本 4,110.00');
    expect(await invariant('手办')).toEqual({ sum: 13 * 11000, value: 13 * 11000, purchasesLessCosts: 13 * 11000 });
    expect(await say('进货 手办 5 个 单价 110')).not.toContain('待发订单');
    await foldChangesNothing('手办');
  });
});

describe('a backdated entry into a long history', () => {
  it('is queued, reports say costs are being updated, and the bot finishes it', async () => {
    const day = (d: number, h: number) => new Date(Date.UTC(2026, 10, d, h));
    const rows = [];
    for (let i = 0; i < 1100; i++) {
      const at = new Date(day(2, 1).getTime() + i * 60_000);
      rows.push({ req: { kind: 'purchase' as const, items: [{ product: '矿泉水', quantity: 2, unitPrice: 100 + (i % 7) }], occurredAt: at }, source: source() });
      rows.push({ req: { kind: 'sale' as const, items: [{ product: '矿泉水', quantity: 1, unitPrice: 300 }], occurredAt: new Date(at.getTime() + 30_000) }, source: source() });
    }
    expect((await engine.service.recordBatch(shop.id, rows)).every((r) => r.ok)).toBe(true);
    expect(await say('利润 本月')).not.toContain(REPOSTING_NOTE);

    expect(await say('11月1日 进货 矿泉水 100 件 单价 0.8')).toContain('✅');
    expect(await t.store.queuedReposts(shop.id)).toHaveLength(1);
    expect(await say('利润 本月')).toContain(REPOSTING_NOTE);
    // Σ valueDelta is the stock value even before the repost runs.
    expect((await invariant('矿泉水')).sum).toBe((await invariant('矿泉水')).value);

    expect(await engine.service.runQueuedReposts()).toBe(1);
    expect(await t.store.queuedReposts(shop.id)).toEqual([]);
    expect(await say('利润 本月')).not.toContain(REPOSTING_NOTE);
    await foldChangesNothing('矿泉水');
    const check = await invariant('矿泉水');
    expect(check.sum).toBe(check.value);
    expect(check.purchasesLessCosts).toBe(check.value);
    // The first sale after the 1st took from 102 bottles, 100 of them at 0.80.
    expect((await entries('矿泉水')).find((e) => e.kind === 'sale')?.cost).toBe(Math.round((100 * 80 + 2 * 100) / 102));
  });
});
