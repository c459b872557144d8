import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_HINT } from '../../src/bot/engine.ts';
import type { GatewayMessage } from '../../src/bot/gateway.ts';
import { UNBOUND_HINT } from '../../src/bot/gateway.ts';
import type { App } from '../../src/main.ts';
import { startMockWechat, type MockWechat } from '../adapters/wechat/mock-wechat.ts';
import { forEachStore, type TestStore } from '../helpers/both-stores.ts';

// Every test opens its shop 小店 (shop 1) on an empty database, as a new install does: on SQLite a new
// file, on PostgreSQL the file's one database emptied (see forEachStore's fresh()).
let store: TestStore;
const running: MockWechat[] = [];
afterEach(async () => {
  for (const w of running.splice(0).reverse()) await w.close();
});

/** A bot on a new app over an empty database, or on the app given (a restart against the same database). */
async function start(options: Parameters<typeof startMockWechat>[0] = {}): Promise<MockWechat> {
  const w = await startMockWechat(options.app ? options : { ...options, databaseUrl: await store.fresh() });
  running.push(w);
  return w;
}

/**
 * Rows of a table. No port counts binding codes, and the check (a redelivered 绑定码 makes no second
 * code) is about exactly that, so the one count is a query, written for whichever database the app uses.
 */
async function rowCount(app: App, table: string): Promise<number> {
  if (app.db) return (app.db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  const client = new pg.Client({ connectionString: app.config.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}"`)).rows[0]?.n);
  } finally {
    await client.end();
  }
}

/** Units on hand of a product in a shop, all locations. */
async function stockOf(app: App, shopName: string, product: string): Promise<number> {
  const shop = await app.store.shopByName(shopName);
  if (!shop) throw new Error(`no shop ${shopName}`);
  return (await app.store.stock(shop.id)).filter((r) => r.product === product).reduce((sum, r) => sum + r.qtyMilli / 1000, 0);
}

async function entryCount(app: App, shopName: string): Promise<number> {
  const shop = await app.store.shopByName(shopName);
  return shop ? (await app.store.entries(shop.id)).length : 0;
}

/** A shop 小店 opened in a room by its owner 老板, with two staff members who have spoken once. */
async function shopInRoom(options: Parameters<typeof startMockWechat>[0] = {}) {
  const w = await start(options);
  const boss = w.contact('老板');
  const wang = w.contact('小王');
  const li = w.contact('小李');
  const room = w.room('仓库群', [boss, wang, li]);
  const opened = await w.say(boss, '开店 小店', room);
  expect(opened.replies).toEqual([expect.stringContaining('🎉 店铺「小店」已开通，你是老板。这是店员群')]);
  // Group members may only look until the owner lets them record.
  expect((await w.say(boss, '设置 群成员 店员', room)).replies).toEqual([expect.stringContaining('✅ 群成员默认身份：店员')]);
  return { w, boss, wang, li, room };
}

forEachStore((current) => {
  beforeAll(() => {
    store = current;
  });

  describe('a WeChat room runs the shop', () => {
    it('records, refuses with a suggestion, undoes and answers stock queries in a room conversation', async () => {
      const { w, boss, wang, li, room } = await shopInRoom();
      // DATABASE_URL alone chose the store.
      expect(w.app.stores.provider).toBe(store.name);
      const conversation: [typeof boss, string, unknown[]][] = [
        [boss, '进货 T恤 50 件 单价 20', ['✅ #1 进货 T恤 50件 → 库存 50件（回复「撤销」可撤回）\n（新商品已建档：T恤）']],
        [wang, '入库 短裤 30条 15元，袜子 100双 共 250 元', ['✅ #2 进货 短裤 30条 → 库存 30条\n✅ #3 进货 袜子 100双 → 库存 100双（回复「撤销」可撤回）\n（新商品已建档：短裤、袜子）']],
        [wang, '出货 T恤 3 件 单价 59', ['✅ #4 出货 T恤 3件 × 59.00 = 177.00 → 库存 47件（回复「撤销」可撤回）']],
        [wang, '出货 T血 1 件 单价 59', [expect.stringMatching(/^❌ 没有找到商品「T血」。你是不是要找：T恤/)]],
        [wang, '出货 T恤 100 件 单价 59', [expect.stringContaining('❌ T恤 库存不足：默认仓 现有 47件，需要 100件')]],
        [li, '今天天气不错', []],
        [wang, '卖了 T恤 2件 59元 淘宝', ['✅ #5 出货 T恤 2件 × 59.00 = 118.00 淘宝 → 库存 45件（回复「撤销」可撤回）']],
        [wang, '撤销', [expect.stringContaining('↩️ 已撤销 #5 出货 T恤 2件（撤销记录 #6） → 库存 47件')]],
        [boss, '撤销 #4', [expect.stringContaining('↩️ 已撤销 #4 出货 T恤 3件（撤销记录 #7） → 库存 50件')]],
        [li, '查 T恤', ['📦 T恤：50件']],
        [boss, '库存', [expect.stringMatching(/^📦 库存 3 种/)]],
        [li, '出货 袜子 10双 单价 5', ['✅ #8 出货 袜子 10双 × 5.00 = 50.00 → 库存 90双（回复「撤销」可撤回）']],
      ];
      for (const [who, text, expected] of conversation) {
        const { replies } = await w.say(who, text, room);
        expect(replies, text).toEqual(expected);
      }
      // Every answer went to the room and nowhere else: one per line, none for the chatter.
      expect(w.sent.filter((s) => s.chatId !== room.id)).toEqual([]);
      expect(await stockOf(w.app, '小店', 'T恤')).toBe(50);
      expect(await stockOf(w.app, '小店', '短裤')).toBe(30);
      expect(await stockOf(w.app, '小店', '袜子')).toBe(90);
      const shop = await w.app.store.shopByName('小店');
      const actors = (await w.app.store.entries(shop?.id ?? 0)).map((e) => e.actorName);
      expect(new Set(actors)).toEqual(new Set(['老板', '小王', '小李']));
    });

    it('speaks the same language in a private chat, with cost for the owner there', async () => {
      const { w, boss, room } = await shopInRoom();
      const code = (await w.say(boss, '绑定码', room)).replies[0]?.match(/绑定码 (\w+)/)?.[1];
      expect(code).toBeDefined();
      expect((await w.say(boss, `绑定 ${code}`, w.me)).replies).toEqual(['✅ 已绑定到店铺「小店」（老板私聊）。发「帮助」看用法。']);
      expect((await w.say(boss, '进货 T恤 50 件 单价 20', w.me)).replies).toEqual(['✅ #1 进货 T恤 50件 × 20.00 = 1,000.00 → 库存 50件（回复「撤销」可撤回）\n（新商品已建档：T恤）']);
      expect((await w.say(boss, '查 T恤', w.me)).replies).toEqual(['📦 T恤：50件，均价 20.00，金额 1000.00']);
      expect((await w.say(boss, '你好', w.me)).replies).toEqual([PRIVATE_HINT]);
      // The same shop seen from the room, without cost.
      expect((await w.say(boss, '查 T恤', room)).replies).toEqual(['📦 T恤：50件']);

      const stranger = w.contact('路人');
      expect((await w.say(stranger, '进货 T恤 1 件', w.me)).replies).toEqual([UNBOUND_HINT]);
      expect(await stockOf(w.app, '小店', 'T恤')).toBe(50);
    });

    it('keeps two rooms bound to two shops apart', async () => {
      const { w, boss, wang, room } = await shopInRoom();
      const other = w.room('二店群', [boss, wang]);
      expect((await w.say(boss, '开店 二店', other)).replies[0]).toContain('店铺「二店」已开通');
      await w.say(boss, '设置 群成员 店员', other);
      expect((await w.say(boss, '进货 T恤 50 件 单价 20', room)).replies[0]).toContain('✅ #1 进货 T恤 50件');
      expect((await w.say(wang, '进货 T恤 7 件 单价 20', other)).replies[0]).toContain('✅ #1 进货 T恤 7件 → 库存 7件');
      expect((await w.say(wang, '查 T恤', room)).replies).toEqual(['📦 T恤：50件']);
      expect((await w.say(wang, '查 T恤', other)).replies).toEqual(['📦 T恤：7件']);
      expect(await stockOf(w.app, '小店', 'T恤')).toBe(50);
      expect(await stockOf(w.app, '二店', 'T恤')).toBe(7);
    });

    it('keeps the shop when the group is renamed', async () => {
      const { w, boss, wang, room } = await shopInRoom();
      await w.say(boss, '进货 T恤 50 件 单价 20', room);
      room.topic('仓库群（改名了）').by(boss);
      await w.bot.idle();
      expect(await (await w.bot.wechaty.Room.find({ id: room.id }))?.topic()).toBe('仓库群（改名了）');
      expect((await w.say(wang, '出货 T恤 1 件 单价 59', room)).replies).toEqual(['✅ #2 出货 T恤 1件 × 59.00 = 59.00 → 库存 49件（回复「撤销」可撤回）']);
      expect((await w.say(wang, '查 T恤', room)).replies).toEqual(['📦 T恤：49件']);
    });

    it('strips an @mention of the bot, even when its name has a space, and keeps mentions of people', async () => {
      const { w, boss, li, room } = await shopInRoom({ botName: '进销存 助手' });
      const mentioned = await w.say(boss, '@进销存 助手\u2005进货 T恤 5 件 单价 20', room, [w.me]);
      expect(mentioned.replies).toEqual(['✅ #1 进货 T恤 5件 → 库存 5件（回复「撤销」可撤回）\n（新商品已建档：T恤）']);
      expect((await w.say(li, '查 T恤 @进销存 助手', room, [w.me])).replies).toEqual(['📦 T恤：5件']);
      // A bare mention is answered, not met with silence.
      expect((await w.say(li, '@进销存 助手', room, [w.me])).replies).toEqual([PRIVATE_HINT]);
      expect((await w.say(boss, '授权 @小李\u2005查看', room, [li])).replies).toEqual(['✅ 小李 现在是「查看」。']);
      expect((await w.say(li, '进货 T恤 5 件 单价 20', room)).replies).toEqual(['⛔ 你的身份是「查看」，这个操作需要「店员」权限。']);
      expect(await stockOf(w.app, '小店', 'T恤')).toBe(5);
    });

    it('undoes the entry named in a quoted bot confirmation', async () => {
      const { w, boss, wang, room } = await shopInRoom();
      await w.say(boss, '进货 T恤 50 件 单价 20', room);
      const first = (await w.say(wang, '出货 T恤 3 件 单价 59', room)).replies[0] ?? '';
      await w.say(wang, '出货 T恤 2 件 单价 59', room);
      const quoted = `「jxc-bot：${first}」\n- - - - - - - - - - - - - - -\n撤销`;
      expect((await w.say(wang, quoted, room)).replies).toEqual([expect.stringContaining('↩️ 已撤销 #2 出货 T恤 3件')]);
      expect(await stockOf(w.app, '小店', 'T恤')).toBe(48);
    });
  });

  describe('messages the bot must not act on', () => {
    it('writes a redelivered message once and does not answer it again', async () => {
      const { w, boss, room } = await shopInRoom();
      const purchase = await w.say(boss, '进货 T恤 50 件 单价 20', room);
      expect(purchase.replies).toHaveLength(1);
      expect(await w.redeliver(purchase.id, room)).toEqual([]);
      expect(await stockOf(w.app, '小店', 'T恤')).toBe(50);
      expect(await entryCount(w.app, '小店')).toBe(1);
      // Not only writes: a redelivered 绑定码 must not hand out a second code.
      const code = await w.say(boss, '绑定码', room);
      expect(code.replies).toHaveLength(1);
      expect(await w.redeliver(code.id, room)).toEqual([]);
    });

    it('writes a message redelivered after a restart once', async () => {
      const { w, boss, room } = await shopInRoom();
      const purchase = await w.say(boss, '进货 T恤 50 件 单价 20', room);
      const payload = w.mocker.messagePayload(purchase.id);
      await w.bot.stop();

      // A new process on the same database: new Wechaty, new puppet, the same WeChat ids.
      const again = await start({ app: w.app });
      const sameBoss = again.mocker.createContact({ id: boss.id, name: '老板' });
      const sameRoom = again.mocker.createRoom({ id: room.id, topic: '仓库群', memberIdList: [again.me.id, boss.id] });
      again.mocker.MessageMock.create({ ...payload });
      expect(await again.redeliver(purchase.id, sameRoom)).toEqual([]);
      expect(await stockOf(w.app, '小店', 'T恤')).toBe(50);
      expect(await entryCount(w.app, '小店')).toBe(1);
      // The restarted bot still answers new messages.
      expect((await again.say(sameBoss, '查 T恤', sameRoom)).replies).toEqual(['📦 T恤：50件']);
    });

    it('answers a query or a 绑定码 redelivered after a restart only once', async () => {
      const { w, boss, room } = await shopInRoom();
      await w.say(boss, '进货 T恤 50 件 单价 20', room);
      const code = await w.say(boss, '绑定码', room);
      expect(code.replies).toHaveLength(1);
      const query = await w.say(boss, '查 T恤', room);
      expect(query.replies).toEqual(['📦 T恤：50件']);
      const payloads = [code.id, query.id].map((id) => w.mocker.messagePayload(id));
      await w.bot.stop();

      const again = await start({ app: w.app });
      const sameBoss = again.mocker.createContact({ id: boss.id, name: '老板' });
      const sameRoom = again.mocker.createRoom({ id: room.id, topic: '仓库群', memberIdList: [again.me.id, boss.id] });
      for (const payload of payloads) again.mocker.MessageMock.create({ ...payload });
      const codesBefore = await rowCount(w.app, 'BindingCode');
      expect(codesBefore).toBe(1);
      expect(await again.redeliver(code.id, sameRoom)).toEqual([]);
      expect(await again.redeliver(query.id, sameRoom)).toEqual([]);
      expect(await rowCount(w.app, 'BindingCode')).toBe(codesBefore);
      // New messages are still answered.
      expect((await again.say(sameBoss, '查 T恤', sameRoom)).replies).toEqual(['📦 T恤：50件']);
    });

    it('handles a message again when its first handling failed (a puppet lookup threw)', async () => {
      const { w, boss, room } = await shopInRoom();
      const member = w.puppet.roomMemberPayload.bind(w.puppet);
      let fail = true;
      // The next room member lookup fails once, as a puppet does when its connection drops.
      w.puppet.roomMemberPayload = async (roomId: string, contactId: string) => {
        if (fail) {
          fail = false;
          throw new Error('puppet lookup failed');
        }
        return member(roomId, contactId);
      };
      const first = await w.say(boss, '查 T恤', room);
      expect(first.replies).toEqual([]);
      expect(fail).toBe(false);
      expect(await w.redeliver(first.id, room)).toEqual([expect.stringContaining('没有找到商品「T恤」')]);
    });

    it("ignores its own messages, in rooms and in private chats", async () => {
      const { w, wang, room } = await shopInRoom();
      const before = w.sent.length;
      // Typed on the phone logged in as the bot, or echoed back by the puppet.
      await w.say(w.me, '进货 T恤 50 件 单价 20', room);
      expect(await entryCount(w.app, '小店')).toBe(0);
      // Answering itself in a private chat would never end: each answer is another message from itself.
      await w.say(w.me, '你好', wang);
      expect(w.sent.slice(before).map((s) => s.text)).toEqual(['进货 T恤 50 件 单价 20', '你好']);
    });

    it('ignores official accounts', async () => {
      const { w } = await shopInRoom();
      const official = w.contact('某品牌服务号', { type: 2 });
      expect((await w.say(official, '进货 T恤 50 件 单价 20', w.me)).replies).toEqual([]);
      expect((await w.say(official, '你好', w.me)).replies).toEqual([]);
    });
  });

  describe('one shop from Telegram and WeChat', () => {
    it('binds a WeChat room to the shop a Telegram group already uses', async () => {
      const w = await start();
      let n = 0;
      const telegram = async (text: string) =>
        (await w.app.gateway.handle({
          platform: 'telegram',
          chatId: '-1001',
          chatType: 'group',
          messageId: String(++n),
          userId: '42',
          userName: '老板',
          userHandle: 'boss',
          chatTitle: '网店 TG 群',
          text,
        } satisfies GatewayMessage))?.text;
      expect(await telegram('开店 网店')).toContain('店铺「网店」已开通');
      expect(await telegram('进货 T恤 10 件 单价 20')).toContain('✅ #1 进货 T恤 10件');
      const code = (await telegram('绑定码'))?.match(/绑定码 (\w+)/)?.[1];

      const boss = w.contact('老板');
      const wang = w.contact('小王');
      const room = w.room('网店仓库', [boss, wang]);
      expect((await w.say(boss, `绑定 ${code}`, room)).replies).toEqual(['✅ 已绑定到店铺「网店」（店员群）。发「帮助」看用法。']);
      expect(await telegram('设置 群成员 店员')).toContain('✅ 群成员默认身份：店员');
      expect((await w.say(wang, '出货 T恤 3 件 单价 59', room)).replies).toEqual(['✅ #2 出货 T恤 3件 × 59.00 = 177.00 → 库存 7件（回复「撤销」可撤回）']);
      expect(await telegram('查 T恤')).toBe('📦 T恤：7件');
      expect(await telegram('进货 T恤 5 件 单价 20')).toContain('→ 库存 12件');
      expect((await w.say(wang, '查 T恤', room)).replies).toEqual(['📦 T恤：12件']);
      expect((await w.app.store.listShops()).map((s) => s.name)).toEqual(['网店']);
    });
  });

  describe('binding codes in WeChat', () => {
    const owners = async (app: App) =>
      (await app.access
              .people(1))
        .filter((p) => p.role === 'owner')
        .flatMap((p) => p.identities.map((i) => `${i.platform}:${i.platformUserId}`));

    it('a room member who redeems the room’s 绑定码 privately does not become the owner', async () => {
      const { w, boss, wang, room } = await shopInRoom();
      await w.say(boss, '进货 T恤 50 件 单价 20', room);
      const code = /绑定码 (\w+)/.exec((await w.say(boss, '绑定码', room)).replies[0] ?? '')?.[1];
      expect((await w.say(wang, `绑定 ${code}`, w.me)).replies).toEqual([expect.stringContaining('私聊，不显示成本和利润')]);
      expect(await owners(w.app)).toEqual([`wechat:${boss.id}`]);
      expect((await w.say(wang, '查 T恤', w.me)).replies).toEqual(['📦 T恤：50件']);
      expect((await w.say(wang, '记录', w.me)).replies.join('\n')).not.toMatch(/单价 20|@20\.00/);
      expect((await w.say(wang, '移除 @老板', room)).replies).toEqual([expect.stringMatching(/^⛔/)]);
    });

    it('links the owner’s WeChat account to the Telegram owner only with a code from the owner’s private chat', async () => {
      const w = await start();
      let n = 0;
      const telegram = async (text: string, chatType: 'group' | 'private' = 'private') =>
        (await w.app.gateway.handle({
          platform: 'telegram',
          chatId: chatType === 'private' ? '42' : '-1001',
          chatType,
          messageId: String(++n),
          userId: '42',
          userName: '老板',
          userHandle: 'boss',
          text,
        } satisfies GatewayMessage))?.text;
      expect(await telegram('开店 网店')).toContain('店铺「网店」已开通');
      expect(await telegram('进货 T恤 10 件 单价 20')).toContain('✅ #1');
      const boss = w.contact('老板');
      const wang = w.contact('小王');
      // A link code pasted into a room is spent there, so nobody in the room can use it.
      const stolen = /关联码 (\w+)/.exec(await telegram('关联码') ?? '')?.[1];
      const room = w.room('网店仓库', [boss, wang]);
      expect((await w.say(boss, `关联 ${stolen}`, room)).replies).toEqual([expect.stringContaining('发在群里的已经作废')]);
      expect((await w.say(wang, `关联 ${stolen}`, w.me)).replies).toEqual([expect.stringContaining('无效、已用过或已过期')]);
      expect(await owners(w.app)).toEqual(['telegram:42']);
      const code = /关联码 (\w+)/.exec(await telegram('关联码') ?? '')?.[1];
      expect((await w.say(boss, `关联 ${code}`, w.me)).replies).toEqual([expect.stringContaining('已把这个账号关联到「网店」的 老板（老板）。这里是老板私聊')]);
      expect((await owners(w.app)).sort()).toEqual(['telegram:42', `wechat:${boss.id}`]);
      expect((await w.say(boss, '查 T恤', w.me)).replies[0]).toContain('均价 20.00');
      expect((await w.say(wang, `关联 ${code}`, w.me)).replies).toEqual([expect.stringContaining('无效、已用过或已过期')]);
    });
  });

  describe('sending', () => {
    it('splits long replies into numbered parts that fit a phone screen', async () => {
      const { w, boss, room } = await shopInRoom({ maxChars: 120 });
      const { replies } = await w.say(boss, '帮助', room);
      expect(replies.length).toBeGreaterThan(1);
      for (const [i, part] of replies.entries()) {
        expect([...part].length).toBeLessThanOrEqual(120);
        expect(part.endsWith(`（${i + 1}/${replies.length}）`)).toBe(true);
      }
    });

    it('delivers unprompted messages to rooms through the outbox and reports chats that are gone', async () => {
      const { w, boss, room } = await shopInRoom();
      const second = w.room('二号群', [boss]);
      w.app.outbox.register(w.bot.sender);
      const results = await Promise.all([room, second, room].map((r, i) => w.app.outbox.send('wechat', r.id, `📋 日报 ${i}`)));
      expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
      await w.bot.idle();
      expect(w.sent.filter((s) => s.text.startsWith('📋')).map((s) => [s.chatId, s.text])).toEqual([
        [room.id, '📋 日报 0'],
        [second.id, '📋 日报 1'],
        [room.id, '📋 日报 2'],
      ]);
      expect(await w.app.outbox.send('wechat', 'gone@chatroom', '📋 日报')).toMatchObject({ ok: false, permanent: true });
    });

    it('paces a digest to several rooms and the replies in a busy room', async () => {
      const pacing = { perChatMs: 80, globalMs: 30 };
      const { w, boss, room } = await shopInRoom({ pacing });
      const rooms = [room, w.room('二号群', [boss]), w.room('三号群', [boss])];
      w.app.outbox.register(w.bot.sender);
      const from = w.sent.length;
      await Promise.all([...rooms, ...rooms].map((r) => w.app.outbox.send('wechat', r.id, '📋 日报')));
      await w.say(boss, '查 T恤', room);
      await w.say(boss, '库存', room);
      const sends = w.sent.slice(from);
      expect(sends).toHaveLength(8);
      // Timers may fire a millisecond early; the gaps hold within that.
      for (let i = 1; i < sends.length; i++) expect((sends[i]?.at ?? 0) - (sends[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(pacing.globalMs - 2);
      for (const r of rooms) {
        const times = sends.filter((s) => s.chatId === r.id).map((s) => s.at);
        for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(pacing.perChatMs - 2);
      }
    });
  });
});
