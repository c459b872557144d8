// 缺货 / 积压 / 滞销 have one definition (src/core/stock-health.ts): `查 缺货`, `查 积压`, `滞销`, the
// 日报 of a period, the daily digest and the low-stock alert must name the same products, on a real ledger.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLowStockAlerts } from '../../src/adapters/cron/low-stock.ts';
import { SqliteAccessStore } from '../../src/adapters/prisma/sqlite-access.ts';
import { SqliteDigestStore } from '../../src/adapters/prisma/sqlite-digest.ts';
import { digestWindow } from '../../src/bot/digest.ts';
import { ChatEngine } from '../../src/bot/engine.ts';
import { ChatGateway } from '../../src/bot/gateway.ts';
import { AccessService } from '../../src/core/access.service.ts';
import { collectDigest } from '../../src/core/digest.ts';
import { createTestDb, engineDeps, TestClock, type TestDb } from '../helpers/db.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-11-27T04:00:00Z');

let t: TestDb;
let clock: TestClock;
let gateway: ChatGateway;
let digest: SqliteDigestStore;
let n = 0;

async function say(text: string, daysAgo = 0): Promise<string> {
  clock.set(new Date(NOW.getTime() - daysAgo * DAY));
  n += 1;
  const reply = await gateway.handle({ platform: 'telegram', chatId: 'p-boss', chatType: 'private', messageId: String(n), userId: 'boss', userName: 'boss', text });
  return reply?.text ?? '';
}

/** The product names of a reply's `· name qty…` lines. */
const listed = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('· ')).map((l) => l.slice(2).split(' ')[0] ?? '').sort();

beforeEach(async () => {
  t = createTestDb();
  clock = new TestClock(NOW);
  digest = new SqliteDigestStore(t.db);
  gateway = new ChatGateway(new ChatEngine(t.store, clock, engineDeps(t.db)), new AccessService(new SqliteAccessStore(t.db), t.store, clock, { owners: [] }), clock);
  expect(await say('开店 小店', 41)).toContain('店铺「小店」已开通');
  await say('进货 旧款 10件 单价 10', 40); // never sold: 滞销
  await say('进货 帽子 6个 单价 10', 40);
  await say('设置 帽子 预警 5', 40);
  await say('卖了 帽子 1个 20', 3); // at its reorder level: 缺货
  await say('进货 袜子 40双 单价 5', 20);
  await say('卖了 袜子 28双 9', 5); // 2 a day over 14 days, 12 left: 6 days of cover < 7 days lead time: 缺货
  await say('进货 毛衣 300件 单价 50', 20);
  await say('设置 毛衣 积压 200', 20);
  await say('卖了 毛衣 1件 99', 2); // above its overstock level: 积压
  await say('进货 手套 100双 单价 8', 20);
  await say('卖了 手套 10双 15', 3); // 90 left at 10 per 14 days: 126 days of cover > 90: 积压
  await say('进货 裤子 30条 单价 30', 20);
  await say('卖了 裤子 14条 60', 5); // 16 left at 1 a day: neither
  await say('进货 新卫衣 30件 单价 35', 1);
  await say('卖了 新卫衣 1件 79', 0); // a day old: neither 积压 nor 406 days of cover
});
afterEach(() => t.cleanup());

describe('one rule for 缺货 and 积压', () => {
  it('查 缺货, 查 积压, 滞销, the period 日报 and the digest name the same products', async () => {
    clock.set(NOW);
    const d = await collectDigest(digest, { id: 1, name: '小店', timeZone: 'Asia/Shanghai' }, digestWindow(NOW, 'Asia/Shanghai'));
    const short = d.shortages.map((s) => s.product).sort();
    const over = d.overstock.map((s) => s.product).sort();
    expect(short).toEqual(['帽子', '袜子']);
    expect(over).toEqual(['手套', '旧款', '毛衣']);
    expect(d.overstock.find((o) => o.product === '旧款')?.reasons).toEqual(['noSale']);

    expect(listed(await say('查 缺货'))).toEqual(short);
    expect(listed(await say('查 积压'))).toEqual(over);
    const slow = await say('滞销');
    expect(slow).toContain('旧款');
    for (const name of ['帽子', '袜子', '毛衣', '手套', '裤子', '新卫衣']) expect(slow).not.toContain(name);
    const week = await say('日报 本周');
    expect(week).toMatch(/缺货\/低库存：帽子 \d+个，袜子 \d+双|缺货\/低库存：袜子 \d+双，帽子 \d+个/);
    expect(week).toMatch(/积压：/);
    for (const name of over) expect(week.split('\n').find((l) => l.startsWith('📦 积压'))).toContain(name);
  });

  it('the low-stock alert fires when a sale makes a product short by the same rule, and 查 缺货 then lists it', async () => {
    await say('设置 缺货提醒 开');
    const sent: string[] = [];
    const alerts = createLowStockAlerts({
      queries: digest,
      runs: digest,
      outbox: { has: () => true, send: async (_p, _c, text) => (sent.push(text), { ok: true as const }) },
      clock,
      logger: { info() {}, warn() {}, error() {} },
    });
    n += 1;
    clock.set(NOW);
    // 裤子: 16 left; selling 10 leaves 6 at 24 per 14 days: 3.5 days of cover, under the 7-day lead time.
    const reply = await gateway.handle({ platform: 'telegram', chatId: 'p-boss', chatType: 'private', messageId: String(n), userId: 'boss', userName: 'boss', text: '卖了 裤子 10条 60' });
    expect(reply?.intent).toBe('sale');
    clock.set(new Date(NOW.getTime() + 60_000)); // the alert runs just after the sale was recorded
    expect(await alerts.afterReply(1, reply as NonNullable<typeof reply>)).toBeGreaterThan(0);
    expect(sent).toEqual(['⚠️ 低库存：裤子 只剩 6条，按最近销量只够卖3.5天，该补货了。']);
    expect(listed(await say('查 缺货', -60_000 / DAY))).toEqual(['帽子', '袜子', '裤子']);
  });
});
