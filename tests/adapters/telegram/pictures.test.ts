import type { Bot } from 'grammy';
import { InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/adapters/telegram/bot.ts';
import { telegramSender } from '../../../src/adapters/telegram/sender.ts';
import { refusalText } from '../../../src/bot/refusals.ts';
import { DIGEST_PICTURE_ON } from '../../../src/bot/pictures/picture-replies.ts';
import { boss, BOT_INFO, createTestApp, interceptCalls, li, textUpdate, TOKEN, warehouse, type ApiCall, type TestApp, type TestUser } from './harness.ts';

/**
 * Pictures over Telegram through grammY's handleUpdate, every Bot API call intercepted: `日报 图`
 * answers with sendPhoto (the digest text as caption, or after the photo when too long for one), the
 * staff group gets the staff copy, `利润 本月 图` is refused to staff with no photo.
 */

const dm = { id: boss.id, type: 'private' };
let t: TestApp;
let bot: Bot;
let calls: ApiCall[];

beforeEach(async () => {
  t = await createTestApp();
  bot = createTelegramBot(t.app, { mode: 'polling', token: TOKEN }, { botInfo: BOT_INFO, throttle: false });
  calls = interceptCalls(bot);
});
afterEach(async () => {
  await t.cleanup();
});

async function say(from: TestUser, text: string, chat: { id: number; type: string; title?: string } = dm) {
  const before = calls.length;
  await bot.handleUpdate(textUpdate(from, text, chat));
  return calls.slice(before);
}
const textOf = (sent: ApiCall[]): string => sent.map((c) => String(c.payload.text ?? c.payload.caption ?? '')).join('\n');

async function photoBytes(call: ApiCall | undefined): Promise<Uint8Array> {
  const photo = call?.payload.photo;
  expect(photo).toBeInstanceOf(InputFile);
  return (await (photo as InputFile).toRaw()) as Uint8Array;
}

/** 老王 opens 小店, binds the warehouse group (members are staff) and records a little trade. */
async function openShop() {
  await say(boss, '开店 小店');
  const code = /绑定码 ([A-Z0-9]+)/.exec(textOf(await say(boss, '绑定码')))?.[1];
  await say(boss, `绑定 ${code ?? ''}`, warehouse);
  await say(boss, '设置 群成员 店员', warehouse);
  await say(boss, '进货 T恤 50 件 单价 20');
  await say(boss, '进货 帆布包 30 个 单价 15');
  await say(boss, '设置 T恤 预警 60');
  await say(li, '卖了 T恤 3件 59元 淘宝', warehouse);
  await say(li, '卖了 帆布包 2个 39元 京东', warehouse);
}

describe('pictures in a Telegram chat', () => {
  it('answers 日报 图 with a photo of the digest and its text as the caption', async () => {
    await openShop();
    const sent = await say(boss, '日报 图');
    expect(sent.map((c) => c.method)).toEqual(['sendPhoto']);
    const photo = sent[0];
    const caption = String(photo?.payload.caption);
    expect(caption).toMatch(/^📋 小店 日报/);
    expect(caption).toContain('· 淘宝 1 笔 177.00 元');
    expect(caption).toContain('💰 今日毛利');
    expect(caption).toContain('T恤');
    expect([...(await photoBytes(photo)).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(photo?.payload.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
  });

  it('gives the staff group the staff copy, and refuses 利润 图 there without a photo', async () => {
    await openShop();
    const sent = await say(li, '日报 图', warehouse);
    expect(sent.map((c) => c.method)).toEqual(['sendPhoto']);
    const caption = String(sent[0]?.payload.caption);
    expect(caption).toContain('📋 小店 日报');
    expect(caption).not.toMatch(/毛利|成本|库存金额/);

    const refused = await say(li, '利润 本月 图', warehouse);
    expect(refused.map((c) => c.method)).toEqual(['sendMessage']);
    expect(textOf(refused)).toBe(refusalText({ code: 'PROFIT_OWNER_ONLY' }));
  });

  it('draws 销量 本月 图 for anyone and 利润 本月 图 for the owner', async () => {
    await openShop();
    const sales = await say(li, '销量 本月 图', warehouse);
    expect(sales.map((c) => c.method)).toEqual(['sendPhoto']);
    expect(String(sales[0]?.payload.caption)).toContain('📈 销量 本月');
    const profit = await say(boss, '利润 本月 图');
    expect(profit.map((c) => c.method)).toEqual(['sendPhoto']);
    expect(String(profit[0]?.payload.caption)).toContain('💰 利润 本月');
  });

  it('sends a text too long for a caption after the photo, whole', async () => {
    await openShop();
    for (const [i, w] of [...'甲乙丙丁戊己庚辛壬癸'].entries()) {
      expect(textOf(await say(boss, `进货 新品 名字很长的测试商品纯棉加厚保暖防风连帽男女同款宽松${w}款 ${i + 1} 件 单价 ${10 + i}`))).toMatch(/^✅/);
      expect(textOf(await say(boss, `设置 名字很长的测试商品纯棉加厚保暖防风连帽男女同款宽松${w}款 预警 ${100 + i}`))).toMatch(/^✅/);
    }
    const sent = await say(boss, '日报 图');
    expect(sent.map((c) => c.method)).toEqual(['sendPhoto', 'sendMessage']);
    const text = String(sent[1]?.payload.text);
    expect(text.length).toBeGreaterThan(1024);
    expect(String(sent[0]?.payload.caption)).toBe(text.split('\n')[0]);
  });

  it('keeps the text-only answer for 日报 without 图', async () => {
    await openShop();
    const sent = await say(boss, '日报');
    expect(sent.map((c) => c.method)).toEqual(['sendMessage']);
  });

  it('switches the scheduled digest to pictures with 设置 日报 图片, owners only', async () => {
    await openShop();
    expect(textOf(await say(li, '设置 日报 图片', warehouse))).toMatch(/^⛔/);
    const shop = await t.app.store.shopByName('小店');
    expect((await t.app.digestStore.settings(shop?.id ?? 0)).digestPicture).toBe(false);
    expect(textOf(await say(boss, '设置 日报 图片'))).toBe(DIGEST_PICTURE_ON);
    expect((await t.app.digestStore.settings(shop?.id ?? 0)).digestPicture).toBe(true);
    await say(boss, '设置 日报 文字');
    expect((await t.app.digestStore.settings(shop?.id ?? 0)).digestPicture).toBe(false);
  });
});

describe('the outbox sender', () => {
  it('sends a picture with its text as caption, or with the first line and the text after it', async () => {
    const sent: { kind: string; chatId: number | string; body: string }[] = [];
    const sender = telegramSender(
      async (chatId, text) => void sent.push({ kind: 'text', chatId, body: text }),
      t.app,
      async (chatId, picture, caption) => void sent.push({ kind: `photo:${picture.name}:${picture.bytes.byteLength}`, chatId, body: caption }),
    );
    const picture = { name: '日报-2026-11-27.png', bytes: new Uint8Array([1, 2, 3]) };
    expect(await sender.sendPicture?.('-100500', picture, '📋 小店 日报\n短')).toEqual({ ok: true });
    expect(sent).toEqual([{ kind: 'photo:日报-2026-11-27.png:3', chatId: -100500, body: '📋 小店 日报\n短' }]);
    sent.length = 0;
    const long = ['📋 小店 日报', ...Array.from({ length: 150 }, (_, i) => `· 第${i}行 一些文字`)].join('\n');
    await sender.sendPicture?.('42', picture, long);
    expect(sent.map((s) => s.kind)).toEqual(['photo:日报-2026-11-27.png:3', 'text']);
    expect(sent[0]?.body).toBe('📋 小店 日报');
    expect(sent[1]?.body).toBe(long);
  });
});
