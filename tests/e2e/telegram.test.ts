import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegram, type RunningTelegram } from '../../src/adapters/telegram/start.ts';
import { PRIVATE_HINT } from '../../src/bot/engine.ts';
import { UNBOUND_HINT } from '../../src/bot/gateway.ts';
import { countHandled, Member, startEmulator, type Handled } from '../adapters/telegram/emulator.ts';
import { createTestApp, entryCount, stockOf, TOKEN, type TestApp } from '../adapters/telegram/harness.ts';
import { forEachStore } from '../helpers/both-stores.ts';

/**
 * Whole conversations through the real grammY bot, long polling a Bot API emulator on loopback:
 * every message goes Telegram → runner → gateway → database → reply → Telegram, on SQLite and on
 * PostgreSQL.
 */
forEachStore((store) => {
  let server: TelegramServer;
  let t: TestApp;
  let running: RunningTelegram;
  let handled: Handled;

  const GROUP = -1001;
  const member = (userId: number, firstName: string, userName: string, chatId = GROUP, chatTitle = '仓库群') =>
    new Member(server, TOKEN, handled, { type: chatId < 0 ? 'group' : 'private', chatId, chatTitle, userId, firstName, userName });

  let boss: Member;
  let li: Member;
  let zhang: Member;

  beforeAll(async () => {
    server = await startEmulator();
    t = await createTestApp({ DATABASE_URL: store.url(), TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: server.config.apiURL });
    const config = t.app.config.telegram;
    if (!config) throw new Error('TELEGRAM_BOT_TOKEN did not configure Telegram');
    // The emulator has no rate limits; the throttler has its own tests.
    running = await startTelegram(t.app, config, { throttle: false });
    handled = countHandled(running.bot);
    boss = member(1001, '老王', 'laowang');
    li = member(1002, '小李', 'xiaoli');
    zhang = member(1003, '小张', 'xiaozhang');
  });

  afterAll(async () => {
    await running.stop();
    await server.stop();
    await t.cleanup();
  });

  function only(said: { replies: { text: string }[] }): string {
    expect(said.replies).toHaveLength(1);
    return said.replies[0]?.text ?? '';
  }

  describe('the Telegram bot against a Bot API emulator', () => {
    it('started although the emulator lacks setMyCommands', () => {
      // DATABASE_URL alone chose the store.
      expect(t.app.stores.provider).toBe(store.name);
      expect(t.logs.some((l) => l.method === 'setMyCommands' && l.level === 40)).toBe(true);
      expect(t.logs.some((l) => l.msg === 'telegram bot started (long polling)' && l.bot === 'TestNameBot')).toBe(true);
    });

    it('keeps a group conversation: purchases, sales, a refusal, undo by reply and stock queries', async () => {
      expect(only(await boss.say('开店 小王服装'))).toContain('店铺「小王服装」已开通，你是老板');
      expect(only(await boss.say('设置 群成员 店员'))).toContain('群成员默认身份：店员');

      const tee = await li.say('进货 T恤 50 件 单价 20');
      expect(only(tee)).toBe('✅ #1 进货 T恤 50件 → 库存 50件（回复「撤销」可撤回）\n（新商品已建档：T恤）');
      expect(tee.replies[0]?.replyTo).toBe(tee.messageId);
      expect(tee.replies[0]?.undo).toBe(`undo:${tee.messageId}`);

      const restock = await li.say('入库 短裤 30条 15元，袜子 100双 共 250 元');
      expect(only(restock)).toContain('✅ #2 进货 短裤 30条 → 库存 30条\n✅ #3 进货 袜子 100双 → 库存 100双');

      expect(only(await zhang.say('出货 T恤 3 件 单价 59'))).toContain('✅ #4 出货 T恤 3件 × 59.00 = 177.00 → 库存 47件');
      const sale = await li.say('卖了 T恤 2件 59元 淘宝');
      expect(only(sale)).toContain('✅ #5 出货 T恤 2件 × 59.00 = 118.00 淘宝 → 库存 45件');

      const refused = await li.say('出货 T恤 100 件 单价 59');
      expect(only(refused)).toContain('❌ T恤 库存不足');
      expect(refused.replies[0]?.undo).toBeUndefined();

      expect((await li.say('今天天气不错')).replies).toEqual([]);
      expect((await li.say('/stock@other_bot')).replies).toEqual([]);
      expect((await li.say('', { text: undefined, photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], caption: '进货 T恤 9 件' })).replies).toEqual([]);
      expect((await li.say('进货 T恤 9 件 单价 1', { from: { id: 77, is_bot: true, first_name: '别的机器人' } })).replies).toEqual([]);

      // Replying 「撤销」 to the bot's confirmation undoes that entry.
      const saleConfirmation = sale.replies[0];
      if (!saleConfirmation) throw new Error('no confirmation');
      expect(only(await li.say('撤销', li.replyToBot(saleConfirmation)))).toContain('已撤销 #5');
      // Replying 「撤销」 to the original message undoes all of its entries.
      expect(only(await li.say('撤销', li.replyTo(restock, li)))).toMatch(/已撤销 #2[\s\S]*已撤销 #3|已撤销 #3[\s\S]*已撤销 #2/);
      // Staff may not undo someone else's entry.
      expect(only(await zhang.say('撤销', zhang.replyTo(tee, li)))).toContain('不是你记的');

      const stock = only(await li.say('/stock'));
      expect(stock).toContain('T恤：47件');
      expect(stock).not.toContain('金额');
      expect(only(await li.say('查 T恤'))).toBe('📦 T恤：47件');
      expect(only(await zhang.say('/stock@TestNameBot 短裤'))).toBe('📦 短裤：0条');
      expect(only(await boss.say('/help'))).toContain('进货');
      expect(only(await boss.say('/digest'))).toMatch(/^📋 小王服装 日报 /);

      expect(await stockOf(t.app, '小王服装', 'T恤')).toBe(47);
      expect(await stockOf(t.app, '小王服装', '短裤')).toBe(0);
      expect(await stockOf(t.app, '小王服装', '袜子')).toBe(0);
      expect(await entryCount(t.app, '小王服装')).toBe(5 + 3);
    });

    it('binds the owner’s private chat to the shop, where cost and profit show', async () => {
      const code = /绑定码 (\w+)/.exec(only(await boss.say('绑定码')))?.[1];
      expect(code).toBeDefined();
      const dm = member(1001, '老王', 'laowang', 1001);
      expect(only(await dm.say(`绑定 ${code}`))).toContain('已绑定到店铺「小王服装」（老板私聊）');
      expect(only(await dm.say('/stock T恤'))).toContain('均价 20.00');
      expect(only(await dm.say('利润 本月'))).toContain('毛利');
      expect(only(await dm.say('你好'))).toBe(PRIVATE_HINT);

      const stranger = member(2001, '路人', 'passerby', 2001);
      expect(only(await stranger.say('/start'))).toBe(UNBOUND_HINT);
      expect((await t.app.store.listShops()).map((s) => s.name)).toEqual(['小王服装']);
    });

    it('keeps two groups’ shops apart', async () => {
      const second = member(1001, '老王', 'laowang', -1002, '二店群');
      expect(only(await second.say('开店 二店'))).toContain('店铺「二店」已开通');
      expect(only(await second.say('进货 T恤 5 件 单价 30'))).toContain('✅ #1 进货 T恤 5件 → 库存 5件');
      expect(only(await second.say('查 T恤'))).toBe('📦 T恤：5件');
      expect(only(await second.say('/stock'))).not.toContain('短裤');
      expect(only(await li.say('查 T恤'))).toBe('📦 T恤：47件');

      const elsewhere = member(3001, '陌生人', 'someone', -1003, '别人的群');
      expect(only(await elsewhere.say('进货 T恤 1 件 单价 1'))).toBe(UNBOUND_HINT);
      expect(await stockOf(t.app, '二店', 'T恤')).toBe(5);
      expect(await stockOf(t.app, '小王服装', 'T恤')).toBe(47);
    });
  });
});
