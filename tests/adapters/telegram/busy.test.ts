import Database from 'better-sqlite3';
import type { Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/adapters/telegram/bot.ts';
import { BOT_INFO, boss, createTestApp, interceptCalls, li, stockOf, textUpdate, TOKEN, update, warehouse, type ApiCall, type TestApp } from './harness.ts';

/**
 * Another process holds the database's write lock (a real second connection inside BEGIN IMMEDIATE):
 * the bot answers that nothing was recorded, does not remember the update as handled, and a
 * redelivery of the same update once the lock is gone does the work.
 */
let t: TestApp;
let bot: Bot;
let calls: ApiCall[];
let other: Database.Database;

beforeEach(async () => {
  t = await createTestApp();
  bot = createTelegramBot(t.app, { mode: 'polling', token: TOKEN }, { botInfo: BOT_INFO, throttle: false });
  calls = interceptCalls(bot);
  other = new Database(t.app.db!.name);
});
afterEach(async () => {
  if (other.inTransaction) other.exec('ROLLBACK');
  other.close();
  await t.cleanup();
});

const texts = (from: number) => calls.slice(from).filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText').map((c) => String(c.payload.text));

/** Runs `work` while the second connection holds the write lock, with a short wait for it. */
async function whileLocked<T>(work: () => Promise<T>): Promise<T> {
  t.app.db!.pragma('busy_timeout = 30');
  other.exec('BEGIN IMMEDIATE');
  try {
    return await work();
  } finally {
    other.exec('ROLLBACK');
    t.app.db!.pragma('busy_timeout = 5000');
  }
}

async function openShop() {
  await bot.handleUpdate(textUpdate(boss, '开店 小店'));
  await bot.handleUpdate(textUpdate(boss, '设置 群成员 店员'));
}

describe('the database is busy in another process', () => {
  it('an edit is answered, left unhandled, and applied when Telegram redelivers it', async () => {
    await openShop();
    const sent = textUpdate(li, '进货 T恤 50 件 单价 20');
    await bot.handleUpdate(sent);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);
    const original = sent.message as { message_id: number; date: number };
    const edit = update({ edited_message: { message_id: original.message_id, date: original.date, edit_date: original.date + 30, chat: warehouse, from: li, text: '进货 T恤 40 件 单价 20' } });

    const before = calls.length;
    await whileLocked(() => bot.handleUpdate(edit).catch(() => undefined));
    expect(texts(before).join('\n')).toContain('出错了，这条没有记账');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);

    const after = calls.length;
    await bot.handleUpdate(edit);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(40);
    expect(texts(after).join('\n')).toContain('进货 T恤 40件');
    // A further redelivery changes nothing.
    await bot.handleUpdate(edit);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(40);
  });

  it('a new message is answered, left unhandled, and recorded once when redelivered', async () => {
    await openShop();
    const message = textUpdate(li, '进货 短裤 30 条 单价 15');
    const before = calls.length;
    await whileLocked(() => bot.handleUpdate(message).catch(() => undefined));
    expect(texts(before).join('\n')).toContain('出错了，这条没有记账');
    expect(await stockOf(t.app, '小店', '短裤')).toBe(0);

    await bot.handleUpdate(message);
    await bot.handleUpdate(message);
    expect(await stockOf(t.app, '小店', '短裤')).toBe(30);
  });

  it('a query still answers while another process holds the write lock', async () => {
    await openShop();
    await bot.handleUpdate(textUpdate(li, '进货 T恤 5 件 单价 20'));
    const before = calls.length;
    await whileLocked(() => bot.handleUpdate(textUpdate(li, '查 T恤')));
    expect(texts(before).join('\n')).toContain('T恤：5件');
  });
});
