import type { Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/adapters/telegram/bot.ts';
import { BOT_INFO, boss, createTestApp, interceptCalls, li, textUpdate, TOKEN, warehouse, type ApiCall, type TestApp, type TestUser } from './harness.ts';

/**
 * 一件代发 and 应付 through grammY's handleUpdate (outgoing calls intercepted) on a real SQLite file:
 * the owner sets the supplier's terms in the private chat, staff sell in the group and never see a
 * cost, the owner reads what the supplier is owed where cost may be shown, and an undo takes it back.
 */

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

const dm = (user: TestUser) => ({ id: user.id, type: 'private' });

async function say(from: TestUser, text: string, chat: { id: number; type: string; title?: string } = warehouse): Promise<string> {
  const before = calls.length;
  await bot.handleUpdate(textUpdate(from, text, chat));
  return calls
    .slice(before)
    .filter((c) => c.method === 'sendMessage')
    .map((c) => String(c.payload.text ?? ''))
    .join('\n');
}

describe('一件代发 over Telegram', () => {
  it('staff sell without seeing cost; the owner reads 应付 in the private chat, and an undo takes it back', async () => {
    expect(await say(boss, '开店 小店')).toContain('店铺「小店」已开通');
    expect(await say(boss, '设置 群成员 店员')).toContain('群成员默认身份：店员');
    const code = /绑定码 (\w+)/.exec(await say(boss, '绑定码'))?.[1];
    expect(await say(boss, `绑定 ${code}`, dm(boss))).toContain('（老板私聊）');

    expect(await say(boss, '设置 手机壳 代发 供应商 老李 进价 6', dm(boss))).toContain('供应商 老李，进价 6.00 元/件');
    await say(li, '大家好');
    const staffSale = await say(li, '卖了 手机壳 3个 15元 淘宝');
    expect(staffSale).toContain('出货 手机壳 3件 × 15.00 = 45.00 淘宝（一件代发 老李，不动库存）');
    expect(staffSale).not.toContain('18.00');
    expect(await say(li, '应付 老李')).toMatch(/^⛔/);

    const owed = await say(boss, '应付 老李 本月', dm(boss));
    expect(owed).toBe('💰 应付 老李（本月）：18.00 元\n· 手机壳 3件 18.00');
    expect(await say(li, '撤销')).toContain('已撤销 #1 出货 手机壳 3件');
    expect(await say(boss, '应付', dm(boss))).toBe('✅ 本月没有欠代发供应商的货款。');
  });
});
