import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatEngine } from '../../src/bot/engine.ts';
import type { Role } from '../../src/bot/permissions.ts';
import { createTestDb, engineDeps, TestClock, type TestDb } from '../helpers/db.ts';

// How staff really write, through the engine on a real SQLite file built from the migrations:
// each assertion is what a user would see (the reply) or what the books hold (the entries).

let t: TestDb;
let engine: ChatEngine;
let shop: Awaited<ReturnType<TestDb['store']['createShop']>>;
let n = 0;
const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));

beforeAll(async () => {
  t = createTestDb();
  engine = new ChatEngine(t.store, clock, engineDeps(t.db));
  shop = await t.store.createShop('小店', clock.now());
  for (const line of ['进货 卫衣 50件 35', '进货 帆布包 40个 12', '进货 保温杯 30个 18', '进货 T恤 白色 L 20件 22', '进货 T恤 黑色 M 20件 22']) await say(line);
});
afterAll(() => t.cleanup());

async function say(text: string, opts: { role?: Role; user?: string; chatType?: 'group' | 'private'; id?: string } = {}) {
  n += 1;
  return await engine.handle(
    { platform: 'test', chatId: 'g', chatType: opts.chatType ?? 'group', messageId: opts.id ?? String(n), userId: opts.user ?? 'u1', userName: '小王', text },
    shop,
    opts.role ?? 'owner',
  );
}

async function lastEntries(count: number) {
  return (await t.store.entries(shop.id)).slice(-count);
}

describe('per-item fields and notes', () => {
  it('keeps each item its own channel and a trailing note, in the books and the confirmation', async () => {
    const reply = await say('卖了 卫衣 1件 89 淘宝 顾客要白色的，帆布包 1个 39 京东');
    expect(reply?.text).toMatch(/出货 卫衣 1件 × 89\.00 = 89\.00 淘宝 （顾客要白色的）/);
    const [a, b] = await lastEntries(2);
    expect([a?.product, a?.channel, a?.note]).toEqual(['卫衣', '淘宝', '顾客要白色的']);
    expect([b?.product, b?.channel, b?.note]).toEqual(['帆布包', '京东', null]);
  });

  it('never reads an order number as a price', async () => {
    await say('卖了 帆布包 1个 39 tb 单号 778899');
    const [e] = await lastEntries(1);
    expect([e?.unitPrice, e?.amount, e?.channel, e?.note]).toEqual([3900, 3900, '淘宝', '单号 778899']);
  });

  it('keeps an unknown channel as written', async () => {
    await say('卖了 保温杯 1个 49 朋友圈');
    expect((await lastEntries(1))[0]?.channel).toBe('朋友圈');
  });
});

describe('word order and pastes', () => {
  it('reads a channel and a day before the verb', async () => {
    // Stock is costed (and checked) at the sale's date: the cups were there by the 24th.
    await say('24号 进货 保温杯 5个 18');
    await say('25号 拼多多 卖出 保温杯 2个 45');
    const [e] = await lastEntries(1);
    expect(e?.channel).toBe('拼多多');
    expect(e?.occurredAt.toISOString()).toBe('2026-11-25T04:00:00.000Z');
  });

  it('handles a paste of two commands line by line, once even if delivered twice', async () => {
    const before = (await t.store.entries(shop.id)).length;
    const reply = await say('卖了 卫衣 2件 89\n进货 帆布包 20个 12', { id: 'paste-1' });
    expect(reply?.text.split('\n').filter((l) => l.startsWith('✅'))).toHaveLength(2);
    expect((await t.store.entries(shop.id)).length).toBe(before + 2);
    const again = await say('卖了 卫衣 2件 89\n进货 帆布包 20个 12', { id: 'paste-1' });
    expect(again?.duplicate).toBe(true);
    expect((await t.store.entries(shop.id)).length).toBe(before + 2);
  });

  it('answers a record without a verb with a one-line hint in a group, and stays silent on chatter', async () => {
    const before = (await t.store.entries(shop.id)).length;
    const hint = await say('卫衣 2件 89');
    expect(hint?.text).toMatch(/^💡 「卫衣 2件 89」是进货还是卖出？.*例：卖了 卫衣 2件 89/);
    expect(hint?.text.includes('\n')).toBe(false);
    expect(await say('卫衣颜色有点深')).toBeNull();
    expect(await say('下午开会 3点')).toBeNull();
    expect((await t.store.entries(shop.id)).length).toBe(before);
  });
});

describe('undo and corrections', () => {
  it('refuses a second plain 撤销 and points to 撤销 #N', async () => {
    await say('卖了 保温杯 1个 49', { user: 'u2' });
    const first = await say('撤销', { user: 'u2' });
    expect(first?.text).toMatch(/^↩️ 已撤销/);
    const before = (await t.store.entries(shop.id)).length;
    const second = await say('撤销', { user: 'u2' });
    expect(second?.text).toMatch(/^⛔ 刚才已经撤销过一次.*\n例：撤销 #\d+/);
    expect((await t.store.entries(shop.id)).length).toBe(before);
  });

  it('changes quantity and price in one 改, and a second 改 follows to the corrected entry', async () => {
    const sale = await say('卖了 帆布包 3个 39');
    const seq = sale?.entrySeqs[0] as number;
    const fixed = await say(`改 #${seq} 数量 2 单价 60`);
    expect(fixed?.text).toMatch(/^✏️|已更正|改/);
    let [e] = await lastEntries(1);
    expect([e?.kind, e?.qtyMilli, e?.unitPrice, e?.amount]).toEqual(['sale', -2000, 6000, 12_000]);
    await say(`改 #${seq} 数量 1`);
    [e] = await lastEntries(1);
    expect([e?.kind, e?.qtyMilli, e?.unitPrice, e?.amount]).toEqual(['sale', -1000, 6000, 6000]);
  });

  it('answers 刚才那条错了 with how to undo or correct', async () => {
    expect((await say('刚才那条错了，应该是3件'))?.text).toMatch(/^💡 .*撤销.*改 #12 数量 3 单价 59/);
  });
});

describe('locations', () => {
  it('moves stock to a shop floor, sells from it, moves it back to the main warehouse', async () => {
    expect((await say('调拨 帆布包 5个 从 仓库 到 门店'))?.text).toMatch(/^✅/);
    expect((await say('门店 卖了 帆布包 1个 39'))?.text).toMatch(/门店 库存 4个/);
    expect((await say('调拨 帆布包 4个 门店→仓库'))?.text).toMatch(/^✅/);
    const rows = (await t.store.stock(shop.id)).filter((r) => r.product === '帆布包');
    expect(rows.find((r) => r.location === '门店')?.qtyMilli).toBe(0);
    expect(rows.some((r) => r.location === '仓库')).toBe(false);
  });

  it('asks which place a stocktake is for when the product is kept in several', async () => {
    await say('调拨 卫衣 5件 到 门店');
    const before = (await t.store.entries(shop.id)).length;
    const ask = await say('盘点 卫衣 100');
    expect(ask?.text).toMatch(/^❓ 卫衣 在 2 个地方有库存（默认仓 \d+件，门店 5件）.*\n例：盘点 卫衣 100 在 门店/);
    expect((await t.store.entries(shop.id)).length).toBe(before);
    expect((await say('盘点 卫衣 4 在 门店'))?.text).toMatch(/^✅ .*盘亏 1件/);
  });
});

describe('questions and reports', () => {
  it('answers several products and lists the candidates of an ambiguous name', async () => {
    expect((await say('查 卫衣，帆布包'))?.text).toMatch(/^📦 卫衣：.*\n📦 帆布包：/);
    expect((await say('查 T恤'))?.text).toBe('❓ 「T恤」有 2 种：T恤 白色 L、T恤 黑色 M。要查哪一种？\n例：查 T恤 白色 L');
    expect((await say('有没有保温杯'))?.text).toMatch(/^📦 保温杯：/);
  });

  it('shows the purchase cost to owners only', async () => {
    expect((await say('卫衣 进价多少'))?.text).toMatch(/^💰 卫衣：库存均价 35\.00 元\/件，最近一次进价 35\.00 元/);
    expect((await say('卫衣 进价多少', { role: 'staff' }))?.text).toMatch(/^⛔ 进价和成本只有「老板」/);
  });

  it('gives a real weekly report, one product’s sales, and the day’s entries with notes', async () => {
    const week = (await say('周报'))?.text ?? '';
    expect(week).toMatch(/^📋 周报 本周（11月23日–11月29日）\n销售 \d+ 笔/);
    expect(week).not.toContain('日报');
    expect((await say('卫衣 这个月卖了多少'))?.text).toMatch(/^📈 卫衣 这个月.*卖出 \d+件/);
    const ledger = (await say('今天的流水'))?.text ?? '';
    expect(ledger).toMatch(/^🧾 流水 今天/);
    expect(ledger).toContain('（顾客要白色的）');
  });
});

describe('names', () => {
  it('matches word-order variants of a known name', async () => {
    expect((await say('卖了 白色T恤 L 1件 59'))?.text).toMatch(/^✅ #\d+ 出货 T恤 白色 L 1件/);
  });

  it('asks before a purchase creates a near-duplicate, and creates it when told it is new', async () => {
    const count = (await t.store.products(shop.id)).length;
    const ask = await say('进货 卫衣衣 10件 35');
    expect(ask?.text).toBe('❓ 「卫衣衣」是不是「卫衣」？为了不把一个商品记成两个，这条没有记账。\n是的话写：进货 卫衣 10件 35.00\n确实是新商品就写：进货 新品 卫衣衣 10件 35.00');
    expect((await t.store.products(shop.id)).length).toBe(count);
    expect((await say('进货 新品 卫衣衣 10件 35'))?.text).toContain('新商品已建档：卫衣衣');
    expect((await say('进货 围巾 10条 15'))?.text).toContain('新商品已建档：围巾');
  });

  it('does not take a different product that merely sounds alike for a duplicate', async () => {
    // 帽子 (maozi) and 毛衣 (maoyi) are two products: a sound one letter apart is no typo.
    expect((await say('进货 帽子 10个 12'))?.text).toContain('新商品已建档：帽子');
    expect((await say('进货 毛衣 10件 50'))?.text).toContain('新商品已建档：毛衣');
  });
});

describe('product codes', () => {
  it('accepts a SKU code wherever a name is, as soon as it is set', async () => {
    await say('进货 数据线 100个 3');
    expect((await say('设置 数据线 编码 DL-001'))?.text).toBe('✅ 数据线 编码：DL-001');
    expect((await say('卖了 DL-001 2个 15'))?.text).toMatch(/^✅ #\d+ 出货 数据线 2个 × 15\.00 = 30\.00/);
    expect((await say('查 dl-001'))?.text).toMatch(/^📦 数据线：98个/);
  });
});
