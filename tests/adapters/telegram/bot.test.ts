import type { Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/adapters/telegram/bot.ts';
import { UNDO_HINT } from '../../../src/bot/replies.ts';
import {
  BOT_INFO,
  boss,
  createTestApp,
  entryCount,
  interceptCalls,
  li,
  nextMessageId,
  now,
  stockOf,
  textUpdate,
  TOKEN,
  update,
  warehouse,
  zhang,
  type ApiCall,
  type TestApp,
  type TestUser,
} from './harness.ts';

let t: TestApp;
let bot: Bot;
let calls: ApiCall[];

function newBot(): { bot: Bot; calls: ApiCall[] } {
  const b = createTelegramBot(t.app, { mode: 'polling', token: TOKEN }, { botInfo: BOT_INFO, throttle: false });
  return { bot: b, calls: interceptCalls(b) };
}

/** Sends a message from a user and returns the bot's calls it caused. */
async function say(from: TestUser, text: string, extra: Record<string, unknown> = {}, chat: { id: number; type: string; title?: string } = warehouse) {
  const before = calls.length;
  const u = textUpdate(from, text, chat, extra);
  await bot.handleUpdate(u);
  return { update: u, calls: calls.slice(before), sent: calls.slice(before).filter((c) => c.method === 'sendMessage') };
}

function textOf(call: ApiCall | undefined): string {
  return String(call?.payload.text ?? '');
}

function undoData(call: ApiCall | undefined): string | undefined {
  const markup = call?.payload.reply_markup as { inline_keyboard?: { callback_data: string }[][] } | undefined;
  return markup?.inline_keyboard?.[0]?.[0]?.callback_data;
}

/** Boss opens 小店 in the warehouse group and lets group members record. */
async function openShop() {
  expect(textOf((await say(boss, '开店 小店')).sent[0])).toContain('店铺「小店」已开通');
  expect(textOf((await say(boss, '设置 群成员 店员')).sent[0])).toContain('群成员默认身份：店员');
}

beforeEach(async () => {
  t = await createTestApp();
  ({ bot, calls } = newBot());
});
afterEach(async () => {
  await t.cleanup();
});

describe('the 撤销 button', () => {
  async function pressUndo(from: TestUser, data: string, confirmation: { id: number; text: string }, queryId: string) {
    const before = calls.length;
    await bot.handleUpdate(
      update({
        callback_query: {
          id: queryId,
          from,
          chat_instance: 'ci',
          data,
          message: { message_id: confirmation.id, date: now(), chat: warehouse, from: { id: BOT_INFO.id, is_bot: true, first_name: 'jxc' }, text: confirmation.text },
        },
      }),
    );
    return calls.slice(before);
  }

  it("undoes the confirmation's entries as the person who pressed it, once", async () => {
    await openShop();
    const wrote = await say(li, '进货 T恤 50 件 单价 20');
    const confirmation = wrote.sent[0];
    expect(textOf(confirmation)).toContain('进货 T恤 50件');
    const data = undoData(confirmation);
    expect(data).toBe(`undo:${(wrote.update.message as { message_id: number }).message_id}`);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);
    const shown = { id: confirmation?.messageId ?? 0, text: textOf(confirmation) };

    // Staff undo only their own entries: 小张 is refused with an alert and nothing changes.
    const refused = await pressUndo(zhang, data ?? '', shown, 'q1');
    expect(refused.map((c) => c.method)).toEqual(['answerCallbackQuery']);
    expect(refused[0]?.payload).toMatchObject({ show_alert: true });
    expect(String(refused[0]?.payload.text)).toContain('不是你记的');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);

    const pressed = await pressUndo(li, data ?? '', shown, 'q2');
    expect(pressed.map((c) => c.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(pressed[0]?.payload.text).toBe('已撤销');
    const edit = pressed[1]?.payload ?? {};
    expect(edit.message_id).toBe(shown.id);
    expect(String(edit.text)).toContain('已撤销');
    expect(String(edit.text)).not.toContain(UNDO_HINT);
    expect(edit.reply_markup).toBeUndefined();
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(0);
    const entries = await entryCount(t.app, '小店');

    // The same press redelivered writes nothing and edits nothing.
    const again = await pressUndo(li, data ?? '', shown, 'q2');
    expect(again.map((c) => c.method)).toEqual(['answerCallbackQuery']);
    // A second press is refused: it was undone already.
    const second = await pressUndo(li, data ?? '', shown, 'q3');
    expect(String(second[0]?.payload.text)).toContain('已经撤销过了');
    expect(await entryCount(t.app, '小店')).toBe(entries);
  });

  it('undoes every entry of a message with several items', async () => {
    await openShop();
    const wrote = await say(li, '入库 短裤 30条 15元，袜子 100双 共 250 元');
    const pressed = await pressUndo(li, undoData(wrote.sent[0]) ?? '', { id: wrote.sent[0]?.messageId ?? 0, text: textOf(wrote.sent[0]) }, 'q9');
    expect(pressed[0]?.payload.text).toBe('已撤销');
    expect(await stockOf(t.app, '小店', '短裤')).toBe(0);
    expect(await stockOf(t.app, '小店', '袜子')).toBe(0);
  });

  it("replying 撤销 to a confirmation undoes all of its message's entries, like the button", async () => {
    await openShop();
    const wrote = await say(li, '入库 短裤 30条 15元，袜子 100双 共 250 元');
    const confirmation = wrote.sent[0];
    const replied = await say(li, '撤销', {
      reply_to_message: {
        message_id: confirmation?.messageId,
        date: now(),
        chat: warehouse,
        from: { id: BOT_INFO.id, is_bot: true, first_name: 'jxc' },
        text: textOf(confirmation),
        reply_markup: confirmation?.payload.reply_markup,
      },
    });
    expect(textOf(replied.sent[0])).toMatch(/已撤销 #[12][\s\S]*已撤销 #[12]/);
    expect(await stockOf(t.app, '小店', '短裤')).toBe(0);
    expect(await stockOf(t.app, '小店', '袜子')).toBe(0);
  });

  it('is only on confirmations of writes', async () => {
    await openShop();
    await say(li, '进货 T恤 5 件 单价 20');
    expect(undoData((await say(li, '查 T恤')).sent[0])).toBeUndefined();
    expect(undoData((await say(li, '出货 T恤 50 件 单价 59')).sent[0])).toBeUndefined();
    expect(undoData((await say(li, '撤销')).sent[0])).toBeUndefined();
  });

  it('leaves buttons that are not ours alone', async () => {
    await openShop();
    const before = calls.length;
    await bot.handleUpdate(update({ callback_query: { id: 'x', from: li, chat_instance: 'ci', data: 'vote:1' } }));
    expect(calls.length).toBe(before);
  });
});

describe('editing a message', () => {
  function edit(original: { message_id: number; date: number }, from: TestUser, text: string, editedAt: number) {
    return update({ edited_message: { message_id: original.message_id, date: original.date, edit_date: editedAt, chat: warehouse, from, text } });
  }

  it('within 10 minutes reverses the entry, records the new text and edits the confirmation', async () => {
    await openShop();
    const wrote = await say(li, '进货 T恤 50 件 单价 20');
    const original = wrote.update.message as { message_id: number; date: number };
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);

    let before = calls.length;
    await bot.handleUpdate(edit(original, li, '进货 T恤 40 件 单价 20', original.date + 60));
    const edited = calls.slice(before);
    expect(edited.map((c) => c.method)).toEqual(['editMessageText']);
    expect(edited[0]?.payload.message_id).toBe(wrote.sent[0]?.messageId);
    expect(textOf(edited[0])).toContain('已按修改后的消息更正');
    expect(textOf(edited[0])).toContain('进货 T恤 40件');
    expect(undoData(edited[0])).toBe(`undo:${original.message_id}:e${original.date + 60}`);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(40);

    // After a restart the confirmation is unknown: the correction is a new reply, and the latest
    // version (40), not the original (already reversed), is what gets corrected.
    ({ bot, calls } = newBot());
    const second = edit(original, li, '进货 T恤 30 件 单价 20', original.date + 120);
    before = calls.length;
    await bot.handleUpdate(second);
    const replied = calls.slice(before);
    expect(replied.map((c) => c.method)).toEqual(['sendMessage']);
    expect(replied[0]?.payload.reply_parameters).toMatchObject({ message_id: original.message_id });
    expect(textOf(replied[0])).toContain('进货 T恤 30件');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(30);

    // The same edit delivered again changes nothing.
    const entries = await entryCount(t.app, '小店');
    ({ bot, calls } = newBot());
    await bot.handleUpdate(second);
    expect(calls).toEqual([]);
    expect(await entryCount(t.app, '小店')).toBe(entries);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(30);
  });

  it('after 10 minutes changes nothing and says how to correct', async () => {
    await openShop();
    const wrote = await say(li, '进货 T恤 50 件 单价 20');
    const original = wrote.update.message as { message_id: number; date: number };
    const before = calls.length;
    await bot.handleUpdate(edit(original, li, '进货 T恤 40 件 单价 20', original.date + 601));
    const hint = calls.slice(before);
    expect(hint.map((c) => c.method)).toEqual(['sendMessage']);
    expect(textOf(hint[0])).toContain('超过 10 分钟');
    expect(textOf(hint[0])).toContain('改 #1');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);
  });

  it('turns a refused message into an entry and edits the refusal', async () => {
    await openShop();
    await say(li, '进货 T恤 10 件 单价 20');
    const refused = await say(li, '出货 T恤 30 件 单价 59');
    expect(textOf(refused.sent[0])).toContain('库存不足');
    const original = refused.update.message as { message_id: number; date: number };
    const before = calls.length;
    await bot.handleUpdate(edit(original, li, '出货 T恤 3 件 单价 59', original.date + 30));
    const edited = calls.slice(before);
    expect(edited.map((c) => c.method)).toEqual(['editMessageText']);
    expect(edited[0]?.payload.message_id).toBe(refused.sent[0]?.messageId);
    expect(textOf(edited[0])).toContain('出货 T恤 3件');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(7);
  });

  it('never re-runs an undo or a correction', async () => {
    await openShop();
    await say(li, '进货 T恤 50 件 单价 20');
    await say(li, '进货 T恤 10 件 单价 20');
    const undo = await say(li, '撤销');
    expect(textOf(undo.sent[0])).toContain('已撤销 #2');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);
    // Editing the 撤销 would otherwise undo the next-latest entry.
    const sentUndo = undo.update.message as { message_id: number; date: number };
    let before = calls.length;
    await bot.handleUpdate(edit(sentUndo, li, '撤销 ', sentUndo.date + 20));
    expect(textOf(calls.slice(before)[0])).toContain('撤销和更正不能靠修改消息来改');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);
    // Nor does a write edited into an undo undo anything.
    const third = await say(li, '进货 T恤 5 件 单价 20');
    const sentThird = third.update.message as { message_id: number; date: number };
    before = calls.length;
    await bot.handleUpdate(edit(sentThird, li, '撤销', sentThird.date + 20));
    expect(textOf(calls.slice(before)[0])).toContain('撤销和更正不能靠修改消息来改');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(55);
  });

  it('ignores edits of chatter', async () => {
    await openShop();
    const chat = await say(li, '今天天气不错');
    expect(chat.calls).toEqual([]);
    const original = chat.update.message as { message_id: number; date: number };
    await bot.handleUpdate(edit(original, li, '今天天气真不错', original.date + 5));
    expect(calls.length).toBe(2);
  });
});

describe('redelivered updates', () => {
  it('write one entry and get one confirmation', async () => {
    await openShop();
    const u = textUpdate(li, '进货 T恤 50 件 单价 20');
    await bot.handleUpdate(u);
    await bot.handleUpdate(u);
    expect(calls.filter((c) => c.method === 'sendMessage')).toHaveLength(3);
    expect(await entryCount(t.app, '小店')).toBe(1);

    // A restarted bot that gets the update again (Telegram never saw the offset) writes and sends nothing.
    ({ bot, calls } = newBot());
    await bot.handleUpdate(u);
    expect(calls).toEqual([]);
    expect(await entryCount(t.app, '小店')).toBe(1);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);
  });

  it('are answered once even when they write nothing', async () => {
    await openShop();
    const u = textUpdate(li, '库存');
    const before = calls.length;
    await bot.handleUpdate(u);
    await bot.handleUpdate(u);
    expect(calls.slice(before).filter((c) => c.method === 'sendMessage')).toHaveLength(1);
  });
});

describe('order', () => {
  it("handles one chat's updates one after another, and other chats meanwhile", async () => {
    await openShop();
    const log: string[] = [];
    // Outermost transformer: every call takes a while, as over a real network.
    bot.api.config.use(async (prev, method, payload, signal) => {
      const chat = String((payload as { chat_id?: unknown }).chat_id);
      log.push(`start ${chat}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const result = await prev(method, payload, signal);
      log.push(`end ${chat}`);
      return result;
    });
    const first = textUpdate(li, '进货 T恤 50 件 单价 20');
    const sent = first.message as { message_id: number; date: number };
    const fix = update({ edited_message: { message_id: sent.message_id, date: sent.date, edit_date: sent.date + 10, chat: warehouse, from: li, text: '进货 T恤 40 件 单价 20' } });
    const elsewhere = textUpdate(boss, '/start', { id: boss.id, type: 'private' });
    const before = calls.length;
    await Promise.all([bot.handleUpdate(first), bot.handleUpdate(fix), bot.handleUpdate(elsewhere)]);

    // The edit waited for the confirmation it edits.
    expect(calls.slice(before).filter((c) => c.payload.chat_id === warehouse.id).map((c) => c.method)).toEqual(['sendMessage', 'editMessageText']);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(40);
    const group = String(warehouse.id);
    expect(log.indexOf(`start ${group}`, log.indexOf(`end ${group}`))).toBeGreaterThan(log.indexOf(`end ${group}`));
    // The private chat did not wait for the group.
    expect(log.indexOf(`start ${boss.id}`)).toBeLessThan(log.indexOf(`end ${group}`));
  });
});

describe('long replies', () => {
  it('are split on line boundaries; the first part replies, the last carries the 撤销 button', async () => {
    await openShop();
    const items = Array.from({ length: 150 }, (_, i) => `商品${i} 1件 1元`).join('，');
    const wrote = await say(boss, `进货 ${items}`);
    expect(wrote.sent.length).toBe(2);
    const texts = wrote.sent.map(textOf);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(4096);
    expect(texts[0]?.startsWith('✅ #1 进货 商品0 1件')).toBe(true);
    expect(texts.join('\n').split('\n').filter((line) => line.startsWith('✅'))).toHaveLength(150);
    expect(wrote.sent[0]?.payload.reply_parameters).toMatchObject({ message_id: (wrote.update.message as { message_id: number }).message_id });
    expect(wrote.sent[1]?.payload.reply_parameters).toBeUndefined();
    expect(undoData(wrote.sent[0])).toBeUndefined();
    expect(undoData(wrote.sent[1])).toMatch(/^undo:/);
  });
});

describe('what the bot ignores quietly', () => {
  it('non-text messages, bots, service messages, channel posts, forwards and other bots’ commands', async () => {
    await openShop();
    const before = calls.length;
    const other = { id: 77, is_bot: true, first_name: '别的机器人', username: 'other_bot' } as unknown as TestUser;
    await bot.handleUpdate(textUpdate(li, '', warehouse, { text: undefined, photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }], caption: '进货 T恤 5 件 单价 20' }));
    await bot.handleUpdate(textUpdate(li, '', warehouse, { text: undefined, sticker: { file_id: 's' } }));
    await bot.handleUpdate(textUpdate(other, '进货 T恤 5 件 单价 20'));
    await bot.handleUpdate(textUpdate(li, '', warehouse, { text: undefined, new_chat_members: [zhang] }));
    await bot.handleUpdate(textUpdate(li, '', warehouse, { text: undefined, left_chat_member: zhang }));
    await bot.handleUpdate(textUpdate(li, '进货 T恤 5 件 单价 20', warehouse, { forward_origin: { type: 'user', date: now(), sender_user: zhang }, forward_date: now() }));
    await bot.handleUpdate(
      update({ channel_post: { message_id: nextMessageId(), date: now(), chat: { id: -1009, type: 'channel', title: '频道' }, text: '进货 T恤 5 件 单价 20' } }),
    );
    await bot.handleUpdate(textUpdate(li, '/stock@other_bot'));
    await bot.handleUpdate(textUpdate(li, '/help@other_bot'));
    await bot.handleUpdate(textUpdate(li, '今天天气不错'));
    expect(calls.slice(before)).toEqual([]);
    expect(await entryCount(t.app, '小店')).toBe(0);
  });
});

describe('commands', () => {
  it('/start opens a shop in a fresh private chat, then /help, /stock and /digest answer', async () => {
    const dm = { id: boss.id, type: 'private' };
    expect(textOf((await say(boss, '/start', {}, dm)).sent[0])).toContain('你是老板');
    await say(boss, '进货 T恤 50 件 单价 20', {}, dm);
    expect(textOf((await say(boss, '/help', {}, dm)).sent[0])).toContain('进货');
    expect(textOf((await say(boss, '/stock', {}, dm)).sent[0])).toContain('T恤：50件');
    expect(textOf((await say(boss, '/stock@jxc_bot T恤', {}, dm)).sent[0])).toContain('T恤：50件');
    expect(textOf((await say(boss, '/digest', {}, dm)).sent[0])).toContain('日报');
    expect(textOf((await say(boss, '/start', {}, dm)).sent[0])).toContain('进销存机器人');
  });

  it('replies to the message it answers', async () => {
    await openShop();
    const asked = await say(li, '库存');
    expect(asked.sent[0]?.payload.reply_parameters).toEqual({ message_id: (asked.update.message as { message_id: number }).message_id, allow_sending_without_reply: true });
  });
});

describe('a group upgraded to a supergroup', () => {
  it('keeps its shop', async () => {
    const basic = { id: -4001, type: 'group', title: '仓库群' };
    expect(textOf((await say(boss, '开店 小店', {}, basic)).sent[0])).toContain('已开通');
    await bot.handleUpdate(textUpdate(boss, '', basic, { text: undefined, migrate_to_chat_id: -1004001 }));
    const upgraded = { id: -1004001, type: 'supergroup', title: '仓库群' };
    expect(textOf((await say(boss, '进货 T恤 5 件 单价 20', {}, upgraded)).sent[0])).toContain('进货 T恤 5件');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(5);
    expect(await t.app.access.bindingOf('telegram', '-4001')).toBeUndefined();
  });
});

describe('binding codes through Telegram', () => {
  const dm = (user: TestUser) => ({ id: user.id, type: 'private' });
  const owners = async () =>
    (await t.app.access
            .people(1))
      .filter((p) => p.role === 'owner')
      .flatMap((p) => p.identities.map((i) => `${i.platform}:${i.platformUserId}`));

  it('a member who redeems the group’s 绑定码 in a private chat does not become the owner', async () => {
    await openShop();
    await say(boss, '进货 T恤 50 件 单价 20');
    await say(li, '大家好');
    const code = /绑定码 (\w+)/.exec(textOf((await say(boss, '绑定码')).sent[0]))?.[1];
    expect(textOf((await say(li, `绑定 ${code}`, {}, dm(li))).sent[0])).toContain('私聊，不显示成本和利润');
    expect(await owners()).toEqual([`telegram:${boss.id}`]);
    expect(textOf((await say(li, '查 T恤', {}, dm(li))).sent[0])).toBe('📦 T恤：50件');
    expect(textOf((await say(li, '授权 @laowang 查看')).sent[0])).toMatch(/^⛔/);
    // The owner still sees cost in a private chat bound with a code of the same kind.
    const again = /绑定码 (\w+)/.exec(textOf((await say(boss, '绑定码')).sent[0]))?.[1];
    expect(textOf((await say(boss, `绑定 ${again}`, {}, dm(boss))).sent[0])).toContain('（老板私聊）');
    expect(textOf((await say(boss, '查 T恤', {}, dm(boss))).sent[0])).toContain('均价 20.00');
  });

  it('关联码 asked in the group is not shown there', async () => {
    await openShop();
    const sent = (await say(boss, '关联码')).sent;
    expect(sent.map(textOf)).toEqual([expect.stringContaining('关联码只在私聊里发')]);
    expect(sent[0]?.payload.chat_id).toBe(warehouse.id);
    const dmCode = (await say(boss, '关联码', {}, dm(boss))).sent;
    expect(dmCode[0]?.payload.chat_id).toBe(boss.id);
    expect(textOf(dmCode[0])).toMatch(/关联码 \w{6}/);
  });
});

describe('malformed updates', () => {
  it('are logged and dropped, and the next update is handled as usual', async () => {
    await openShop();
    const malformed: unknown[] = [
      null,
      update({ message: { message_id: nextMessageId(), date: now(), chat: warehouse, text: '进货 T恤 5 件 单价 20' } }),
      update({ message: { message_id: nextMessageId(), date: now(), chat: warehouse, from: li, text: 12345 } }),
      update({ message: { message_id: nextMessageId(), date: now(), chat: warehouse, from: li, text: { bold: '进货' } } }),
      update({ message: { message_id: nextMessageId(), date: now(), from: li, text: '查 T恤' } }),
      update({ edited_message: { message_id: nextMessageId(), date: now(), chat: warehouse, text: '进货 T恤 5 件' } }),
      update({ callback_query: { id: 'q1', data: 'undo:1' } }),
      update({ message: { message_id: nextMessageId(), date: now(), chat: { id: li.id, type: 'private' }, from: li, text: '导入', document: { file_name: 'x.xlsx' } } }),
    ];
    const before = calls.length;
    for (const u of malformed) await expect(bot.handleUpdate(u as never)).resolves.toBeUndefined();
    expect(calls.slice(before)).toEqual([]);
    expect(await entryCount(t.app, '小店')).toBe(0);
    const warnings = t.logs.filter((l) => l.msg === 'malformed telegram update ignored');
    expect(warnings).toHaveLength(malformed.length);
    expect(warnings.map((w) => w.problem)).toEqual([
      'the update is null',
      'message.from is missing',
      'message.text is not text',
      'message.text is not text',
      'message.chat is missing',
      'edited_message.from is missing',
      'callback_query.from is not a user',
      'message.document is malformed',
    ]);
    expect(JSON.stringify(warnings)).not.toContain('进货');
    expect(textOf((await say(li, '进货 T恤 5 件 单价 20')).sent[0])).toContain('✅ #1 进货 T恤 5件');
  });
});
