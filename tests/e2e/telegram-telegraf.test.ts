import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { Telegraf } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Imported the way a seller's bot imports it, through the package's exports.
import { createApp, createConfig, jxcTelegraf, type App } from 'jxc-bot/telegraf';
import { countHandled, Member, startEmulator, type Handled } from '../adapters/telegram/emulator.ts';
import { stockOf } from '../adapters/telegram/harness.ts';
import { forEachStore } from '../helpers/both-stores.ts';

/** A seller's existing Telegraf bot with the jxc middleware mounted, long polling the emulator. */
const TOKEN = '987654321:TELEGRAF_token_abcdefghijklmno';
const GROUP = -2001;

forEachStore((store) => {
  let server: TelegramServer;
  let app: App;
  let bot: Telegraf;
  let launched: Promise<void>;
  let handled: Handled;
  let boss: Member;
  let li: Member;

  beforeAll(async () => {
    server = await startEmulator();
    // On SQLite a file that is not there yet: the app creates and migrates it, as on a first start.
    app = await createApp(createConfig({ DATABASE_URL: await store.fresh({ migrated: false }), LOG_LEVEL: 'silent' }));
    bot = new Telegraf(TOKEN, { telegram: { apiRoot: server.config.apiURL } });
    bot.use(jxcTelegraf(app, { telegram: bot.telegram }));
    // The seller's own handler: whatever jxc does not handle reaches it.
    bot.on('message', (ctx) => ctx.reply('host bot: passed on'));
    handled = countHandled(bot);
    await new Promise<void>((resolve) => {
      launched = bot.launch(() => resolve());
    });
    const group = { type: 'group' as const, chatId: GROUP, chatTitle: '网店群' };
    boss = new Member(server, TOKEN, handled, { ...group, userId: 1001, firstName: '老王', userName: 'laowang' });
    li = new Member(server, TOKEN, handled, { ...group, userId: 1002, firstName: '小李', userName: 'xiaoli' });
  });

  afterAll(async () => {
    bot.stop('test over');
    await launched;
    await server.stop();
    await app.close();
  });

  function texts(said: { replies: { text: string }[] }): string[] {
    return said.replies.map((r) => r.text);
  }

  describe('the Telegraf middleware in a Telegraf bot', () => {
    it('handles inventory messages and replies like the grammY bot', async () => {
      expect(texts(await boss.say('开店 网店'))[0]).toContain('店铺「网店」已开通');
      expect(texts(await boss.say('设置 群成员 店员'))[0]).toContain('群成员默认身份：店员');
      const bought = await li.say('进货 T恤 20 件 单价 20');
      expect(texts(bought)).toEqual(['✅ #1 进货 T恤 20件 → 库存 20件（回复「撤销」可撤回）\n（新商品已建档：T恤）']);
      expect(bought.replies[0]?.undo).toBe(`undo:${bought.messageId}`);
      expect(bought.replies[0]?.replyTo).toBe(bought.messageId);
      expect(texts(await li.say('出货 T恤 30 件 单价 59'))[0]).toContain('❌ T恤 库存不足');
      const sale = await li.say('卖了 T恤 2件 59元 淘宝');
      expect(texts(sale)[0]).toContain('✅ #2 出货 T恤 2件 × 59.00 = 118.00 淘宝 → 库存 18件');
      const confirmation = sale.replies[0];
      if (!confirmation) throw new Error('no confirmation');
      expect(texts(await li.say('撤销', li.replyToBot(confirmation)))[0]).toContain('已撤销 #2');
      expect(texts(await li.say('查 T恤'))).toEqual(['📦 T恤：20件']);
      expect(texts(await li.say('/stock'))[0]).toContain('T恤：20件');
      expect(await stockOf(app, '网店', 'T恤')).toBe(20);
      expect(app.stores.provider).toBe(store.name);
    });

    it('passes everything else to next()', async () => {
      expect(texts(await li.say('今天天气不错'))).toEqual(['host bot: passed on']);
      expect(texts(await li.say('/stock@other_bot'))).toEqual(['host bot: passed on']);
      expect(texts(await li.say('', { text: undefined, sticker: { file_id: 's', file_unique_id: 's' } }))).toEqual(['host bot: passed on']);
    });

    it('sends the digest through the host bot when given its client', async () => {
      expect(await app.outbox.send('telegram', String(GROUP), '📋 日报 网店')).toEqual({ ok: true });
      expect(boss.botMessages().at(-1)?.text).toBe('📋 日报 网店');
    });
  });
});
