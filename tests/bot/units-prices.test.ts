import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatEngine } from '../../src/bot/engine.ts';
import type { ShopRecord } from '../../src/core/ports.ts';
import { createTestDb, engineDeps, TestClock, type TestDb } from '../helpers/db.ts';

/**
 * Units, prices and line totals through the real engine on a real SQLite file: what the owner
 * reads back, what the ledger holds, and that a question or refusal leaves the ledger untouched.
 */

let t: TestDb;
let engine: ChatEngine;
let shop: ShopRecord;
let n = 0;

beforeEach(async () => {
  t = createTestDb();
  const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  engine = new ChatEngine(t.store, clock, engineDeps(t.db));
  shop = await t.store.createShop('店', clock.now());
});
afterEach(() => t.cleanup());

async function say(text: string): Promise<string> {
  n += 1;
  const reply = await engine.handle({ platform: 'test', chatId: 'c', chatType: 'group', messageId: String(n), userId: 'boss', text }, shop, 'owner');
  return reply?.text ?? '';
}

async function staffSays(text: string): Promise<string> {
  n += 1;
  const reply = await engine.handle({ platform: 'test', chatId: 'c', chatType: 'group', messageId: String(n), userId: 'li', text }, shop, 'staff');
  return reply?.text ?? '';
}

async function ledger() {
  return (await t.store.entries(shop.id)).map((e) => ({ seq: e.seq, kind: e.kind, product: e.product, qtyMilli: e.qtyMilli, unitPrice: e.unitPrice, amount: e.amount }));
}

async function stockOf(product: string): Promise<string> {
  return await say(`查 ${product}`);
}

/** Says a line that must be answered without writing anything. */
async function refused(text: string): Promise<string> {
  const before = JSON.stringify(await ledger());
  const stock = JSON.stringify(await t.store.stock(shop.id));
  const reply = await say(text);
  expect(JSON.stringify(await ledger())).toBe(before);
  expect(JSON.stringify(await t.store.stock(shop.id))).toBe(stock);
  return reply;
}

describe('line totals in every confirmation', () => {
  it('shows quantity × unit price = amount, and the quantity as written', async () => {
    expect(await say('进货 T恤 50 件 单价 20')).toContain('✅ #1 进货 T恤 50件 × 20.00 = 1,000.00 → 库存 50件');
    expect(await say('卖了 T恤 3件 59元 淘宝')).toContain('✅ #2 出货 T恤 3件 × 59.00 = 177.00 淘宝 → 库存 47件');
    expect(await say('进货 雪碧 240瓶 单价 2')).toContain('240瓶 × 2.00 = 480.00');
    await say('设置 雪碧 1箱=24瓶');
    expect(await say('进货 雪碧 3箱 每箱48')).toContain('✅ #4 进货 雪碧 72瓶（3箱） × 2.00 = 144.00 → 库存 312瓶');
    expect(await say('卖了 雪碧 一箱半 每瓶3')).toContain('出货 雪碧 36瓶（一箱半） × 3.00 = 108.00 → 库存 276瓶');
    expect((await ledger()).at(-1)).toMatchObject({ qtyMilli: -36000, unitPrice: 300, amount: 10800 });
  });

  it('reads a written total that is not a whole 分 per unit as 共, with the amount as written', async () => {
    expect(await say('进货 T恤 3件 共100')).toContain('进货 T恤 3件 共 100.00（约 33.33/件）');
    expect((await ledger()).at(-1)).toMatchObject({ amount: 10000 });
  });

  it('records a zero price only with a visible warning', async () => {
    const reply = await say('进货 赠品袋 100个 单价 0');
    expect(reply).toContain('✅ #1 进货 赠品袋 100个 × 0.00 = 0.00');
    expect(reply).toContain('⚠️ #1 单价是 0，按 0 元记了。写错了请发：改 #1 单价 59');
  });
});

describe('compound and fractional quantities', () => {
  it('converts weights among themselves and adds up parts exactly', async () => {
    await say('进货 核桃 10斤 单价 15');
    expect(await say('卖了 核桃 1斤2两 单价 30')).toContain('出货 核桃 1.2斤（1斤2两） × 30.00 = 36.00 → 库存 8.8斤');
    expect(await say('卖了 核桃 半斤 30')).toContain('出货 核桃 0.5斤 × 30.00 = 15.00 → 库存 8.3斤');
    // A price belongs to the unit it was written with: 30 a kg is 15 a 斤.
    expect(await say('卖了 核桃 0.5kg 30')).toContain('出货 核桃 1斤（0.5kg） × 15.00 = 15.00 → 库存 7.3斤');
    expect(await say('卖了 核桃 250g 共8')).toContain('出货 核桃 0.5斤（250g） × 16.00 = 8.00 → 库存 6.8斤');
  });

  it('knows 打 is 12 and a 箱 only through the product setting', async () => {
    await say('进货 鸡蛋 100个 单价 1');
    // 1.5 a dozen is far below the 1.00 each the eggs cost: asked, not guessed.
    expect(await refused('卖了 鸡蛋 2打 1.5')).toContain('② 每个 1.50，这一行共 36.00');
    expect(await say('卖了 鸡蛋 2打 每个1.5')).toContain('出货 鸡蛋 24个（2打） × 1.50 = 36.00 → 库存 76个');
    expect(await refused('卖了 鸡蛋 1箱')).toContain('还没有设置「箱」的换算');
  });

  it('refuses 3箱6瓶 for a product without the conversion instead of dropping a part', async () => {
    await say('进货 雪碧 100瓶 单价 2');
    expect(await refused('卖了 雪碧 3箱6瓶')).toContain('还没有设置「箱」的换算');
    await say('设置 雪碧 1箱=24瓶');
    expect(await say('卖了 雪碧 3箱6瓶 每瓶3')).toContain('出货 雪碧 78瓶（3箱6瓶） × 3.00 = 234.00 → 库存 22瓶');
  });
});

describe('setting a conversion keeps the books true', () => {
  it('refuses to relabel stock kept in 箱 as 瓶, and the stock stays 10箱', async () => {
    await say('进货 雪碧 10箱 单价 48');
    const reply = await refused('设置 雪碧 1箱=24瓶');
    expect(reply).toContain('❌ 雪碧 的记录和库存都是按箱记的（现有库存 10箱），不能改成按瓶计');
    expect(reply).toContain('例：设置 雪碧 1托=50箱');
    expect(await stockOf('雪碧')).toContain('雪碧：10箱');
    // Selling by the 箱 still works.
    expect(await say('卖了 雪碧 2箱 60')).toContain('出货 雪碧 2箱 × 60.00 = 120.00 → 库存 8箱');
  });

  it('lets a product kept in loose 件 become 瓶 one for one, and says so', async () => {
    await say('进货 可乐 10 单价 2');
    const reply = await say('设置 可乐 1箱=24瓶');
    expect(reply).toContain('✅ 可乐：1箱 = 24瓶（库存按瓶计）');
    expect(reply).toContain('以前按件记的数量，现在按瓶算');
    expect(await stockOf('可乐')).toContain('可乐：10瓶');
    expect(await say('进货 可乐 1箱 每箱48')).toContain('24瓶（1箱） × 2.00 = 48.00 → 库存 34瓶');
  });

  it('adds a conversion to a product already kept in the base unit', async () => {
    await say('进货 雪碧 48瓶 单价 2');
    expect(await say('设置 雪碧 1箱=24瓶')).toContain('✅ 雪碧：1箱 = 24瓶');
    expect(await stockOf('雪碧')).toContain('雪碧：48瓶');
  });
});

describe('a price that reads two ways is asked about, never guessed', () => {
  it('卖了 核桃 500g 16 is not recorded as 8,000 a 斤', async () => {
    await say('进货 核桃 10斤 单价 12');
    const reply = await refused('卖了 核桃 500g 16');
    expect(reply).toContain('❓ 核桃 500g 的价格「16」可以有两种读法，这条没有记账');
    expect(reply).toContain('每g 16.00：合 8,000.00 元/斤');
    expect(reply).toContain('出货 核桃 500g 共16');
    expect(await say('卖了 核桃 500g 共16')).toContain('出货 核桃 1斤（500g） × 16.00 = 16.00');
    // Each suggested way of writing it is taken as written, not asked about again.
    expect(await say('卖了 核桃 500g 每g 16')).toContain('出货 核桃 1斤（500g） × 8000.00 = 8,000.00');
  });

  it('asks when the number looks like the line total', async () => {
    await say('进货 T恤 50 件 单价 20');
    await say('设置 T恤 售价 59');
    const reply = await refused('卖了 T恤 10件 590');
    expect(reply).toContain('① 每件 590.00');
    expect(reply).toContain('② 共 590.00：合 59.00 元/件');
    expect(reply).toContain('出货 T恤 10件 共590');
    expect(await say('卖了 T恤 10件 共590')).toContain('10件 × 59.00 = 590.00');
    expect(await say('卖了 T恤 1件 每件590')).toContain('1件 × 590.00 = 590.00');
  });

  it('asks when a price per 瓶 looks like a price per 箱', async () => {
    await say('进货 雪碧 48瓶 单价 2');
    await say('设置 雪碧 1箱=24瓶');
    const reply = await refused('进货 雪碧 72瓶 48');
    expect(reply).toContain('每箱 48.00：合 2.00 元/瓶');
    expect(reply).toContain('进货 雪碧 72瓶 每箱48');
  });

  it('shows staff the readings but never the cost', async () => {
    await say('进货 T恤 50 件 单价 20');
    const reply = await staffSays('进货 T恤 10件 200');
    expect(reply).toContain('❓ T恤 10件 的价格「200」');
    expect(reply).not.toContain('平均成本');
    expect(await say('进货 T恤 10件 200')).toContain('平均成本 20.00 元/件');
    const far = await staffSays('进货 T恤 10件 5000');
    expect(far).toContain('⚠️ T恤 这次合 5,000.00 元/件，和以往差很多');
    expect(far).not.toContain('20.00');
  });

  it('records a far price that reads only one way, and says it is far', async () => {
    await say('进货 T恤 50 件 单价 20');
    await say('设置 T恤 售价 59');
    const reply = await say('卖了 T恤 1件 990');
    expect(reply).toContain('✅ #2 出货 T恤 1件 × 990.00 = 990.00');
    expect(reply).toContain('⚠️ T恤 这次合 990.00 元/件，和以往（售价 59.00 元/件、平均成本 20.00 元/件）差很多');
  });

  it('records a price within 5× of what the shop knows', async () => {
    await say('进货 T恤 50 件 单价 20');
    await say('设置 T恤 售价 59');
    expect(await say('卖了 T恤 2件 120')).toContain('2件 × 120.00 = 240.00');
  });
});

describe('discounts and extras', () => {
  beforeEach(async () => {
    await say('进货 T恤 50 件 单价 20');
    await say('进货 短裤 30 条 单价 15');
    await say('设置 T恤 售价 59');
  });

  it('applies 8折 to the set 售价', async () => {
    expect(await say('卖了 T恤 3件 打8折')).toContain('出货 T恤 3件 × 47.20（8折） = 141.60');
    expect((await ledger()).at(-1)).toMatchObject({ unitPrice: 4720, amount: 14160 });
  });

  it('takes 优惠 off the line', async () => {
    expect(await say('卖了 T恤 3件 59 优惠5元')).toContain('出货 T恤 3件 × 59.00 − 优惠 5.00 = 172.00');
    expect((await ledger()).at(-1)).toMatchObject({ amount: 17200 });
  });

  it('spreads 运费 over a purchase as landed cost, exact to the 分', async () => {
    const reply = await say('进货 T恤 10件 20，短裤 10条 10 运费 30');
    expect(reply).toContain('进货 T恤 10件 × 20.00 + 运费 20.00 = 220.00');
    expect(reply).toContain('进货 短裤 10条 × 10.00 + 运费 10.00 = 110.00');
    const last = (await ledger()).slice(-2);
    expect(last.reduce((s, e) => s + e.amount, 0)).toBe(20000 + 10000 + 3000);
  });

  it('refuses a discount larger than the line', async () => {
    expect(await refused('卖了 T恤 1件 59 优惠100元')).toContain('❌ T恤：优惠比这一行的金额还多');
  });

  it('keeps 运费 written as its own segment', async () => {
    const reply = await say('进货 T恤 10件 20，短裤 10条 10，运费 30');
    expect(reply).toContain('进货 T恤 10件 × 20.00 + 运费 20.00 = 220.00');
    expect(reply).toContain('进货 短裤 10条 × 10.00 + 运费 10.00 = 110.00');
  });

  it('refuses 运费 on a sale with an example, never "several prices"', async () => {
    const reply = await refused('卖了 T恤 1件 59 运费10');
    expect(reply).toContain('运费只能记在进货上');
    expect(reply).not.toContain('多个');
  });
});
